// The /metrics body: the registry's pushed counters (metrics-registry.ts) plus everything /health
// also shows (daemon states, events, reconnects, routes, output), read from the same status at
// scrape time, so /metrics can never drift from /health.

import type { DaemonState, DaemonStatus } from '../source/daemon-status.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import { METRIC_PREFIX as PREFIX } from './metrics-registry.ts';
import { formatFamilies, type MetricFamily, type Sample } from './prometheus-text.ts';
import { routeCounts } from './route-counts.ts';
import type { RuntimeView } from './runtime-view.ts';

/** The /metrics body. */
export function metricsText(view: RuntimeView, now: number): string {
  const daemons = view.daemons();
  const stale = view.staleDaemons();
  const sinks = view.sinks();
  const files = sinks.find((sink) => sink.files !== undefined)?.files;
  const lastDelivered = Math.max(0, ...sinks.map((sink) => sink.lastDeliveredAt ?? 0));
  const latest = view.latest();
  const counts = routeCounts(latest);
  const byState = { connecting: 0, connected: 0, reconnecting: 0, error: 0 } satisfies Record<DaemonState, number>;
  for (const daemon of daemons) byState[daemon.state]++;
  const connected = new Map(daemons.map((d) => [d.id, d.state === 'connected' ? 1 : 0]));
  const byId = [...daemons].sort((a, b) => compareDaemonIds(a.id, b.id));
  const ids = byId.map((daemon) => daemon.id);
  const perDaemon = (name: string, help: string, value: (daemon: DaemonStatus) => number): MetricFamily => ({
    name: PREFIX + name,
    help,
    type: 'counter',
    samples: byId.map((daemon) => ({ labels: { daemon: daemon.id }, value: value(daemon) })),
  });

  const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name: PREFIX + name, help, type: 'gauge', samples });
  const seconds = (ms: number) => ms / 1000;
  const families: MetricFamily[] = [
    gauge('build_info', 'Always 1; the version is a label.', [{ labels: { version: view.version }, value: 1 }]),
    gauge('start_time_seconds', 'Unix time the process started.', [{ value: seconds(view.startedAt) }]),
    gauge('uptime_seconds', 'Seconds since the process started.', [{ value: seconds(Math.max(0, now - view.startedAt)) }]),
    gauge(
      'daemons',
      'Daemons by connection state.',
      Object.entries(byState).map(([state, value]) => ({ labels: { state }, value })),
    ),
    gauge('daemons_stale', 'Daemons served from their last good fragment while unreachable.', [{ value: stale.size }]),
    gauge(
      'daemon_connected',
      '1 when the daemon is connected and synced, else 0.',
      ids.map((daemon) => ({ labels: { daemon }, value: connected.get(daemon) ?? 0 })),
    ),
    gauge(
      'routers',
      'Routers in the last render, per protocol.',
      (['http', 'tcp', 'udp'] as const).map((protocol) => ({ labels: { protocol }, value: counts.routers[protocol] })),
    ),
    gauge(
      'diagnostics',
      'Diagnostics of the last render, per severity.',
      (['error', 'warning', 'info'] as const).map((severity) => ({ labels: { severity }, value: counts.diagnostics[severity] })),
    ),
    gauge('last_render_timestamp_seconds', 'Unix time of the last render; 0 before the first.', [{ value: latest ? seconds(latest.renderedAt) : 0 }]),
    gauge('last_write_timestamp_seconds', 'Unix time of the last successful delivery to any sink; 0 before the first.', [{ value: seconds(lastDelivered) }]),
    gauge('output_failing', '1 when a sink\'s last delivery attempt failed after its last success.', [{ value: sinks.some((sink) => sink.failing) ? 1 : 0 }]),
    gauge(
      'sink_failing',
      '1 when this sink\'s last delivery attempt failed after its last success.',
      sinks.map((sink) => ({ labels: { sink: sink.kind, target: sink.target }, value: sink.failing ? 1 : 0 })),
    ),
    gauge(
      'sink_pending',
      'Daemons whose fragment this sink has not delivered as wanted yet.',
      sinks.map((sink) => ({ labels: { sink: sink.kind, target: sink.target }, value: sink.pending.length })),
    ),
    gauge('port_allocations', 'Ports allocated to routers without entrypoints, per protocol.', [
      { labels: { protocol: 'tcp' }, value: latest?.allocations.filter((a) => a.protocol === 'tcp').length ?? 0 },
      { labels: { protocol: 'udp' }, value: latest?.allocations.filter((a) => a.protocol === 'udp').length ?? 0 },
    ]),
    {
      name: `${PREFIX}write_restores_total`,
      help: 'Fragment files changed or deleted by someone else that were put back.',
      type: 'counter',
      samples: [{ value: files?.restores ?? 0 }],
    },
    perDaemon('events_received_total', 'Container events received, per daemon.', (d) => d.eventsReceived),
    perDaemon('reconnects_total', 'Connections to a daemon re-established after a loss.', (d) => d.reconnects),
  ];
  return formatFamilies([...view.metricFamilies(ids), ...families]);
}

