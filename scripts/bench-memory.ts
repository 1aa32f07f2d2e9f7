// What route-server's memory is made of: fake daemons (test/support/fake-docker-farm.ts, in this
// process), `route-server run` as a child with --heapsnapshot-signal, settled; then its RSS, V8's
// figures from /metrics, and a heap snapshot taken and summarized (scripts/heap-summary.ts: self
// size by constructor, retained size with a retainer path). With --churn-seconds S, that many
// daemons (--churn, default a tenth) then stop or start a container every --churn-period ms for S
// seconds, and a second snapshot is taken: what grew between the two is garbage (gone after the
// snapshot's GC) or a leak (still there). Heap snapshot sizes are deterministic, RSS is not.
// Usage: node --import tsx scripts/bench-memory.ts [--daemons 200] [--per-daemon 10] [--settle 10]
//          [--churn-seconds 0] [--churn N] [--churn-period 5000] [--top 30] [--keep DIR]
//          [--node "NODE FLAGS"] [-- route-server options...]
// The last line is `bench-memory: {json}` so runs can be compared.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchContainerName } from '../test/support/bench-workload.ts';
import { FakeDockerFarm } from '../test/support/fake-docker-farm.ts';
import { RouteServerProcess } from '../test/support/route-server-process.ts';
import { waitFor } from '../test/support/wait.ts';
import { printHeapSummary, summarizeHeap } from './heap-summary.ts';

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
const daemonCount = Number(flags.get('daemons') ?? 200);
const perDaemon = Number(flags.get('per-daemon') ?? 10);
const settleS = Number(flags.get('settle') ?? 10);
const churnSeconds = Number(flags.get('churn-seconds') ?? 0);
const churnCount = Number(flags.get('churn') ?? Math.floor(daemonCount / 10));
const churnPeriodMs = Number(flags.get('churn-period') ?? 5000);
const top = Number(flags.get('top') ?? 30);
const keepDir = flags.get('keep');
// Flags for route-server's node (e.g. "--max-semi-space-size=4"), beside the snapshot signal.
const nodeFlags = (flags.get('node') ?? '').split(/\s+/).filter((flag) => flag !== '');
const log = (line: string) => process.stdout.write(`${line}\n`);
const MB = 1024 * 1024;

/** utime + stime of a process, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
}

/** RSS by kind of mapping (/proc/PID/smaps): the node binary, other files, and anonymous memory (V8's heap, malloc, WASM). */
function rssByMapping(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let kind = 'anonymous';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const path = header[1] ?? '';
      kind = path === '' ? 'anonymous' : path.startsWith('[') ? path : path === process.execPath ? 'node binary' : 'other files';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] = (out[kind] ?? 0) + Number(rss[1]) / 1024;
  }
  for (const key of Object.keys(out)) out[key] = Math.round(out[key]!);
  return out;
}

/** V8's heap as route-server's /metrics reports it (prom-client's process families), in MB. */
async function heapFigures(server: RouteServerProcess): Promise<Record<string, number>> {
  // A kept-alive connection may have been closed while the snapshot blocked route-server: retried.
  const text = await waitFor(() => fetch(server.url('/metrics')).then((response) => response.text()), { what: '/metrics', timeoutMs: 60_000, intervalMs: 200 });
  const mb = (name: string) => Math.round(Number(new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN) / MB);
  const spaces: Record<string, string> = {};
  for (const [, space, total] of text.matchAll(/^nodejs_heap_space_size_total_bytes\{space="([a-z_]+)"\} ([0-9.e+]+)$/gm)) {
    const used = new RegExp(`^nodejs_heap_space_size_used_bytes\\{space="${space}"\\} ([0-9.e+]+)$`, 'm').exec(text)?.[1];
    if (Number(total) >= MB) spaces[space!] = `${Math.round(Number(used) / MB)}/${Math.round(Number(total) / MB)}`;
  }
  log(`  V8 spaces, used/total MB: ${JSON.stringify(spaces)}`);
  return { heapUsedMB: mb('nodejs_heap_size_used_bytes'), heapTotalMB: mb('nodejs_heap_size_total_bytes'), externalMB: mb('nodejs_external_memory_bytes') };
}

