import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { scratchDirectory } from '../../test/support/scratch-directory.ts';
import { main } from './main.ts';
import { GENERATOR } from './version.ts';

const CASE = new URL('../../fixtures/render/auto-cert-resolver-empty/', import.meta.url);

async function render(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io = { stdout: () => {}, stderr: (text: string) => (stderr += text), readStdin: () => '' };
  const code = await main(['render', '--snapshot', new URL('snapshot.json', CASE).pathname, '--base-domain', 'example.com', '--cert-resolver', '', ...argv], io, {});
  return { code, stderr };
}

test('render --out writes through the same file sink as run: directory created, file name from the prefix', async () => {
  const { dir } = await scratchDirectory();
  const out = join(dir, 'nested');
  assert.equal((await render(['--out', out, '--file-prefix', 'tenant-'])).code, 0);
  assert.deepEqual(await readdir(out), ['tenant-2816.yml']);
  const golden = (await readFile(new URL('expected/rs-2816.yml', CASE), 'utf8')).replace('route-server (golden)', GENERATOR);
  assert.equal(await readFile(join(out, 'tenant-2816.yml'), 'utf8'), golden);
});

test('render --out removes the file of a daemon with nothing routable, and leaves other files alone', async () => {
  const { dir } = await scratchDirectory();
  const out = join(dir, 'out');
  assert.equal((await render(['--out', out, '--no-auto-routes'])).code, 0);
  await writeFile(join(out, 'rs-2816.yml'), 'old: 1\n');
  await writeFile(join(out, 'rs-2880.yml'), 'other: 1\n');
  assert.equal((await render(['--out', out, '--no-auto-routes'])).code, 0);
  assert.deepEqual(await readdir(out), ['rs-2880.yml']);
});

test('--file-prefix is checked the same way for render and run', async () => {
  for (const prefix of ['', 'a/b']) {
    const result = await render(['--out', '/nonexistent', '--file-prefix', prefix]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^route-server render: Expected `--file-prefix` to be a non-empty string of \[A-Za-z0-9._-\], got /);
  }
});
