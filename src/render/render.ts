// The translation core: a snapshot of every daemon in, one Traefik fragment per daemon out, with
// diagnostics and a route inventory. Pure: no clock, no I/O — the caller passes `now` and the
// port allocations it persisted, and gets the new allocations back.

import { compareDiagnostics, DiagnosticSink, type Diagnostic } from '../model/diagnostics.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import type { ConfigObject } from '../traefik/config.ts';
import { resolveClaims } from './claims.ts';
import { compileDefaultRule } from './default-rule.ts';
import type { HeldClaim } from './held-claims.ts';
import { assembleFragment, finalName, type RouteInfo } from './fragment.ts';
import type { RenderOptions } from './options.ts';
import { allocatePorts, allocationKey, entrypointName, type PortAllocation, type PortProtocol } from './ports.ts';
import { missingEntrypointDiagnostics } from './host-entrypoints.ts';
import { enforceReferences } from './references.ts';
import { tlsDomains, type RouterClaim } from './router-rules.ts';
import { allowedRefs, buildTenant, type TenantBuild } from './tenant-build.ts';
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
    builds.push(buildTenant(daemon, context));
  }

  const held = state.heldClaims ?? [];
  // The operator's entrypoints are never allocated to a tenant's router.
  const operatorEntrypoints = held.flatMap((c) => (c.holder.kind === 'operator' ? c.entrypoints : []));
  const explicit = new Set([...builds.flatMap((b) => b.claims.flatMap((c) => c.entrypoints)), ...operatorEntrypoints]);
  const allocations = assignPorts(builds, options, state, explicit);
  resolveOwnership(builds, options, held);
  refuseNameCollisions(builds);

  const fragments: Fragment[] = [];
  const routes: RouteInfo[] = [];
  for (const build of builds) {
    if (!build.tenant) continue;
    enforceReferences(build.config, allowRefs, build.refused, build.sink);
    const fragment = assembleFragment(build.tenant.id, build.config, allowRefs);
    routes.push(...fragment.routes);
    if (Object.keys(fragment.config).length > 0) {
      fragments.push({ daemon: build.daemon.id, socket: build.daemon.socket, config: fragment.config });
    }
  }
  if (options.hostEntrypoints) extra.push(...missingEntrypointDiagnostics(routes, options.hostEntrypoints));
  const diagnostics = [...extra, ...builds.flatMap((b) => b.sink.items)].sort(compareDiagnostics);
  return { fragments, routes, diagnostics, allocations, explicitEntrypoints: [...explicit].sort() };
}

/** TCP/UDP routers without entrypoints get `tcp-{port}`/`udp-{port}` from the ranges. */
function assignPorts(builds: TenantBuild[], options: RenderOptions, state: RenderState, explicit: ReadonlySet<string>): PortAllocation[] {
  const pending: { build: TenantBuild; claim: RouterClaim; protocol: PortProtocol }[] = [];
  for (const build of builds) {
    for (const claim of build.claims) {
      if (claim.section === 'http.routers' || claim.entrypoints.length > 0) continue;
      pending.push({ build, claim, protocol: claim.section === 'tcp.routers' ? 'tcp' : 'udp' });
    }
  }
  const requests = pending.map(({ build, claim, protocol }) => ({ protocol, daemon: build.daemon.id, router: claim.name }));
  // A kept fragment still uses its daemon's ports: they count as live until the daemon syncs.
  const kept = new Set((state.heldClaims ?? []).flatMap((c) => (c.holder.kind === 'kept' ? [c.holder.daemon] : [])));
  for (const allocation of state.allocations) {
    if (kept.has(allocation.daemon)) requests.push({ protocol: allocation.protocol, daemon: allocation.daemon, router: allocation.router });
  }
  const result = allocatePorts(requests, state.allocations, { tcp: options.tcpRange, udp: options.udpRange }, explicit, state.now);
  for (const { build, claim, protocol } of pending) {
    const port = result.assigned.get(allocationKey({ protocol, daemon: build.daemon.id, router: claim.name }));
    if (port === undefined) {
      const range = protocol === 'tcp' ? options.tcpRange : options.udpRange;
      const why = range ? `every port of ${range.first}-${range.last} is taken` : `no ${protocol.toUpperCase()} range is configured (--${protocol}-range)`;
      dropClaim(build, claim, range ? 'port-exhausted' : 'port-no-range', `it names no entrypoint and no port can be allocated: ${why}`);
      continue;
    }
    claim.entrypoints = [entrypointName(protocol, port)];
    claim.resource.value['entryPoints'] = [...claim.entrypoints];
  }
  return [...result.allocations];
}

/**
 * Hosts and entrypoints across daemons, and certificates only for owned hosts. A router refused
 * for its certificates gives up its claims, so the contest runs again without it: the next
 * claimant in age order then owns the host.
 */
function resolveOwnership(builds: TenantBuild[], options: RenderOptions, held: readonly HeldClaim[]): void {
  const byId = new Map(builds.map((b) => [b.daemon.id, b]));
  const excluded = new Map<RouterClaim, string>();
  for (;;) {
    const tenants = builds
      .filter((b) => b.tenant)
      .map((b) => ({ tenantId: b.daemon.id, claims: live(b).filter((claim) => !excluded.has(claim)) }));
    const outcome = resolveClaims(tenants, options.baseDomain, held);
    const refusedClaims = new Set(outcome.refusals.map((r) => r.claim));
    let more = false;
    for (const { tenantId, claims } of tenants) {
      const owned = outcome.ownedHosts.get(tenantId) ?? new Set<string>();
      for (const claim of claims) {
        if (claim.section === 'udp.routers' || refusedClaims.has(claim)) continue;
        const foreign = tlsDomains(claim.resource.value).filter((domain) => !owned.has(domain));
        if (foreign.length === 0) continue;
        excluded.set(claim, `it requests certificates for ${foreign.join(', ')}, which this daemon's routers do not own`);
        more = true;
      }
    }
    if (more) continue;
    for (const refusal of outcome.refusals) dropClaim(byId.get(refusal.tenantId) as TenantBuild, refusal.claim, refusal.code, refusal.reason);
    for (const [claim, reason] of excluded) {
      const build = builds.find((b) => b.claims.includes(claim)) as TenantBuild;
      dropClaim(build, claim, 'tls-domain-refused', reason);
    }
    return;
  }
}

function live(build: TenantBuild): RouterClaim[] {
  return build.claims.filter((claim) => build.config[claim.section].get(claim.name) === claim.resource);
}

const CLAIM_LABELS: Record<string, string> = {
  'host-reserved-operator': 'rule',
  'host-conflict': 'rule',
  'entrypoint-reserved-operator': 'entrypoints',
  'entrypoint-conflict': 'entrypoints',
  'tls-domain-refused': 'tls.domains',
};

function dropClaim(build: TenantBuild, claim: RouterClaim, code: string, reason: string): void {
  refuse(build.config, claim.section, claim.name, build.sink, code, reason, CLAIM_LABELS[code]);
  build.refused.add(`${claim.section}\u0000${claim.name}`);
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
