// The render `run` does on every change, redoing only what the change can reach. A daemon's own
// build is kept (tenant-build-cache.ts); what the steps across daemons decided for it (its
// fragment, routes, diagnostics, named entrypoints) is kept too, and decided again only for the
// daemons linked to a changed one (claim-links.ts: a shared host, an entrypoint taken whole, a
// final name that can collide, the port ranges), directly or through others. Daemons that are not
// linked are decided independently, so what was decided for them stands. The output is the full
// render's (render.ts, the reference), which tests compare on random change sequences.
// The contest refuses in rounds, at most MAX_OWNERSHIP_ROUNDS for all daemons together: when the
// rounds that refused something could add up to that bound, every daemon is decided again.

import { compareDiagnostics, type Diagnostic } from '../model/diagnostics.ts';
import { MAX_OWNERSHIP_ROUNDS } from '../model/limits.ts';
import { compareCodePoints } from '../model/ordering.ts';
import type { DaemonSnapshot, Snapshot } from '../model/snapshot.ts';
import { claimLinks, LinkIndex, type ClaimLinks } from './claim-links.ts';
import { decideAcrossTenants, RenderFailures, type CrossTenantOutcome } from './cross-tenant.ts';
import type { RouteInfo } from './fragment.ts';
import { sameHeldClaims, type HeldClaim } from './held-claims.ts';
import { missingEntrypointDiagnostics } from './host-entrypoints.ts';
import { listedAddresses, NetworkHolderIndex, type HolderChanges, type ListedAddresses, type NetworkHolders } from './network-holders.ts';
import type { RenderOptions } from './options.ts';
import { namedEntrypoints } from './port-assignment.ts';
import { assembleBuild, orderedDaemons, type Fragment, type RenderResult, type RenderState } from './render.ts';
import { liveClaims, type TenantBuild } from './tenant-build.ts';
import { TenantBuildCache } from './tenant-build-cache.ts';
import type { TenantBuildContext } from './tenant-checks.ts';

/** What the steps across daemons decided for one daemon, from one kept build. */
interface Outcome {
  readonly build: TenantBuild;
  readonly links: ClaimLinks;
  readonly fragment: Fragment | undefined;
  readonly routes: readonly RouteInfo[];
  /** Its diagnostics, sorted as the full render sorts them. */
  readonly diagnostics: readonly Diagnostic[];
  readonly named: readonly string[];
  /** Rounds of the contest it was decided in that refused something, when they refused its routers; else 0. */
  readonly rounds: number;
}

export class IncrementalRender {
  readonly builds = new TenantBuildCache();
  /**
   * The kept build of every daemon of the last render, filled in place: a change on one daemon of a
   * thousand sets the same keys again and allocates nothing, where a new map per render did.
   */
  readonly #kept = new Map<string, TenantBuild>();
  #outcomes = new Map<string, Outcome>();
  #index = new LinkIndex();
  #links = new WeakMap<TenantBuild, ClaimLinks>();
  /** Named entrypoints of every outcome, counted. */
  #named = new Map<string, number>();
  /** The rounds of every outcome, summed (see Outcome.rounds). */
  #rounds = 0;
  #options: RenderOptions | undefined;
  #held: readonly HeldClaim[] = [];
  #addresses = new WeakMap<readonly unknown[], ListedAddresses>();
  readonly #holders = new NetworkHolderIndex();
  #order: { readonly ids: readonly string[]; readonly sorted: readonly number[]; readonly byCodePoint: readonly string[] } | undefined;
  /** Daemons the last render decided again (tests and benchmarks: what a change cost). */
  redone = 0;

