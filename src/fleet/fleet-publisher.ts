// The fleet sink: the names this host's routers own, published as the edge's TCP routers in Redis
// (kv-keys.ts), with ownership across hosts decided in Redis (claim-script.ts).
//
// One cycle: run the claim script (renews the lease, reaps dead hosts, says which names this host
// wins), then one MULTI/EXEC with only the keys that changed — stale ones deleted and new ones set
// together, so the edge never lists a half-written host. Cycles run one at a time, after a render,
// when another host announces a change, and every third of the lease. They never hold up the file
// sink: `set` only records the fragment. After any failure, a reconnect, or a lease found expired
// (Redis restarted empty, or this host was cut off long enough to be reaped), the next cycle first
// reads back what Redis really holds (a full resync), so lost keys are written again.

import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../model/logger.ts';
import type { FragmentSink, SinkEvents, SinkStatus } from '../output/fragment-sink.ts';
import type { Fragment } from '../render/render.ts';
import { bookkeeping, CLAIM_SCRIPT, claimArguments, readClaimOutcome, type ClaimResult } from './claim-script.ts';
import { hostNames } from './fleet-names.ts';
import { BOOKKEEPING_PREFIX, type FleetOptions } from './fleet-options.ts';
import type { FleetLink, FleetStatus } from './fleet-status.ts';
import { diffKeys, edgeKeys, SENTINEL_VALUE, sentinelKey } from './kv-keys.ts';
import { connectRedis } from './redis-client.ts';

interface ClaimingRedis extends Redis {
  routeServerFleetClaim(...args: string[]): Promise<unknown>;
}

export class FleetPublisher extends EventEmitter<SinkEvents> implements FragmentSink {
  readonly #options: FleetOptions;
  readonly #logger: Logger;
  readonly #keys: ReturnType<typeof bookkeeping>;
  readonly #redis: ClaimingRedis;
  readonly #subscriber: Redis;
  readonly #fragments = new Map<string, Fragment>();
  /** Dates of this host's claims (Redis clock), re-asserted when Redis lost them. */
  readonly #remembered = new Map<string, number>();
  /** Edge keys as this host believes Redis holds them; names whose `published` marker is ours. */
  #known = new Map<string, string>();
  #held = new Set<string>();
  #sentinelKnown = false;
  #resync = true;
  #claims: readonly ClaimResult[] = [];
  #ready = false;
  #stopped = false;
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #link: FleetLink = 'connecting';
  #linkSince = Date.now();
  #lastSyncAt: number | null = null;
  #lastError: string | null = null;
  #lastErrorAt: number | null = null;
  #counts = { updates: 0, keysWritten: 0, resyncs: 0 };
  #version = 0;
  /** Bumped by every `set`; the last one a successful cycle started from. */
  #generation = 0;
  #publishedGeneration = -1;

