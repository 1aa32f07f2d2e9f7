// The translation core: a snapshot of every daemon in, one Traefik fragment per daemon out, with
// diagnostics and a route inventory. Pure: no clock, no I/O — the caller passes `now` and the
// port allocations it persisted, and gets the new allocations back.

import { compareDiagnostics, type Diagnostic } from '../model/diagnostics.ts';
import type { DaemonSnapshot, Snapshot } from '../model/snapshot.ts';
import { compareCodePoints, compareDaemonIds } from '../model/ordering.ts';
import type { ConfigObject } from '../traefik/config.ts';
import { decideAcrossTenants, RenderFailures } from './cross-tenant.ts';
import { compileDefaultRule } from './default-rule.ts';
import type { HeldClaim } from './held-claims.ts';
import { assembleFragment, type RouteInfo, type TenantFragment } from './fragment.ts';
import type { IncrementalRender } from './incremental-render.ts';
import type { RenderOptions } from './options.ts';
import { missingEntrypointDiagnostics } from './host-entrypoints.ts';
import type { PortAllocation } from './ports.ts';
import { networkHolders, type HolderChanges, type NetworkHolders } from './network-holders.ts';
import { allowedRefs, buildTenant, type TenantBuild } from './tenant-build.ts';
import type { TenantBuildCache } from './tenant-build-cache.ts';
import type { TenantBuildContext } from './tenant-checks.ts';

export interface Fragment {
  readonly daemon: string;
  readonly socket: string;
  readonly config: ConfigObject;
}

export interface RenderState {
  readonly allocations: readonly PortAllocation[];
  /** Unix ms, recorded on allocations seen in this render. */
  readonly now: number;
  /**
   * Claims held by files, not containers: the operator's own files (reserved for the operator) and
   * kept fragments of daemons not synced yet (theirs until they sync). None when absent.
   */
  readonly heldClaims?: readonly HeldClaim[];
  /** Keeps each daemon's own build between renders; the output is the same without it. */
  readonly buildCache?: TenantBuildCache;
  /**
   * Keeps builds and what was decided across daemons between renders (`run`): a render redoes only
   * the daemons whose outcome may have changed. The output is the same without it.
   */
  readonly incremental?: IncrementalRender;
}

export interface RenderResult {
  /** One per daemon with something routable, sorted by daemon id. */
  readonly fragments: readonly Fragment[];
  readonly routes: readonly RouteInfo[];
  readonly diagnostics: readonly Diagnostic[];
  readonly allocations: readonly PortAllocation[];
  /** Entrypoints routers name themselves (not allocated), for /ports. */
  readonly explicitEntrypoints: readonly string[];
  /**
   * Daemons whose own render failed unexpectedly (a bug, reported as `render-failed`): they have no
   * new fragment, and the caller keeps their last file as it does for an unreachable daemon.
   */
  readonly failedDaemons: readonly string[];
  /**
   * The fragment of one daemon (as in `fragments`), when the render keeps them by daemon already
   * (the incremental render): read it before the next render, which may change what it answers.
   */
  readonly fragmentOf?: (daemon: string) => Fragment | undefined;
}

/** Test seams: called inside a daemon's own build, and inside the steps across daemons, so that a test can make them throw. */
export interface RenderSeams {
  readonly duringTenant?: (daemonId: string) => void;
  readonly acrossTenants?: () => void;
}

export function renderSnapshot(
  snapshot: Snapshot,
  options: RenderOptions,
  state: RenderState = { allocations: [], now: 0 },
  seams: RenderSeams = {},
): RenderResult {
  const holders = state.incremental?.networkHolders(snapshot.daemons);
  const context = buildContext(snapshot, options, holders, state.incremental?.holderChanges());
  // The test seams make steps throw: such renders go the full way, the reference.
  if (state.incremental && seams.duringTenant === undefined && seams.acrossTenants === undefined) {
    const result = state.incremental.render(snapshot, context, state);
    if (result) return result;
  }
  const buildCache = state.buildCache ?? state.incremental?.builds;
  const failures = new RenderFailures();
  const built: TenantBuild[] = [];
  for (const daemon of orderedDaemons(snapshot.daemons)) {
    const build = failures.isolated(daemon.id, () => {
      seams.duringTenant?.(daemon.id);
      return buildCache ? buildCache.build(daemon, context) : buildTenant(daemon, context);
    });
    if (build) built.push(build);
  }
  const decided = decideAcrossTenants(built, options, state, failures, buildCache, seams.acrossTenants);
  const { extra, failed } = failures;
  if (!decided) {
    return { fragments: [], routes: [], diagnostics: extra.sort(compareDiagnostics), allocations: [...state.allocations], explicitEntrypoints: [], failedDaemons: [...failed] };
  }
  const { builds, allocations, explicit } = decided;

  const fragments: Fragment[] = [];
  const routes: RouteInfo[] = [];
  for (const build of builds) {
    const fragment = failures.isolated(build.daemon.id, () => assembleBuild(build, buildCache));
    if (!fragment) continue;
    for (const route of fragment.routes) routes.push(route);
    if (Object.keys(fragment.config).length > 0) {
      fragments.push({ daemon: build.daemon.id, socket: build.daemon.socket, config: fragment.config });
    }
  }
  if (options.hostEntrypoints) for (const item of missingEntrypointDiagnostics(routes, options.hostEntrypoints)) extra.push(item);
  const diagnostics = [...extra, ...builds.flatMap((b) => (failed.has(b.daemon.id) ? [] : b.sink.items))].sort(compareDiagnostics);
  return { fragments, routes, diagnostics, allocations, explicitEntrypoints: explicit, failedDaemons: [...failed] };
}

/** What every daemon's build shares in one render. */
export function buildContext(snapshot: Snapshot, options: RenderOptions, holders: NetworkHolders = networkHolders(snapshot.daemons), holderChanges?: HolderChanges): TenantBuildContext {
  let defaultRule;
  if (options.defaultRule !== undefined) {
    const compiled = compileDefaultRule(options.defaultRule);
    if (!compiled.ok) throw new TypeError(`render options were not validated: ${compiled.error}`);
    defaultRule = compiled.render;
  }
  return { options, defaultRule, allowRefs: allowedRefs(options), networkHolders: holders, ...(holderChanges && { holderChanges }) };
}

/** Ordered by id: the output never depends on the order daemons were discovered in. */
export function orderedDaemons(daemons: readonly DaemonSnapshot[]): DaemonSnapshot[] {
  const ordered = [...daemons].sort((a, b) => compareDaemonIds(a.id, b.id) || compareCodePoints(a.id, b.id));
  for (let i = 1; i < ordered.length; i++) {
    // parseSnapshot and discovery never hand over one id twice; which of two would win is no render's call.
    const id = (ordered[i] as DaemonSnapshot).id;
    if (id === (ordered[i - 1] as DaemonSnapshot).id) throw new TypeError(`the snapshot was not validated: daemon id ${JSON.stringify(id)} appears twice`);
  }
  return ordered;
}

/** A decided build's fragment: none for a refused daemon id. */
export function assembleBuild(build: TenantBuild, buildCache: TenantBuildCache | undefined): TenantFragment | undefined {
  const tenant = build.tenant;
  if (!tenant) return undefined;
  const assemble = () => assembleFragment(tenant.id, build.config);
  return buildCache ? buildCache.assemble(build, assemble) : assemble();
}
