// The steps of a render that look across daemons, on copies of their builds: final-name
// collisions, references again (a collision can strand a reference), persisted ports, the contest
// for hosts, entrypoints and certificates, and new ports. Shared by the full render (every daemon)
// and the incremental one (the daemons whose outcome may have changed, see incremental-render.ts).

import { DiagnosticSink, type Diagnostic } from '../model/diagnostics.ts';
import { compareCodePoints, compareDaemonIds } from '../model/ordering.ts';
import { ownStrings } from '../traefik/config.ts';
import { finalName } from './fragment.ts';
import type { HeldClaim } from './held-claims.ts';
import type { RenderOptions } from './options.ts';
import { resolveOwnership, type OwnershipRounds } from './ownership.ts';
import { assignPorts, holdAllocatedPorts, portContext } from './port-assignment.ts';
import type { PortAllocation } from './ports.ts';
import { enforceReferences } from './references.ts';
import type { TenantBuild } from './tenant-build.ts';
import type { TenantBuildCache } from './tenant-build-cache.ts';
import { resourceAge, SECTIONS } from './tenant-config.ts';

/** What went wrong in one render: `render-failed` diagnostics, and the daemons they name. */
export class RenderFailures {
  readonly extra: Diagnostic[] = [];
  readonly failed = new Set<string>();

  /**
   * One daemon's own steps, caught: an exception there is a bug, but it must cost that daemon its
   * update only, never the other daemons' output. Undefined when it threw.
   */
  isolated<T>(daemonId: string, step: () => T): T | undefined {
    try {
      return step();
    } catch (error) {
      this.report(daemonId, error);
      return undefined;
    }
  }

  report(daemonId: string, error: unknown): void {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    new DiagnosticSink(daemonId, this.extra).error(
      'render-failed',
      `render of this daemon failed (a bug in route-server, please report it); its last file is kept: ${why.slice(0, 300)}`,
    );
    this.failed.add(daemonId);
  }
}

export interface CrossTenantState {
  readonly allocations: readonly PortAllocation[];
  readonly now: number;
  readonly heldClaims?: readonly HeldClaim[];
}

export interface CrossTenantOutcome {
  /** The builds that took part (those whose own steps did not throw), decided. */
  readonly builds: readonly TenantBuild[];
  readonly allocations: PortAllocation[];
  readonly explicit: string[];
  readonly rounds: OwnershipRounds;
}

/** Undefined when a step across daemons threw: no daemon can be blamed, so every one was reported. */
export function decideAcrossTenants(
  built: readonly TenantBuild[],
  options: RenderOptions,
  state: CrossTenantState,
  failures: RenderFailures,
  buildCache?: TenantBuildCache,
  acrossTenants?: () => void,
): CrossTenantOutcome | undefined {
  const held = state.heldClaims ?? [];
  // The order matters: per-name refusals first, so that the contest only sees routers nothing
  // else refuses; persisted ports on their routers before the contest, so that it counts them;
  // new ports last, so that only routers that passed everything get one.
  try {
    // Again where a collision refused something: it can leave a router pointing at a middleware or
    // service that is now gone. A build nothing refused since its own checks is as they left it
    // (their reference pass ran to a fixed point, and the rule checks after it refuse only routers,
    // which nothing references), so checking it again would change nothing.
    for (const build of refuseNameCollisions(built)) {
      const checks = build.checks;
      if (checks) failures.isolated(build.daemon.id, () => (buildCache ? buildCache.withinTenant(build, () => enforceReferences(checks)) : enforceReferences(checks)));
    }
    // A daemon whose own steps threw takes no part in what is decided across daemons.
    const builds = built.filter((b) => !failures.failed.has(b.daemon.id));
    acrossTenants?.();
    const ports = portContext(state.allocations, held, options);
    holdAllocatedPorts(builds, ports);
    const rounds = resolveOwnership(builds, options, held, ports);
    const { allocations, explicit } = assignPorts(builds, ports, options, state.now);
    return { builds, allocations, explicit, rounds };
  } catch (error) {
    // A step across daemons failed (a bug): no daemon can be blamed, so every one keeps its last file.
    for (const build of built) {
      if (!failures.failed.has(build.daemon.id)) failures.report(build.daemon.id, error);
    }
    return undefined;
  }
}

/**
 * `{name}-{id}` can collide between named daemons (`a` + `b-c` vs `c-a` + `b`); the oldest keeps it.
 * Returns the builds that lost a resource here.
 * So can the names Traefik derives for HTTP routers (traefikRouterNames): a router on two
 * entrypoints becomes `websecure-b-c` and `websecure-v6-b-c`, and a later one of that name replaces it.
 */
function refuseNameCollisions(builds: readonly TenantBuild[]): TenantBuild[] {
  // Ids without `-` end every final name with their own `-{id}`: such names never collide.
  if (!builds.some((b) => b.daemon.id.includes('-'))) return [];
  const refused = new Set<TenantBuild>();
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
        refused.add(loser.build);
      }
    }
  }
  // In the order of `builds`: the reference pass reports in daemon order.
  return builds.filter((build) => refused.has(build));
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