  constructor(options: FleetOptions, logger: Logger) {
    super();
    this.#options = options;
    this.#logger = logger;
    this.#keys = bookkeeping(`${BOOKKEEPING_PREFIX}/${options.rootKey}/`);
    this.#redis = connectRedis(options.redis) as ClaimingRedis;
    this.#redis.defineCommand('routeServerFleetClaim', { numberOfKeys: 0, lua: CLAIM_SCRIPT });
    this.#subscriber = this.#redis.duplicate({ enableOfflineQueue: true });
    this.#redis.on('ready', () => {
      // Whatever happened while the link was down, Redis is read back before the next update.
      this.#resync = true;
      this.#setLink('connected', null);
      this.#schedule();
    });
    this.#redis.on('error', (error: Error) => this.#setLink('unreachable', error.message));
    this.#redis.on('close', () => {
      if (this.#link === 'connected') this.#setLink('reconnecting', 'the connection to Redis closed');
    });
    this.#subscriber.on('error', () => {}); // the main connection reports the link
    this.#subscriber.on('message', (_channel: string, host: string) => {
      if (host !== this.#options.name) this.#schedule();
    });
  }

  /** The previous run's keys are read back by the first cycle; no daemon is held here. */
  async start(): Promise<string[]> {
    this.#redis.connect().catch(() => {});
    this.#subscriber.connect().then(
      () => this.#subscriber.subscribe(this.#keys.changed),
      () => {},
    ).catch(() => {});
    this.#timer = setInterval(() => this.#schedule(), Math.max(250, Math.floor(this.#options.leaseMs / 3)));
    this.#timer.unref();
    return [];
  }

  async set(daemon: string, fragment: Fragment | null): Promise<void> {
    if (fragment === null) this.#fragments.delete(daemon);
    else this.#fragments.set(daemon, fragment);
    this.#generation++;
    this.#schedule();
  }

  /** Called after every render: before the first one, an empty host would withdraw everything. */
  rendered(): void {
    this.#ready = true;
    this.#schedule();
  }

  /** Resolves once the cycles asked for so far have run (tests, the benchmark). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Whether every fragment set so far has gone through a successful cycle. */
  get upToDate(): boolean {
    return this.#ready && this.#publishedGeneration === this.#generation;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.settled();
    this.#subscriber.disconnect();
    this.#redis.disconnect();
  }

  status(): SinkStatus {
    const fleet = this.fleetStatus();
    return {
      kind: 'fleet',
      target: this.#options.redis.display,
      failing: fleet.lastErrorAt !== null && (fleet.lastSyncAt === null || fleet.lastErrorAt > fleet.lastSyncAt),
      lastDeliveredAt: fleet.lastSyncAt,
      lastError: fleet.lastError,
      lastErrorAt: fleet.lastErrorAt,
      delivered: fleet.updates,
      errors: 0,
      pending: [],
      failingDaemons: [],
      fleet,
    };
  }

  fleetStatus(): FleetStatus {
    const options = this.#options;
    return {
      name: options.name,
      redis: options.redis.display,
      rootKey: options.rootKey,
      entrypoint: options.entrypoint,
      address: options.address,
      link: this.#link,
      linkSince: this.#linkSince,
      published: [...this.#held].sort(),
      refused: this.#claims
        .filter((claim) => claim.state !== 'own')
        .map((claim) => ({ name: claim.name, heldBy: claim.heldBy, heldSince: claim.heldSince, since: claim.since, state: claim.state as 'refused' | 'waiting' })),
      lastSyncAt: this.#lastSyncAt,
      lastError: this.#lastError,
      lastErrorAt: this.#lastErrorAt,
      keys: this.#known.size,
      ...this.#counts,
      version: this.#version,
    };
  }

  #setLink(link: FleetLink, error: string | null): void {
    if (link !== this.#link) {
      this.#link = link;
      this.#linkSince = Date.now();
      this.#version++;
    }
    if (error !== null && link !== 'connected') this.#failed(error);
  }

  #failed(error: string): void {
    if (error !== this.#lastError) this.#logger.warn('fleet: publishing to Redis failed; local files are unaffected', { redis: this.#options.redis.display, error });
    this.#lastError = error;
    this.#lastErrorAt = Date.now();
    this.#resync = true;
    this.#version++;
  }

  #schedule(): void {
    if (!this.#ready || this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#cycle()
      .catch((error: unknown) => this.#failed(error instanceof Error ? error.message : String(error)))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.#schedule();
        }
      });
  }

  async #cycle(): Promise<void> {
    // Not connected: the link's own events report why, and 'ready' runs a cycle with a full resync.
    if (this.#redis.status !== 'ready') {
      this.#resync = true;
      return;
    }
    const me = this.#options.name;
    const generation = this.#generation;
    const names = hostNames(this.#fragments.values());
    const wanted = new Set(names);
    for (const name of this.#remembered.keys()) if (!wanted.has(name)) this.#remembered.delete(name);
    const reply = await this.#redis.routeServerFleetClaim(...claimArguments(this.#keys.prefix, me, this.#options.leaseMs, names, this.#remembered));
    const outcome = readClaimOutcome(me, reply);
    for (const claim of outcome.claims) this.#remembered.set(claim.name, claim.since);
    if (!outcome.leaseWasAlive) this.#resync = true;
    if (this.#resync) await this.#readBack();

    const owned = outcome.claims.filter((claim) => claim.state === 'own').map((claim) => claim.name);
    const desired = edgeKeys(this.#options, owned);
    const diff = diffKeys(this.#known, desired);
    const ownedSet = new Set(owned);
    const markTaken = owned.filter((name) => !this.#held.has(name));
    const markDropped = [...this.#held].filter((name) => !ownedSet.has(name));
    const sentinel = sentinelKey(this.#options.rootKey);
    if (diff.del.length + diff.set.length + markTaken.length + markDropped.length > 0 || !this.#sentinelKnown) {
      const multi = this.#redis.multi();
      if (diff.del.length > 0) multi.del(...diff.del).srem(this.#keys.keysOf(me), ...diff.del);
      for (const [key, value] of diff.set) multi.set(key, value);
      if (diff.set.length > 0) multi.sadd(this.#keys.keysOf(me), ...diff.set.map(([key]) => key));
      if (!this.#sentinelKnown) multi.set(sentinel, SENTINEL_VALUE);
      for (const name of markTaken) multi.hset(this.#keys.published, name, me);
      if (markDropped.length > 0) multi.hdel(this.#keys.published, ...markDropped);
      // A name given up lets its next claimant publish: tell the others now, not at their next tick.
      if (markDropped.length > 0) multi.publish(this.#keys.changed, me);
      const results = await multi.exec();
      const failure = results?.find(([error]) => error !== null)?.[0];
      if (results === null || failure) throw failure ?? new Error('MULTI/EXEC was aborted');
      this.#counts.updates++;
      this.#counts.keysWritten += diff.del.length + diff.set.length;
      this.#logger.debug('fleet: published', { set: diff.set.length, deleted: diff.del.length, taken: markTaken, dropped: markDropped });
    }
    const changed = diff.del.length + diff.set.length + markTaken.length + markDropped.length > 0 || !sameClaims(this.#claims, outcome.claims);
    this.#known = desired;
    this.#held = ownedSet;
    this.#sentinelKnown = true;
    this.#claims = outcome.claims;
    this.#lastSyncAt = Date.now();
    this.#publishedGeneration = generation;
    if (changed) this.#version++;
  }

  /** What Redis really holds of this host: its edge keys, its `published` markers, the sentinel. */
  async #readBack(): Promise<void> {
    const me = this.#options.name;
    const keys = (await this.#redis.smembers(this.#keys.keysOf(me))).sort();
    const values = keys.length === 0 ? [] : await this.#redis.mget(...keys);
    this.#known = new Map(keys.flatMap((key, i) => (values[i] === null || values[i] === undefined ? [] : [[key, values[i] as string] as [string, string]])));
    const published = await this.#redis.hgetall(this.#keys.published);
    this.#held = new Set(Object.keys(published).filter((name) => published[name] === me));
    this.#sentinelKnown = (await this.#redis.get(sentinelKey(this.#options.rootKey))) === SENTINEL_VALUE;
    this.#resync = false;
    this.#counts.resyncs++;
    this.#version++;
  }
}

function sameClaims(a: readonly ClaimResult[], b: readonly ClaimResult[]): boolean {
  return a.length === b.length && a.every((claim, i) => claim.name === b[i]?.name && claim.state === b[i]?.state && claim.heldBy === b[i]?.heldBy);
}
