// Where route-server's CPU goes per single-container change, measured on the real `run` against
// fake daemons (test/support/fake-docker-farm.ts, in this process), with its CPU profile.
// route-server runs with --cpu-prof and no periodic resync; the bench waits until every fragment is
// written and the process has settled, then alternates idle windows and windows of single-container
// changes (each a stop or a start, waited for in the file), measured by /proc (each thread's CPU in
// ns, from schedstat) and in the profile (its clock is the same monotonic clock as this process's
// hrtime). Alternating keeps a drift of the idle CPU (the heap still settling after start, a major
// collection) from landing in one kind of window only. Prints CPU per change (the idle rate of the
// idle windows taken out), files written per change, and the profile's functions by self and total
// time per change (change windows minus idle windows, scaled to the same length). Every window
// lasts whole seconds, since the heartbeat pings go out in turns of a second. Besides the figure
// over all windows, the median of the rounds' own figures (each change window less its idle
// window's rate): a major collection or a burst of the machine's other work moves one round.
// Usage: node --import tsx scripts/bench-change-cpu.ts [--daemons 200] [--per-daemon 10] [--changes 40] [--idle 8] [--rounds 8] [--settle 10] [--top 40] [--keep DIR] [--profile 0] [--allocations 1] [--node-flags FLAGS]
//   --idle is the idle time in all (seconds, whole seconds per round), --rounds how many idle and change windows alternate,
//   --settle the seconds waited after the last fragment is written before the first window;
//   --keep DIR keeps the .cpuprofile there (open it in Chrome's DevTools); --profile 0 runs without the
//   profiler (its sampling thread costs CPU of its own: the /proc figure is then route-server's alone);
//   --allocations 1 samples route-server's allocations instead (garbage included, by function; run
//   this script with node --experimental-websocket).

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchContainerName } from '../test/support/bench-workload.ts';
import type { FakeDockerDaemon } from '../test/support/fake-docker-daemon.ts';
import { FakeDockerFarm } from '../test/support/fake-docker-farm.ts';
import { framePlace, type CallFrame } from '../test/support/frame-place.ts';
import { InspectorClient } from '../test/support/inspector-client.ts';
import { RouteServerProcess } from '../test/support/route-server-process.ts';
import { waitFor } from '../test/support/wait.ts';

const flags = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) flags.set((process.argv[i] ?? '').replace(/^--/, ''), process.argv[i + 1] ?? '');
const daemonCount = Number(flags.get('daemons') ?? 200);
const perDaemon = Number(flags.get('per-daemon') ?? 10);
const changes = Number(flags.get('changes') ?? 40);
const idleMs = Number(flags.get('idle') ?? 8) * 1000;
const rounds = Math.max(1, Math.min(Number(flags.get('rounds') ?? 8), changes));
const settleMs = Number(flags.get('settle') ?? 10) * 1000;
/** Whole seconds: the pings go out in turns of a second. */
const idleRoundMs = Math.max(1, Math.round(idleMs / rounds / 1000)) * 1000;
const top = Number(flags.get('top') ?? 40);
const keep = flags.get('keep');
const allocations = flags.get('allocations') === '1';
const profiled = flags.get('profile') !== '0' && !allocations;
/** More of node's flags for route-server, space-separated (e.g. `--node-flags --single-threaded-gc`: where the worker threads' CPU goes). */
const nodeFlags = (flags.get('node-flags') ?? '').split(' ').filter((flag) => flag !== '');

const root = mkdtempSync(join(tmpdir(), 'rs-bench-change-cpu-'));
const out = join(root, 'out');
const profileDir = join(root, 'profile');
const log = (line: string) => process.stdout.write(`${line}\n`);
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** CPU ms per thread kind (main thread, V8 workers, libuv pool...), from /proc/PID/task/TID/schedstat (ns). */
function threadCpuMs(pid: number): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const kind = tid === String(pid) ? 'main thread' : `${name} ${tid}`;
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      byKind.set(kind, (byKind.get(kind) ?? 0) + ns / 1e6);
    } catch {
      // the thread ended meanwhile
    }
  }
  return byKind;
}
const plusKinds = (a: Map<string, number>, b: Map<string, number>) => new Map([...new Set([...a.keys(), ...b.keys()])].map((kind) => [kind, (a.get(kind) ?? 0) + (b.get(kind) ?? 0)]));
const minusKinds = (a: Map<string, number>, b: Map<string, number>) => new Map([...a].map(([kind, ms]) => [kind, ms - (b.get(kind) ?? 0)]));
const sumKinds = (kinds: Map<string, number>) => [...kinds.values()].reduce((x, y) => x + y, 0);

