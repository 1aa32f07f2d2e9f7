// `route-server run` as one object: discovery feeds the renderer, the renderer feeds the sinks,
// the HTTP server reads all three. Start-up never removes a route: fragments left by a previous run
// stay until their daemon has synced, and nothing is delivered before every daemon present at start
// has synced or failed once (so a tenant that has not been read yet cannot lose its hosts). Which
// fragment each daemon gets is decided by planOutputs (output/output-plan.ts).

import { performance } from 'node:perf_hooks';
import { Metrics } from '../http/metrics-registry.ts';
import type { MetricFamily } from '../http/prometheus-text.ts';
import type { RenderSummary, RuntimeSettings, RuntimeView } from '../http/runtime-view.ts';
import { startHttpServer } from '../http/server.ts';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostics.ts';
import type { DaemonSnapshot } from '../model/snapshot.ts';
import { FleetPublisher } from '../fleet/fleet-publisher.ts';
import type { FleetStatus } from '../fleet/fleet-status.ts';
import type { FragmentSink, SinkStatus } from '../output/fragment-sink.ts';
import { planOutputs, takesNewFragment } from '../output/output-plan.ts';
import { YamlFileSink } from '../output/yaml-file-sink.ts';
import { claimsOfFile, type HeldClaim } from '../render/held-claims.ts';
import { renderSnapshot, type Fragment } from '../render/render.ts';
import { IncrementalRender } from '../render/incremental-render.ts';
import { Discovery, type DaemonStatus, type RefusedDaemon } from '../source/discovery.ts';
import { containerFaultDiagnostics } from '../source/fault-diagnostics.ts';
import { HeldClaimSource, keptDaemons, type OperatorFileStatus } from '../write/held-claim-source.ts';
import { fragmentFileName } from '../write/fragment-name.ts';
import { HandedFragments } from './handed-fragments.ts';
import { AllocationStore } from './port-state.ts';
import { settingsOf, type RuntimeOptions } from './runtime-options.ts';
import { GENERATOR, VERSION } from './version.ts';

export class RouteServerRuntime implements RuntimeView {
  readonly version = VERSION;
  readonly startedAt = Date.now();
  readonly settings: RuntimeSettings;
  readonly #metrics = new Metrics();
  readonly #options: RuntimeOptions;
  readonly #discovery: Discovery;
  readonly #sinks: readonly FragmentSink[];
  readonly #fleet: FleetPublisher | undefined;
  readonly #allocations: AllocationStore;
  /** Claims of the operator's files and of kept fragments, fed to every render. */
  readonly #held: HeldClaimSource;
  #http: { address: { host: string; port: number }; close(): Promise<void> } | undefined;
  #latest: RenderSummary | undefined;
  /** Daemons the sinks hold a fragment for: delivered by us, or left by a previous run. */
  #owned: ReadonlySet<string> = new Set();
  /** Owned daemons whose fragment is still the one a previous run left (its claims still hold). */
  #inherited: ReadonlySet<string> = new Set();
  /** What the sinks were last handed, per daemon (what /traefik.yml serves). */
  readonly #handed = new HandedFragments();
  #stale: ReadonlySet<string> = new Set();
  /** Daemons whose last render failed: their kept fragment's claims are held (see #failedClaims). */
  #failed: ReadonlySet<string> = new Set();
  /** When the first change not yet delivered was seen, per daemon (event-to-write latency). */
  #pendingSince = new Map<string, number>();
  /**
   * Each daemon's containers as of its last coalesced update. Renders read these, not the live
   * state: another daemon's update must not write this daemon's half-finished burst early.
   */
  #published = new Map<string, DaemonSnapshot>();
  /** Each daemon's own build and what was decided across daemons for it, redone only when a change reaches it. */
  readonly #incremental = new IncrementalRender();
  /** The status page's live feed, told when what it shows may have changed (RuntimeView.subscribe). */
  readonly #viewListeners = new Set<() => void>();
  #settled = false;
  #scheduled = false;
  #stopped = false;

