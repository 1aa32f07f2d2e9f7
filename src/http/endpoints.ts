// Which path serves what: each endpoint turns the runtime view into a complete reply (status,
// content type, bytes). The HTTP mechanics around them (methods, HEAD, errors) are in server.ts.

import { fleetStatusOf } from './fleet-report.ts';
import { healthHttpStatus, healthReport } from './health.ts';
import { metricsText } from './metrics.ts';
import { portsReport } from './ports.ts';
import { processMetricsText, startProcessMetrics } from './process-metrics.ts';
import { RoutesBodyCache, RoutesFilterCache } from './routes.ts';
import { ResponseBody } from './response-body.ts';
import { DeliveryBodyCache, YAML_CONTENT_TYPE, type DeliveryFormat } from './traefik-delivery.ts';
import type { RuntimeView } from './runtime-view.ts';
import { HTML_CONTENT_TYPE, STATUS_HEADERS, statusHtml } from './status-html.ts';
import { statusPage } from './status-model.ts';

/** A filter longer than any host name is a mistake or a probe, not a search. */
const MAX_FILTER_LENGTH = 256;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: ResponseBody;
  /** Headers of this reply only (the status page's Content-Security-Policy). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EndpointRequest {
  /** The query string without its `?` ('' without one), parsed by the endpoints that read it. */
  readonly search: string;
  /** Unix ms the request is answered at: one clock reading for all ages in a body. */
  readonly now: number;
}

/** Synchronous except /metrics, whose process families prom-client only hands out as a promise. */
export type Endpoint = (request: EndpointRequest) => Reply | Promise<Reply>;

/**
 * Compact, one line: operators pipe it through `python3 -m json.tool` or jq (as the docs show), and
 * indenting made 10,000 routes 55 % bigger (5.2 MB instead of 3.35 MB) for every request.
 */
export function serializeJson(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function jsonReply(status: number, value: unknown): Reply {
  return { status, contentType: JSON_CONTENT_TYPE, body: new ResponseBody(serializeJson(value)) };
}

export function endpointsFor(view: RuntimeView): ReadonlyMap<string, Endpoint> {
  const routesBodies = new RoutesBodyCache();
  const routesFilters = new RoutesFilterCache();
  const delivery = new DeliveryBodyCache(`route-server ${view.version}`);
  // Before the first render there is nothing to merge: 503 makes Traefik keep what it has and poll again.
  const deliver = (format: DeliveryFormat): Endpoint => () => {
    const latest = view.latest();
    if (!latest) return jsonReply(503, { error: 'no render yet: route-server has not read every daemon once' });
    return { status: 200, contentType: format === 'json' ? JSON_CONTENT_TYPE : YAML_CONTENT_TYPE, body: delivery.body(latest, format) };
  };
  startProcessMetrics();
  return new Map<string, Endpoint>([
    [
      '/',
      ({ search, now }) => ({
        status: 200,
        contentType: HTML_CONTENT_TYPE,
        headers: STATUS_HEADERS,
        body: new ResponseBody(statusHtml(statusPage(view, now), (new URLSearchParams(search).get('q') ?? '').slice(0, MAX_FILTER_LENGTH))),
      }),
    ],
    [
      '/health',
      ({ now }) => {
        const report = healthReport(view, now);
        return jsonReply(healthHttpStatus(report.status), report);
      },
    ],
    [
      '/routes.json',
      ({ search }) => ({
        status: 200,
        contentType: JSON_CONTENT_TYPE,
        body: routesBodies.body(view.latest(), routesFilters.of(search), serializeJson, view.fleetSinkStatus ? view.fleetSinkStatus() : fleetStatusOf(view.sinks())),
      }),
    ],
    ['/ports', () => jsonReply(200, portsReport(view))],
    ['/traefik.yml', deliver('yaml')],
    ['/traefik.json', deliver('json')],
    [
      '/metrics',
      async ({ now }) => {
        // route-server's families are read first, at `now`; the process families follow them.
        const own = metricsText(view, now);
        return { status: 200, contentType: METRICS_CONTENT_TYPE, body: new ResponseBody(own + (await processMetricsText())) };
      },
    ],
  ]);
}
