// The fleet link as /health and /routes.json show it: ISO times, and the names another fleet host
// holds at the edge (refused here, as a host is refused between tenants on one host).

import type { SinkStatus } from '../output/fragment-sink.ts';
import type { FleetStatus } from '../fleet/fleet-status.ts';
import { ageMs, isoTime } from './json-time.ts';

export interface FleetReport {
  readonly name: string;
  readonly redis: string;
  readonly rootKey: string;
  readonly entrypoint: string;
  readonly address: string;
  readonly link: FleetStatus['link'];
  readonly linkSince: string | null;
  readonly lastSyncAt: string | null;
  readonly lastSyncAgeMs: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly published: readonly string[];
  readonly refused: readonly { readonly name: string; readonly state: 'refused' | 'waiting'; readonly heldBy: string; readonly heldSince: string | null; readonly since: string | null }[];
  readonly keys: number;
  readonly updates: number;
  readonly keysWritten: number;
  readonly resyncs: number;
}

export function fleetStatusOf(sinks: readonly SinkStatus[]): FleetStatus | undefined {
  return sinks.find((sink) => sink.fleet !== undefined)?.fleet;
}

export function fleetReport(fleet: FleetStatus, now: number): FleetReport {
  return {
    name: fleet.name,
    redis: fleet.redis,
    rootKey: fleet.rootKey,
    entrypoint: fleet.entrypoint,
    address: fleet.address,
    link: fleet.link,
    linkSince: isoTime(fleet.linkSince),
    lastSyncAt: isoTime(fleet.lastSyncAt),
    lastSyncAgeMs: ageMs(fleet.lastSyncAt, now),
    lastError: fleet.lastError,
    lastErrorAt: isoTime(fleet.lastErrorAt),
    published: fleet.published,
    refused: fleet.refused.map((r) => ({ name: r.name, state: r.state, heldBy: r.heldBy, heldSince: isoTime(r.heldSince), since: isoTime(r.since) })),
    keys: fleet.keys,
    updates: fleet.updates,
    keysWritten: fleet.keysWritten,
    resyncs: fleet.resyncs,
  };
}

/** Why /health is degraded because of the fleet: only the link. Local files never depend on it. */
export function fleetReasons(fleet: FleetStatus): string[] {
  const failing = fleet.lastErrorAt !== null && (fleet.lastSyncAt === null || fleet.lastErrorAt > fleet.lastSyncAt);
  if (fleet.link === 'connected' && !failing) return [];
  return [`fleet ${fleet.redis}: ${fleet.link} since ${isoTime(fleet.linkSince)}${fleet.lastError === null ? '' : `: ${fleet.lastError}`} (the edge keeps what was last published; local files are unaffected)`];
}
