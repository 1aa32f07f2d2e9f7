// How long from `docker start` returning until route-server knows: 200 container starts across 5
// real daemons (test/support/daemons.ts), in two runs:
//   sequential  one start at a time, round robin over the daemons (pure latency)
//   concurrent  the 5 daemons at once, each starting its 40 containers back to back (load)
// For each start: the time until the container is in Discovery's state (the raw `change`), and
// until the coalesced `update` that drives a write (production debounce). Exits non-zero only on
// errors, never on timing.
//
//   node --import tsx scripts/bench-events.ts [--daemons 5] [--starts 200]

import os from 'node:os';
import type Dockerode from 'dockerode';

import { DISCOVERY_DEFAULTS, Discovery } from '../src/source/discovery.ts';
import { Docker } from '../src/source/dockerode.ts';
import { percentile } from '../test/support/percentile.ts';
import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm } from '../test/support/daemons.ts';

const APPEAR_TIMEOUT_MS = 30_000;

interface Sample {
  readonly daemonId: string;
  readonly containerId: string;
  startCallMs: number;
  returnedAt: number;
  appearedAt: number | null;
  updatedAt: number | null;
}

interface Target {
  readonly daemonId: string;
  readonly docker: Dockerode;
  readonly ids: string[];
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const unavailable = daemonsUnavailableReason();
  if (unavailable !== null) throw new Error(`cannot run the benchmark: ${unavailable}`);
  const daemonCount = option('daemons', 5);
  const starts = option('starts', 200);
  const perDaemon = Math.ceil(starts / daemonCount);

  const farm = await startDaemons(daemonCount, { root: `/tmp/rs-bench-${process.pid}` });
  let discovery: Discovery | null = null;
  try {
    const targets = await prepare(farm, perDaemon);
    discovery = new Discovery({ ...DISCOVERY_DEFAULTS, sockets: `${farm.root}/docker-*.sock`, dockerHosts: [] });
    const tracker = new Tracker(discovery);
    await discovery.start();
    await discovery.whenSettled();

    const version = (await targets[0]!.docker.version()) as { Version?: string };
    console.log(
      `route-server discovery benchmark: ${starts} starts over ${daemonCount} daemons (dockerd ${version.Version}, ` +
        `node ${process.version}, ${os.cpus().length} cpus, debounce ${DISCOVERY_DEFAULTS.debounceMinMs}/${DISCOVERY_DEFAULTS.debounceMaxMs} ms)\n`,
    );

    const order = roundRobin(targets).slice(0, starts);
    const sequential: Sample[] = [];
    for (const [target, id] of order) {
      const sample = await start(target, id, tracker);
      await tracker.appeared(sample);
      sequential.push(sample);
    }
    await tracker.updated(sequential);
    await stopAll(targets, tracker);

    const concurrent: Sample[] = [];
    const budget = new Map(targets.map((target) => [target, order.filter(([t]) => t === target).map(([, id]) => id)]));
    await Promise.all(
      [...budget].map(async ([target, ids]) => {
        for (const id of ids) concurrent.push(await start(target, id, tracker));
      }),
    );
    await Promise.all(concurrent.map((sample) => tracker.appeared(sample)));
    await tracker.updated(concurrent);
    await stopAll(targets, tracker);

    report([
      ['sequential', sequential],
      ['concurrent', concurrent],
    ]);
  } finally {
    await discovery?.stop();
    await farm.stop();
  }
}

/** Creates the containers up front: only `start` is measured. */
async function prepare(farm: DaemonFarm, perDaemon: number): Promise<Target[]> {
  return Promise.all(
    farm.daemons.map(async (daemon) => {
      const docker = new Docker({ socketPath: daemon.socket });
      const ids: string[] = [];
      for (let i = 0; i < perDaemon; i++) {
        const container = await docker.createContainer({
          name: `bench-${daemon.id}-${i}`,
          Image: BUSYBOX_IMAGE,
          Cmd: ['sleep', '1d'],
          Labels: { 'rediacc.service_name': `bench${i}`, 'rediacc.network_id': daemon.id },
          HostConfig: { NetworkMode: 'host', Init: true },
        });
        ids.push(container.id);
      }
      return { daemonId: daemon.id, docker, ids };
    }),
  );
}

