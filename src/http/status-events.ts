// GET /events: the status page's live feed, as server-sent events. Each `status` event carries the
// whole page model (status-model.ts); one is sent on connect and then whenever what the page shows
// changes. Changes are found by looking, once a second and only while someone watches: the model
// minus its ages is compared with the last one sent, so nothing in discovery or the writer has to
// know about the page. Streams are few (bounded), slow readers are dropped rather than buffered
// for, and close() ends them all (shutdown must not wait for a browser tab).

import type { IncomingMessage, ServerResponse } from 'node:http';

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
  readonly checkIntervalMs?: number;
  /** A comment line this often finds clients that went away without a word. */
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
  #timers: NodeJS.Timeout[] = [];
  #sentKey: string | undefined;
  #closed = false;

  constructor(options: StatusEventsOptions) {
    this.#options = { maxStreams: 16, checkIntervalMs: 1000, heartbeatMs: 15_000, maxQueuedBytes: 16 * 1024 * 1024, ...options };
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
      if (this.#streams.size === 0) this.#stopTimers();
    });
    // Streams already open hear of a change first, so the key stays true for all of them.
    this.#check();
    // After a lost connection the browser comes back in 3 s; the first event tells it everything.
    this.#send(response, `retry: 3000\n${this.#event()}`);
    this.#streams.add(response);
    if (this.#timers.length === 0) {
      this.#timers = [
        setInterval(() => this.#check(), this.#options.checkIntervalMs),
        setInterval(() => this.#broadcast(': still here\n\n'), this.#options.heartbeatMs),
      ];
    }
  }

  /** Ends every stream and refuses new ones; safe to call twice. */
  close(): void {
    this.#closed = true;
    this.#stopTimers();
    for (const response of this.#streams) response.end();
    this.#streams.clear();
  }

  #stopTimers(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
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

  /** Built when sent, never cached: the page sets its clock from the model's `now`. */
  #event(): string {
    return `event: status\ndata: ${JSON.stringify(statusPage(this.#options.view, this.#options.now()))}\n\n`;
  }

  #check(): void {
    try {
      const key = this.#key();
      if (key === this.#sentKey) return;
      this.#sentKey = key;
      if (this.#streams.size > 0) this.#broadcast(this.#event());
    } catch (error) {
      this.#options.logger.error('status page update failed', { error, stack: error instanceof Error ? error.stack : undefined });
    }
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
