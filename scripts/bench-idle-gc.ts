// What the garbage collector does while route-server is idle: fake daemons (in this process), all
// connected and synced, `route-server run` as a child process with node's flags of `npm start` plus
// V8's GC trace (--trace-gc-nvp, to a file outside the socket directory), then, over a quiet window,
// its CPU, the scavenges and full collections, and what the scavenges promoted to the old
// generation: promoted bytes are what later full collections (and their CPU) are made of.
// Usage: node --import tsx scripts/bench-idle-gc.ts [--daemons 1000] [--seconds 30] [--settle 15] [--node-flags "FLAGS"]
//   --node-flags: more of node's flags after npm start's (e.g. "--allocation-site-pretenuring").
// The last line is `bench-idle-gc: {json}` so runs can be compared.

import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDockerFarm } from '../test/support/fake-docker-farm.ts';
import { runNodeFlags } from '../test/support/node-flags.ts';

const flags = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) flags.set((process.argv[i] ?? '').replace(/^--/, ''), process.argv[i + 1] ?? '');
const daemonCount = Number(flags.get('daemons') ?? 1000);
const seconds = Number(flags.get('seconds') ?? 30);
const settleMs = Number(flags.get('settle') ?? 15) * 1000;
const nodeFlags = (flags.get('node-flags') ?? '').split(' ').filter((flag) => flag !== '');
const BIN = fileURLToPath(new URL('../bin/route-server.js', import.meta.url));

const root = mkdtempSync(join(tmpdir(), 'rs-bench-idle-gc-'));
// Not in the socket directory: a file written there all the time makes the directory watcher rescan.
const logs = mkdtempSync(join(tmpdir(), 'rs-bench-idle-gc-logs-'));
const out = join(root, 'out');
const trace = join(logs, 'gc-trace.txt');
const farm = await FakeDockerFarm.start(root, daemonCount, 10);
const child = spawn(
  process.execPath,
  [...runNodeFlags(), '--trace-gc-nvp', ...nodeFlags, BIN, 'run', '--listen', '127.0.0.1:0', '--sockets', farm.glob, '--out', out, '--state-dir', join(root, 'state'), '--base-domain', 'example.com', '--log-level', 'warn', '--resync-interval', '0'],
  { stdio: ['ignore', openSync(trace, 'w'), openSync(join(logs, 'stderr.txt'), 'w')], detached: true },
);
const pid = child.pid as number;
/** utime + stime of the process, in ms (clock ticks of 10 ms). */
const cpuMs = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
try {
  const started = performance.now();
  for (;;) {
    let written = 0;
    try {
      written = readdirSync(out).filter((f) => /^rs-\d+\.yml$/.test(f)).length;
    } catch {
      // not created yet
    }
    if (written === daemonCount) break;
    if (child.exitCode !== null) throw new Error(`route-server exited: ${readFileSync(join(logs, 'stderr.txt'), 'utf8')}`);
    if (performance.now() - started > 300_000) throw new Error('not every fragment written in 300 s');
    await sleep(50);
  }
  await sleep(settleMs);
  const linesBefore = readFileSync(trace, 'utf8').split('\n').length - 1;
  const cpuBefore = cpuMs();
  await sleep(seconds * 1000);
  const cpu = cpuMs() - cpuBefore;
  let scavenges = 0;
  let fullCollections = 0;
  let promoted = 0;
  let survived = 0;
  let pauseMs = 0;
  for (const line of readFileSync(trace, 'utf8').split('\n').slice(linesBefore)) {
    const kind = / gc=(\S+)/.exec(line)?.[1];
    if (kind === undefined) continue;
    pauseMs += Number(/ pause=([\d.]+)/.exec(line)?.[1] ?? 0);
    if (kind !== 's') {
      fullCollections++;
      continue;
    }
    scavenges++;
    promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    survived += Number(/ new_space_survived=(\d+)/.exec(line)?.[1] ?? 0);
  }
  const result = {
    daemons: daemonCount,
    seconds,
    cpuMsPerS: +(cpu / seconds).toFixed(1),
    scavenges,
    fullCollections,
    promotedMBPerS: +(promoted / 1e6 / seconds).toFixed(3),
    survivedMBPerScavenge: +(survived / 1e6 / Math.max(1, scavenges)).toFixed(3),
    gcPauseMsPerS: +(pauseMs / seconds).toFixed(2),
  };
  process.stdout.write(`idle ${seconds} s at ${daemonCount} daemons, node flags: ${[...runNodeFlags(), ...nodeFlags].join(' ')}\n`);
  process.stdout.write(`bench-idle-gc: ${JSON.stringify(result)}\n`);
} finally {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await sleep(1000);
  await farm.stop();
  rmSync(root, { recursive: true, force: true });
  rmSync(logs, { recursive: true, force: true });
}
