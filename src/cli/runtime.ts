// `route-server run` as one object: discovery feeds the renderer, the renderer feeds the writer,
// the HTTP server reads all three. Start-up never removes a route: files left by a previous run
// stay until their daemon has synced, and nothing is written before every daemon present at start
// has synced or failed once (so a tenant that has not been read yet cannot lose its hosts).

import { performance } from 'node:perf_hooks';
import type { Logger } from '../model/logger.ts';
import { Metrics } from '../http/metrics.ts';
import type { RenderSummary, RuntimeSettings, RuntimeView } from '../http/runtime-view.ts';
import { startHttpServer } from '../http/server.ts';
import type { DaemonSnapshot } from '../model/snapshot.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import type { RenderOptions } from '../render/options.ts';
import type { PortAllocation } from '../render/ports.ts';
import { renderSnapshot, type Fragment } from '../render/render.ts';
import { TenantBuildCache } from '../render/tenant-build-cache.ts';
import { configEqual, type ConfigObject } from '../traefik/config.ts';
import { serializeFragment } from '../render/yaml.ts';
import { Discovery, type DaemonStatus, type DiscoveryOptions } from '../source/discovery.ts';
import { FragmentWriter } from '../write/fragment-writer.ts';
import { HeldClaimSource, keptDaemons, type OperatorFileStatus } from '../write/held-claim-source.ts';
import type { WriterStatus } from '../write/writer-status.ts';
import { loadAllocations, saveAllocations } from './port-state.ts';
import { GENERATOR, VERSION } from './version.ts';

export interface RuntimeOptions {
  readonly render: RenderOptions;
  readonly discovery: DiscoveryOptions;
  readonly outDir: string;
  readonly filePrefix: string;
  readonly stateDir: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly logger: Logger;
}

export class RouteServerRuntime implements RuntimeView {
  readonly version = VERSION;
  readonly startedAt = Date.now();
  readonly metrics = new Metrics();
  readonly settings: RuntimeSettings;
  readonly #options: RuntimeOptions;
  readonly #discovery: Discovery;
  readonly #writer: FragmentWriter;
  /** Claims of the operator's files and of kept fragments, fed to every render. */
  readonly #held: HeldClaimSource;
  #http: { address: { host: string; port: number }; close(): Promise<void> } | undefined;
  #latest: RenderSummary | undefined;
  #allocations: PortAllocation[] = [];
  #allocationsText = '[]';
  #allocationsSavedAt = 0;
  /** Daemons whose file was on disk at start: kept until the daemon syncs, removed if it never shows up. */
  #inherited = new Set<string>();
  /** Daemons we have asked the writer to keep a file for (written or inherited). */
  #owned = new Set<string>();
  #stale = new Set<string>();
  /** When the first change not yet written was seen, per daemon (event-to-write latency). */
  #pendingSince = new Map<string, number>();
  #countersSeen = new Map<string, { events: number; reconnects: number }>();
  /**
   * Each daemon's containers as of its last coalesced update. Renders read these, not the live
   * state: another daemon's update must not write this daemon's half-finished burst early.
   */
  #published = new Map<string, DaemonSnapshot>();
  #texts = new Map<string, { config: ConfigObject; socket: string; text: string }>();
  /** Each daemon's own build, redone only when its published snapshot changes. */
  readonly #builds = new TenantBuildCache();
  #settled = false;
  #scheduled = false;
  #stopped = false;

  constructor(options: RuntimeOptions) {
    this.#options = options;
    this.settings = {
      baseDomain: options.render.baseDomain,
      autoRoutes: options.render.autoRoutes && options.render.baseDomain !== undefined,
      entrypoints: options.render.entrypoints,
      tcpRange: options.render.tcpRange,
      udpRange: options.render.udpRange,
      outDir: options.outDir,
      filePrefix: options.filePrefix,
      hostEntrypoints: options.render.hostEntrypoints?.names,
    };
    this.#discovery = new Discovery(options.discovery);
    this.#writer = new FragmentWriter({ dir: options.outDir, prefix: options.filePrefix, logger: options.logger });
    this.#held = new HeldClaimSource({ dir: options.outDir, prefix: options.filePrefix, logger: options.logger });
  }

  get address(): { host: string; port: number } | undefined {
    return this.#http?.address;
  }

