// End-to-end latency of `route-server run` with its default settings, on real daemons:
//   A. time from `docker start` returning (Docker API) to the route being in the file on disk,
//      over 200 starts, one at a time, round robin over the daemons (p50, p99, max);
//   B. fragment writes caused by a burst of 100 containers started at once over 10 daemons.
// Usage: node --import tsx scripts/bench-latency.ts [starts=200] [burst-daemons=10] [burst-per-daemon=10] [latency-daemons=5]
//          [--gap MS] [--resync-interval DURATION]
// --gap waits between starts (default 0), --resync-interval is handed to route-server (default its
// own 60s): with `--gap 200 --resync-interval 2s` a periodic resync falls between most starts, so
// the tail shows whether the safety net delays the next change (it must not).
// Needs root, docker.io and busybox-static (test/support/daemons.ts). Exits non-zero only on errors.

import { watch, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Docker } from '../src/source/dockerode.ts';
import { percentile } from '../test/support/percentile.ts';
import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DockerDaemon } from '../test/support/daemons.ts';
import { RouteServerProcess } from '../test/support/route-server-process.ts';
import { waitFor } from '../test/support/wait.ts';

const flags = new Map<string, string>();
const positional: string[] = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i] as string;
  if (arg.startsWith('--')) flags.set(arg.slice(2), process.argv[++i] ?? '');
  else positional.push(arg);
}
const starts = Number(positional[0] ?? 200);
const burstDaemons = Number(positional[1] ?? 10);
const burstPerDaemon = Number(positional[2] ?? 10);
const latencyDaemons = Number(positional[3] ?? 5);
const gapMs = Number(flags.get('gap') ?? 0);
const resyncInterval = flags.get('resync-interval');
const perDaemon = Math.ceil(starts / latencyDaemons);

const unavailable = daemonsUnavailableReason();
if (unavailable) {
  process.stderr.write(`bench-latency needs real Docker daemons: ${unavailable}\n`);
  process.exit(2);
}

function ipOf(id: string, index: number): string {
  const n = Number(id);
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${(n & 255) + 2 + index}`;
}

async function create(daemon: DockerDaemon, name: string, index: number): Promise<void> {
  const ip = ipOf(daemon.id, index);
  await daemon.docker(
    'create', '--init', '--network', 'host', '--name', name,
    '--label', `rediacc.service_name=${name}`, '--label', `rediacc.service_ip=${ip}`, '--label', 'rediacc.tcp_ports=8080',
    BUSYBOX_IMAGE, 'sleep', '1d',
  );
}

async function writesPerDaemon(server: RouteServerProcess): Promise<Map<string, number>> {
  const text = await (await fetch(server.url('/metrics'))).text();
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^route_server_writes_total\{daemon="([^"]+)"\} (\d+)$/gm)) counts.set(match[1] as string, Number(match[2]));
  return counts;
}

const farm = await startDaemons(Math.max(latencyDaemons, burstDaemons));
let server: RouteServerProcess | undefined;
try {
  const out = join(farm.root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const daemons = farm.daemons;
  process.stdout.write(`creating ${perDaemon * latencyDaemons + burstPerDaemon * burstDaemons} containers on ${daemons.length} daemons…\n`);
  for (const [d, daemon] of daemons.entries()) {
    const jobs: Promise<void>[] = [];
    if (d < latencyDaemons) for (let i = 0; i < perDaemon; i++) jobs.push(create(daemon, `s${i}`, i));
    if (d < burstDaemons) for (let i = 0; i < burstPerDaemon; i++) jobs.push(create(daemon, `b${i}`, perDaemon + i));
    await Promise.all(jobs);
  }
  server = await RouteServerProcess.start([
    '--sockets', join(farm.root, 'docker-*.sock'),
    '--out', out,
    '--state-dir', join(farm.root, 'bench', 'state'),
    '--base-domain', 'example.com',
    '--log-level', 'info',
    ...(resyncInterval === undefined ? [] : ['--resync-interval', resyncInterval]),
  ]);
  await waitFor(() => server!.logged('discovery settled'), { what: 'discovery settled', timeoutMs: 60_000 });

  // A: one start at a time.
  const clients = new Map(daemons.map((daemon) => [daemon.id, new Docker({ socketPath: daemon.socket })]));
  const latencies: number[] = [];
  const benchStarted = performance.now();
  for (let k = 0; k < starts; k++) {
    if (gapMs > 0) await new Promise((done) => setTimeout(done, gapMs));
    const daemon = daemons[k % latencyDaemons] as DockerDaemon;
    const name = `s${Math.floor(k / latencyDaemons)}`;
    const file = join(out, `rs-${daemon.id}.yml`);
    const needle = `${name}-${daemon.id}:`;
    const present = () => existsSync(file) && readFileSync(file, 'utf8').includes(needle);
    let resolve!: () => void;
    const seen = new Promise<void>((done) => (resolve = done));
    const watcher = watch(out, () => present() && resolve());
    const poll = setInterval(() => present() && resolve(), 2);
    await clients.get(daemon.id)!.getContainer(name).start();
    const started = performance.now();
    if (present()) resolve();
    await seen;
    const latency = performance.now() - started;
    latencies.push(latency);
    if (latency > 100) process.stdout.write(`   slow: start ${k} (${daemon.id}/${name}) at +${((started - benchStarted) / 1000).toFixed(1)} s took ${latency.toFixed(0)} ms\n`);
    watcher.close();
    clearInterval(poll);
  }
  latencies.sort((x, y) => x - y);

  // B: a burst over many daemons.
  const before = await writesPerDaemon(server);
  const burstStarted = performance.now();
  await Promise.all(
    daemons.slice(0, burstDaemons).flatMap((daemon) =>
      Array.from({ length: burstPerDaemon }, (_, i) => clients.get(daemon.id)!.getContainer(`b${i}`).start()),
    ),
  );
  const burstStartsDone = performance.now() - burstStarted;
  await waitFor(
    () => daemons.slice(0, burstDaemons).every((daemon) => {
      const file = join(out, `rs-${daemon.id}.yml`);
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      return Array.from({ length: burstPerDaemon }, (_, i) => `b${i}-${daemon.id}:`).every((needle) => text.includes(needle));
    }),
    { what: 'every burst route on disk', timeoutMs: 60_000, intervalMs: 2 },
  );
  const burstOnDisk = performance.now() - burstStarted;
  await new Promise((done) => setTimeout(done, 3_000)); // let any trailing write land before counting
  const after = await writesPerDaemon(server);
  const burstWrites = daemons.slice(0, burstDaemons).map((daemon) => (after.get(daemon.id) ?? 0) - (before.get(daemon.id) ?? 0));

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  process.stdout.write(
    `\nA. docker start returned -> route in the file (${latencies.length} starts over ${latencyDaemons} daemons, one at a time)\n` +
      `   p50 ${ms(percentile(latencies, 50))}   p99 ${ms(percentile(latencies, 99))}   max ${ms(latencies[latencies.length - 1] as number)}` +
      `${gapMs > 0 ? `   (${gapMs} ms between starts)` : ''}${resyncInterval ? `   (resync every ${resyncInterval})` : ''}\n` +
      `B. burst of ${burstDaemons * burstPerDaemon} starts over ${burstDaemons} daemons (all API calls at once)\n` +
      `   starts returned after ${ms(burstStartsDone)}, every route on disk after ${ms(burstOnDisk)}\n` +
      `   writes per daemon: ${burstWrites.join(' ')} (max ${Math.max(...burstWrites)})\n`,
  );
} finally {
  await server?.stop();
  await farm.stop();
}
