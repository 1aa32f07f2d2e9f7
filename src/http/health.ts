// GET /health: is route-server doing its job, and if not, which daemon, which sink or which file is
// the problem and since when. `reasons` says in words why the status is not `ok`, so an operator does
// not have to work it out from the details below it.

import type { DaemonState } from '../source/daemon-status.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import { ageMs, isoTime } from './json-time.ts';
import { isFailing, type SinkStatus } from '../output/fragment-sink.ts';
import type { WriterStatus } from '../write/writer-status.ts';
import { NO_DIAGNOSTICS, routeCounts, type PerProtocol, type PerSeverity } from './route-counts.ts';
import type { OperatorFileStatus } from '../write/held-claim-source.ts';
import type { RuntimeView } from './runtime-view.ts';
import { fleetReasons, fleetReport, fleetStatusOf, type FleetReport } from './fleet-report.ts';

export type HealthStatus = 'ok' | 'degraded' | 'error';

export interface DaemonHealth {
  readonly id: string;
  readonly socket: string;
  readonly state: DaemonState;
  readonly stateSince: string | null;
  readonly stateAgeMs: number | null;
  /** Its fragment stays on disk while it is unreachable. */
  readonly stale: boolean;
  readonly synced: boolean;
  readonly containers: number;
  readonly routers: number;
  readonly diagnostics: PerSeverity;
  readonly lastEventAt: string | null;
  readonly lastEventAgeMs: number | null;
  readonly lastSyncAt: string | null;
  readonly lastSyncAgeMs: number | null;
  readonly lastError: string | null;
  readonly reconnects: number;
  readonly eventsReceived: number;
  /** Containers this daemon fails to inspect while it answers everything else. */
  readonly containerFaults: readonly ContainerFaultHealth[];
}

export interface ContainerFaultHealth {
  readonly id: string;
  readonly container: string | null;
  readonly error: string;
  readonly since: string | null;
  readonly failures: number;
}

export interface FileHealth {
  readonly daemon: string;
  readonly file: string;
  readonly bytes: number;
  readonly writtenAt: string | null;
  readonly writtenAgeMs: number | null;
  readonly pending: boolean;
  readonly lastError: string | null;
}

export interface OutputHealth {
  readonly dir: string;
  readonly failing: boolean;
  readonly lastWriteAt: string | null;
  readonly lastWriteAgeMs: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly lastErrorAgeMs: number | null;
  readonly writes: number;
  readonly writeErrors: number;
  readonly restores: number;
  readonly skippedUnchanged: number;
  readonly pendingFiles: number;
  readonly files: readonly FileHealth[];
}

/** One place fragments go (`files` today), as /health shows it. */
export interface SinkHealth {
  readonly kind: string;
  readonly target: string;
  readonly failing: boolean;
  readonly lastDeliveredAt: string | null;
  readonly lastDeliveredAgeMs: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly lastErrorAgeMs: number | null;
  readonly delivered: number;
  readonly errors: number;
  readonly pending: number;
}

export interface HealthReport {
  readonly status: HealthStatus;
  readonly reasons: readonly string[];
  readonly version: string;
  readonly startedAt: string | null;
  readonly uptimeSeconds: number;
  readonly autoRoutes: boolean;
  readonly baseDomain: string | null;
  readonly routers: PerProtocol;
  readonly services: PerProtocol;
  readonly autoRouters: number;
  readonly diagnostics: PerSeverity;
  readonly daemonCounts: Readonly<Record<DaemonState | 'stale' | 'total', number>>;
  readonly lastRenderAt: string | null;
  readonly lastRenderAgeMs: number | null;
  readonly daemons: readonly DaemonHealth[];
  /** The file sink's directory and files. */
  readonly output: OutputHealth | null;
  readonly sinks: readonly SinkHealth[];
  /** The operator's own files in the output directory, whose hosts are reserved. */
  readonly operatorFiles: readonly OperatorFileStatus[];
  /** Sockets not served because another daemon already has their id; that daemon keeps it. */
  readonly refusedDaemons: readonly RefusedDaemonHealth[];
  /** The fleet edge link (`--fleet-redis`), null without one. */
  readonly fleet: FleetReport | null;
}

