// What the rest of route-server sees of Docker: which daemons exist, their state, and their
// containers as a Snapshot. Daemons come and go with their sockets; each runs its own
// DaemonWatcher loop. Changes are announced per daemon, coalesced (min/max wait) so a burst of
// container starts becomes one update.

import { EventEmitter } from 'node:events';
import PQueue from 'p-queue';

import type { DaemonSnapshot, Snapshot } from '../model/snapshot.ts';
import { Coalescer } from './coalescer.ts';
import type { CallSlot } from './container-table.ts';
import type { DaemonEndpoint } from './daemon-endpoints.ts';
import { endpointLabel, sameSocket, type RefusedDaemon } from './daemon-ids.ts';
import type { DaemonState, DaemonStatus } from './daemon-status.ts';
import { DaemonWatcher } from './daemon-watcher.ts';
import { resolveDiscoveryOptions, type DiscoveryOptions, type ResolvedDiscoveryOptions } from './discovery-options.ts';
import { Rota } from './rota.ts';
import { SocketDirectory } from './socket-directory.ts';
import { compareDaemonIds } from '../model/ordering.ts';

export type { DaemonState, DaemonStatus } from './daemon-status.ts';
export type { ContainerFault } from './container-table.ts';
export { DISCOVERY_DEFAULTS, type DiscoveryOptions } from './discovery-options.ts';
export { parseDockerHost, type DockerHostSpec } from './daemon-endpoints.ts';
export type { RefusedDaemon } from './daemon-ids.ts';

export interface DiscoveryEvents {
  /** Coalesced: the containers or the state of this daemon changed. */
  update: [daemonId: string];
  /** Not coalesced: emitted on every single change (for diagnostics and measurements). */
  change: [daemonId: string];
  attach: [daemonId: string];
  /** The daemon's socket went away; no update for it follows. */
  detach: [daemonId: string];
  /** A socket was refused because its id is taken, or a refused socket went away. */
  refused: [daemonId: string];
}

/** Resync calls in flight over all daemons: enough to keep resyncs fast, few enough that no call waits in our own queue past its deadline. */
const HOST_RESYNC_CALLS = 64;

export class Discovery extends EventEmitter<DiscoveryEvents> {
  readonly #options: ResolvedDiscoveryOptions;
  readonly #daemons = new Map<string, DaemonWatcher>();
  /** Ids attached because their socket matched the glob (explicit endpoints never detach). */
  readonly #fromGlob = new Set<string>();
  /** Sockets refused because an explicit endpoint has their id (see daemon-ids.ts), by id. */
  readonly #refused = new Map<string, RefusedDaemon>();
  readonly #stopping = new Set<Promise<void>>();
  readonly #coalescer: Coalescer<string>;
  readonly #resyncCalls = new PQueue({ concurrency: HOST_RESYNC_CALLS });
  readonly #resyncSlot: CallSlot = (call) => this.#resyncCalls.add(call);
  /** Heartbeat pings and periodic resyncs of every daemon, in batches on one timer each. */
  readonly #heartbeat: Rota;
  readonly #resyncs: Rota | null;
  readonly #settled: Promise<void>;
  #resolveSettled: () => void = () => {};
  #directory: SocketDirectory | null = null;
  #starting: Promise<void> | null = null;
  #stopped = false;

