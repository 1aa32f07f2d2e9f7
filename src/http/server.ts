// The side HTTP server (SPEC §8): plain node:http, GET and HEAD on a few paths, everything else a
// JSON error. Handlers only read the runtime view (and process counters), so a request can never wait
// on Docker or the disk; a handler that throws is logged here and answered with a bare 500.

import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Logger } from '../model/logger.ts';
import { endpointsFor, jsonReply, type Endpoint, type Reply } from './endpoints.ts';
import { acceptsGzip } from './response-body.ts';
import type { RuntimeView } from './runtime-view.ts';
import { StatusEvents } from './status-events.ts';

/** The status page's live feed: a stream, not a reply, so it is served apart from the endpoints. */
const EVENTS_PATH = '/events';

export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly view: RuntimeView;
  readonly logger: Logger;
  /** Clock for ages in responses; tests pin it. */
  readonly now?: () => number;
}

export interface RunningHttpServer {
  readonly address: { readonly host: string; readonly port: number };
  /** Stops listening and ends open (keep-alive) connections; safe to call twice. */
  close(): Promise<void>;
}

const ALLOW = 'GET, HEAD';

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const endpoints = endpointsFor(options.view);
  const events = new StatusEvents({ view: options.view, logger, now });
  const server = createServer((request, response) => {
    respond(request, response, endpoints, events, now, logger).catch((error: unknown) => {
      // Nothing here may take the process (and with it every route) down: drop this connection only.
      logger.error('http response failed', { url: request.url, error, stack: error instanceof Error ? error.stack : undefined });
      response.destroy();
    });
  });
  // A diagnostic endpoint on loopback: slow or idle clients get little patience.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('http server error', { error }));
  // Where it listens is the caller's to log (it knows what the server is for).
  const info = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    address: { host: info.address, port: info.port },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        events.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for keep-alive clients to go away by themselves.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function respond(
  request: IncomingMessage,
  response: ServerResponse,
  endpoints: ReadonlyMap<string, Endpoint>,
  events: StatusEvents,
  now: () => number,
  logger: Logger,
): Promise<void> {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  // Split by hand: `new URL('//x', base)` would read a host out of a path.
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const search = queryAt < 0 ? '' : target.slice(queryAt + 1);
  const endpoint = endpoints.get(path);
  const known = endpoint !== undefined || path === EVENTS_PATH;
  let reply: Reply;
  let allow = false;
  if (!known) {
    reply = jsonReply(404, { error: `not found: ${path}`, endpoints: [...endpoints.keys(), EVENTS_PATH] });
  } else if (request.method !== 'GET' && request.method !== 'HEAD') {
    reply = jsonReply(405, { error: `method ${request.method ?? ''} not allowed on ${path}`, allow: ALLOW.split(', ') });
    allow = true;
  } else if (!endpoint) {
    events.attach(request, response);
    return;
  } else {
    try {
      reply = await endpoint({ search, now: now() });
    } catch (error) {
      logger.error('http handler failed', { path, error, stack: error instanceof Error ? error.stack : undefined });
      reply = jsonReply(500, { error: 'internal error; see the route-server log' });
    }
  }
  const gzip = reply.body.worthCompressing && acceptsGzip(request.headers['accept-encoding']);
  const body = gzip ? reply.body.gzip() : reply.body.identity;
  // Built in place, not spread from parts: this runs for every request.
  const headers: OutgoingHttpHeaders = {
    'Content-Type': reply.contentType,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (reply.body.worthCompressing) headers['Vary'] = 'Accept-Encoding';
  if (gzip) headers['Content-Encoding'] = 'gzip';
  if (allow) headers['Allow'] = ALLOW;
  if (reply.headers) Object.assign(headers, reply.headers);
  response.writeHead(reply.status, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}
