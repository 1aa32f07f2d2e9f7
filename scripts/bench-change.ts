// One container change at scale, in process: the render `run` does after one daemon's container
// stops or starts, with its kept builds (and, from the second render on, its kept cross-tenant
// outcome). Prints the median and worst CPU of a render after a single-container change.
// Usage: node --import tsx scripts/bench-change.ts [daemons] [containers-per-daemon] [changes]

import { performance } from 'node:perf_hooks';
import type { DaemonSnapshot, Snapshot } from '../src/model/snapshot.ts';
import { DEFAULT_RENDER_OPTIONS } from '../src/render/options.ts';
import { renderSnapshot } from '../src/render/render.ts';
import { IncrementalRender } from '../src/render/incremental-render.ts';
import { benchSnapshot } from '../test/support/bench-workload.ts';

const daemonCount = Number(process.argv[2] ?? 1000);
const perDaemon = Number(process.argv[3] ?? 10);
const changes = Number(process.argv[4] ?? 40);

const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' };
const daemons = [...benchSnapshot(daemonCount, perDaemon).daemons];
const incremental = new IncrementalRender();
let allocations = renderSnapshot({ daemons }, options, { allocations: [], now: 0, incremental }).allocations;

const times: number[] = [];
for (let k = 0; k < changes; k++) {
  // Container 0 of a daemon stops (odd k: starts again), as `docker stop`/`start` would show it.
  const index = (k >> 1) * 37 % daemonCount;
  const daemon = daemons[index] as DaemonSnapshot;
  const containers = daemon.containers.map((c, i) => (i === 0 ? { ...c, state: k % 2 === 0 ? 'exited' : 'running' } : c));
  daemons[index] = { ...daemon, containers };
  const snapshot: Snapshot = { daemons: [...daemons] };
  const started = performance.now();
  const result = renderSnapshot(snapshot, options, { allocations, now: k, incremental });
  times.push(performance.now() - started);
  allocations = result.allocations;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] as number;
process.stdout.write(`one container change at ${daemonCount} daemons x ${perDaemon}: render median ${median.toFixed(2)} ms, worst ${(times[times.length - 1] as number).toFixed(2)} ms (${changes} changes)\n`);
