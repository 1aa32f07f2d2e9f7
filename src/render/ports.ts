// Ports for TCP/UDP routers declared without entrypoints (SPEC §6): each gets its own
// `tcp-{port}`/`udp-{port}` entrypoint from a range. An allocation sticks to its router across
// restarts (of the container and of route-server: the table is persisted by the caller) and is
// only given away when the range is full, least recently seen first.

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
}

export interface PortAllocationResult {
  readonly allocations: readonly PortAllocation[];
  /** Port per request key (`protocol/daemon/router`). */
  readonly assigned: ReadonlyMap<string, number>;
  /** Requests that found no free port. */
  readonly exhausted: readonly PortRequest[];
}

export function allocationKey(request: { protocol: PortProtocol; daemon: string; router: string }): string {
  return `${request.protocol}/${request.daemon}/${request.router}`;
}

export function entrypointName(protocol: PortProtocol, port: number): string {
  return `${protocol}-${port}`;
}

/**
 * Keeps existing allocations of live routers, gives new routers the lowest free port (never one a
 * router uses explicitly), and evicts the least recently seen dormant allocation when a range is full.
 */
export function allocatePorts(
  requests: readonly PortRequest[],
  previous: readonly PortAllocation[],
  ranges: { readonly tcp: PortRange | undefined; readonly udp: PortRange | undefined },
  explicitEntrypoints: ReadonlySet<string>,
  now: number,
): PortAllocationResult {
  const live = new Set(requests.map(allocationKey));
  const table = new Map<string, PortAllocation>();
  for (const allocation of previous) {
    const range = ranges[allocation.protocol];
    const inRange = range !== undefined && allocation.port >= range.first && allocation.port <= range.last;
    if (!inRange || explicitEntrypoints.has(entrypointName(allocation.protocol, allocation.port))) continue;
    const key = allocationKey(allocation);
    if (table.has(key)) continue;
    table.set(key, live.has(key) ? { ...allocation, lastSeen: now } : allocation);
  }
  const assigned = new Map<string, number>();
  const exhausted: PortRequest[] = [];
  const sorted = [...requests].sort((a, b) => (allocationKey(a) < allocationKey(b) ? -1 : 1));
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
    table.set(key, { ...request, port, lastSeen: now });
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
  // Full: take the port of the least recently seen allocation whose router is gone.
  const dormant = [...table.entries()]
    .filter(([key, a]) => a.protocol === protocol && !live.has(key))
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
