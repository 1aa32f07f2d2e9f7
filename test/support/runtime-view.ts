// Shared by the HTTP tests and scripts/bench-routes.ts: a RuntimeView over plain, mutable data (no
// Docker, no disk), builders with sensible defaults, and a small client that speaks real HTTP to
// the server on loopback.

import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import type { TestContext } from 'node:test';
import { gunzipSync } from 'node:zlib';

import type { Diagnostic, DiagnosticCode } from '../../src/model/diagnostics.ts';
import type { Logger } from '../../src/model/logger.ts';
import type { RouteInfo } from '../../src/render/fragment.ts';
import type { DaemonStatus } from '../../src/source/daemon-status.ts';
import { Metrics } from '../../src/http/metrics-registry.ts';
import type { MetricFamily } from '../../src/http/prometheus-text.ts';
import type { SinkStatus } from '../../src/output/fragment-sink.ts';
import { fileSinkStatus } from '../../src/output/yaml-file-sink.ts';
import type { WriterStatus } from '../../src/write/writer-status.ts';
import type { OperatorFileStatus } from '../../src/write/held-claim-source.ts';
import type { RenderSummary, RuntimeSettings, RuntimeView } from '../../src/http/runtime-view.ts';
import { startHttpServer } from '../../src/http/server.ts';
import { recordingLogger } from './recording-logger.ts';
import type { RefusedDaemon } from '../../src/source/daemon-ids.ts';

export const T0 = Date.parse('2025-06-01T12:00:00.000Z');

export class PlainRuntimeView implements RuntimeView {
  version = '9.9.9-test';
  startedAt = T0;
  settings: RuntimeSettings = {
    baseDomain: 'example.com',
    autoRoutes: true,
    entrypoints: ['web', 'websecure'],
    tcpRange: { first: 10000, last: 10010 },
    udpRange: undefined,
    outDir: '/etc/traefik/dynamic',
    filePrefix: 'route-server-',
    hostEntrypoints: undefined,
  };
  readonly metrics = new Metrics();
  daemonList: DaemonStatus[] = [];
  summary: RenderSummary | undefined = undefined;
  writerStatus: WriterStatus = writerStatus();
  stale = new Set<string>();
  operatorFileList: OperatorFileStatus[] = [];
  refusedDaemonList: RefusedDaemon[] = [];

  daemons(): readonly DaemonStatus[] {
    return this.daemonList;
  }
  latest(): RenderSummary | undefined {
    return this.summary;
  }
  sinks(): readonly SinkStatus[] {
    return [fileSinkStatus(this.writerStatus)];
  }
  metricFamilies(daemons: readonly string[]): MetricFamily[] {
    return this.metrics.families(daemons);
  }
  staleDaemons(): ReadonlySet<string> {
    return this.stale;
  }
  refusedDaemons(): readonly RefusedDaemon[] {
    return this.refusedDaemonList;
  }

  operatorFiles(): readonly OperatorFileStatus[] {
    return this.operatorFileList;
  }

  readonly #listeners = new Set<() => void>();
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  /** Tells subscribers (the status feed) that the data may have changed, as the runtime does. */
  changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

export function daemonStatus(id: string, fields: Partial<DaemonStatus> = {}): DaemonStatus {
  return {
    id,
    socket: `/var/run/rediacc/docker-${id}.sock`,
    state: 'connected',
    since: T0,
    synced: true,
    containers: [],
    lastEventAt: null,
    lastSyncAt: T0,
    lastError: null,
    reconnects: 0,
    eventsReceived: 0,
    containerFaults: [],
    ...fields,
  };
}

export function routeInfo(daemon: string, name: string, fields: Partial<RouteInfo> = {}): RouteInfo {
  return {
    protocol: 'http',
    name: `${name}-${daemon}`,
    rule: `Host(\`${name}-${daemon}.example.com\`)`,
    entryPoints: ['websecure'],
    tls: { certResolver: 'letsencrypt' },
    middlewares: [],
    service: `${name}-${daemon}`,
    servers: [`http://127.0.${Number(daemon) % 256}.2:8080`],
    daemon,
    containers: [name],
    autoRoute: false,
    ...fields,
  };
}

export function diagnostic(daemon: string, code: DiagnosticCode, fields: Partial<Diagnostic> = {}): Diagnostic {
  return { daemon, severity: 'error', code, message: `${code} in ${daemon}`, ...fields };
}

export function renderSummary(fields: Partial<RenderSummary> = {}): RenderSummary {
  return { renderedAt: T0 + 1_000, routes: [], diagnostics: [], allocations: [], explicitEntrypoints: [], fragments: [], ...fields };
}

export function writerStatus(fields: Partial<WriterStatus> = {}): WriterStatus {
  return {
    dir: '/etc/traefik/dynamic',
    files: [],
    lastWriteAt: null,
    lastError: null,
    lastErrorAt: null,
    writes: 0,
    writeErrors: 0,
    restores: 0,
    skippedUnchanged: 0,
    ...fields,
  };
}


/** The server on 127.0.0.1, a free port, closed after the test; `now` pins the clock for ages. */
export async function serveView(t: TestContext, view: RuntimeView, options: { now?: number; logger?: Logger } = {}): Promise<number> {
  const fixed = options.now;
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    view,
    logger: options.logger ?? recordingLogger(),
    ...(fixed === undefined ? {} : { now: () => fixed }),
  });
  t.after(() => server.close());
  return server.address.port;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** Bytes on the wire. */
  readonly bytes: number;
}

/** One request to 127.0.0.1; the whole body as text (gunzipped when the server compressed it). */
export function fetchText(
  port: number,
  path: string,
  options: { method?: string; agent?: Agent; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const target = { host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent ?? false, headers: options.headers ?? {} };
    const request = httpRequest(target, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = response.headers['content-encoding'] === 'gzip' && raw.length > 0 ? gunzipSync(raw) : raw;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: body.toString('utf8'), bytes: raw.length });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** Tests read the JSON by path; `any` keeps them short (the shapes are asserted, not typed). */
export async function fetchJson<T = any>(port: number, path: string): Promise<HttpResult & { readonly json: T }> {
  const result = await fetchText(port, path);
  return { ...result, json: JSON.parse(result.text) as T };
}
