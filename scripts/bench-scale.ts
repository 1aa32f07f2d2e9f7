// The whole system at scale, against fake daemons (test/support/fake-docker-farm.ts: real HTTP on
// Unix sockets, in this process): `route-server run` as a child process (node directly), measured
// from outside, then stopped by its pid. Prints, at 1,000 daemons x 10 containers by default:
//   start -> every fragment written; RSS once settled;
//   CPU of route-server per single-container change (minus its idle CPU) and files rewritten by it;
//   `docker start` -> route in the file, p50/p99, while 100 other daemons churn (each stops or
//   starts a container every --churn-period ms, default 5000: 20 changes a second host-wide);
//   /routes.json and /routes.json?daemon=ID latency under 100 concurrent clients;
//   a full render + serialize of the same containers, in this process.
// The last line is `bench-scale: {json}` so runs can be compared.
// Usage: node --import tsx scripts/bench-scale.ts [--daemons 1000] [--per-daemon 10] [--churn 100] [--churn-period 5000] [--resync-interval SECONDS]
//          [--profile DIR]   (route-server runs with --cpu-prof and --heap-prof, written into DIR when it stops)

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchContainerName } from '../test/support/bench-workload.ts';
import { FakeDockerFarm } from '../test/support/fake-docker-farm.ts';
import type { FakeDockerDaemon } from '../test/support/fake-docker-daemon.ts';
import { RouteServerProcess } from '../test/support/route-server-process.ts';
import { waitFor } from '../test/support/wait.ts';
import { load } from './http-load.ts';

const flags = new Map<string, number>();
let profileDir: string | undefined;
for (let i = 2; i < process.argv.length; i += 2) {
  const flag = (process.argv[i] ?? '').replace(/^--/, '');
  if (flag === 'profile') profileDir = process.argv[i + 1];
  else flags.set(flag, Number(process.argv[i + 1]));
}
const daemonCount = flags.get('daemons') ?? 1000;
const perDaemon = flags.get('per-daemon') ?? 10;
const churnCount = Math.min(flags.get('churn') ?? 100, Math.floor(daemonCount / 2));
const churnPeriodMs = flags.get('churn-period') ?? 5000;
// route-server's periodic resync (default 60 s per daemon, spread out: about 17 daemons a second
// at 1,000) is most of its idle CPU, and its noise hides a change's cost; 0 turns it off.
const resyncSeconds = flags.get('resync-interval');
const CLIENTS = 100;
const CHANGES = 20; // each a stop then a start: 40 single-container changes
// Idle CPU (the periodic resync of a thousand daemons, spread over its interval) is measured this
// long before and after the changes, and the average taken out.
const IDLE_MS = 10_000;
const SAMPLES = 20;
const CHURN_MS = 30_000;

const root = mkdtempSync(join(tmpdir(), 'rs-bench-scale-'));
const out = join(root, 'out');
const ms = (value: number) => `${value.toFixed(1)} ms`;
const log = (line: string) => process.stdout.write(`${line}\n`);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** utime + stime of a process, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

function fileHas(daemon: FakeDockerDaemon, needle: string): boolean {
  const file = join(out, `rs-${daemon.id}.yml`);
  return existsSync(file) && readFileSync(file, 'utf8').includes(needle);
}

/** The auto-route of container 0 (`svc0-<id>:`) appears in or leaves the daemon's file. */
async function routeShown(daemon: FakeDockerDaemon, shown: boolean): Promise<void> {
  await waitFor(() => fileHas(daemon, `svc0-${daemon.id}:`) === shown, { what: `svc0 of ${daemon.id} ${shown ? 'in' : 'out of'} its file`, timeoutMs: 60_000, intervalMs: 1 });
}

/** V8's heap as route-server's /metrics reports it (prom-client's process families). */
async function heapFigures(server: RouteServerProcess): Promise<string> {
  const text = await (await fetch(server.url('/metrics'))).text();
  const mb = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return `heap used ${mb('nodejs_heap_size_used_bytes').toFixed(0)} MB of ${mb('nodejs_heap_size_total_bytes').toFixed(0)} MB, external ${mb('nodejs_external_memory_bytes').toFixed(0)} MB`;
}

