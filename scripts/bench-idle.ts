// What route-server costs while nothing changes: fake daemons (test/support/fake-docker-farm.ts, in
// this process) all connected and synced, `route-server run` as a child process, then its CPU over a
// quiet window (default 60 s: one full resync period at the default --resync-interval) and the
// Docker calls it made meanwhile, per second. Stopped by its pid.
// Usage: node --import tsx scripts/bench-idle.ts [--daemons 1000] [--per-daemon 10] [--seconds 60]
//          [--profile DIR] [-- route-server options...]
// The last line is `bench-idle: {json}` so runs can be compared.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeDockerFarm } from '../test/support/fake-docker-farm.ts';
import { RouteServerProcess } from '../test/support/route-server-process.ts';
import { waitFor } from '../test/support/wait.ts';

const flags = new Map<string, string>();
const extra: string[] = [];
for (let i = 2; i < process.argv.length; i += 2) {
  const flag = process.argv[i] ?? '';
  if (flag === '--') {
    extra.push(...process.argv.slice(i + 1));
    break;
  }
  flags.set(flag.replace(/^--/, ''), process.argv[i + 1] ?? '');
}
const daemonCount = Number(flags.get('daemons') ?? 1000);
const perDaemon = Number(flags.get('per-daemon') ?? 10);
const seconds = Number(flags.get('seconds') ?? 60);
const profileDir = flags.get('profile');

/** utime + stime of a process, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms per thread name (main, V8 workers, libuv pool...), summed over the threads of that name. */
function threadCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended between readdir and read
    }
  }
  return byName;
}

function requestCounts(farm: FakeDockerFarm): Map<string, number> {
  const total = new Map<string, number>();
  for (const daemon of farm.daemons) {
    for (const [route, n] of daemon.requests) total.set(route, (total.get(route) ?? 0) + n);
  }
  return total;
}

const root = mkdtempSync(join(tmpdir(), 'rs-bench-idle-'));
const out = join(root, 'out');
const farm = await FakeDockerFarm.start(root, daemonCount, perDaemon);
let server: RouteServerProcess | undefined;
try {
  server = await RouteServerProcess.start(
    ['--sockets', farm.glob, '--out', out, '--state-dir', join(root, 'state'), '--base-domain', 'example.com', '--log-level', 'info', ...extra],
    {},
    profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir],
  );
  await waitFor(() => readdirSync(out).filter((f) => /^rs-\d+\.yml$/.test(f)).length === daemonCount, {
    what: 'every fragment written', timeoutMs: 300_000, intervalMs: 50,
  });
  await sleep(5_000);
  const before = requestCounts(farm);
  const cpuFrom = cpuMs(server.pid);
  const threadsFrom = threadCpuMs(server.pid);
  const started = performance.now();
  await sleep(seconds * 1000);
  const wallS = (performance.now() - started) / 1000;
  const idleCpuMsPerS = (cpuMs(server.pid) - cpuFrom) / wallS;
  const threads: Record<string, number> = {};
  for (const [name, ms] of threadCpuMs(server.pid)) {
    const delta = ms - (threadsFrom.get(name) ?? 0);
    if (delta > 0) threads[name] = Math.round((delta / wallS) * 10) / 10;
  }
  const calls: Record<string, number> = {};
  for (const [route, n] of requestCounts(farm)) {
    const delta = n - (before.get(route) ?? 0);
    if (delta > 0) calls[route] = Math.round((delta / wallS) * 10) / 10;
  }
  process.stdout.write(`${daemonCount} daemons x ${perDaemon} containers, quiet for ${wallS.toFixed(1)} s: ${idleCpuMsPerS.toFixed(1)} ms of CPU per second\n`);
  process.stdout.write(`Docker calls per second: ${JSON.stringify(calls)}\n`);
  process.stdout.write(`CPU ms per second by thread: ${JSON.stringify(threads)}\n`);
  process.stdout.write(`bench-idle: ${JSON.stringify({ daemons: daemonCount, seconds: Math.round(wallS), idleCpuMsPerS: Math.round(idleCpuMsPerS * 10) / 10, callsPerS: calls })}\n`);
} finally {
  if (server) await server.stop();
  await farm.stop();
  rmSync(root, { recursive: true, force: true });
}
