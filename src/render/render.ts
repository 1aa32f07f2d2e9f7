// The translation core: a snapshot of every daemon in, one Traefik fragment per daemon out, with
// diagnostics and a route inventory. Pure: no clock, no I/O — the caller passes `now` and the
// port allocations it persisted, and gets the new allocations back.

import { compareDiagnostics, DiagnosticSink, type Diagnostic } from '../model/diagnostics.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { compareCodePoints, compareDaemonIds } from '../model/ordering.ts';
import { ownStrings, type ConfigObject } from '../traefik/config.ts';
import { compileDefaultRule } from './default-rule.ts';
import type { HeldClaim } from './held-claims.ts';
import { assembleFragment, finalName, type RouteInfo } from './fragment.ts';
import type { RenderOptions } from './options.ts';
import { missingEntrypointDiagnostics } from './host-entrypoints.ts';
import { resolveOwnership } from './ownership.ts';
import { assignPorts, holdAllocatedPorts, portContext } from './port-assignment.ts';
import type { PortAllocation } from './ports.ts';
import { enforceReferences } from './references.ts';
import { networkHolders } from './network-holders.ts';
import { allowedRefs, buildTenant, type TenantBuild } from './tenant-build.ts';
import type { TenantBuildCache } from './tenant-build-cache.ts';
import { resourceAge, SECTIONS } from './tenant-config.ts';

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
  /** Keeps each daemon's own build between renders (`run`); the output is the same without it. */
  readonly buildCache?: TenantBuildCache;
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
  let defaultRule;
  if (options.defaultRule !== undefined) {
    const compiled = compileDefaultRule(options.defaultRule);
    if (!compiled.ok) throw new TypeError(`render options were not validated: ${compiled.error}`);
    defaultRule = compiled.render;
  }
  const allowRefs = allowedRefs(options);
  const context = { options, defaultRule, allowRefs, networkHolders: networkHolders(snapshot.daemons) };
  const built: TenantBuild[] = [];
  const seen = new Set<string>();
  const extra: Diagnostic[] = [];
  const failed = new Set<string>();
  // Ordered by id: the output never depends on the order daemons were discovered in.
  const ordered = [...snapshot.daemons].sort((a, b) => compareDaemonIds(a.id, b.id) || compareCodePoints(a.id, b.id));
  for (const daemon of ordered) {
    // parseSnapshot and discovery never hand over one id twice; which of two would win is no render's call.
    if (seen.has(daemon.id)) throw new TypeError(`the snapshot was not validated: daemon id ${JSON.stringify(daemon.id)} appears twice`);
    seen.add(daemon.id);
    const build = isolated(daemon.id, extra, failed, () => {
      seams.duringTenant?.(daemon.id);
      return state.buildCache ? state.buildCache.build(daemon, context) : buildTenant(daemon, context);
    });
    if (build) built.push(build);
  }

  const held = state.heldClaims ?? [];
  // The order matters: per-name refusals first, so that the contest only sees routers nothing
  // else refuses; persisted ports on their routers before the contest, so that it counts them;
  // new ports last, so that only routers that passed everything get one.
  let builds: TenantBuild[];
  let assigned: ReturnType<typeof assignPorts>;
  try {
    refuseNameCollisions(built);
    // Again: a collision can leave a router pointing at a middleware or service that is now gone.
    for (const build of built) {
      const checks = build.checks;
      if (checks) isolated(build.daemon.id, extra, failed, () => (state.buildCache ? state.buildCache.withinTenant(build, () => enforceReferences(checks)) : enforceReferences(checks)));
    }
    // A daemon whose own steps threw takes no part in what is decided across daemons.
    builds = built.filter((b) => !failed.has(b.daemon.id));
    seams.acrossTenants?.();
    const ports = portContext(state.allocations, held, options);
    holdAllocatedPorts(builds, ports);
    resolveOwnership(builds, options, held, ports);
    assigned = assignPorts(builds, ports, options, state.now);
  } catch (error) {
    // A step across daemons failed (a bug): no daemon can be blamed, so every one keeps its last file.
    for (const build of built) {
      if (!failed.has(build.daemon.id)) reportFailure(build.daemon.id, extra, failed, error);
    }
    return { fragments: [], routes: [], diagnostics: extra.sort(compareDiagnostics), allocations: [...state.allocations], explicitEntrypoints: [], failedDaemons: [...failed] };
  }
  const { allocations, explicit } = assigned;

  const fragments: Fragment[] = [];
  const routes: RouteInfo[] = [];
  for (const build of builds) {
    const tenant = build.tenant;
    if (!tenant) continue;
    const assemble = () => assembleFragment(tenant.id, build.config, allowRefs);
    const fragment = isolated(build.daemon.id, extra, failed, () => (state.buildCache ? state.buildCache.assemble(build, assemble) : assemble()));
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

/**
 * One daemon's own steps, caught: an exception there is a bug, but it must cost that daemon its
 * update only, never the other daemons' output. Undefined when it threw.
 */
function isolated<T>(daemonId: string, extra: Diagnostic[], failed: Set<string>, step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    reportFailure(daemonId, extra, failed, error);
    return undefined;
  }
}