  constructor(options: DiscoveryOptions) {
    super();
    this.#options = resolveDiscoveryOptions(options);
    this.#heartbeat = new Rota(this.#options.heartbeatIntervalMs);
    this.#resyncs = this.#options.resyncIntervalMs > 0 ? new Rota(this.#options.resyncIntervalMs) : null;
    this.#coalescer = new Coalescer({ minWaitMs: this.#options.debounceMinMs, maxWaitMs: this.#options.debounceMaxMs }, (id) =>
      this.#announce('update', id),
    );
    this.#settled = new Promise((resolve) => (this.#resolveSettled = resolve));
  }

  /** Attaches the explicit endpoints and the sockets present now; resolves once that scan is done. */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** Resolves once every daemon present at start has synced or failed once (or on stop). */
  whenSettled(): Promise<void> {
    return this.#settled;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#starting?.catch(() => {});
    await this.#directory?.close();
    this.#coalescer.close();
    const watchers = [...this.#daemons.values()];
    this.#daemons.clear();
    await Promise.all([...watchers.map((watcher) => watcher.stop()), ...this.#stopping]);
    this.#resolveSettled();
  }

  status(): DaemonStatus[] {
    return [...this.#daemons.values()].map((watcher) => watcher.status()).sort((a, b) => compareDaemonIds(a.id, b.id));
  }

  /**
   * Every daemon's state, live and without building anyone's status (read on every render: a
   * thousand statuses, their container lists and faults, made and sorted per change, were a
   * good part of a change's cost).
   */
  states(): ReadonlyMap<string, { readonly synced: boolean; readonly state: DaemonState }> {
    return this.#daemons;
  }

  /** The status of every daemon with a container it fails to inspect, unsorted. */
  faultyStatuses(): DaemonStatus[] {
    const faulty: DaemonStatus[] = [];
    // forEach: no iterator result per daemon (read on every render).
    this.#daemons.forEach((watcher) => {
      if (watcher.faulty) faulty.push(watcher.status());
    });
    return faulty;
  }

  /** Sockets not attached because another daemon has their id. */
  refused(): RefusedDaemon[] {
    return [...this.#refused.values()].sort((a, b) => compareDaemonIds(a.id, b.id));
  }

  /** One daemon's status, without building everyone's (called per event). */
  daemonStatus(id: string): DaemonStatus | undefined {
    return this.#daemons.get(id)?.status();
  }

  /** One daemon as `snapshot()` would list it; undefined while it has never synced. */
  daemonSnapshot(id: string): DaemonSnapshot | undefined {
    const watcher = this.#daemons.get(id);
    if (!watcher?.synced) return undefined;
    return { id: watcher.endpoint.id, socket: watcher.endpoint.socket, containers: watcher.containers() };
  }

  /**
   * The daemons that have synced at least once, with their last known containers (also while
   * reconnecting: routes stay until the daemon is back). A daemon never synced is left out: its
   * containers are unknown, not empty. `status()` tells which are connected.
   */
  snapshot(): Snapshot {
    const daemons = [...this.#daemons.keys()]
      .map((id) => this.daemonSnapshot(id))
      .filter((daemon): daemon is DaemonSnapshot => daemon !== undefined)
      .sort((a, b) => compareDaemonIds(a.id, b.id));
    return { daemons };
  }

  async #start(): Promise<void> {
    for (const endpoint of this.#options.endpoints) this.#attach(endpoint);
    const { pattern } = this.#options;
    if (pattern !== null) {
      this.#directory = new SocketDirectory(
        pattern,
        {
          onScan: (found) => this.#reconcile(found),
          onCreated: (id) => {
            if (this.#fromGlob.has(id)) this.#daemons.get(id)?.retryNow();
          },
        },
        this.#options.logger,
      );
      await this.#directory.start();
    }
    const initial = [...this.#daemons.values()];
    void Promise.all(initial.map((watcher) => watcher.firstOutcome)).then(() => this.#resolveSettled());
  }

  #reconcile(found: ReadonlyMap<string, DaemonEndpoint>): void {
    if (this.#stopped) return;
    for (const id of [...this.#fromGlob]) if (!found.has(id)) this.#detach(id);
    for (const [id, endpoint] of found) {
      if (this.#fromGlob.has(id)) continue;
      // Only explicit endpoints are attached and not from the glob: the one already served keeps the id.
      const holder = this.#daemons.get(id)?.endpoint;
      if (holder !== undefined) {
        if (!sameSocket(holder, endpoint)) this.#refuse(endpoint, holder);
        continue;
      }
      this.#fromGlob.add(id);
      this.#attach(endpoint);
    }
    for (const [id, refused] of this.#refused) {
      if (found.get(id)?.socket === refused.socket) continue;
      this.#refused.delete(id);
      this.#options.logger.info('refused socket gone', { daemon: id, socket: refused.socket });
      this.#announce('refused', id);
    }
  }

  #refuse(endpoint: DaemonEndpoint, holder: DaemonEndpoint): void {
    if (this.#refused.get(endpoint.id)?.socket === endpoint.socket) return;
    const heldBy = endpointLabel(holder, true);
    this.#refused.set(endpoint.id, { id: endpoint.id, socket: endpoint.socket, heldBy, since: Date.now() });
    this.#options.logger.warn('socket refused: its daemon id is taken', { daemon: endpoint.id, socket: endpoint.socket, heldBy });
    this.#announce('refused', endpoint.id);
  }

  #attach(endpoint: DaemonEndpoint): void {
    const { id } = endpoint;
    const options = this.#options;
    const watcher: DaemonWatcher = new DaemonWatcher(endpoint, {
      requestTimeoutMs: options.requestTimeoutMs,
      heartbeat: this.#heartbeat,
      resyncs: this.#resyncs,
      backoffInitialMs: options.backoffInitialMs,
      backoffMaxMs: options.backoffMaxMs,
      logger: options.logger,
      resyncSlot: this.#resyncSlot,
      onChange: (settling) => {
        // A detached watcher winding down must not announce anything.
        if (this.#daemons.get(id) !== watcher || this.#stopped) return;
        this.#announce('change', id);
        this.#coalescer.touch(id, settling === true);
      },
    });
    this.#daemons.set(id, watcher);
    options.logger.info('daemon attached', { daemon: id, socket: endpoint.socket });
    watcher.start();
    this.#announce('attach', id);
  }

  #detach(id: string): void {
    const watcher = this.#daemons.get(id);
    if (watcher === undefined) return;
    this.#daemons.delete(id);
    this.#fromGlob.delete(id);
    this.#coalescer.cancel(id);
    const stopping: Promise<void> = watcher.stop().finally(() => this.#stopping.delete(stopping));
    this.#stopping.add(stopping);
    this.#options.logger.info('daemon detached', { daemon: id, socket: watcher.endpoint.socket });
    this.#announce('detach', id);
  }

  /**
   * Emits from inside daemon loops and timers: a listener that throws is a bug of its own, logged
   * here; it must not be taken for a daemon fault (reconnect) nor end a loop.
   */
  #announce<K extends keyof DiscoveryEvents>(event: K, ...args: DiscoveryEvents[K]): void {
    try {
      EventEmitter.prototype.emit.call(this, event, ...args);
    } catch (error) {
      this.#options.logger.error('a discovery listener failed', { event, error });
    }
  }
}

/**
 * Attaches, waits until every daemon has synced or failed once, and returns the snapshot (the
 * `route-server snapshot` command). Daemons that could not be synced are left out and logged.
 */
export async function collectSnapshot(options: DiscoveryOptions): Promise<Snapshot> {
  const discovery = new Discovery(options);
  try {
    await discovery.start();
    await discovery.whenSettled();
    for (const daemon of discovery.status()) {
      if (!daemon.synced) {
        options.logger?.warn('daemon left out of the snapshot: not synced', {
          daemon: daemon.id,
          socket: daemon.socket,
          error: daemon.lastError,
        });
      }
    }
    return discovery.snapshot();
  } finally {
    await discovery.stop();
  }
}

