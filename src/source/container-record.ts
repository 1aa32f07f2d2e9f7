// Docker's inspect JSON → route-server's ContainerSnapshot. Only the fields the renderer needs are
// read, each defensively: the daemon is trusted, but its JSON has nulls and absent keys that vary by
// version and by network mode. Records come out in a canonical order (labels, ports, networks
// sorted) so two records of the same container compare equal byte for byte.

import { createHash } from 'node:crypto';

import { compareCodePoints } from '../model/ordering.ts';
import type { ContainerHealth, ContainerSnapshot, PortSpec } from '../model/snapshot.ts';

/** The part of `GET /containers/{id}/json` that is read; everything may be missing or null. */
export interface DockerContainerInspect {
  readonly Id?: string;
  readonly Name?: string;
  readonly Created?: string;
  readonly State?: { readonly Status?: string; readonly Health?: { readonly Status?: string } | null } | null;
  readonly Config?: {
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly ExposedPorts?: Readonly<Record<string, unknown>> | null;
  } | null;
  readonly HostConfig?: { readonly NetworkMode?: string } | null;
  readonly NetworkSettings?: {
    readonly Ports?: Readonly<Record<string, unknown>> | null;
    readonly Networks?: Readonly<Record<string, { readonly IPAddress?: string; readonly GlobalIPv6Address?: string } | null>> | null;
  } | null;
}

/** A container as `GET /containers/json` (`docker ps`) lists it: its id and its whole entry. */
export interface ListedContainer {
  readonly id: string;
  /**
   * A digest of everything the list says of the container, uptime aside: equal summaries mean
   * nothing the inspect reads has changed (name, state, health, networks and addresses, ports,
   * labels). A digest (SHA-256), not the entry: one is kept per container, and an entry is a
   * kilobyte or more (its labels).
   */
  readonly summary: string;
}

/**
 * One entry of `GET /containers/json` → its id and summary. `Status` reads like `Up 5 minutes
 * (healthy)`: only its health part is kept, or every summary would change every minute.
 */
export function toListedContainer(entry: { readonly Id?: string; readonly Status?: string }): ListedContainer {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(entry.Status ?? '')?.[1] ?? '';
  const summary = createHash('sha256').update(JSON.stringify({ ...entry, Status: health })).digest('base64');
  return { id: entry.Id ?? '', summary };
}

/**
 * States `docker ps` lists without `--all`; the discovered set is exactly these, whether it was
 * built by a full list or by following events, so both paths agree.
 */
const LISTED_STATES = new Set(['running', 'paused', 'restarting']);

const HEALTH: ReadonlySet<string> = new Set(['healthy', 'unhealthy', 'starting']);
const PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp']);

export function isListedState(state: string): boolean {
  return LISTED_STATES.has(state);
}

export function toContainerSnapshot(info: DockerContainerInspect): ContainerSnapshot {
  return {
    id: info.Id ?? '',
    name: (info.Name ?? '').replace(/^\//, ''),
    created: unixSeconds(info.Created),
    labels: sortedRecord(info.Config?.Labels ?? {}),
    state: info.State?.Status ?? 'unknown',
    health: healthOf(info.State?.Health?.Status),
    ports: portsOf([info.Config?.ExposedPorts, info.NetworkSettings?.Ports]),
    networkMode: info.HostConfig?.NetworkMode ?? 'default',
    networks: networksOf(info.NetworkSettings?.Networks ?? {}),
  };
}

/** Deep equality; valid because toContainerSnapshot builds every record in one canonical order. */
export function sameContainer(a: ContainerSnapshot, b: ContainerSnapshot): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sorts by name, then id: snapshots and status lists come out in a stable order. */
export function compareContainers(a: ContainerSnapshot, b: ContainerSnapshot): number {
  return compareCodePoints(a.name, b.name) || compareCodePoints(a.id, b.id);
}

/** RFC 3339 with nanoseconds → Unix seconds; Docker's zero time (year 1) means unknown. */
function unixSeconds(created: string | undefined): number | null {
  if (created === undefined) return null;
  const ms = Date.parse(created);
  if (!Number.isFinite(ms) || ms <= 0) return null;
  return Math.floor(ms / 1000);
}

function healthOf(status: string | undefined): ContainerHealth {
  return status !== undefined && HEALTH.has(status) ? (status as Exclude<ContainerHealth, null>) : null;
}

/** Keys look like `8080/tcp`; exposed and published ports are merged, as Traefik does. */
function portsOf(sources: readonly (Readonly<Record<string, unknown>> | null | undefined)[]): PortSpec[] {
  const seen = new Map<string, PortSpec>();
  for (const source of sources) {
    for (const key of Object.keys(source ?? {})) {
      const match = /^(\d{1,5})(?:\/([a-z]+))?$/.exec(key);
      if (match === null) continue;
      const port = Number(match[1]);
      const protocol = match[2] ?? 'tcp';
      if (port < 1 || port > 65535 || !PROTOCOLS.has(protocol)) continue;
      seen.set(`${port}/${protocol}`, { port, protocol: protocol as PortSpec['protocol'] });
    }
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || compareCodePoints(a.protocol, b.protocol));
}

/** Network name → IPv4, else global IPv6; networks without an address (host mode) are left out. */
function networksOf(
  networks: Readonly<Record<string, { readonly IPAddress?: string; readonly GlobalIPv6Address?: string } | null>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(networks).sort(compareCodePoints)) {
    const network = networks[name];
    const address = network?.IPAddress || network?.GlobalIPv6Address || '';
    if (address !== '') defineEntry(out, name, address);
  }
  return out;
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort(compareCodePoints)) {
    const value = record[key];
    if (typeof value === 'string') defineEntry(out, key, value);
  }
  return out;
}

/** A label may be called `__proto__`; plain assignment would set the prototype and lose it. */
function defineEntry(record: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

