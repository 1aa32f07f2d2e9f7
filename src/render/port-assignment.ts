// Which router holds which dynamic port. A TCP/UDP router that names no entrypoint gets a port of
// its own, and keeps it: a persisted allocation is put on its router before the cross-tenant
// contest, and any other router naming that port is refused, whatever its age (the allocation
// came first; moving the allocated router would hand its port to whoever names it). New ports are
// only given to routers that passed every check, and only accepted routers' explicit entrypoints
// are kept out of the range: a refused router neither gets a port nor blocks one.

import type { DiagnosticCode } from '../model/diagnostics.ts';
import type { HeldClaim } from './held-claims.ts';
import type { RenderOptions } from './options.ts';
import {
  allocatePorts,
  allocationKey,
  entrypointName,
  keptAllocations,
  type PortAllocation,
  type PortAllocationResult,
  type PortProtocol,
  type PortRequest,
} from './ports.ts';
import type { RouterClaim } from './router-rules.ts';
import { liveClaims, refuseClaim, type TenantBuild } from './tenant-build.ts';
import { compareCodePoints } from '../model/ordering.ts';
import { resourceAge } from './tenant-config.ts';

/** The port table a render starts from. */
export interface PortContext {
  /** Persisted allocations that still count (see keptAllocations). */
  readonly kept: readonly PortAllocation[];
  /** Daemons not synced yet whose kept fragment still uses their ports: their allocations stay live. */
  readonly keptDaemons: ReadonlySet<string>;
  /** Entrypoints the operator's own files name: never allocated, and an allocation on one is released. */
  readonly reserved: ReadonlySet<string>;
}

export function portContext(previous: readonly PortAllocation[], held: readonly HeldClaim[], options: RenderOptions): PortContext {
  const reserved = new Set(held.flatMap((c) => (c.holder.kind === 'operator' ? c.entrypoints : [])));
  const keptDaemons = new Set(held.flatMap((c) => (c.holder.kind === 'kept' ? [c.holder.daemon] : [])));
  return { kept: keptAllocations(previous, { tcp: options.tcpRange, udp: options.udpRange }, reserved), keptDaemons, reserved };
}

/** A router that passed the checks so far, with its daemon. */
export interface AcceptedClaim {
  readonly tenantId: string;
  readonly claim: RouterClaim;
}

export interface ClaimRefusal {
  readonly code: DiagnosticCode;
  readonly reason: string;
}

/** Puts each persisted allocation on its router; refuses routers that name a port allocated to another. */
export function holdAllocatedPorts(builds: readonly TenantBuild[], { kept }: PortContext): void {
  // No allocation kept (a first render): nothing to hold, nothing taken.
  if (kept.length === 0) return;
  const byKey = new Map(kept.map((a) => [allocationKey(a), a]));
  const byEntrypoint = new Map(kept.map((a) => [entrypointName(a.protocol, a.port), a]));
  const byId = new Map(builds.map((b) => [b.daemon.id, b]));
  for (const build of builds) {
    if (!build.tenant) continue;
    for (const claim of liveClaims(build)) {
      const protocol = claimProtocol(claim);
      const ownKey = protocol && allocationKey({ protocol, daemon: build.daemon.id, router: claim.name });
      if (claim.needsPort) {
        const held = ownKey === undefined ? undefined : byKey.get(ownKey);
        if (held) setEntrypoint(claim, entrypointName(held.protocol, held.port));
        continue;
      }
      const taken = claim.entrypoints.flatMap((ep) => {
        const holder = byEntrypoint.get(ep);
        return holder && allocationKey(holder) !== ownKey ? [{ ep, holder }] : [];
      });
      if (taken.length === 0) continue;
      const why = taken.map(({ ep, holder }) => `port ${ep} is allocated to ${describeHolder(holder, byId.get(holder.daemon))}`).join('; ');
      refuseClaim(build, claim, 'entrypoint-conflict', `${why}; an allocated port stays with its router (name another port, or none to get one allocated)`);
    }
  }
}

/**
 * Routers beyond their daemon's share of a range (`--max-ports-per-daemon`), oldest first (then by
 * name), a held port included: without a share one tenant's routers could take a whole range, so
 * that every other tenant's new router finds none and their stopped routers lose theirs.
 */
export function portsOverQuota(accepted: readonly AcceptedClaim[], limit: number): Map<RouterClaim, ClaimRefusal> {
  const groups = new Map<string, RouterClaim[]>();
  for (let i = 0; i < accepted.length; i++) {
    const { tenantId, claim } = accepted[i] as AcceptedClaim;
    const protocol = claimProtocol(claim);
    if (!claim.needsPort || protocol === undefined) continue;
    const key = `${tenantId}\u0000${protocol}`;
    const group = groups.get(key);
    if (group) group.push(claim);
    else groups.set(key, [claim]);
  }
  const out = new Map<RouterClaim, ClaimRefusal>();
  for (const claims of groups.values()) {
    claims.sort((a, b) => (resourceAge(a.resource) ?? Infinity) - (resourceAge(b.resource) ?? Infinity) || compareCodePoints(a.name, b.name));
    for (const claim of claims.slice(limit)) {
      const range = claim.section === 'tcp.routers' ? 'TCP' : 'UDP';
      const reason = `it names no entrypoint, and this daemon's routers already hold ${limit} ports of the ${range} range (older routers first, then by name), the most one daemon may (--max-ports-per-daemon)`;
      out.set(claim, { code: 'port-quota', reason });
    }
  }
  return out;
}