/** Renders so far and fragment writes per daemon, from route-server's /metrics. */
async function renderCounts(server: RouteServerProcess): Promise<{ renders: number; writes: Map<string, number> }> {
  const text = await (await fetch(server.url('/metrics'))).text();
  const writes = new Map([...text.matchAll(/^route_server_writes_total\{daemon="([^"]+)"\} (\d+)$/gm)].map((m) => [m[1] as string, Number(m[2])]));
  return { renders: Number(/^route_server_renders_total (\d+)$/m.exec(text)?.[1] ?? NaN), writes };
}

/**
 * `compose up` on several daemons at once: each starts its containers 1.. one after another,
 * `gapMs` apart (0: all in one go), every daemon together. Returns what a reader should check: a
 * few writes per daemon, not one per container, and how long until every route is on disk.
 */
async function composeUp(server: RouteServerProcess, daemons: readonly FakeDockerDaemon[], gapMs: number): Promise<string> {
  const indices = Array.from({ length: perDaemon - 1 }, (_, i) => i + 1);
  const allShown = (shown: boolean) => waitFor(() => daemons.every((d) => indices.every((i) => fileHas(d, `svc${i}-${d.id}:`) === shown)), {
    what: `compose routes ${shown ? 'in' : 'out of'} their files`, timeoutMs: 60_000, intervalMs: 5,
  });
  for (const d of daemons) for (const i of indices) d.stop(benchContainerName(Number(d.id), i));
  await allShown(false);
  await sleep(3_000); // the `compose down` above is a burst of its own: let it end
  const before = await renderCounts(server);
  const started = performance.now();
  for (const i of indices) {
    for (const d of daemons) d.start(benchContainerName(Number(d.id), i));
    if (gapMs > 0) await sleep(gapMs);
  }
  const lastStart = performance.now() - started;
  await allShown(true);
  const onDisk = performance.now() - started;
  await sleep(5_000); // a trailing write (the burst's quiet time) lands before counting
  const after = await renderCounts(server);
  const writes = daemons.map((d) => (after.writes.get(d.id) ?? 0) - (before.writes.get(d.id) ?? 0));
  return `${perDaemon - 1} starts ${gapMs} ms apart on each of ${daemons.length} daemons: every route on disk ${ms(onDisk)} after the first start (last start at ${ms(lastStart)}); ` +
    `writes per daemon ${Math.min(...writes)}–${Math.max(...writes)} (${writes.reduce((a, b) => a + b, 0) / writes.length} on average), ${after.renders - before.renders} renders`;
}

async function writesTotal(server: RouteServerProcess): Promise<number> {
  const text = await (await fetch(server.url('/metrics'))).text();
  return [...text.matchAll(/^route_server_writes_total\{daemon="[^"]+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/**
 * The same load from a process of its own (scripts/http-load.ts): the figure that is route-server's,
 * without this process's event loop (the fake daemons) in it.
 */
async function loadApart(base: string, paths: readonly string[], each: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./http-load.ts', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify({ base, paths, each }));
  const [output] = await Promise.all([text(child.stdout), once(child, 'exit')]);
  return JSON.parse(output) as number[];
}

/**
 * A full render + YAML of the same containers, median of 5, measured by bench-render.ts in a
 * process of its own running the code bundled as `npm start` runs it, with the given node flags
 * (npm start's when undefined).
 */
async function fullRenderMs(nodeFlags?: string): Promise<number> {
  const flags = nodeFlags === undefined ? [] : ['--node-flags', nodeFlags];
  const script = new URL('./bench-render.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(daemonCount), String(perDaemon), '5', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [output] = await Promise.all([text(child.stdout), once(child, 'exit')]);
  const line = output.split('\n').find((row) => row.startsWith('bench-render: '));
  if (line === undefined) throw new Error(`bench-render printed no result:\n${output}`);
  return (JSON.parse(line.slice('bench-render: '.length)) as { totalMs: number }).totalMs;
}

const farm = await FakeDockerFarm.start(root, daemonCount, perDaemon);
let server: RouteServerProcess | undefined;
let churning = false;
const churnLoops: Promise<void>[] = [];
try {
  log(`${daemonCount} fake daemons x ${perDaemon} containers at ${farm.glob}`);
  const started = performance.now();
  server = await RouteServerProcess.start([
    '--sockets', farm.glob, '--out', out, '--state-dir', join(root, 'state'),
    '--base-domain', 'example.com', '--log-level', 'info',
    ...(resyncSeconds === undefined ? [] : ['--resync-interval', resyncSeconds === 0 ? '0' : `${resyncSeconds}s`]),
  ], {}, profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir, '--heap-prof', '--heap-prof-dir', profileDir]);
  const pid = server.pid;
  await waitFor(() => readdirSync(out).filter((f) => /^rs-\d+\.yml$/.test(f)).length === daemonCount, {
    what: 'every fragment written', timeoutMs: 300_000, intervalMs: 20,
  });
  const startAllMs = performance.now() - started;
  log(`start -> all ${daemonCount} fragments written: ${ms(startAllMs)}`);
  await sleep(3_000);
  const rss = rssMB(pid);
  log(`RSS after settling: ${rss.toFixed(0)} MB (${await heapFigures(server)})`);

  // CPU of route-server per single-container change, its idle CPU (heartbeats) taken out.
  const idleRate = async () => {
    const from = cpuMs(pid);
    const started = performance.now();
    await sleep(IDLE_MS);
    return (cpuMs(pid) - from) / (performance.now() - started);
  };
  const idleBefore = await idleRate();
  const writesBefore = await writesTotal(server);
  const cpuFrom = cpuMs(pid);
  const changesStarted = performance.now();
  for (let k = 0; k < CHANGES; k++) {
    const daemon = farm.daemons[k % farm.daemons.length] as FakeDockerDaemon;
    const name = benchContainerName(Number(daemon.id), 0);
    daemon.stop(name);
    await routeShown(daemon, false);
    await sleep(50);
    daemon.start(name);
    await routeShown(daemon, true);
    await sleep(50);
  }
  await sleep(500);
  const changeWall = performance.now() - changesStarted;
  const changeCpu = cpuMs(pid) - cpuFrom;
  const idlePerMs = (idleBefore + (await idleRate())) / 2;
  const changesMade = 2 * CHANGES;
  const changeCpuMs = Math.max(0, changeCpu - idlePerMs * changeWall) / changesMade;
  const changeFilesRewritten = ((await writesTotal(server)) - writesBefore) / changesMade;
  log(`one container change: ${ms(changeCpuMs)} CPU in route-server (idle ${(idlePerMs * 1000).toFixed(1)} ms/s taken out), ${changeFilesRewritten} file(s) rewritten per change`);

  // docker start -> file while other daemons churn.
  let churnChanges = 0;
  churning = true;
  for (const daemon of churnCount === 0 ? [] : farm.daemons.slice(-churnCount)) {
    const name = benchContainerName(Number(daemon.id), 1);
    churnLoops.push((async () => {
      await sleep(Math.random() * churnPeriodMs);
      for (let running = true; churning; running = !running) {
        if (running) daemon.stop(name);
        else daemon.start(name);
        churnChanges++;
        await sleep(churnPeriodMs);
      }
    })());
  }
  // Once every churning daemon has begun (each starts within one period), its cost is measured over
  // at least CHURN_MS, the samples' changes included.
  await sleep(churnPeriodMs);
  const churnFrom = { cpu: cpuMs(pid), at: performance.now(), counts: await renderCounts(server), changes: churnChanges };
  const quiet = farm.daemons.slice(0, daemonCount - churnCount);
  const latencies: number[] = [];
  let missed = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const daemon = quiet[(k * 7) % quiet.length] as FakeDockerDaemon;
    const name = benchContainerName(Number(daemon.id), 0);
    try {
      daemon.stop(name);
      await routeShown(daemon, false);
      // Past the coalescer's busy window (250 ms): a start right after its own stop is a burst by design.
      await sleep(300);
      const t0 = performance.now();
      daemon.start(name);
      await routeShown(daemon, true);
      latencies.push(performance.now() - t0);
    } catch (error) {
      // A route that never showed is a result, not a crash: counted and reported.
      missed++;
      log(`   ${(error as Error).message}`);
      daemon.start(name);
      if (missed >= 3) break;
    }
  }
  await sleep(CHURN_MS - (performance.now() - churnFrom.at));
  churning = false;
  const churnSeconds = (performance.now() - churnFrom.at) / 1000;
  const churnCpu = cpuMs(pid) - churnFrom.cpu;
  const churnCounts = await renderCounts(server);
  const churnWrites = [...churnCounts.writes.values()].reduce((a, b) => a + b, 0) - [...churnFrom.counts.writes.values()].reduce((a, b) => a + b, 0);
  await Promise.all(churnLoops);
  log(`during the churn (${churnSeconds.toFixed(0)} s, ${churnChanges - churnFrom.changes} churn changes, ${2 * latencies.length} sample changes): ` +
    `${((churnCounts.renders - churnFrom.counts.renders) / churnSeconds).toFixed(1)} renders/s, ${(churnWrites / churnSeconds).toFixed(1)} writes/s, ` +
    `route-server CPU ${(churnCpu / churnSeconds).toFixed(0)} ms/s`);
  log(`docker start -> file while ${churnCount} daemons churn, each every ${churnPeriodMs} ms (${latencies.length} starts, ${missed} not shown within 60 s): p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(Math.max(...latencies))}`);

  const composeDaemons = quiet.slice(-Math.min(10, quiet.length));
  for (const gap of [0, 500]) log(`compose up: ${await composeUp(server, composeDaemons, gap)}`);

  await sleep(3_000);
  log(`RSS after the churn: ${rssMB(pid).toFixed(0)} MB (${await heapFigures(server)})`);
  const all = await load(() => server!.url('/routes.json'), CLIENTS, 3);
  log(`/routes.json, ${CLIENTS} clients: p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}`);
  const daemonPath = (client: number) => `/routes.json?daemon=${farm.daemons[(client * 13) % daemonCount]!.id}`;
  const inProcess = await load((client) => server!.url(daemonPath(client)), CLIENTS, 20);
  log(`/routes.json?daemon=ID, ${CLIENTS} clients in this process (beside the fake daemons): p50 ${ms(percentile(inProcess, 50))}, p99 ${ms(percentile(inProcess, 99))}`);
  const one = await loadApart(server.url(''), Array.from({ length: CLIENTS }, (_, client) => daemonPath(client)), 20);
  const routesDaemonP99Ms = percentile(one, 99);
  log(`/routes.json?daemon=ID, ${CLIENTS} clients in a process of their own: p50 ${ms(percentile(one, 50))}, p99 ${ms(routesDaemonP99Ms)}`);

  await server.stop();
  server = undefined;
  const render = await fullRenderMs('');
  const renderStartFlags = await fullRenderMs();
  log(`full render + serialize of ${daemonCount * perDaemon} containers (bench-render.ts, bundled): ${ms(render)} with V8's default heap flags, ${ms(renderStartFlags)} with npm start's`);
  const round = (value: number) => Math.round(value * 10) / 10;
  log(`bench-scale: ${JSON.stringify({
    startAllMs: round(startAllMs), rssMB: round(rss), changeCpuMs: round(changeCpuMs), changeFilesRewritten: round(changeFilesRewritten),
    fullRenderMs: round(render), routesDaemonP99Ms: round(routesDaemonP99Ms), fullRenderStartFlagsMs: round(renderStartFlags),
  })}`);
} finally {
  churning = false;
  await Promise.all(churnLoops);
  await server?.stop();
  await farm.stop();
  rmSync(root, { recursive: true, force: true });
}