/** Files written in all, from route-server's /metrics text. */
function writesTotal(metrics: string): number {
  return [...metrics.matchAll(/^route_server_writes_total\{daemon="[^"]+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Garbage collections from route-server's /metrics text (prom-client): count and seconds per kind. */
function gcFigures(text: string): Map<string, { count: number; seconds: number }> {
  const figures = new Map<string, { count: number; seconds: number }>();
  for (const m of text.matchAll(/^nodejs_gc_duration_seconds_(sum|count)\{kind="([^"]+)"\} ([0-9.e+-]+)$/gm)) {
    const entry = figures.get(m[2] as string) ?? { count: 0, seconds: 0 };
    if (m[1] === 'sum') entry.seconds = Number(m[3]);
    else entry.count = Number(m[3]);
    figures.set(m[2] as string, entry);
  }
  return figures;
}

type GcFigures = Map<string, { count: number; seconds: number }>;

/** Adds the collections between `before` and `after` to `sum`. */
function addGc(sum: GcFigures, after: GcFigures, before: GcFigures): void {
  for (const [kind, { count, seconds }] of after) {
    const entry = sum.get(kind) ?? { count: 0, seconds: 0 };
    sum.set(kind, { count: entry.count + count - (before.get(kind)?.count ?? 0), seconds: entry.seconds + seconds - (before.get(kind)?.seconds ?? 0) });
  }
}

function gcLine(figures: GcFigures): string {
  return [...figures].map(([kind, { count, seconds }]) => `${kind} ${count} (${(seconds * 1000).toFixed(0)} ms)`).join(', ');
}

const addBytes = (sum: Map<string, number>, bytes: Map<string, number>) => {
  for (const [name, n] of bytes) sum.set(name, (sum.get(name) ?? 0) + n);
};

function fileHas(daemon: FakeDockerDaemon, needle: string): boolean {
  const file = join(out, `rs-${daemon.id}.yml`);
  return existsSync(file) && readFileSync(file, 'utf8').includes(needle);
}

interface Window {
  readonly fromUs: number;
  readonly toUs: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self and total µs per function (name and file:line) over the samples inside the windows. */
function aggregate(profile: Profile, windows: readonly Window[]): { self: Map<string, number>; total: Map<string, number>; busyUs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const place = framePlace(node.callFrame);
    return `${node.callFrame.functionName || '(anonymous)'}${place ? ` ${place}` : ''}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (!windows.some((window) => at >= window.fromUs && at < window.toUs)) continue;
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i] as number) as ProfileNode;
    if (node.callFrame.functionName === '(idle)') continue;
    busyUs += us;
    self.set(label(node), (self.get(label(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const name = label(byId.get(id) as ProfileNode);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + us);
    }
  }
  return { self, total, busyUs };
}

function perChangeTable(title: string, changed: Map<string, number>, idle: Map<string, number>, idleScale: number): void {
  const rows = [...new Set([...changed.keys(), ...idle.keys()])]
    .map((name) => [name, ((changed.get(name) ?? 0) - (idle.get(name) ?? 0) * idleScale) / changes / 1000] as const)
    .filter(([, ms]) => ms >= 0.02)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  log(`\n${title} (ms per change, idle taken out):`);
  for (const [name, ms] of rows) log(`${ms.toFixed(3).padStart(8)}  ${name}`);
}

const farm = await FakeDockerFarm.start(root, daemonCount, perDaemon);
let server: RouteServerProcess | undefined;
try {
  server = await RouteServerProcess.start(
    ['--sockets', farm.glob, '--out', out, '--state-dir', join(root, 'state'), '--base-domain', 'example.com', '--log-level', 'info', '--resync-interval', '0'],
    {},
    [...nodeFlags, ...(profiled ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : allocations ? ['--inspect=127.0.0.1:0'] : [])],
  );
  const pid = server.pid;
  await waitFor(() => readdirSync(out).filter((f) => /^rs-\d+\.yml$/.test(f)).length === daemonCount, { what: 'every fragment written', timeoutMs: 300_000, intervalMs: 20 });
  await sleep(settleMs);

  const inspectorUrl = server.logs.map((line) => /ws:\/\/\S+/.exec(line.msg)?.[0]).find((url) => url !== undefined);
  const inspector = allocations ? await InspectorClient.connect(inspectorUrl ?? 'no inspector url') : undefined;
  const idleWindows: Window[] = [];
  const changeWindows: Window[] = [];
  let idleThreads = new Map<string, number>();
  let changeThreads = new Map<string, number>();
  const idleGc: GcFigures = new Map();
  const changeGc: GcFigures = new Map();
  const idleBytes = new Map<string, number>();
  const changeBytes = new Map<string, number>();
  let written = 0;
  let k = 0;
  /** Each round's CPU per change (its idle window's rate taken out): a major collection moves one round, not the median. */
  const roundEstimates: { all: number; main: number }[] = [];
  // /metrics is read right before each window (its text at 1,000 daemons is large: each window
  // begins with the garbage of one read, idle and change windows alike).
  const metrics = async () => (await fetch((server as RouteServerProcess).url('/metrics'))).text();
  let boundary: string;
  for (let r = 0; r < rounds; r++) {
    // A pause of random length before each round, outside the windows: route-server's periodic
    // work (the socket directory's rescan every 5 s) would otherwise fall in the same kind of window
    // round after round, a round lasting about as long.
    await sleep(Math.random() * 5000);
    boundary = await metrics();
    const idleSampling = await inspector?.sampleAllocations();
    let gcFrom = gcFigures(boundary);
    let from = nowUs();
    let threadsFrom = threadCpuMs(pid);
    await sleep(idleRoundMs);
    const idleRound = minusKinds(threadCpuMs(pid), threadsFrom);
    idleThreads = plusKinds(idleThreads, idleRound);
    idleWindows.push({ fromUs: from, toUs: nowUs() });
    const idleSampled = await idleSampling?.();
    if (idleSampled !== undefined) addBytes(idleBytes, idleSampled);
    boundary = await metrics();
    addGc(idleGc, gcFigures(boundary), gcFrom);

    const changeSampling = await inspector?.sampleAllocations();
    gcFrom = gcFigures(boundary);
    const writesBefore = writesTotal(boundary);
    from = nowUs();
    threadsFrom = threadCpuMs(pid);
    const roundFrom = k;
    for (const end = Math.round((changes * (r + 1)) / rounds); k < end; k++) {
      const daemon = farm.daemons[((k >> 1) * 37) % daemonCount] as FakeDockerDaemon;
      const name = benchContainerName(Number(daemon.id), 0);
      const running = k % 2 === 1;
      if (running) daemon.start(name);
      else daemon.stop(name);
      await waitFor(() => fileHas(daemon, `svc0-${daemon.id}:`) === running, { what: `svc0 of ${daemon.id}`, timeoutMs: 60_000, intervalMs: 2 });
      // Past the coalescer's busy window (250 ms), so each change goes out as a lone one.
      await sleep(300);
    }
    // Whole seconds, like the idle window: the pings go out in turns of a second (rota.ts), and a
    // window holds as many turns as it lasts seconds.
    const elapsedMs = (nowUs() - from) / 1000;
    await sleep(Math.ceil(elapsedMs / 1000) * 1000 - elapsedMs);
    const changeRound = minusKinds(threadCpuMs(pid), threadsFrom);
    changeThreads = plusKinds(changeThreads, changeRound);
    changeWindows.push({ fromUs: from, toUs: nowUs() });
    const scale = (changeWindows.at(-1) as Window).toUs - (changeWindows.at(-1) as Window).fromUs;
    const idleLength = (idleWindows.at(-1) as Window).toUs - (idleWindows.at(-1) as Window).fromUs;
    const estimate = (pick: (kinds: Map<string, number>) => number) => (pick(changeRound) - (pick(idleRound) * scale) / idleLength) / (k - roundFrom);
    roundEstimates.push({ all: estimate(sumKinds), main: estimate((kinds) => kinds.get('main thread') ?? 0) });
    const changeSampled = await changeSampling?.();
    if (changeSampled !== undefined) addBytes(changeBytes, changeSampled);
    boundary = await metrics();
    written += writesTotal(boundary) - writesBefore;
    addGc(changeGc, gcFigures(boundary), gcFrom);
  }
  inspector?.close();

  await server.stop();
  server = undefined;
  const length = (windows: readonly Window[]) => windows.reduce((sum, w) => sum + w.toUs - w.fromUs, 0);
  const idleUs = length(idleWindows);
  const idleScale = length(changeWindows) / idleUs;
  const perChange = (kind: string) => ((changeThreads.get(kind) ?? 0) - (idleThreads.get(kind) ?? 0) * idleScale) / changes;
  const procCpuMs = (sumKinds(changeThreads) - sumKinds(idleThreads) * idleScale) / changes;
  const others = [...changeThreads.keys()].filter((kind) => kind !== 'main thread');
  log(`${daemonCount} daemons x ${perDaemon}, ${changes} changes in ${rounds} rounds${profiled ? ' (profiled: the sampler adds CPU of its own)' : ''}; /proc (schedstat): ` +
    `idle ${((sumKinds(idleThreads) / idleUs) * 1e6).toFixed(1)} ms/s, per change ${procCpuMs.toFixed(2)} ms, ${(written / changes).toFixed(2)} files written per change`);
  // Threads by id: after the main thread come V8's workers (the collector's helpers, the compiler),
  // then libuv's pool (file system calls), started when first used.
  const median = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    return ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
  };
  const medianCpuMs = median(roundEstimates.map((e) => e.all));
  const medianMainMs = median(roundEstimates.map((e) => e.main));
  log(`  median of the ${rounds} rounds' own figures: ${medianCpuMs.toFixed(2)} ms per change, main thread ${medianMainMs.toFixed(2)}`);
  log(`  by thread, ms per change: main thread ${perChange('main thread').toFixed(2)}, the others ${others.reduce((sum, kind) => sum + perChange(kind), 0).toFixed(2)} ` +
    `(${others.map((kind) => `${kind} ${perChange(kind).toFixed(2)}`).join(', ')})`);
  log(`  garbage collections, idle windows: ${gcLine(idleGc)}; change windows: ${gcLine(changeGc)}`);
  if (allocations) {
    const sum = (bytes: Map<string, number>) => [...bytes.values()].reduce((a, b) => a + b, 0);
    log(`allocated (sampled, garbage included): idle ${(sum(idleBytes) / (idleUs / 1e6) / 1024).toFixed(0)} KB/s, ` +
      `${((sum(changeBytes) - sum(idleBytes) * idleScale) / changes / 1024).toFixed(0)} KB per change, idle taken out`);
    perChangeTable('KB allocated', new Map([...changeBytes].map(([k, v]) => [k, v * 1000 / 1024])), new Map([...idleBytes].map(([k, v]) => [k, v * 1000 / 1024])), idleScale);
  }
  let profileCpuMs: number | undefined;
  if (profiled) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('route-server wrote no CPU profile');
    if (keep !== undefined) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(join(profileDir, file), join(keep, file));
    }
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
    const idleAgg = aggregate(profile, idleWindows);
    const changeAgg = aggregate(profile, changeWindows);
    profileCpuMs = (changeAgg.busyUs - idleAgg.busyUs * idleScale) / changes / 1000;
    log(`main thread (profile): idle ${((idleAgg.busyUs / idleUs) * 1000).toFixed(1)} ms/s, ${profileCpuMs.toFixed(2)} ms per change`);
    perChangeTable('self time', changeAgg.self, idleAgg.self, idleScale);
    perChangeTable('total time', changeAgg.total, idleAgg.total, idleScale);
  }
  const round = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * 10) / 10);
  log(`bench-change-cpu: ${JSON.stringify({ daemons: daemonCount, changes, procCpuMs: round(procCpuMs), mainThreadCpuMs: round(perChange('main thread')), medianCpuMs: round(medianCpuMs), medianMainThreadMs: round(medianMainMs), profileMainThreadMs: round(profileCpuMs), filesPerChange: written / changes })}`);
} finally {
  await server?.stop();
  await farm.stop();
  rmSync(root, { recursive: true, force: true });
}