/** Accepted routers that would find no port, with the reason; none when every one gets a port. */
export function portShortfall(accepted: readonly AcceptedClaim[], ports: PortContext, options: RenderOptions): Map<RouterClaim, ClaimRefusal> {
  const { result, pending } = allocate(accepted, ports, options, 0);
  const out = new Map<RouterClaim, ClaimRefusal>();
  for (const { claim, request } of pending) {
    if (!result.assigned.has(allocationKey(request))) out.set(claim, noPort(request.protocol, options));
  }
  return out;
}

/** Gives the accepted routers their ports (after every refusal); the new table, and the entrypoints routers name themselves. */
export function assignPorts(
  builds: readonly TenantBuild[],
  ports: PortContext,
  options: RenderOptions,
  now: number,
): { allocations: PortAllocation[]; explicit: string[] } {
  const accepted = builds.filter((b) => b.tenant).flatMap((b) => liveClaims(b).map((claim) => ({ tenantId: b.daemon.id, claim })));
  const { result, pending, explicit } = allocate(accepted, ports, options, now);
  const byId = new Map(builds.map((b) => [b.daemon.id, b]));
  for (const { tenantId, claim, request } of pending) {
    const port = result.assigned.get(allocationKey(request));
    if (port !== undefined) {
      setEntrypoint(claim, entrypointName(request.protocol, port));
      continue;
    }
    // Ownership already refused the routers that find no port; this only guards the invariant.
    const refusal = noPort(request.protocol, options);
    refuseClaim(byId.get(tenantId) as TenantBuild, claim, refusal.code, refusal.reason);
  }
  return { allocations: [...result.allocations], explicit: [...explicit].sort() };
}

/** The entrypoints a router names itself (not one allocated to it): listed in /ports, never allocated to another. */
export function namedEntrypoints(claim: RouterClaim): readonly string[] {
  return !claim.needsPort || claimProtocol(claim) === undefined ? claim.entrypoints : [];
}

/** `tcp-{port}` / `udp-{port}` with the port inside the configured range: an entrypoint allocation could give out. */
export function isRangePort(entrypoint: string, options: RenderOptions): boolean {
  const match = /^(tcp|udp)-([1-9][0-9]{0,4})$/.exec(entrypoint);
  const range = match?.[1] === 'tcp' ? options.tcpRange : match?.[1] === 'udp' ? options.udpRange : undefined;
  const port = Number(match?.[2]);
  return range !== undefined && port >= range.first && port <= range.last;
}

function allocate(accepted: readonly AcceptedClaim[], ports: PortContext, options: RenderOptions, now: number) {
  const pending: (AcceptedClaim & { request: PortRequest })[] = [];
  const explicit = new Set<string>(ports.reserved);
  // Indexed loops: every accepted router passes here (twice a render), and for-of over arrays
  // allocates iterators and their results until V8 optimizes the function.
  for (let i = 0; i < accepted.length; i++) {
    const { tenantId, claim } = accepted[i] as AcceptedClaim;
    const protocol = claimProtocol(claim);
    if (protocol === undefined || !claim.needsPort) {
      const named = namedEntrypoints(claim);
      for (let e = 0; e < named.length; e++) explicit.add(named[e] as string);
      continue;
    }
    const age = resourceAge(claim.resource);
    pending.push({ tenantId, claim, request: { protocol, daemon: tenantId, router: claim.name, ...(age === undefined ? {} : { age }) } });
  }
  // A kept fragment still routes its daemon's ports: they count as asked for until the daemon syncs.
  const keptRequests = ports.kept.filter((a) => ports.keptDaemons.has(a.daemon)).map(({ protocol, daemon, router }) => ({ protocol, daemon, router }));
  const ranges = { tcp: options.tcpRange, udp: options.udpRange };
  const result: PortAllocationResult = allocatePorts([...pending.map((p) => p.request), ...keptRequests], ports.kept, ranges, explicit, now);
  return { result, pending, explicit };
}

function noPort(protocol: PortProtocol, options: RenderOptions): ClaimRefusal {
  const range = protocol === 'tcp' ? options.tcpRange : options.udpRange;
  const why = range ? `every port of ${range.first}-${range.last} is taken` : `no ${protocol.toUpperCase()} range is configured (--${protocol}-range)`;
  return { code: range ? 'port-exhausted' : 'port-no-range', reason: `it names no entrypoint and no port can be allocated: ${why}` };
}

function claimProtocol(claim: RouterClaim): PortProtocol | undefined {
  return claim.section === 'tcp.routers' ? 'tcp' : claim.section === 'udp.routers' ? 'udp' : undefined;
}

function setEntrypoint(claim: RouterClaim, entrypoint: string): void {
  claim.entrypoints = [entrypoint];
  claim.resource.value['entryPoints'] = [entrypoint];
}

function describeHolder(holder: PortAllocation, build: TenantBuild | undefined): string {
  const resource = build?.config[holder.protocol === 'tcp' ? 'tcp.routers' : 'udp.routers'].get(holder.router);
  const where = `router ${holder.router} of daemon ${holder.daemon}`;
  if (!resource) return `${where}, which keeps it while it is not routed, until the range needs the port`;
  return `${where} (container ${[...new Set(resource.origins.map((c) => c.name))].sort().join(', ')})`;
}