function roundRobin(targets: readonly Target[]): [Target, string][] {
  const out: [Target, string][] = [];
  const longest = Math.max(...targets.map((target) => target.ids.length));
  for (let i = 0; i < longest; i++) for (const target of targets) if (i < target.ids.length) out.push([target, target.ids[i]!]);
  return out;
}

async function start(target: Target, containerId: string, tracker: Tracker): Promise<Sample> {
  const sample: Sample = { daemonId: target.daemonId, containerId, startCallMs: 0, returnedAt: 0, appearedAt: null, updatedAt: null };
  tracker.watch(sample);
  const before = performance.now();
  await target.docker.getContainer(containerId).start();
  sample.returnedAt = performance.now();
  sample.startCallMs = sample.returnedAt - before;
  return sample;
}

async function stopAll(targets: readonly Target[], tracker: Tracker): Promise<void> {
  await Promise.all(
    targets.map(async (target) => {
      for (const id of target.ids) await target.docker.getContainer(id).stop({ t: 0 }).catch(ignoreNotRunning);
    }),
  );
  await tracker.empty();
}

function ignoreNotRunning(error: { statusCode?: number }): void {
  if (error.statusCode !== 304) throw error;
}

/** Follows Discovery's raw changes and coalesced updates, and stamps the samples it waits for. */
class Tracker {
  readonly #discovery: Discovery;
  readonly #waiting = new Map<string, Sample>();
  readonly #appeared = new Map<Sample, () => void>();
  readonly #listeners = new Set<() => void>();

  constructor(discovery: Discovery) {
    this.#discovery = discovery;
    discovery.on('change', (daemonId) => this.#onChange(daemonId));
    discovery.on('update', (daemonId) => {
      const now = performance.now();
      for (const sample of this.#waiting.values()) {
        if (sample.daemonId === daemonId && sample.appearedAt !== null && sample.updatedAt === null) sample.updatedAt = now;
      }
      for (const listener of this.#listeners) listener();
    });
  }

  watch(sample: Sample): void {
    this.#waiting.set(sample.containerId, sample);
  }

  appeared(sample: Sample): Promise<void> {
    if (sample.appearedAt !== null) return Promise.resolve();
    return this.#until(`container ${sample.containerId.slice(0, 12)} on ${sample.daemonId} to appear`, () => sample.appearedAt !== null);
  }

  updated(samples: readonly Sample[]): Promise<void> {
    return this.#until('the last updates', () => samples.every((sample) => sample.updatedAt !== null));
  }

  empty(): Promise<void> {
    this.#waiting.clear();
    return this.#until('every container to be gone', () => this.#discovery.status().every((daemon) => daemon.containers.length === 0));
  }

  #onChange(daemonId: string): void {
    const now = performance.now();
    const running = new Set(
      this.#discovery
        .status()
        .find((daemon) => daemon.id === daemonId)
        ?.containers.filter((record) => record.state === 'running')
        .map((record) => record.id),
    );
    for (const sample of this.#waiting.values()) {
      if (sample.daemonId === daemonId && sample.appearedAt === null && running.has(sample.containerId)) sample.appearedAt = now;
    }
    for (const listener of this.#listeners) listener();
  }

  #until(what: string, done: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        finish();
        resolve();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${APPEAR_TIMEOUT_MS} ms waiting for ${what}`));
      }, APPEAR_TIMEOUT_MS);
      const finish = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }
}

function report(runs: readonly (readonly [string, readonly Sample[]])[]): void {
  const header = ['run', 'what', 'n', 'p50 ms', 'p99 ms', 'max ms'];
  const rows: string[][] = [];
  for (const [name, samples] of runs) {
    const inState = samples.map((s) => Math.max(0, s.appearedAt! - s.returnedAt));
    const update = samples.filter((s) => s.updatedAt !== null).map((s) => Math.max(0, s.updatedAt! - s.returnedAt));
    const early = samples.filter((s) => s.appearedAt! <= s.returnedAt).length;
    rows.push(row(name, `in state (${early} before start returned)`, inState));
    rows.push(row(name, 'coalesced update emitted', update));
    rows.push(row(name, 'docker start call itself', samples.map((s) => s.startCallMs)));
  }
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function row(run: string, what: string, values: readonly number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [run, what, String(sorted.length), percentile(sorted, 50).toFixed(1), percentile(sorted, 99).toFixed(1), (sorted.at(-1) ?? Number.NaN).toFixed(1)];
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
