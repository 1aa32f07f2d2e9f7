// GET /events: the status page's live feed, as server-sent events. Each `status` event carries the
// whole page model (status-model.ts); one is sent on connect and then whenever what the page shows
// changes. While someone watches, the feed listens to the runtime (RuntimeView.subscribe): a burst
// of notices gives one look, at most one a second, and a look that finds the page as last sent
// (minus its ages) sends nothing. The model is built once per change for every open stream. With
// nothing changing, only a keep-alive comment goes out. Streams are few (bounded), slow readers
// are dropped rather than buffered for, and close() ends them all (shutdown must not wait for a
// browser tab).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { Logger } from '../model/logger.ts';
import { serializeJson } from './endpoints.ts';
import { healthReport } from './health.ts';
import { statusPage } from './status-model.ts';
import type { RenderSummary, RuntimeView } from './runtime-view.ts';

export interface StatusEventsOptions {
  readonly view: RuntimeView;
  readonly logger: Logger;
  readonly now: () => number;
  /** Open streams at most; more get 503 (the page then retries later). */
  readonly maxStreams?: number;
  /** Looks at the page at most this often; notices in between wait for the next look. */
  readonly minIntervalMs?: number;
  /** A notice waits this long for the rest of its burst (a render, then its deliveries). */
  readonly settleMs?: number;
  /** A comment line this often keeps proxies from closing a quiet stream, and finds clients that went away. */
  readonly heartbeatMs?: number;
  /** A client this far behind (bytes queued) is dropped: a stalled tab must not hold memory. */
  readonly maxQueuedBytes?: number;
}

export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream; charset=utf-8';

export class StatusEvents {
  readonly #options: Required<StatusEventsOptions>;
  readonly #streams = new Set<ServerResponse>();
  readonly #renderIds = new WeakMap<RenderSummary, number>();
  #renders = 0;
  #keepAlive: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  /** The look a notice scheduled, if it has not run yet. */
  #look: NodeJS.Timeout | null = null;
  #lastLookAt = -Infinity;
  /** The page last built: its key, and its JSON without `now` (each event gets the time it is sent). */
  #sent: { readonly key: string; readonly body: string } | undefined;
  #closed = false;

  constructor(options: StatusEventsOptions) {
    this.#options = { maxStreams: 16, minIntervalMs: 1000, settleMs: 100, heartbeatMs: 15_000, maxQueuedBytes: 16 * 1024 * 1024, ...options };
  }

  get streams(): number {
    return this.#streams.size;
  }

  /** Answers one GET or HEAD of /events; the response stays open until either side ends it. */
  attach(request: IncomingMessage, response: ServerResponse): void {
    if (this.#closed || this.#streams.size >= this.#options.maxStreams) {
      const body = serializeJson({ error: this.#closed ? 'shutting down' : `too many live status streams (${this.#options.maxStreams}); retry later` });
      response.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'Retry-After': '10' });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    response.writeHead(200, { 'Content-Type': EVENT_STREAM_CONTENT_TYPE, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    response.on('close', () => {
      this.#streams.delete(response);
      if (this.#streams.size === 0) this.#stopListening();
    });
    // Streams already open hear of a change first, so the page sent stays the same for all of them.
    const sent = this.#check();
    // After a lost connection the browser comes back in 3 s; the first event tells it everything.
    if (sent) this.#send(response, `retry: 3000\n${this.#event(sent.body)}`);
    this.#streams.add(response);
    if (this.#unsubscribe === null) {
      this.#unsubscribe = this.#options.view.subscribe(() => this.#noticed());
      this.#keepAlive = setInterval(() => this.#broadcast(': still here\n\n'), this.#options.heartbeatMs);
    }
  }

  /** Ends every stream and refuses new ones; safe to call twice. */
  close(): void {
    this.#closed = true;
    this.#stopListening();
    for (const response of this.#streams) response.end();
    this.#streams.clear();
  }

  #stopListening(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
    if (this.#look !== null) clearTimeout(this.#look);
    this.#look = null;
  }

  /** Something may have changed: look once the burst is over, and not sooner than a second after the last look. */
  #noticed(): void {
    if (this.#look !== null || this.#closed) return;
    const delay = Math.max(this.#options.settleMs, this.#lastLookAt + this.#options.minIntervalMs - performance.now());
    this.#look = setTimeout(() => {
      this.#look = null;
      this.#check();
    }, delay);
  }

  /** What the page shows, without its ages: the health report at time 0 has them all as 0. */
  #key(): string {
    const latest = this.#options.view.latest();
    let render = 0;
    if (latest) {
      render = this.#renderIds.get(latest) ?? ++this.#renders;
      this.#renderIds.set(latest, render);
    }
    return `${render}\n${JSON.stringify(healthReport(this.#options.view, 0))}`;
  }

  /** The page sets its clock from the model's `now`: each event carries the time it is sent. */
  #event(body: string): string {
    return `event: status\ndata: {"now":${this.#options.now()},${body.slice(1)}\n\n`;
  }

  /** Builds the page if it changed since last built and sends it to every open stream; the page as built. */
  #check(): { readonly key: string; readonly body: string } | undefined {
    this.#lastLookAt = performance.now();
    try {
      const key = this.#key();
      if (key === this.#sent?.key) return this.#sent;
      const page = statusPage(this.#options.view, this.#options.now());
      this.#sent = { key, body: JSON.stringify({ ...page, now: undefined }) };
      this.#broadcast(this.#event(this.#sent.body));
    } catch (error) {
      this.#options.logger.error('status page update failed', { error, stack: error instanceof Error ? error.stack : undefined });
    }
    return this.#sent;
  }

  #broadcast(chunk: string): void {
    for (const response of this.#streams) this.#send(response, chunk);
  }

  #send(response: ServerResponse, chunk: string): void {
    // Gone but not yet 'close'd (that comes a tick later): writing would raise on a closed stream.
    if (response.writableEnded || response.destroyed) return;
    if (response.writableLength > this.#options.maxQueuedBytes) {
      this.#options.logger.warn('status page client too slow; stream dropped', { queuedBytes: response.writableLength });
      response.destroy();
      return;
    }
    response.write(chunk);
  }
}
