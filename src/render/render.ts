// The translation core: a snapshot of every daemon in, one Traefik fragment per daemon out, with
// diagnostics and a route inventory. Pure: no clock, no I/O — the caller passes `now` and the
// port allocations it persisted, and gets the new allocations back.

import { compareDiagnostics, DiagnosticSink, type Diagnostic } from '../model/diagnostics.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import type { ConfigObject } from '../traefik/config.ts';
import { compileDefaultRule } from './default-rule.ts';
import type { HeldClaim } from './held-claims.ts';
import { assembleFragment, finalName, type RouteInfo } from './fragment.ts';
import type { RenderOptions } from './options.ts';
import { missingEntrypointDiagnostics } from './host-entrypoints.ts';
import { resolveOwnership } from './ownership.ts';
import { assignPorts, holdAllocatedPorts, portContext } from './port-assignment.ts';
import type { PortAllocation } from './ports.ts';
import { enforceReferences } from './references.ts';
import { allowedRefs, buildTenant, type TenantBuild } from './tenant-build.ts';
import type { TenantBuildCache } from './tenant-build-cache.ts';
import { refuse, resourceAge, SECTIONS } from './tenant-config.ts';

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
}

export function renderSnapshot(snapshot: Snapshot, options: RenderOptions, state: RenderState = { allocations: [], now: 0 }): RenderResult {
  let defaultRule;
  if (options.defaultRule !== undefined) {
    const compiled = compileDefaultRule(options.defaultRule);
    if (!compiled.ok) throw new TypeError(`render options were not validated: ${compiled.error}`);
    defaultRule = compiled.render;
  }
  const allowRefs = allowedRefs(options);
  const context = { options, defaultRule, allowRefs };
  const builds: TenantBuild[] = [];
  const seen = new Set<string>();
  const extra: Diagnostic[] = [];
  // Ordered by id, then socket: which of two daemons claiming one id wins must not depend on discovery order.
  const ordered = [...snapshot.daemons].sort((a, b) => compareDaemonIds(a.id, b.id) || (a.socket < b.socket ? -1 : a.socket > b.socket ? 1 : 0));
  for (const daemon of ordered) {
    if (seen.has(daemon.id)) {
      const sink = new DiagnosticSink(daemon.id, extra);
      sink.error('daemon-duplicate', `daemon at ${JSON.stringify(daemon.socket)} refused: another daemon already has id ${daemon.id}`);
      continue;
    }
    seen.add(daemon.id);
    builds.push(state.buildCache ? state.buildCache.build(daemon, context) : buildTenant(daemon, context));
  }

  const held = state.heldClaims ?? [];
  // The order matters: per-name refusals first, so that the contest only sees routers nothing
  // else refuses; persisted ports on their routers before the contest, so that it counts them;
  // new ports last, so that only routers that passed everything get one.
  refuseNameCollisions(builds);
  for (const build of builds) if (build.tenant) enforceReferences(build.config, allowRefs, build.refused, build.sink);
  const ports = portContext(state.allocations, held, options);
  holdAllocatedPorts(builds, ports);
  resolveOwnership(builds, options, held, ports);
  const { allocations, explicit } = assignPorts(builds, ports, options, state.now);

  const fragments: Fragment[] = [];
  const routes: RouteInfo[] = [];
  for (const build of builds) {
    if (!build.tenant) continue;
    const fragment = assembleFragment(build.tenant.id, build.config, allowRefs);
    routes.push(...fragment.routes);
    if (Object.keys(fragment.config).length > 0) {
      fragments.push({ daemon: build.daemon.id, socket: build.daemon.socket, config: fragment.config });
    }
  }
  if (options.hostEntrypoints) extra.push(...missingEntrypointDiagnostics(routes, options.hostEntrypoints));
  const diagnostics = [...extra, ...builds.flatMap((b) => b.sink.items)].sort(compareDiagnostics);
  return { fragments, routes, diagnostics, allocations, explicitEntrypoints: explicit };
}

/** `{name}-{id}` can collide between named daemons (`a` + `b-c` vs `c-a` + `b`); the oldest keeps it. */
function refuseNameCollisions(builds: TenantBuild[]): void {
  // Ids without `-` end every final name with their own `-{id}`: such names never collide.
  if (!builds.some((b) => b.daemon.id.includes('-'))) return;
  for (const section of SECTIONS) {
    const holders = new Map<string, { build: TenantBuild; name: string; age: number }[]>();
    for (const build of builds) {
      if (!build.tenant) continue;
      for (const [name, resource] of build.config[section]) {
        const key = finalName(name, build.daemon.id);
        const list = holders.get(key) ?? [];
        list.push({ build, name, age: resourceAge(resource) ?? Infinity });
        holders.set(key, list);
      }
    }
    for (const [key, list] of holders) {
      if (list.length < 2) continue;
      list.sort((a, b) => a.age - b.age || compareDaemonIds(a.build.daemon.id, b.build.daemon.id));
      const winner = list[0]!;
      for (const loser of list.slice(1)) {
        refuse(loser.build.config, section, loser.name, loser.build.sink, 'name-collision', `its final name ${key} is taken by daemon ${winner.build.daemon.id}`);
        loser.build.refused.add(`${section}\u0000${loser.name}`);
      }
    }
  }
}
