// The fleet edge at scale: 100 simulated hosts × 100 names each, publishing to one real
// redis-server (test/support/redis-server.ts), in one process (no Docker: the publishers are fed
// fragments directly). Measured:
//   publish all     from every host starting until the edge lists all routers
//   one change      keyspace events (what each edge Traefik reacts to) and keys written when one
//                   host adds one name, and when it drops one
//   settle          from one host's change until an edge that lists the tree on every keyspace
//                   event (as Traefik's Redis provider does) sees it; also for a name moving from
//                   one host to the next claimant
// Exits non-zero only on errors, never on timing.
//
//   node --import tsx scripts/bench-fleet.ts [--hosts 100] [--names 100] [--changes 20]

import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { percentile } from '../test/support/percentile.ts';
import { simulatedHost, type SimulatedHost } from '../test/support/fleet-hosts.ts';
import { listTree, RedisServer, redisUnavailableReason } from '../test/support/redis-server.ts';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const HOSTS = flag('hosts', 100);
const NAMES = flag('names', 100);
const CHANGES = flag('changes', 20);
const names = (host: number) => Array.from({ length: NAMES }, (_, i) => `app${i}.h${host}.bench.example`);
const routerKey = (host: number, name: string) => `traefik/tcp/routers/host-${host}.${name}/rule`;

/** A stand-in for the edge Traefik: on every keyspace event, one full listing (SCAN + MGET). */
class EdgeWatcher {
  readonly #client: Redis;
  readonly #subscriber: Redis;
  #tree = new Map<string, string>();
  #listing = false;
  #again = false;
  events = 0;
  listeners: (() => void)[] = [];

  constructor(redis: RedisServer) {
    this.#client = redis.client();
    this.#subscriber = redis.client();
  }

  async start(): Promise<void> {
    this.#subscriber.on('pmessage', () => {
      this.events++;
      this.#list();
    });
    await this.#subscriber.psubscribe('__keyspace*:traefik*');
  }

  has(key: string): boolean {
    return this.#tree.has(key);
  }

  get size(): number {
    return this.#tree.size;
  }

  #list(): void {
    if (this.#listing) {
      this.#again = true;
      return;
    }
    this.#listing = true;
    void listTree(this.#client, 'traefik').then((tree) => {
      this.#tree = tree;
      this.#listing = false;
      for (const listener of this.listeners) listener();
      if (this.#again) {
        this.#again = false;
        this.#list();
      }
    });
  }

  /** Resolves at the first listing for which `done` holds; returns when, in performance.now(). */
  until(done: () => boolean): Promise<number> {
    return new Promise((resolve) => {
      if (done()) return resolve(performance.now());
      const listener = () => {
        if (!done()) return;
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(performance.now());
      };
      this.listeners.push(listener);
    });
  }

  stop(): void {
    this.#client.disconnect();
    this.#subscriber.disconnect();
  }
}

function summary(label: string, values: number[], unit: string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => (unit === 'ms' ? v.toFixed(1) : String(v));
  return `| ${label} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 95))} | ${f(sorted[sorted.length - 1] ?? Number.NaN)} | ${unit} |`;
}

async function main(): Promise<void> {
  const why = redisUnavailableReason();
  if (why !== null) throw new Error(`bench-fleet cannot run: ${why}`);
  const redis = await RedisServer.start();
  const watcher = new EdgeWatcher(redis);
  await watcher.start();
  const hosts: SimulatedHost[] = [];
  try {
    const started = performance.now();
    for (let h = 0; h < HOSTS; h++) hosts.push(await simulatedHost(redis.url, `host-${h}`, `10.1.${Math.floor(h / 250)}.${(h % 250) + 1}`));
    await Promise.all(hosts.map((host, h) => host.serve(names(h))));
    const allPublished = performance.now();
    const expectedKeys = HOSTS * (NAMES * 4 + 1) + 1;
    const seen = await watcher.until(() => watcher.size === expectedKeys);
    process.stdout.write(`\n${HOSTS} hosts × ${NAMES} names (${expectedKeys} keys): every host published in ${(allPublished - started).toFixed(0)} ms, the edge listed all of it after ${(seen - started).toFixed(0)} ms\n\n`);

    const addEvents: number[] = [];
    const addKeys: number[] = [];
    const addSettle: number[] = [];
    const dropEvents: number[] = [];
    const dropSettle: number[] = [];
    const moveSettle: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const h = i % HOSTS;
      const host = hosts[h] as SimulatedHost;
      const extra = `extra${i}.h${h}.bench.example`;
      await sleepQuiet();
      let events = watcher.events;
      let written = host.publisher.fleetStatus().keysWritten;
      let t0 = performance.now();
      await host.serve([...names(h), extra]);
      addSettle.push((await watcher.until(() => watcher.has(routerKey(h, extra)))) - t0);
      await sleepQuiet();
      addEvents.push(watcher.events - events);
      addKeys.push(host.publisher.fleetStatus().keysWritten - written);

      events = watcher.events;
      t0 = performance.now();
      await host.serve(names(h));
      dropSettle.push((await watcher.until(() => !watcher.has(routerKey(h, extra)))) - t0);
      await sleepQuiet();
      dropEvents.push(watcher.events - events);

      // A name served by h and claimed later by the next host moves when h stops routing it.
      const next = (h + 1) % HOSTS;
      const moving = `move${i}.bench.example`;
      await host.serve([...names(h), moving]);
      await (hosts[next] as SimulatedHost).serve([...names(next), moving]);
      await watcher.until(() => watcher.has(routerKey(h, moving)));
      t0 = performance.now();
      await host.serve(names(h));
      moveSettle.push((await watcher.until(() => watcher.has(routerKey(next, moving)) && !watcher.has(routerKey(h, moving)))) - t0);
      await (hosts[next] as SimulatedHost).serve(names(next));
    }
    process.stdout.write(`${CHANGES} changes of one host each (p50 / p95 / max):\n\n| measure | p50 | p95 | max | unit |\n|---|---|---|---|---|\n`);
    process.stdout.write(
      [
        summary('one name added: keys written', addKeys, 'keys'),
        summary('one name added: keyspace events at the edge', addEvents, 'events'),
        summary('one name added: edge view settled', addSettle, 'ms'),
        summary('one name dropped: keyspace events at the edge', dropEvents, 'events'),
        summary('one name dropped: edge view settled', dropSettle, 'ms'),
        summary('one name moved to the next claimant: edge view settled', moveSettle, 'ms'),
      ].join('\n') + '\n',
    );
  } finally {
    for (const host of hosts) await host.publisher.stop();
    watcher.stop();
    await redis.close();
  }
}

/** Lets the lease renewals and the watcher's listings of the previous step pass. */
function sleepQuiet(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