function reportFailure(daemonId: string, extra: Diagnostic[], failed: Set<string>, error: unknown): void {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  new DiagnosticSink(daemonId, extra).error(
    'render-failed',
    `render of this daemon failed (a bug in route-server, please report it); its last file is kept: ${why.slice(0, 300)}`,
  );
  failed.add(daemonId);
}

/**
 * `{name}-{id}` can collide between named daemons (`a` + `b-c` vs `c-a` + `b`); the oldest keeps it.
 * So can the names Traefik derives for HTTP routers (traefikRouterNames): a router on two
 * entrypoints becomes `websecure-b-c` and `websecure-v6-b-c`, and a later one of that name replaces it.
 */
function refuseNameCollisions(builds: TenantBuild[]): void {
  // Ids without `-` end every final name with their own `-{id}`: such names never collide.
  if (!builds.some((b) => b.daemon.id.includes('-'))) return;
  for (const section of SECTIONS) {
    const holders = new Map<string, { build: TenantBuild; name: string; age: number }[]>();
    for (const build of builds) {
      if (!build.checks) continue;
      for (const [name, resource] of build.config[section]) {
        const final = finalName(name, build.daemon.id);
        const keys = section === 'http.routers' ? traefikRouterNames(final, ownStrings(resource.value, 'entryPoints') ?? []) : [final];
        for (const key of keys) {
          const list = holders.get(key) ?? [];
          list.push({ build, name, age: resourceAge(resource) ?? Infinity });
          holders.set(key, list);
        }
      }
    }
    for (const [key, all] of holders) {
      // Only what no earlier collision refused; two routers of one daemon are that daemon's own business.
      const list = all.filter((h) => h.build.config[section].has(h.name));
      if (new Set(list.map((h) => h.build)).size < 2) continue;
      list.sort((a, b) => a.age - b.age || compareDaemonIds(a.build.daemon.id, b.build.daemon.id) || compareCodePoints(a.name, b.name));
      const winner = list[0]!;
      for (const loser of list.slice(1)) {
        if (loser.build === winner.build) continue;
        const plain = key === finalName(loser.name, loser.build.daemon.id) && key === finalName(winner.name, winner.build.daemon.id);
        const reason = plain
          ? `its final name ${key} is taken by daemon ${winner.build.daemon.id}`
          : `Traefik would name it ${key}, as it names router ${winner.name} of daemon ${winner.build.daemon.id} ` +
            '(a router on several entrypoints is named `{entrypoint}-{name}` there, one with conflicting TLS options `{entrypoint}-conflicted-{name}`)';
        loser.build.checks?.refuse(section, loser.name, 'name-collision', reason);
      }
    }
  }
}

/**
 * The names Traefik gives an HTTP router of the file provider (server/aggregator.go): an entrypoint
 * with a model (TLS or middlewares in the static configuration, as `websecure` has) gets its own
 * copy named `{entrypoint}-{name}` when the router is on several entrypoints, and a router whose
 * TLS options conflict on a host gets a copy `{entrypoint}-conflicted-{name}`. Which entrypoints have
 * models is static configuration route-server cannot see, so every entrypoint counts.
 */
function traefikRouterNames(final: string, entrypoints: readonly string[]): string[] {
  const names = new Set([final]);
  for (const ep of entrypoints) {
    const modelName = entrypoints.length > 1 ? `${ep}-${final}` : final;
    names.add(modelName);
    names.add(`${ep}-conflicted-${modelName}`);
    names.add(`${ep}-conflicted-${final}`);
  }
  return [...names];
}
