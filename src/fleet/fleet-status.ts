// What /health and /routes.json show of the fleet link: the Redis connection, what this host
// publishes to the edge, and the names another host holds (refused here, as between tenants).

export type FleetLink = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export interface FleetRefusal {
  readonly name: string;
  /** The fleet host that serves the name at the edge (or still holds its keys, when waiting). */
  readonly heldBy: string;
  /** Unix ms (Redis clock) of the winning claim, and of this host's own waiting claim. */
  readonly heldSince: number;
  readonly since: number;
  /** refused: an older claim elsewhere wins; waiting: this host won, the previous holder is removing its keys. */
  readonly state: 'refused' | 'waiting';
}

export interface FleetStatus {
  readonly name: string;
  readonly redis: string;
  readonly rootKey: string;
  readonly entrypoint: string;
  readonly address: string;
  readonly link: FleetLink;
  readonly linkSince: number;
  /** Names this host's edge routers serve. */
  readonly published: readonly string[];
  readonly refused: readonly FleetRefusal[];
  readonly lastSyncAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  /** Edge keys this host has in Redis. */
  readonly keys: number;
  /** MULTI/EXEC updates, keys set or deleted by them, and full resyncs (start, reconnect, data lost). */
  readonly updates: number;
  readonly keysWritten: number;
  readonly resyncs: number;
  /** Bumped whenever anything above but the times changes (routes.json caches on it). */
  readonly version: number;
}