  async start(): Promise<void> {
    const { logger } = this.#options;
    this.#inherited = new Set(await this.#writer.start());
    for (const id of this.#inherited) this.#owned.add(id);
    await this.#held.start();
    this.#held.on('change', () => this.#schedule());
    this.#allocations = loadAllocations(this.#options.stateDir, logger);
    this.#allocationsText = JSON.stringify(this.#allocations.map(({ lastSeen: _, ...held }) => held));
    this.#allocationsSavedAt = Date.now();
    this.#http = await startHttpServer({ ...this.#options.listen, view: this, logger });
    logger.info('side HTTP server listening', { address: `${this.#http.address.host}:${this.#http.address.port}` });

    this.#writer.on('write', (daemon) => {
      this.metrics.writeDone(daemon);
      const since = this.#pendingSince.get(daemon);
      if (since !== undefined) this.metrics.eventToWrite(performance.now() - since);
      this.#pendingSince.delete(daemon);
    });
    this.#writer.on('restored', (daemon, reason) => logger.warn('fragment restored', { daemon, reason }));
    this.#writer.on('failed', (daemon) => this.metrics.writeFailed(daemon));
    this.#discovery.on('change', (id) => {
      this.#countDaemonCounters(id);
      if (!this.#pendingSince.has(id)) this.#pendingSince.set(id, performance.now());
    });
    this.#discovery.on('update', (id) => {
      logger.debug('daemon update', { daemon: id });
      this.#publish(id);
      this.#schedule();
    });
    this.#discovery.on('detach', (id) => {
      this.#published.delete(id);
      this.#schedule();
    });
    this.#discovery.on('settled', () => {
      for (const daemon of this.#discovery.snapshot().daemons) this.#published.set(daemon.id, daemon);
      this.#settled = true;
      logger.info('discovery settled', { daemons: this.#discovery.status().length });
      this.#schedule();
    });
    await this.#discovery.start();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#discovery.stop();
    await this.#writer.stop();
    await this.#held.stop();
    await this.#http?.close();
    await this.#persistAllocations(true);
  }

  /** Discovery counts events and reconnects per daemon; the metrics follow its increments. */
  #countDaemonCounters(id: string): void {
    const status = this.#discovery.daemonStatus(id);
    const seen = this.#countersSeen.get(id) ?? { events: 0, reconnects: 0 };
    const now = { events: status?.eventsReceived ?? seen.events, reconnects: status?.reconnects ?? seen.reconnects };
    for (let i = seen.events; i < now.events; i++) this.metrics.eventReceived(id);
    for (let i = seen.reconnects; i < now.reconnects; i++) this.metrics.reconnected(id);
    this.#countersSeen.set(id, now);
  }

  // ---- RuntimeView -------------------------------------------------------------------------

  daemons(): readonly DaemonStatus[] {
    return this.#discovery.status();
  }

  latest(): RenderSummary | undefined {
    return this.#latest;
  }

  writer(): WriterStatus {
    return this.#writer.status();
  }

  staleDaemons(): ReadonlySet<string> {
    return this.#stale;
  }

  operatorFiles(): readonly OperatorFileStatus[] {
    return this.#held.operatorFiles();
  }

  // ---- render and write --------------------------------------------------------------------

  #publish(id: string): void {
    const daemon = this.#discovery.daemonSnapshot(id);
    if (daemon) this.#published.set(id, daemon);
    else this.#published.delete(id);
  }

  /** Several updates in one tick give one render. */
  #schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#stopped) this.#renderAndWrite();
    });
  }

  #renderAndWrite(): void {
    if (!this.#settled) return;
    const started = performance.now();
    const snapshot = { daemons: [...this.#published.values()] };
    const statuses = new Map(this.#discovery.status().map((s) => [s.id, s]));
    const heldClaims = this.#held.claims(keptDaemons(this.#inherited, statuses));
    const result = renderSnapshot(snapshot, this.#options.render, {
      allocations: this.#allocations,
      now: Date.now(),
      heldClaims,
      buildCache: this.#builds,
    });
    this.metrics.renderDone(performance.now() - started);
    const renderedAt = Date.now();
    this.#allocations = [...result.allocations];
    void this.#persistAllocations();

    const fragments = new Map(result.fragments.map((f) => [f.daemon, f]));
    const stale = new Set<string>();
    for (const [id, status] of statuses) {
      if (!status.synced) continue; // unknown containers: keep whatever file there is
      if (status.state !== 'connected') {
        // Unreachable: its last good file stays as it is.
        if (this.#owned.has(id)) stale.add(id);
        continue;
      }
      this.#inherited.delete(id);
      this.#set(id, this.#text(fragments.get(id)));
    }
    // Daemons gone (socket removed) or never seen since start: their files go.
    for (const id of [...this.#owned]) if (!statuses.has(id)) this.#set(id, null);
    this.#stale = stale;
    this.#latest = {
      renderedAt,
      routes: result.routes,
      diagnostics: result.diagnostics,
      allocations: result.allocations,
      explicitEntrypoints: result.explicitEntrypoints,
      fragments: this.#delivered(),
    };
  }

  /** For /traefik.yml: what the files hold, the last fragment given to the writer per daemon. */
  #delivered(): Fragment[] {
    return [...this.#texts].map(([daemon, { config, socket }]) => ({ daemon, socket, config })).sort((a, b) => compareDaemonIds(a.daemon, b.daemon));
  }

  /** Serializing is the costly part of a render: a fragment equal to the last one reuses its bytes. */
  #text(fragment: Fragment | undefined): string | null {
    if (!fragment) return null;
    const cached = this.#texts.get(fragment.daemon);
    if (cached && cached.socket === fragment.socket && configEqual(cached.config, fragment.config)) return cached.text;
    const text = serializeFragment(fragment.config, { daemon: fragment.daemon, socket: fragment.socket, generator: GENERATOR });
    this.#texts.set(fragment.daemon, { config: fragment.config, socket: fragment.socket, text });
    return text;
  }

  #set(id: string, text: string | null): void {
    if (text === null) this.#texts.delete(id);
    if (text === null) this.#owned.delete(id);
    else this.#owned.add(id);
    const since = this.#pendingSince.get(id);
    void this.#writer.set(id, text).then(() => {
      // Same bytes, nothing written: the change is reflected already (unless a newer one came).
      if (this.#pendingSince.get(id) === since) this.#pendingSince.delete(id);
    });
  }

  /** Saved when an allocation changes; `lastSeen` alone is refreshed at most once a minute. */
  async #persistAllocations(force = false): Promise<void> {
    const text = JSON.stringify(this.#allocations.map(({ lastSeen: _, ...held }) => held));
    const due = Date.now() - this.#allocationsSavedAt > 60_000;
    if (text === this.#allocationsText && !due && !force) return;
    this.#allocationsText = text;
    this.#allocationsSavedAt = Date.now();
    try {
      await saveAllocations(this.#options.stateDir, this.#allocations);
    } catch (error) {
      this.#options.logger.error('port allocations not saved', { directory: this.#options.stateDir, error });
    }
  }
}
