// What a daemon watcher reports about its daemon: connection state, the last known containers and
// the counters the status page, /health and /metrics show.

import type { ContainerSnapshot } from '../model/snapshot.ts';
import type { ContainerFault } from './container-table.ts';

/**
 * connecting: first attempt since attach. connected: subscribed and synced. reconnecting: a
 * connection was lost, getting it back. error: an attempt failed; retrying with backoff.
 */
export type DaemonState = 'connecting' | 'connected' | 'reconnecting' | 'error';

export interface DaemonStatus {
  readonly id: string;
  readonly socket: string;
  readonly state: DaemonState;
  /** Ms epoch of the last state change. */
  readonly since: number;
  /** A full list + inspect has completed since attach; until then `containers` means nothing. */
  readonly synced: boolean;
  /** The last known containers (kept while the daemon is away). */
  readonly containers: readonly ContainerSnapshot[];
  readonly lastEventAt: number | null;
  readonly lastSyncAt: number | null;
  /** Why the last connection or attempt ended; kept after recovery for the operator. */
  readonly lastError: string | null;
  /** Connections re-established after a loss. */
  readonly reconnects: number;
  /** Container events received (after filtering). */
  readonly eventsReceived: number;
  /** Containers the daemon fails to inspect (HTTP errors): kept as last known, retried. */
  readonly containerFaults: readonly ContainerFault[];
}