/** Asks for a snapshot (SIGUSR2) and waits until the file is whole: route-server answers again. */
async function snapshot(server: RouteServerProcess, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  server.kill('SIGUSR2');
  const file = await waitFor(() => readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f)), {
    what: 'a heap snapshot', timeoutMs: 300_000, intervalMs: 200,
  });
  // Writing the snapshot blocks route-server's event loop: an answer means it is done.
  await waitFor(() => fetch(server.url('/health')).then(() => true), { what: 'route-server to answer after the snapshot', timeoutMs: 300_000, intervalMs: 200 });
  let size = -1;
  while (size !== statSync(join(dir, file)).size) {
    size = statSync(join(dir, file)).size;
    await sleep(500);
  }
  return join(dir, file);
}

async function report(label: string, server: RouteServerProcess, dir: string): Promise<Record<string, number>> {
  const rss = rssMB(server.pid);
  const heap = await heapFigures(server);
  const mappings = rssByMapping(server.pid);
  log(`${label}: RSS ${rss.toFixed(0)} MB, heap used ${heap['heapUsedMB']} MB of ${heap['heapTotalMB']} MB, external ${heap['externalMB']} MB`);
  log(`RSS by mapping (MB): ${JSON.stringify(mappings)}`);
  const file = await snapshot(server, dir);
  if (keepDir !== undefined) cpSync(file, join(keepDir, `${label}.heapsnapshot`));
  const summary = summarizeHeap(file);
  rmSync(file);
  log(`after the snapshot's full GC: RSS ${rssMB(server.pid).toFixed(0)} MB, ${JSON.stringify(await heapFigures(server))}`);
  printHeapSummary(summary, top, log);
  return { rssMB: Math.round(rss), ...heap, snapshotMB: Math.round((summary.totalBytes / MB) * 10) / 10 };
}

const root = mkdtempSync(join(tmpdir(), 'rs-bench-memory-'));
const out = join(root, 'out');
const snapshots = join(root, 'snapshots');
mkdirSync(snapshots);
if (keepDir !== undefined) mkdirSync(keepDir, { recursive: true });
const farm = await FakeDockerFarm.start(root, daemonCount, perDaemon);
let server: RouteServerProcess | undefined;
try {
  const started = performance.now();
  server = await RouteServerProcess.start(
    ['--sockets', farm.glob, '--out', out, '--state-dir', join(root, 'state'), '--base-domain', 'example.com', '--log-level', 'info', ...extra],
    {},
    ['--heapsnapshot-signal=SIGUSR2', '--diagnostic-dir', snapshots, ...nodeFlags],
  );
  await waitFor(() => readdirSync(out).filter((f) => /^rs-\d+\.yml$/.test(f)).length === daemonCount, {
    what: 'every fragment written', timeoutMs: 300_000, intervalMs: 50,
  });
  log(`start -> all ${daemonCount} fragments written: ${(performance.now() - started).toFixed(0)} ms, ${cpuMs(server.pid)} ms of CPU in route-server`);
  const cpuFrom = cpuMs(server.pid);
  await sleep(settleS * 1000);
  log(`settling for ${settleS} s: ${((cpuMs(server.pid) - cpuFrom) / settleS).toFixed(0)} ms of CPU per second`);
  const settled = await report('settled', server, snapshots);
  const result: Record<string, unknown> = { daemons: daemonCount, perDaemon, settled };
  if (churnSeconds > 0) {
    let churning = true;
    const loops = farm.daemons.slice(-churnCount).map(async (daemon) => {
      const name = benchContainerName(Number(daemon.id), 1);
      await sleep(Math.random() * churnPeriodMs);
      for (let running = true; churning; running = !running) {
        if (running) daemon.stop(name);
        else daemon.start(name);
        await sleep(churnPeriodMs);
      }
    });
    await sleep(churnSeconds * 1000);
    log(`under churn (${churnCount} daemons, each every ${churnPeriodMs} ms, ${churnSeconds} s): RSS ${rssMB(server.pid).toFixed(0)} MB, ${JSON.stringify(await heapFigures(server))}`);
    result['churned'] = await report('churned', server, snapshots);
    churning = false;
    await Promise.all(loops);
  }
  log(`bench-memory: ${JSON.stringify(result)}`);
} finally {
  if (server) await server.stop();
  await farm.stop();
  rmSync(root, { recursive: true, force: true });
}
