// Render benchmark: 10,000 containers over 1,000 daemons (Tier 1 and Tier 2 labels, replicas,
// middlewares, TCP), rendered and serialized as `run` does. Prints the median and worst of several
// runs. Usage: node --import tsx scripts/bench-render.ts [daemons] [containers-per-daemon] [runs]

import { performance } from 'node:perf_hooks';
import type { Snapshot } from '../src/model/snapshot.ts';
import { DEFAULT_RENDER_OPTIONS } from '../src/render/options.ts';
import { renderSnapshot } from '../src/render/render.ts';
import { serializeFragment } from '../src/render/yaml.ts';
import { benchSnapshot } from '../test/support/bench-workload.ts';

const daemons = Number(process.argv[2] ?? 1000);
const perDaemon = Number(process.argv[3] ?? 10);
const runs = Number(process.argv[4] ?? 7);

const snapshot: Snapshot = benchSnapshot(daemons, perDaemon);
const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' };

const times: { render: number; serialize: number }[] = [];
let fragments = 0;
let routes = 0;
let diagnostics = 0;
for (let run = 0; run < runs; run++) {
  const t0 = performance.now();
  const result = renderSnapshot(snapshot, options, { allocations: [], now: 0 });
  const t1 = performance.now();
  let bytes = 0;
  for (const f of result.fragments) bytes += serializeFragment(f.config, { daemon: f.daemon, socket: f.socket, generator: 'bench' }).length;
  const t2 = performance.now();
  times.push({ render: t1 - t0, serialize: t2 - t1 });
  fragments = result.fragments.length;
  routes = result.routes.length;
  diagnostics = result.diagnostics.length;
  void bytes;
}
const sorted = (key: 'render' | 'serialize') => times.map((t) => t[key]).sort((a, b) => a - b);
const median = (values: number[]) => values[Math.floor(values.length / 2)] as number;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
process.stdout.write(
  `${daemons * perDaemon} containers over ${daemons} daemons -> ${fragments} fragments, ${routes} routers, ${diagnostics} diagnostics (${runs} runs)\n` +
    `render:    median ${fmt(median(sorted('render')))}, worst ${fmt(Math.max(...sorted('render')))}\n` +
    `serialize: median ${fmt(median(sorted('serialize')))}, worst ${fmt(Math.max(...sorted('serialize')))}\n` +
    `total:     median ${fmt(median(times.map((t) => t.render + t.serialize).sort((a, b) => a - b)))}\n`,
);
