// What the side HTTP server may read of the running process. Everything here is a cheap read of
// state other parts keep up to date; nothing here may wait on Docker or the disk.

import type { FleetStatus } from '../fleet/fleet-status.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import type { SinkStatus } from '../output/fragment-sink.ts';
import type { RouteInfo } from '../render/fragment.ts';
import type { PortRange } from '../render/options.ts';
import type { PortAllocation } from '../render/ports.ts';
import type { Fragment } from '../render/render.ts';
import type { DaemonStatus, RefusedDaemon } from '../source/discovery.ts';
import type { OperatorFileStatus } from '../write/held-claim-source.ts';
import type { MetricFamily } from './prometheus-text.ts';

export interface RenderSummary {
  /** Unix ms of the render. */
  readonly renderedAt: number;
  readonly routes: readonly RouteInfo[];
  readonly diagnostics: readonly Diagnostic[];
  readonly allocations: readonly PortAllocation[];
  /** Entrypoints routers name themselves: not free for allocation. */
  readonly explicitEntrypoints: readonly string[];
  /** What each daemon's file holds after this render (a stale daemon keeps its last good one), by daemon id. */
  readonly fragments: readonly Fragment[];
}

export interface RuntimeSettings {
  readonly baseDomain: string | undefined;
  readonly autoRoutes: boolean;
  readonly entrypoints: readonly string[];
  readonly tcpRange: PortRange;
  readonly udpRange: PortRange | undefined;
  readonly outDir: string;
  readonly filePrefix: string;
  /** The entrypoints this host's Traefik has (from the infra options), or undefined when unknown. */
  readonly hostEntrypoints: readonly string[] | undefined;
}

export interface RuntimeView {
  readonly version: string;
  /** Unix ms the process started. */
  readonly startedAt: number;
  readonly settings: RuntimeSettings;
  daemons(): readonly DaemonStatus[];
  /** The last render, or undefined before the first one. */
  latest(): RenderSummary | undefined;
  /** Where fragments go (the file sink today), each with its own delivery status. */
  sinks(): readonly SinkStatus[];
  /** Daemons whose fragment stays on disk although the daemon is unreachable (its last good file). */
  staleDaemons(): ReadonlySet<string>;
  /** The operator's files read from the output directory (absent: none are read). */
  operatorFiles?(): readonly OperatorFileStatus[];
  /** The counters the process pushes; per-daemon ones get a 0 sample for each of `daemons`. */
  metricFamilies(daemons: readonly string[]): MetricFamily[];
  /**
   * The fleet sink's state, without every sink's status (the file sink's lists every file): read
   * on every /routes.json request. Absent: taken from sinks().
   */
  fleetSinkStatus?(): FleetStatus | undefined;
  /** Sockets not served because another daemon has their id (absent: none). */
  refusedDaemons?(): readonly RefusedDaemon[];
  /**
   * Calls `listener` (synchronously, often in bursts) after something the status page shows may
   * have changed: a render, a daemon's state, containers or faults, a daemon attached, detached or
   * refused, a delivery or a failed one, the operator's files. Returns the unsubscribe.
   */
  subscribe(listener: () => void): () => void;
}
