// `route-server render` as a user runs it: exit codes, stderr, and the same output for the same
// daemons whatever order the snapshot lists them in.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'rs-render-command-'));

function app(daemon: string, name: string, ip: string) {
  return {
    id: `${name}-${daemon}`, name, created: 1763700000, state: 'running', health: null, ports: [], networkMode: 'host', networks: {},
    labels: { 'rediacc.service_name': name, 'rediacc.service_ip': ip },
  };
}

async function render(snapshot: unknown, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = join(dir, 'snapshot.json');
  writeFileSync(path, JSON.stringify(snapshot));
  let stdout = '';
  let stderr = '';
  const code = await main(['render', '--snapshot', path, ...flags], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => '' }, {});
  return { code, stdout, stderr };
}

describe('route-server render', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 on a snapshot with one daemon id twice, and prints nothing on stdout', async () => {
    const snapshot = {
      daemons: [
        { id: '2816', socket: '/run/a/docker-2816.sock', containers: [app('2816', 'web', '127.0.11.2')] },
        { id: '2816', socket: '/run/b/docker-2816.sock', containers: [app('2816', 'other', '127.0.11.3')] },
      ],
    };
    const result = await render(snapshot, '--base-domain', 'example.com');
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `Snapshot ${join(dir, 'snapshot.json')} is malformed: daemons[1].id: expected an id no other daemon has (daemons[0] has it), got "2816"\n`,
    );
  });

  it('writes the same bytes whatever order daemons and containers are listed in', async () => {
    const a = { id: '2816', socket: '/run/docker-2816.sock', containers: [app('2816', 'web', '127.0.11.2'), app('2816', 'api', '127.0.11.3')] };
    const b = { id: '2880', socket: '/run/docker-2880.sock', containers: [app('2880', 'web', '127.0.11.66')] };
    const forward = await render({ daemons: [a, b] }, '--base-domain', 'example.com');
    const backward = await render({ daemons: [b, { ...a, containers: [...a.containers].reverse() }] }, '--base-domain', 'example.com');
    assert.equal(forward.code, 0);
    assert.match(forward.stdout, /web-2816/);
    assert.equal(backward.stdout, forward.stdout);
    assert.equal(backward.stderr, forward.stderr);
  });
});
