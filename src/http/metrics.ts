// The process's counters and histograms, kept in memory and called by discovery, render and write
// code on their hot paths (so every call is O(1) and never throws), and the /metrics body: those
// counters plus gauges computed at scrape time from the runtime view, so a gauge can never drift
// from what /health says.

import type { DaemonState } from '../source/daemon-watcher.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import { Histogram } from './histogram.ts';
import { formatFamilies, histogramSamples, type MetricFamily, type Sample } from './prometheus-text.ts';
import { isOutputFailing } from './output-status.ts';
import { routeCounts } from './route-counts.ts';
import type { RuntimeView } from './runtime-view.ts';

/** From "instant" to "Traefik would have polled twice": the SLO band of event → file on disk. */
export const EVENT_TO_WRITE_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const RENDER_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

const PREFIX = 'route_server_';

export class Metrics {
  readonly #eventsReceived = new Map<string, number>();
  readonly #writes = new Map<string, number>();
  readonly #writeErrors = new Map<string, number>();
  readonly #reconnects = new Map<string, number>();
  readonly #renderDuration = new Histogram(RENDER_BUCKETS_SECONDS);
  readonly #eventToWrite = new Histogram(EVENT_TO_WRITE_BUCKETS_SECONDS);
  #renders = 0;

  /** A container event of this daemon passed the filter. */
  eventReceived(daemon: string): void {
    increment(this.#eventsReceived, daemon);
  }

  /** A render finished, taking `ms`. */
  renderDone(ms: number): void {
    this.#renders++;
    this.#renderDuration.observe(ms / 1000);
  }

  /** This daemon's fragment was written (or removed). */
  writeDone(daemon: string): void {
    increment(this.#writes, daemon);
  }

  writeFailed(daemon: string): void {
    increment(this.#writeErrors, daemon);
  }

  /** A lost connection to this daemon came back. */
  reconnected(daemon: string): void {
    increment(this.#reconnects, daemon);
  }

  /** From the first event of a batch to its fragment being on disk. */
  eventToWrite(ms: number): void {
    this.#eventToWrite.observe(ms / 1000);
  }

  /**
   * The registry's own families. Per-daemon counters get a 0 sample for every daemon in `daemons`,
   * so `rate()` and `increase()` work from the first scrape instead of from the first event.
   */
  families(daemons: readonly string[] = []): MetricFamily[] {
    const perDaemon = (name: string, help: string, counts: ReadonlyMap<string, number>): MetricFamily => {
      const ids = [...new Set([...daemons, ...counts.keys()])].sort(compareDaemonIds);
      return { name: PREFIX + name, help, type: 'counter', samples: ids.map((daemon) => ({ labels: { daemon }, value: counts.get(daemon) ?? 0 })) };
    };
    return [
      perDaemon('events_received_total', 'Container events received, per daemon.', this.#eventsReceived),
      { name: `${PREFIX}renders_total`, help: 'Renders of the Traefik configuration.', type: 'counter', samples: [{ value: this.#renders }] },
      {
        name: `${PREFIX}render_duration_seconds`,
        help: 'Time one render took.',
        type: 'histogram',
        samples: histogramSamples(this.#renderDuration.snapshot()),
      },
      perDaemon('writes_total', 'Fragment files written or removed, per daemon.', this.#writes),
      perDaemon('write_errors_total', 'Failed fragment writes, per daemon.', this.#writeErrors),
      perDaemon('reconnects_total', 'Connections to a daemon re-established after a loss.', this.#reconnects),
      {
        name: `${PREFIX}event_to_write_seconds`,
        help: 'Time from a container event to its fragment being on disk.',
        type: 'histogram',
        samples: histogramSamples(this.#eventToWrite.snapshot()),
      },
    ];
  }
}

/** The /metrics body. */
export function metricsText(view: RuntimeView, now: number): string {
  const daemons = view.daemons();
  const stale = view.staleDaemons();
  const writer = view.writer();
  const latest = view.latest();
  const counts = routeCounts(latest);
  const byState = { connecting: 0, connected: 0, reconnecting: 0, error: 0 } satisfies Record<DaemonState, number>;
  for (const daemon of daemons) byState[daemon.state]++;
  const ids = daemons.map((d) => d.id).sort(compareDaemonIds);
  const connected = new Map(daemons.map((d) => [d.id, d.state === 'connected' ? 1 : 0]));

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
    gauge('last_write_timestamp_seconds', 'Unix time of the last successful write; 0 before the first.', [
      { value: writer.lastWriteAt === null ? 0 : seconds(writer.lastWriteAt) },
    ]),
    gauge('output_failing', '1 when the last write attempt failed after the last success.', [{ value: isOutputFailing(writer) ? 1 : 0 }]),
    gauge('port_allocations', 'Ports allocated to routers without entrypoints, per protocol.', [
      { labels: { protocol: 'tcp' }, value: latest?.allocations.filter((a) => a.protocol === 'tcp').length ?? 0 },
      { labels: { protocol: 'udp' }, value: latest?.allocations.filter((a) => a.protocol === 'udp').length ?? 0 },
    ]),
    {
      name: `${PREFIX}write_restores_total`,
      help: 'Fragment files changed or deleted by someone else that were put back.',
      type: 'counter',
      samples: [{ value: writer.restores }],
    },
  ];
  return formatFamilies([...view.metrics.families(ids), ...families]);
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
