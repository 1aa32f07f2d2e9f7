// Ports for TCP/UDP routers declared without entrypoints: each gets its own `tcp-{port}` /
// `udp-{port}` entrypoint from a range. An allocation belongs to its router across restarts (of
// the container and of route-server: the table is persisted by the caller) and is only given away
// when the range is full, least recently seen first; no other router takes it by naming it.

import type { PortRange } from './options.ts';

export type PortProtocol = 'tcp' | 'udp';

export interface PortAllocation {
  readonly protocol: PortProtocol;
  readonly port: number;
  readonly daemon: string;
  /** Router name as the tenant wrote it (before renaming). */
  readonly router: string;
  /** Unix ms of the last render that saw the router. */
  readonly lastSeen: number;
}

export interface PortRequest {
  readonly protocol: PortProtocol;
  readonly daemon: string;
  readonly router: string;
  /** Creation time of the router's oldest container: older routers get new ports first; unknown last. */
  readonly age?: number;
}

export interface PortAllocationResult {
  readonly allocations: readonly PortAllocation[];
  /** Port per request key (`protocol/daemon/router`). */
  readonly assigned: ReadonlyMap<string, number>;
  /** Requests that found no free port. */
  readonly exhausted: readonly PortRequest[];
}

export function allocationKey(request: { readonly protocol: PortProtocol; readonly daemon: string; readonly router: string }): string {
  return `${request.protocol}/${request.daemon}/${request.router}`;
}

export function entrypointName(protocol: PortProtocol, port: number): string {
  return `${protocol}-${port}`;
}

/**
 * The persisted allocations that still count: inside the configured ranges, one per router and one
 * per port (a damaged state file cannot give one port to two routers), and not on an entrypoint the
 * operator took (`reserved`). They are held whether or not their router runs now: otherwise an
 * allocation is released only when a full range needs its port.
 */
export function keptAllocations(
  previous: readonly PortAllocation[],
  ranges: { readonly tcp: PortRange | undefined; readonly udp: PortRange | undefined },
  reserved: ReadonlySet<string> = new Set(),
): PortAllocation[] {
  const byKey = new Set<string>();
  const byPort = new Set<string>();
  const kept: PortAllocation[] = [];
  for (const allocation of previous) {
    const range = ranges[allocation.protocol];
    if (range === undefined || allocation.port < range.first || allocation.port > range.last) continue;
    const key = allocationKey(allocation);
    const port = entrypointName(allocation.protocol, allocation.port);
    if (byKey.has(key) || byPort.has(port) || reserved.has(port)) continue;
    byKey.add(key);
    byPort.add(port);
    kept.push(allocation);
  }
  return kept;
}

/**
 * Keeps the allocations of the routers asking again (refreshing when they were seen), gives new
 * routers the lowest free port (never one an accepted router names), and when a range is full
 * takes the port of the least recently seen allocation whose router did not ask.
 */
export function allocatePorts(
  requests: readonly PortRequest[],
  kept: readonly PortAllocation[],
  ranges: { readonly tcp: PortRange | undefined; readonly udp: PortRange | undefined },
  explicitEntrypoints: ReadonlySet<string>,
  now: number,
): PortAllocationResult {
  const live = new Set(requests.map(allocationKey));
  const table = new Map<string, PortAllocation>();
  for (const allocation of kept) {
    const key = allocationKey(allocation);
    table.set(key, live.has(key) ? { ...allocation, lastSeen: now } : allocation);
  }
  const assigned = new Map<string, number>();
  const exhausted: PortRequest[] = [];
  const sorted = [...requests].sort((a, b) => (a.age ?? Infinity) - (b.age ?? Infinity) || (allocationKey(a) < allocationKey(b) ? -1 : 1));
  for (const request of sorted) {
    const key = allocationKey(request);
    const existing = table.get(key);
    if (existing) {
      assigned.set(key, existing.port);
      continue;
    }
    const port = freePort(request.protocol, table, ranges[request.protocol], explicitEntrypoints, live);
    if (port === undefined) {
      exhausted.push(request);
      continue;
    }
    table.set(key, { protocol: request.protocol, port, daemon: request.daemon, router: request.router, lastSeen: now });
    assigned.set(key, port);
  }
  const allocations = [...table.values()].sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1));
  return { allocations, assigned, exhausted };
}

function freePort(
  protocol: PortProtocol,
  table: Map<string, PortAllocation>,
  range: PortRange | undefined,
  explicit: ReadonlySet<string>,
  live: ReadonlySet<string>,
): number | undefined {
  if (!range) return undefined;
  const taken = new Set([...table.values()].filter((a) => a.protocol === protocol).map((a) => a.port));
  for (let port = range.first; port <= range.last; port++) {
    if (!taken.has(port) && !explicit.has(entrypointName(protocol, port))) return port;
  }
  // Full: take the port of the least recently seen allocation whose router is gone (or refused),
  // unless an accepted router names that port itself.
  const dormant = [...table.entries()]
    .filter(([key, a]) => a.protocol === protocol && !live.has(key) && !explicit.has(entrypointName(protocol, a.port)))
    .sort(([, a], [, b]) => a.lastSeen - b.lastSeen || a.port - b.port)[0];
  if (!dormant) return undefined;
  table.delete(dormant[0]);
  return dormant[1].port;
}

/** Ports of a range nobody holds, for /ports. */
export function freePorts(protocol: PortProtocol, range: PortRange | undefined, allocations: readonly PortAllocation[], explicit: ReadonlySet<string>): number[] {
  if (!range) return [];
  const taken = new Set(allocations.filter((a) => a.protocol === protocol).map((a) => a.port));
  const out: number[] = [];
  for (let port = range.first; port <= range.last; port++) {
    if (!taken.has(port) && !explicit.has(entrypointName(protocol, port))) out.push(port);
  }
  return out;
}