  constructor(options: RuntimeOptions) {
    this.#options = options;
    this.settings = settingsOf(options);
    this.#discovery = new Discovery(options.discovery);
    this.#fleet = options.fleet === undefined ? undefined : new FleetPublisher(options.fleet, options.logger);
    const files = new YamlFileSink({ dir: options.outDir, prefix: options.filePrefix, generator: GENERATOR, logger: options.logger });
    this.#sinks = this.#fleet === undefined ? [files] : [files, this.#fleet];
    this.#allocations = new AllocationStore(options.stateDir, options.logger);
    this.#held = new HeldClaimSource({ dir: options.outDir, prefix: options.filePrefix, logger: options.logger });
  }

  get address(): { host: string; port: number } | undefined {
    return this.#http?.address;
  }

  async start(): Promise<void> {
    const { logger } = this.#options;
    const inherited = new Set<string>();
    for (const sink of this.#sinks) {
      for (const id of await sink.start()) inherited.add(id);
      sink.on('delivered', (daemon) => {
        this.#metrics.writeDone(daemon);
        const since = this.#pendingSince.get(daemon);
        if (since !== undefined) this.#metrics.eventToWrite(performance.now() - since);
        this.#pendingSince.delete(daemon);
      });
      sink.on('failed', (daemon) => this.#metrics.writeFailed(daemon));
      sink.on('delivered', () => this.#viewChanged());
      sink.on('failed', () => this.#viewChanged());
    }
    this.#owned = inherited;
    this.#inherited = inherited;
    await this.#held.start();
    this.#held.on('change', () => {
      this.#viewChanged();
      this.#schedule();
    });
    this.#allocations.load();
    this.#http = await startHttpServer({ ...this.#options.listen, view: this, logger });
    logger.info('side HTTP server listening', { address: `${this.#http.address.host}:${this.#http.address.port}` });

    this.#discovery.on('change', (id) => {
      if (!this.#pendingSince.has(id)) this.#pendingSince.set(id, performance.now());
      this.#viewChanged();
    });
    for (const event of ['attach', 'detach', 'refused'] as const) this.#discovery.on(event, () => this.#viewChanged());
    this.#discovery.on('update', (id) => {
      logger.debug('daemon update', { daemon: id });
      this.#publish(id);
      this.#schedule();
    });
    this.#discovery.on('detach', (id) => {
      this.#published.delete(id);
      this.#schedule();
    });
    await this.#discovery.start();
    void this.#discovery.whenSettled().then(() => {
      if (this.#stopped) return;
      for (const daemon of this.#discovery.snapshot().daemons) this.#published.set(daemon.id, daemon);
      this.#settled = true;
      logger.info('discovery settled', { daemons: this.#discovery.status().length });
      this.#schedule();
    });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#discovery.stop();
    await Promise.all(this.#sinks.map((sink) => sink.stop()));
    await this.#held.stop();
    await this.#http?.close();
    await this.#allocations.update(this.#allocations.allocations, true);
  }

  // RuntimeView: cheap reads for the HTTP server.

  daemons(): readonly DaemonStatus[] {
    return this.#discovery.status();
  }

  latest(): RenderSummary | undefined {
    return this.#latest;
  }

  sinks(): readonly SinkStatus[] {
    return this.#sinks.map((sink) => sink.status());
  }

  fleetSinkStatus(): FleetStatus | undefined {
    return this.#fleet?.fleetStatus();
  }

  staleDaemons(): ReadonlySet<string> {
    return this.#stale;
  }

  operatorFiles(): readonly OperatorFileStatus[] {
    return this.#held.operatorFiles();
  }

  metricFamilies(daemons: readonly string[]): MetricFamily[] {
    return this.#metrics.families(daemons);
  }

  refusedDaemons(): readonly RefusedDaemon[] {
    return this.#discovery.refused();
  }

  subscribe(listener: () => void): () => void {
    this.#viewListeners.add(listener);
    return () => this.#viewListeners.delete(listener);
  }

  #viewChanged(): void {
    for (const listener of this.#viewListeners) {
      try {
        listener();
      } catch (error) {
        // Called from discovery and the sinks: the page's trouble must not become theirs.
        this.#options.logger.error('a status listener failed', { error });
      }
    }
  }

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
      if (!this.#stopped) this.#renderAndDeliver();
    });
  }

  #renderAndDeliver(): void {
    if (!this.#settled) return;
    const started = performance.now();
    const snapshot = { daemons: [...this.#published.values()] };
    // Live, not copied: nothing below waits, so no state changes while it is read.
    const daemons = this.#discovery.states();
    const render = () => {
      // An inherited file is held as read at start, whether its daemon has not synced or failed.
      const kept = new Set([...keptDaemons(this.#inherited, daemons), ...[...this.#failed].filter((id) => this.#inherited.has(id))]);
      const heldClaims = [...this.#held.claims(kept), ...this.#failedClaims()];
      return renderSnapshot(snapshot, this.#options.render, { allocations: this.#allocations.allocations, now: Date.now(), heldClaims, incremental: this.#incremental }, this.#options.renderSeams);
    };
    let result = render();
    // A daemon that just failed keeps its file, so it keeps that file's claims: render again with
    // them, or a newer tenant could take its hosts while Traefik still serves the kept file.
    const newlyFailed = result.failedDaemons.filter((id) => !this.#failed.has(id) && this.#owned.has(id));
    this.#failed = new Set(result.failedDaemons);
    if (newlyFailed.length > 0) {
      result = render();
      this.#failed = new Set(result.failedDaemons);
    }
    this.#metrics.renderDone(performance.now() - started);
    const renderedAt = Date.now();
    void this.#allocations.update([...result.allocations]);

    // A daemon whose render failed (reported as render-failed) keeps its last file, like an unreachable one.
    const keep = new Set(result.failedDaemons);
    // The incremental render keeps its fragments by daemon: no map of a thousand made per change.
    let fragments: { get(daemon: string): Fragment | undefined };
    if (result.fragmentOf) fragments = { get: result.fragmentOf };
    else fragments = new Map(result.fragments.map((fragment) => [fragment.daemon, fragment]));
    const plan = planOutputs({
      daemons,
      fragments,
      owned: this.#owned,
      inherited: this.#inherited,
      keep,
      handed: (id) => this.#handed.last(id),
    });
    this.#owned = plan.owned;
    this.#inherited = plan.inherited;
    this.#stale = plan.stale;
    for (const [id, fragment] of plan.set) this.#deliver(id, fragment);
    // A daemon given the fragment it already has: its change is reflected already.
    for (const id of this.#pendingSince.keys()) {
      if (!plan.set.has(id) && takesNewFragment(daemons.get(id), keep.has(id))) this.#pendingSince.delete(id);
    }
    this.#handed.forget((id) => plan.owned.has(id) || daemons.has(id));
    this.#fleet?.rendered();
    // Discovery's faults as of this render; the lists are put together when first read (an
    // incremental render flattens its routes and diagnostics only then).
    const faults = containerFaultDiagnostics(this.#discovery.faultyStatuses());
    let diagnostics: readonly Diagnostic[] | undefined;
    this.#latest = {
      renderedAt,
      get routes() {
        return result.routes;
      },
      get diagnostics() {
        return (diagnostics ??= faults.length === 0 ? result.diagnostics : [...result.diagnostics, ...faults].sort(compareDiagnostics));
      },
      allocations: result.allocations,
      explicitEntrypoints: result.explicitEntrypoints,
      fragments: this.#handed.sorted(),
    };
    this.#viewChanged();
  }

  /** Claims of the fragments we delivered to daemons whose render then failed: those files stay. */
  #failedClaims(): HeldClaim[] {
    return [...this.#failed].flatMap((id) => {
      const delivered = this.#inherited.has(id) ? undefined : this.#handed.delivered(id);
      if (!delivered) return [];
      const file = fragmentFileName(this.#options.filePrefix, id);
      return claimsOfFile(delivered.config, { kind: 'kept', daemon: id, file, renderFailed: true }).claims;
    });
  }

  #deliver(id: string, fragment: Fragment | null): void {
    this.#handed.hand(id, fragment);
    const since = this.#pendingSince.get(id);
    void Promise.all(this.#sinks.map((sink) => sink.set(id, fragment))).then(() => {
      // Same bytes, nothing delivered: the change is reflected already (unless a newer one came).
      if (this.#pendingSince.get(id) === since) this.#pendingSince.delete(id);
    });
  }
}
