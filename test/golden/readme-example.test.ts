// The README's complete example is the program's output, not a copy that drifts: its `route-server
// render` command is run as written (into a scratch directory instead of /tmp/dynamic) and the
// fragment must equal the YAML block that follows it, byte for byte.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { fencedBlocks, readReadme } from '../support/readme.ts';
import { scratchDirectory } from '../support/scratch-directory.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/route-server.js');

test('README: the complete example shows exactly what `route-server render` writes', async () => {
  const blocks = fencedBlocks(readReadme());
  const commandAt = blocks.findIndex((block) => block.lang === 'sh' && block.text.includes('render --snapshot examples/seed/snapshot.json'));
  assert.ok(commandAt >= 0, 'README shows `route-server render --snapshot examples/seed/snapshot.json …`');
  const [command, cat] = (blocks[commandAt] as { text: string }).text.trim().split('\n') as [string, string | undefined];
  const args = command.split(/\s+/).slice(1);
  assert.equal(command.split(/\s+/)[0], 'route-server');
  const outAt = args.indexOf('--out');
  assert.ok(outAt >= 0 && cat !== undefined, 'the example writes with --out and shows the file with cat');
  const file = (cat as string).replace(/^cat /, '').replace(`${args[outAt + 1]}/`, '');

  const { dir } = await scratchDirectory();
  args[outAt + 1] = dir;
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env['PATH'] } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '', 'the example renders without a diagnostic');

  const shown = blocks[commandAt + 1];
  assert.equal(shown?.lang, 'yaml', 'the fragment follows the command as a yaml block');
  const written = readFileSync(join(dir, file), 'utf8');
  assert.equal(shown.text, written, `README line ${shown.line}: replace the block with the output of the command above it`);
});

test('README: the example compose file is examples/seed/docker-compose.yml, and the snapshot carries its labels', () => {
  const compose = readFileSync(join(ROOT, 'examples/seed/docker-compose.yml'), 'utf8');
  const body = compose.slice(compose.indexOf('services:'));
  assert.ok(
    fencedBlocks(readReadme()).some((block) => block.lang === 'yaml' && block.text === body),
    'README shows examples/seed/docker-compose.yml from `services:` on, as it is',
  );
  const services = (parseYaml(compose) as { services: Record<string, { labels?: string[] }> }).services;
  const snapshot = JSON.parse(readFileSync(join(ROOT, 'examples/seed/snapshot.json'), 'utf8')) as {
    daemons: { containers: { labels: Record<string, string> }[] }[];
  };
  const containers = snapshot.daemons.flatMap((daemon) => daemon.containers);
  for (const [name, service] of Object.entries(services)) {
    const container = containers.find((c) => c.labels['com.docker.compose.service'] === name);
    assert.ok(container, `snapshot.json has the compose service ${name}`);
    const fromCompose = Object.fromEntries((service.labels ?? []).map((label) => [label.slice(0, label.indexOf('=')), label.slice(label.indexOf('=') + 1)]));
    const traefik = Object.fromEntries(Object.entries(container.labels).filter(([key]) => key.startsWith('traefik.')));
    assert.deepEqual(traefik, fromCompose, `${name}: the snapshot's traefik.* labels are the compose file's`);
  }
});