export interface RefusedDaemonHealth {
  readonly id: string;
  readonly socket: string;
  readonly heldBy: string;
  readonly since: string | null;
}

/** With a thousand daemons down, the first few reasons say enough; the list says the rest. */
const MAX_REASONS = 20;

export function healthReport(view: RuntimeView, now: number): HealthReport {
  const latest = view.latest();
  const counts = routeCounts(latest);
  const stale = view.staleDaemons();
  const sinks = view.sinks();
  // The fleet edge is a copy elsewhere: Redis down degrades this host, it never stops its files.
  const failing = sinks.some((sink) => sink.failing && sink.fleet === undefined);
  const fleet = fleetStatusOf(sinks);
  const files = sinks.find((sink) => sink.files !== undefined)?.files;

  const daemons = [...view.daemons()].sort((a, b) => compareDaemonIds(a.id, b.id));
  const daemonCounts = { total: daemons.length, connecting: 0, connected: 0, reconnecting: 0, error: 0, stale: 0 };
  const reasons: string[] = [];
  if (fleet) reasons.push(...fleetReasons(fleet));
  for (const sink of sinks) {
    const what = sink.kind === 'files' ? 'output' : `${sink.kind} ${sink.target}`;
    if (sink.failing && sink.fleet === undefined) reasons.push(`${what}: nothing written since ${isoTime(sink.lastErrorAt)}: ${sink.lastError ?? 'unknown error'}`);
  }
  const daemonHealth = daemons.map((daemon): DaemonHealth => {
    const isStale = stale.has(daemon.id);
    daemonCounts[daemon.state]++;
    if (isStale) daemonCounts.stale++;
    if (daemon.state !== 'connected' || isStale) {
      const error = daemon.lastError === null ? '' : `: ${daemon.lastError}`;
      const served = isStale ? ' (stale: its last good fragment is kept)' : '';
      reasons.push(`daemon ${daemon.id}: ${daemon.state} since ${isoTime(daemon.since)}${error}${served}`);
    }
    for (const fault of daemon.containerFaults) {
      reasons.push(`daemon ${daemon.id}: container ${fault.name ?? fault.id.slice(0, 12)}: ${fault.error} (since ${isoTime(fault.since)}, retrying)`);
    }
    return {
      id: daemon.id,
      socket: daemon.socket,
      state: daemon.state,
      stateSince: isoTime(daemon.since),
      stateAgeMs: ageMs(daemon.since, now),
      stale: isStale,
      synced: daemon.synced,
      containers: daemon.containers.length,
      routers: counts.routersByDaemon.get(daemon.id) ?? 0,
      diagnostics: counts.diagnosticsByDaemon.get(daemon.id) ?? NO_DIAGNOSTICS,
      lastEventAt: isoTime(daemon.lastEventAt),
      lastEventAgeMs: ageMs(daemon.lastEventAt, now),
      lastSyncAt: isoTime(daemon.lastSyncAt),
      lastSyncAgeMs: ageMs(daemon.lastSyncAt, now),
      lastError: daemon.lastError,
      reconnects: daemon.reconnects,
      eventsReceived: daemon.eventsReceived,
      containerFaults: daemon.containerFaults.map((fault) => ({
        id: fault.id,
        container: fault.name,
        error: fault.error,
        since: isoTime(fault.since),
        failures: fault.failures,
      })),
    };
  });
  for (const sink of sinks) {
    if (sink.failing) continue;
    const what = sink.kind === 'files' ? 'output' : `${sink.kind} ${sink.target}`;
    for (const { daemon, error } of [...sink.failingDaemons].sort((x, y) => compareDaemonIds(x.daemon, y.daemon))) reasons.push(`${what}: ${daemon}: ${error}`);
  }

  // Traefik drops the whole directory for one file it cannot parse: worth saying loudly.
  const operatorFiles = view.operatorFiles?.() ?? [];
  for (const file of operatorFiles) {
    if (file.error !== null) reasons.push(`operator file ${file.file}: not readable (${file.error}); its last good reading is kept`);
  }

  const refusedDaemons = (view.refusedDaemons?.() ?? []).map((refused): RefusedDaemonHealth => {
    reasons.push(`daemon ${refused.id}: the socket ${refused.socket} is refused, ${refused.heldBy} has that id`);
    return { id: refused.id, socket: refused.socket, heldBy: refused.heldBy, since: isoTime(refused.since) };
  });

  const status: HealthStatus = failing ? 'error' : reasons.length > 0 ? 'degraded' : 'ok';
  const shownReasons =
    reasons.length > MAX_REASONS ? [...reasons.slice(0, MAX_REASONS), `… and ${reasons.length - MAX_REASONS} more (see daemons and output)`] : reasons;

  return {
    status,
    reasons: shownReasons,
    version: view.version,
    startedAt: isoTime(view.startedAt),
    uptimeSeconds: Math.max(0, Math.floor((now - view.startedAt) / 1000)),
    autoRoutes: view.settings.autoRoutes,
    baseDomain: view.settings.baseDomain ?? null,
    routers: counts.routers,
    services: counts.services,
    autoRouters: counts.autoRoutes,
    diagnostics: counts.diagnostics,
    daemonCounts,
    lastRenderAt: isoTime(latest?.renderedAt),
    lastRenderAgeMs: ageMs(latest?.renderedAt, now),
    daemons: daemonHealth,
    output: files === undefined ? null : outputHealth(files, now),
    operatorFiles,
    refusedDaemons,
    sinks: sinks.map((sink) => sinkHealth(sink, now)),
    fleet: fleet === undefined ? null : fleetReport(fleet, now),
  };
}

