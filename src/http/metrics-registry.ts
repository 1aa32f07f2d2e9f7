// The counters and histograms the running process pushes (writes, renders, latencies): called on
// hot paths, so every call is O(1) and never throws. What /health also shows (events, reconnects,
// states) is not counted here but read from the same status at scrape time (metrics.ts).

import { compareDaemonIds } from '../model/ordering.ts';
import { Histogram } from './histogram.ts';
import { histogramSamples, type MetricFamily } from './prometheus-text.ts';

/** From "instant" to "Traefik would have polled twice": the SLO band of event → file on disk. */
export const EVENT_TO_WRITE_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const RENDER_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const METRIC_PREFIX = 'route_server_';
const PREFIX = METRIC_PREFIX;

export class Metrics {
  readonly #writes = new Map<string, number>();
  readonly #writeErrors = new Map<string, number>();
  readonly #renderDuration = new Histogram(RENDER_BUCKETS_SECONDS);
  readonly #eventToWrite = new Histogram(EVENT_TO_WRITE_BUCKETS_SECONDS);
  #renders = 0;

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
      { name: `${PREFIX}renders_total`, help: 'Renders of the Traefik configuration.', type: 'counter', samples: [{ value: this.#renders }] },
      {
        name: `${PREFIX}render_duration_seconds`,
        help: 'Time one render took.',
        type: 'histogram',
        samples: histogramSamples(this.#renderDuration.snapshot()),
      },
      perDaemon('writes_total', 'Fragment files written or removed, per daemon.', this.#writes),
      perDaemon('write_errors_total', 'Failed fragment writes, per daemon.', this.#writeErrors),
      {
        name: `${PREFIX}event_to_write_seconds`,
        help: 'Time from a container event to its fragment being on disk.',
        type: 'histogram',
        samples: histogramSamples(this.#eventToWrite.snapshot()),
      },
    ];
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
