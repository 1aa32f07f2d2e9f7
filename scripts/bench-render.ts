// Render benchmark: 10,000 containers over 1,000 daemons (Tier 1 and Tier 2 labels, replicas,
// middlewares, TCP), rendered and serialized as `run` does. Prints the median and worst of several
// runs, the median CPU time of a render + YAML (all threads: on a busy machine a fairer comparison
// of two versions than wall time), and last a line `bench-render: {json}` (medians in ms) for
// scripts that compare runs.
//
// By default it measures the code as `npm start` runs it: this script bundled by esbuild (as
// bin/bundle.js bundles route-server: no tsx loader, and none of the names tsx gives every function
// it makes) and run by plain node with the node flags of `npm start`. `--node-flags "..."` runs the
// bundle with other flags (`--node-flags ""`: V8's defaults, as the figures before the bundle were
// measured); `--tsx` runs it in this process through tsx.
//
// `--allocations` adds what one render + YAML allocates (garbage included: V8's sampling heap
// profiler keeping what the collectors took) and the functions that allocate most. A figure that
// load does not move, unlike the times: what the garbage collector's third of a render comes from
// (the sampling slows the renders: their times are then not comparable).
//
// Usage: node --import tsx scripts/bench-render.ts [daemons] [containers-per-daemon] [runs] [--node-flags FLAGS] [--tsx] [--allocations]

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../src/model/snapshot.ts';
import { DEFAULT_RENDER_OPTIONS } from '../src/render/options.ts';
import { renderSnapshot } from '../src/render/render.ts';
import { serializeFragment } from '../src/render/yaml.ts';
import { benchSnapshot } from '../test/support/bench-workload.ts';
import { runNodeFlags } from '../test/support/node-flags.ts';

const BUNDLED_ENV = 'ROUTE_SERVER_BENCH_RENDER_BUNDLED';
const args = process.argv.slice(2);
const flagsAt = args.indexOf('--node-flags');
const givenFlags = flagsAt < 0 ? undefined : (args.splice(flagsAt, 2)[1] ?? '').split(/\s+/).filter((flag) => flag !== '');
const inProcess = process.env[BUNDLED_ENV] === '1' || args.includes('--tsx');
const allocations = args.includes('--allocations');
const numbers = args.filter((arg) => arg !== '--tsx' && arg !== '--allocations');

if (inProcess) {
  await measure(Number(numbers[0] ?? 1000), Number(numbers[1] ?? 10), Number(numbers[2] ?? 7));
} else {
  process.exitCode = await runBundled(allocations ? [...numbers, '--allocations'] : numbers, givenFlags ?? runNodeFlags());
}

/** Bundles this script (bundles are kept in node_modules/.cache, where bare imports resolve) and runs it. */
async function runBundled(passOn: string[], flags: string[]): Promise<number> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tag = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const outfile = join(root, 'node_modules', '.cache', 'route-server', `bench-render-${tag}.mjs`);
  mkdirSync(join(outfile, '..'), { recursive: true });
  const esbuild = await import('esbuild');
  await esbuild
    .build({ absWorkingDir: root, entryPoints: [fileURLToPath(import.meta.url)], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' })
    .finally(() => esbuild.stop());
  const asStart = flags.join(' ') === runNodeFlags().join(' ');
  process.stdout.write(`(bundled by esbuild, run by node ${flags.length === 0 ? "with V8's default heap flags" : flags.join(' ')}${asStart ? ', as npm start runs route-server' : ''})\n`);
  const child = spawnSync(process.execPath, [...flags, outfile, ...passOn], { stdio: 'inherit', env: { ...process.env, [BUNDLED_ENV]: '1' } });
  return child.status ?? 1;
}

async function measure(daemons: number, perDaemon: number, runs: number): Promise<void> {
  const snapshot: Snapshot = benchSnapshot(daemons, perDaemon);
  const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' };
  const sampling = allocations ? await startAllocationSampling() : undefined;
  const times: { render: number; serialize: number; cpu: number }[] = [];
  let fragments = 0;
  let routes = 0;
  let diagnostics = 0;
  for (let run = 0; run < runs; run++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = renderSnapshot(snapshot, options, { allocations: [], now: 0 });
    const t1 = performance.now();
    for (const f of result.fragments) serializeFragment(f.config, { daemon: f.daemon, socket: f.socket, generator: 'bench' });
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    times.push({ render: t1 - t0, serialize: t2 - t1, cpu: (cpu.user + cpu.system) / 1000 });
    fragments = result.fragments.length;
    routes = result.routes.length;
    diagnostics = result.diagnostics.length;
  }
  if (sampling) process.stdout.write(await sampling.report(runs));
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  const render = times.map((t) => t.render);
  const serialize = times.map((t) => t.serialize);
  const total = median(times.map((t) => t.render + t.serialize));
  // On a busy machine wall time includes waiting for a core; CPU time does not, so versions compare better by it.
  const cpuMedian = median(times.map((t) => t.cpu));
  process.stdout.write(
    `${daemons * perDaemon} containers over ${daemons} daemons -> ${fragments} fragments, ${routes} routers, ${diagnostics} diagnostics (${runs} runs)\n` +
      `render:    median ${fmt(median(render))}, worst ${fmt(Math.max(...render))}\n` +
      `serialize: median ${fmt(median(serialize))}, worst ${fmt(Math.max(...serialize))}\n` +
      `total:     median ${fmt(total)}\n` +
      `CPU:       median ${fmt(cpuMedian)} (every thread of the process: the garbage collector's helpers too)\n` +
      `bench-render: ${JSON.stringify({ renderMs: round(median(render)), serializeMs: round(median(serialize)), totalMs: round(total), cpuMs: round(cpuMedian) })}\n`,
  );
}

/** V8's sampling heap profiler, keeping what scavenges and full collections took (the garbage is the point). */
async function startAllocationSampling(): Promise<{ report(runs: number): Promise<string> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async report(runs) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      session.disconnect();
      // Bytes by function (node's builtins by the function that called them), per render.
      const bytes = new Map<string, number>();
      const walk = (node: typeof profile.head, caller: string): void => {
        const name = node.callFrame.functionName || '(anonymous)';
        const key = node.callFrame.url === '' && caller !== '' ? `${name} in ${caller}` : name;
        bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize / runs);
        for (const child of node.children) walk(child, node.callFrame.url === '' ? caller : name);
      };
      walk(profile.head, '');
      const mb = (n: number) => (n / 1e6).toFixed(1);
      const total = [...bytes.values()].reduce((a, b) => a + b, 0);
      const top = [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 25);
      return `allocated per render + YAML: ${mb(total)} MB (sampled, garbage included); most by:\n${top.map(([name, n]) => `  ${mb(n).padStart(6)} MB  ${name}`).join('\n')}\n`;
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