function outputHealth(writer: WriterStatus, now: number): OutputHealth {
  const files = [...writer.files]
    .sort((a, b) => compareDaemonIds(a.daemon, b.daemon))
    .map((file): FileHealth => ({
      daemon: file.daemon,
      file: file.file,
      bytes: file.bytes,
      writtenAt: isoTime(file.writtenAt),
      writtenAgeMs: ageMs(file.writtenAt, now),
      pending: file.pending,
      lastError: file.lastError,
    }));
  return {
    dir: writer.dir,
    failing: isFailing(writer.lastWriteAt, writer.lastErrorAt),
    lastWriteAt: isoTime(writer.lastWriteAt),
    lastWriteAgeMs: ageMs(writer.lastWriteAt, now),
    lastError: writer.lastError,
    lastErrorAt: isoTime(writer.lastErrorAt),
    lastErrorAgeMs: ageMs(writer.lastErrorAt, now),
    writes: writer.writes,
    writeErrors: writer.writeErrors,
    restores: writer.restores,
    skippedUnchanged: writer.skippedUnchanged,
    pendingFiles: writer.files.filter((f) => f.pending).length,
    files,
  };
}

function sinkHealth(sink: SinkStatus, now: number): SinkHealth {
  return {
    kind: sink.kind,
    target: sink.target,
    failing: sink.failing,
    lastDeliveredAt: isoTime(sink.lastDeliveredAt),
    lastDeliveredAgeMs: ageMs(sink.lastDeliveredAt, now),
    lastError: sink.lastError,
    lastErrorAt: isoTime(sink.lastErrorAt),
    lastErrorAgeMs: ageMs(sink.lastErrorAt, now),
    delivered: sink.delivered,
    errors: sink.errors,
    pending: sink.pending.length,
  };
}

/** 503 only when output cannot be written: a degraded host still serves every route it can. */
export function healthHttpStatus(status: HealthStatus): number {
  return status === 'error' ? 503 : 200;
}
