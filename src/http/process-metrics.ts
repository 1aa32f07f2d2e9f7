// The process metrics every Node service exports, named as the ecosystem names them
// (process_resident_memory_bytes, nodejs_eventloop_lag_seconds, nodejs_gc_duration_seconds,
// nodejs_active_handles, …): prom-client's default collectors, in a registry of their own so that
// route-server's own families keep their hand-written, synchronous formatting.

import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/**
 * Starts the collectors once per process (they are process-wide: GC and event-loop delay are
 * observed from then on, so start them with the server rather than at the first scrape).
 */
export function startProcessMetrics(): void {
  if (registry) return;
  registry = new Registry();
  collectDefaultMetrics({ register: registry });
}

/** The process families in the text format, one line each, ending with a newline. */
export async function processMetricsText(): Promise<string> {
  startProcessMetrics();
  const text = await (registry as Registry).metrics();
  // prom-client separates families with blank lines (route-server's own body has none) and spells
  // not-a-number `Nan`: Prometheus reads that, stricter readers want the format's `NaN`.
  const lines = text.split('\n').filter((line) => line !== '');
  return `${lines.map((line) => (line.startsWith('#') ? line : line.replace(/ Nan$/, ' NaN'))).join('\n')}\n`;
}
