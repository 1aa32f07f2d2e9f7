// `npm run demo` as an operator uses it: it comes up with both sample tenants routed, tells where to
// look, and Ctrl-C (SIGINT) stops everything it started and removes its directory.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { daemonsUnavailableReason } from '../support/daemons.ts';
import { waitFor } from '../support/wait.ts';

const DEMO = fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo', () => {
  it('routes the sample tenants, prints where to look, and SIGINT stops all it started', { timeout: 120_000 }, async () => {
    assert.equal(daemonsUnavailableReason(), null);
    const demo = spawn(process.execPath, ['--import', 'tsx', DEMO], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    demo.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    demo.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = once(demo, 'exit');
    try {
      await waitFor(() => output.includes('Ctrl-C stops everything'), { what: `the demo to be ready (output so far: ${output})`, timeoutMs: 90_000, intervalMs: 100 });
      const url = /curl -s (http:\/\/127\.0\.0\.1:\d+)\/health/.exec(output)?.[1];
      assert.ok(url, output);
      const health = (await (await fetch(`${url}/health`)).json()) as { status: string; routers: { http: number; tcp: number } };
      assert.equal(health.status, 'ok');
      assert.deepEqual([health.routers.http, health.routers.tcp], [3, 2], 'webapp, postgres and myapp over HTTP; SMTP and IMAPS over TCP');
      const files = [...output.matchAll(/cat (\S+\.yml)/g)].map((m) => m[1] as string);
      assert.equal(files.length, 2);
      for (const file of files) assert.ok(existsSync(file), file);
      const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
      assert.equal(pids.length, 3, 'route-server and two daemons');

      demo.kill('SIGINT');
      const [code] = await exited;
      assert.equal(code, 0, output);
      for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} is gone`);
      for (const file of files) assert.equal(existsSync(file), false, `${file} removed with the demo directory`);
    } finally {
      if (demo.exitCode === null) demo.kill('SIGINT');
    }
  });
});