  /** Which daemon holds each bridge address, reading each daemon's addresses once per container list and deciding only the addresses that changed. */
  networkHolders(daemons: readonly DaemonSnapshot[]): NetworkHolders {
    this.#holders.update(daemons, (daemon) => {
      let listed = this.#addresses.get(daemon.containers);
      if (listed === undefined) this.#addresses.set(daemon.containers, (listed = listedAddresses(daemon)));
      return listed;
    });
    return this.#holders.holders;
  }

  /** What the last networkHolders() decided again (a kept build whose daemon it did not touch needs no check of its holders). */
  holderChanges(): HolderChanges {
    return this.#holders.changes;
  }

  /** Undefined when a step threw: the caller renders in full, which reports it (and this starts over). */
  render(snapshot: Snapshot, context: TenantBuildContext, state: RenderState): RenderResult | undefined {
    const { options } = context;
    const held = state.heldClaims ?? [];
    if (options !== this.#options || !sameHeldClaims(held, this.#held)) this.#forget();
    this.#options = options;
    this.#held = held;
    const failures = new RenderFailures();
    const { ordered, byCodePoint } = this.#ordered(snapshot.daemons);
    // Loops over every daemon run once per change, too rarely for V8 to optimize them: indexed and
    // forEach loops, since each step of a for-of allocates its iterator's result (and a Map's, an
    // entry pair) until then.
    const kept = this.#kept;
    try {
      for (let i = 0; i < ordered.length; i++) {
        const daemon = ordered[i] as DaemonSnapshot;
        kept.set(daemon.id, this.builds.kept(daemon, context));
      }
    } catch {
      // A build threw (a bug): the full render builds again and reports it against its daemon.
      return this.#forget();
    }
    if (kept.size > ordered.length) {
      const present = new Set(byCodePoint);
      for (const id of [...kept.keys()]) if (!present.has(id)) kept.delete(id);
    }
    const redo = this.#affected(kept, state);
    let decided = this.#decide(ordered, kept, redo, context, state, failures);
    if (decided === undefined) return this.#forget();
    if (decided.total >= MAX_OWNERSHIP_ROUNDS && redo.size < kept.size) {
      decided = this.#decide(ordered, kept, new Set(kept.keys()), context, state, failures);
      if (decided === undefined) return this.#forget();
    }
    this.redone = decided.outcomes.size;
    for (const [id, outcome] of decided.outcomes) this.#keep(id, outcome);

    // Every daemon's routes and diagnostics, flattened only when read (run reads them for
    // /routes.json and /metrics, not on every change): ten thousand routes copied per change was
    // most of what a render allocated. The lists are counted first and made at their size.
    const outcomes = this.#outcomes;
    let fragmentCount = 0;
    let routeCount = 0;
    let diagnosticCount = 0;
    for (let i = 0; i < ordered.length; i++) {
      const outcome = outcomes.get((ordered[i] as DaemonSnapshot).id) as Outcome;
      if (outcome.fragment) fragmentCount++;
      if (outcome.routes.length > 0) routeCount++;
      if (outcome.diagnostics.length > 0) diagnosticCount++;
    }
    const fragments = new Array<Fragment>(fragmentCount);
    const routeLists = new Array<readonly RouteInfo[]>(routeCount);
    fragmentCount = routeCount = 0;
    for (let i = 0; i < ordered.length; i++) {
      const outcome = outcomes.get((ordered[i] as DaemonSnapshot).id) as Outcome;
      if (outcome.fragment) fragments[fragmentCount++] = outcome.fragment;
      if (outcome.routes.length > 0) routeLists[routeCount++] = outcome.routes;
    }
    const diagnosticLists = new Array<readonly Diagnostic[]>(diagnosticCount);
    diagnosticCount = 0;
    for (let i = 0; i < byCodePoint.length; i++) {
      const outcome = outcomes.get(byCodePoint[i] as string) as Outcome;
      if (outcome.diagnostics.length > 0) diagnosticLists[diagnosticCount++] = outcome.diagnostics;
    }
    const explicit = new Set(this.#named.keys());
    for (const claim of held) if (claim.holder.kind === 'operator') for (const ep of claim.entrypoints) explicit.add(ep);
    let routes: readonly RouteInfo[] | undefined;
    let diagnostics: readonly Diagnostic[] | undefined;
    return {
      fragments,
      get routes() {
        return (routes ??= routeLists.flat());
      },
      get diagnostics() {
        return (diagnostics ??= diagnosticLists.flat());
      },
      allocations: decided.cross.allocations,
      explicitEntrypoints: [...explicit].sort(),
      failedDaemons: [],
      fragmentOf: (daemon) => outcomes.get(daemon)?.fragment,
    };
  }

  /**
   * The daemons to decide again: the changed ones (new build, new, gone), those in port allocation,
   * and every daemon linked to them through the links they had or have.
   */
  #affected(kept: ReadonlyMap<string, TenantBuild>, state: RenderState): Set<string> {
    const redo = new Set<string>();
    const queue: [string, ClaimLinks][] = [];
    // One pass over the daemons; the outcomes are walked only when some daemon is gone.
    let present = 0;
    kept.forEach((build, id) => {
      const outcome = this.#outcomes.get(id);
      if (outcome !== undefined) present++;
      if (outcome?.build === build) return;
      if (outcome !== undefined) {
        this.#index.remove(id, outcome.links);
        queue.push([id, outcome.links]);
      }
      const links = this.#linksOf(build);
      this.#index.add(id, links);
      redo.add(id);
      queue.push([id, links]);
    });
    if (present < this.#outcomes.size) {
      for (const [id, outcome] of this.#outcomes) {
        if (kept.has(id)) continue;
        this.#index.remove(id, outcome.links);
        queue.push([id, outcome.links]);
        this.#drop(id);
      }
    }
    const visit = (id: string) => {
      const build = kept.get(id);
      if (build === undefined || redo.has(id)) return;
      redo.add(id);
      queue.push([id, this.#linksOf(build)]);
    };
    for (const id of this.#index.portDaemons()) visit(id);
    for (const allocation of state.allocations) visit(allocation.daemon);
    while (queue.length > 0) {
      const [id, links] = queue.pop() as [string, ClaimLinks];
      this.#index.neighbours(id, links, visit);
    }
    return redo;
  }

  #decide(ordered: readonly DaemonSnapshot[], kept: ReadonlyMap<string, TenantBuild>, redo: ReadonlySet<string>, context: TenantBuildContext, state: RenderState, failures: RenderFailures) {
    // In the full render's order; a few daemons are sorted rather than every daemon walked.
    const redone = redo.size * 8 < ordered.length ? orderedDaemons([...redo].map((id) => (kept.get(id) as TenantBuild).daemon)) : ordered.filter((d) => redo.has(d.id));
    const copies = redone.map((d) => this.builds.copy(kept.get(d.id) as TenantBuild, context));
    const cross = decideAcrossTenants(copies, context.options, state, failures, this.builds);
    if (cross === undefined || failures.failed.size > 0) return undefined;
    const outcomes = new Map<string, Outcome>();
    let total = this.#rounds;
    for (const id of redo) total -= this.#outcomes.get(id)?.rounds ?? 0;
    for (const build of cross.builds) {
      const outcome = this.#outcomeOf(build, kept.get(build.daemon.id) as TenantBuild, cross, context, failures);
      if (outcome === undefined) return undefined;
      outcomes.set(build.daemon.id, outcome);
      total += outcome.rounds;
    }
    return { cross, outcomes, total };
  }

  #outcomeOf(build: TenantBuild, keptBuild: TenantBuild, cross: CrossTenantOutcome, context: TenantBuildContext, failures: RenderFailures): Outcome | undefined {
    const id = build.daemon.id;
    const assembled = failures.isolated(id, () => assembleBuild(build, this.builds));
    if (failures.failed.size > 0) return undefined;
    const last = this.#outcomes.get(id)?.fragment;
    let fragment: Fragment | undefined;
    if (assembled && Object.keys(assembled.config).length > 0) {
      // The same object when nothing changed: the file sink then skips comparing it.
      fragment = last?.config === assembled.config && last.socket === build.daemon.socket ? last : { daemon: id, socket: build.daemon.socket, config: assembled.config };
    }
    const routes = assembled?.routes ?? [];
    const hostEntrypoints = context.options.hostEntrypoints;
    const diagnostics = [...(hostEntrypoints ? missingEntrypointDiagnostics(routes, hostEntrypoints) : []), ...build.sink.items].sort(compareDiagnostics);
    const named = build.tenant ? liveClaims(build).flatMap((claim) => namedEntrypoints(claim)) : [];
    const rounds = cross.rounds.daemons.has(id) ? cross.rounds.refusing : 0;
    return { build: keptBuild, links: this.#linksOf(keptBuild), fragment, routes, diagnostics, named, rounds };
  }

  #keep(id: string, outcome: Outcome): void {
    this.#drop(id);
    this.#outcomes.set(id, outcome);
    this.#rounds += outcome.rounds;
    for (const ep of outcome.named) this.#named.set(ep, (this.#named.get(ep) ?? 0) + 1);
  }

  #drop(id: string): void {
    const outcome = this.#outcomes.get(id);
    if (outcome === undefined) return;
    this.#outcomes.delete(id);
    this.#rounds -= outcome.rounds;
    for (const ep of outcome.named) {
      const count = (this.#named.get(ep) ?? 0) - 1;
      if (count > 0) this.#named.set(ep, count);
      else this.#named.delete(ep);
    }
  }

  #linksOf(build: TenantBuild): ClaimLinks {
    let links = this.#links.get(build);
    if (links === undefined) this.#links.set(build, (links = claimLinks(build, this.#options as RenderOptions)));
    return links;
  }

  /** Daemons by id as the full render orders them (and by code points, as diagnostics are): sorted again only when the list changes. */
  #ordered(daemons: readonly DaemonSnapshot[]): { ordered: DaemonSnapshot[]; byCodePoint: readonly string[] } {
    const last = this.#order;
    if (last === undefined || last.ids.length !== daemons.length || daemons.some((d, i) => d.id !== last.ids[i])) {
      const ordered = orderedDaemons(daemons);
      const position = new Map(daemons.map((d, i) => [d, i]));
      this.#order = {
        ids: daemons.map((d) => d.id),
        sorted: ordered.map((d) => position.get(d) as number),
        byCodePoint: daemons.map((d) => d.id).sort(compareCodePoints),
      };
      return { ordered, byCodePoint: this.#order.byCodePoint };
    }
    return { ordered: last.sorted.map((i) => daemons[i] as DaemonSnapshot), byCodePoint: last.byCodePoint };
  }

  /** Starts over: the next render decides every daemon again. */
  #forget(): undefined {
    this.#outcomes = new Map();
    this.#index = new LinkIndex();
    this.#links = new WeakMap();
    this.#named = new Map();
    this.#rounds = 0;
    return undefined;
  }
}
