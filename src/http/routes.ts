// GET /routes.json: every router of the last render with where it came from, and every diagnostic
// ("why is my service not routed?"). `?daemon=2816` (repeatable) narrows both lists to daemons.
// The body depends on the render and the filter only (no ages, no clock), so it is serialized once
// per render and filter: 10,000 routes are not stringified again for every request.

import { compareDiagnostics, type Diagnostic, type Severity } from '../model/diagnostics.ts';
import type { RouteInfo } from '../render/fragment.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import { isoTime } from './json-time.ts';
import { ResponseBody } from './response-body.ts';
import { countRoutes, PROTOCOLS, type PerProtocol, type PerSeverity } from './route-counts.ts';
import type { RenderSummary } from './runtime-view.ts';
import type { FleetStatus } from '../fleet/fleet-status.ts';

export interface RoutesFilter {
  /** Daemon ids to keep; empty keeps all. Sorted, without repeats. */
  readonly daemons: readonly string[];
}

export interface RouterEntry {
  readonly protocol: RouteInfo['protocol'];
  readonly name: string;
  readonly daemon: string;
  readonly containers: readonly string[];
  readonly autoRoute: boolean;
  readonly rule: string | null;
  readonly entryPoints: readonly string[];
  readonly tls: unknown;
  readonly middlewares: readonly string[];
  readonly service: string;
  readonly servers: readonly string[];
}

export interface DiagnosticEntry {
  readonly daemon: string;
  readonly container: string | null;
  readonly severity: Severity;
  readonly code: string;
  readonly label: string | null;
  readonly message: string;
}

export interface RoutesReport {
  readonly renderedAt: string | null;
  readonly filter: { readonly daemon: readonly string[] } | null;
  readonly counts: {
    readonly routers: PerProtocol;
    readonly autoRoutes: number;
    readonly daemons: number;
    readonly diagnostics: PerSeverity;
    readonly diagnosticCodes: Readonly<Record<string, number>>;
  };
  readonly routers: readonly RouterEntry[];
  readonly diagnostics: readonly DiagnosticEntry[];
  /** With `--fleet-redis`: the names published to the fleet edge, and those another host holds there. */
  readonly fleet: FleetRoutes | null;
}

export interface FleetRoutes {
  readonly name: string;
  readonly published: readonly string[];
  readonly refused: readonly { readonly name: string; readonly state: 'refused' | 'waiting'; readonly heldBy: string; readonly heldSince: string | null; readonly since: string | null; readonly message: string }[];
}

export function routesFilterFrom(query: URLSearchParams): RoutesFilter {
  const daemons = query
    .getAll('daemon')
    .flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return { daemons: [...new Set(daemons)].sort(compareDaemonIds) };
}

/** Queries longer than this are parsed on every request, not kept (a client could send many). */
const MAX_KEPT_QUERY_LENGTH = 256;
const MAX_KEPT_FILTERS = 4096;

/**
 * Filters by query string, kept: clients polling their own daemons ask the same queries again and
 * again. Parsing one was 1.2 of the 9.7 KB a `?daemon=ID` request allocated, and under load what
 * requests allocate sets how often the main heap's young generation is collected (a pause of
 * 7-18 ms at 1,000 daemons, docs/scale.md).
 */
export class RoutesFilterCache {
  readonly #filters = new Map<string, RoutesFilter>();

  of(search: string): RoutesFilter {
    let filter = this.#filters.get(search);
    if (!filter) {
      filter = routesFilterFrom(new URLSearchParams(search));
      if (search.length > MAX_KEPT_QUERY_LENGTH) return filter;
      if (this.#filters.size >= MAX_KEPT_FILTERS) this.#filters.clear();
      this.#filters.set(search, filter);
    }
    return filter;
  }
}

export function routesReport(summary: RenderSummary | undefined, filter: RoutesFilter = { daemons: [] }, fleet?: FleetStatus): RoutesReport {
  const wanted = new Set(filter.daemons);
  const keep = wanted.size === 0 ? () => true : (daemon: string) => wanted.has(daemon);
  const routes = (summary?.routes ?? []).filter((r) => keep(r.daemon));
  const diagnostics = (summary?.diagnostics ?? []).filter((d) => keep(d.daemon));
  const counts = countRoutes(routes, diagnostics);
  return {
    renderedAt: isoTime(summary?.renderedAt),
    filter: filter.daemons.length === 0 ? null : { daemon: filter.daemons },
    counts: {
      routers: counts.routers,
      autoRoutes: counts.autoRoutes,
      daemons: counts.routersByDaemon.size,
      diagnostics: counts.diagnostics,
      diagnosticCodes: counts.diagnosticCodes,
    },
    routers: [...routes].sort(compareRoutes).map(routerEntry),
    diagnostics: [...diagnostics].sort((a, b) => compareDaemonIds(a.daemon, b.daemon) || compareDiagnostics(a, b)).map(diagnosticEntry),
    fleet: fleet === undefined ? null : fleetRoutes(fleet),
  };
}

function fleetRoutes(fleet: FleetStatus): FleetRoutes {
  return {
    name: fleet.name,
    published: fleet.published,
    refused: fleet.refused.map((r) => ({
      name: r.name,
      state: r.state,
      heldBy: r.heldBy,
      heldSince: isoTime(r.heldSince),
      since: isoTime(r.since),
      message:
        r.state === 'refused'
          ? `the fleet edge routes ${r.name} to ${r.heldBy}, whose claim is older (since ${isoTime(r.heldSince)}); this host takes it when ${r.heldBy} stops routing it or its lease expires`
          : `this host's claim on ${r.name} won; ${r.heldBy} is removing its edge router first`,
    })),
  };
}

interface RenderBodies {
  /** Bodies of arbitrary filters, bounded. */
  readonly filtered: Map<string, ResponseBody>;
  /** `?daemon=ID` of a daemon in the render: one body each, kept for the render. */
  readonly perDaemon: Map<string, ResponseBody>;
  /** The render's routes and diagnostics by daemon, built on the first single-daemon request. */
  byDaemon?: Map<string, { routes: RouteInfo[]; diagnostics: Diagnostic[] }>;
}

/**
 * Serialized bodies (and their gzip form) per render; dropped with the render (WeakMap). A body for
 * one daemon is cut from an index of the render by daemon, not by filtering all routes, and kept
 * for every daemon of the render: a hundred clients asking about a hundred daemons stay cheap.
 */
export class RoutesBodyCache {
  readonly #bodies = new WeakMap<RenderSummary, RenderBodies>();
  readonly #maxFiltersPerRender: number;

  constructor(maxFiltersPerRender = 32) {
    this.#maxFiltersPerRender = maxFiltersPerRender;
  }

  body(summary: RenderSummary | undefined, filter: RoutesFilter, serialize: (report: RoutesReport) => string, fleet?: FleetStatus): ResponseBody {
    if (!summary) return new ResponseBody(serialize(routesReport(undefined, filter, fleet)));
    let bodies = this.#bodies.get(summary);
    if (!bodies) this.#bodies.set(summary, (bodies = { filtered: new Map(), perDaemon: new Map() }));
    // The fleet's state changes between renders: its version is part of every key.
    const fleetKey = fleet === undefined ? '' : `#fleet${fleet.version}`;
    if (filter.daemons.length === 1) {
      const daemon = filter.daemons[0] as string;
      const own = (bodies.byDaemon ??= indexByDaemon(summary)).get(daemon);
      if (own) {
        let body = bodies.perDaemon.get(daemon + fleetKey);
        if (!body) {
          if (bodies.perDaemon.size >= bodies.byDaemon.size * 2) bodies.perDaemon.clear();
          body = new ResponseBody(serialize(routesReport({ ...summary, ...own }, filter, fleet)));
          bodies.perDaemon.set(daemon + fleetKey, body);
        }
        return body;
      }
    }
    const key = filter.daemons.join(',') + fleetKey;
    let body = bodies.filtered.get(key);
    if (!body) {
      // Arbitrary filters must not grow memory without bound; the unfiltered body is the one that matters.
      if (bodies.filtered.size >= this.#maxFiltersPerRender) bodies.filtered.clear();
      body = new ResponseBody(serialize(routesReport(summary, filter, fleet)));
      bodies.filtered.set(key, body);
    }
    return body;
  }
}

function indexByDaemon(summary: RenderSummary): Map<string, { routes: RouteInfo[]; diagnostics: Diagnostic[] }> {
  const index = new Map<string, { routes: RouteInfo[]; diagnostics: Diagnostic[] }>();
  const entry = (daemon: string) => {
    let found = index.get(daemon);
    if (!found) index.set(daemon, (found = { routes: [], diagnostics: [] }));
    return found;
  };
  for (const route of summary.routes) entry(route.daemon).routes.push(route);
  for (const diagnostic of summary.diagnostics) entry(diagnostic.daemon).diagnostics.push(diagnostic);
  return index;
}

const PROTOCOL_ORDER = new Map(PROTOCOLS.map((p, i) => [p, i]));

function compareRoutes(a: RouteInfo, b: RouteInfo): number {
  return (
    compareDaemonIds(a.daemon, b.daemon) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (PROTOCOL_ORDER.get(a.protocol) ?? 0) - (PROTOCOL_ORDER.get(b.protocol) ?? 0)
  );
}

function routerEntry(route: RouteInfo): RouterEntry {
  return {
    protocol: route.protocol,
    name: route.name,
    daemon: route.daemon,
    containers: route.containers,
    autoRoute: route.autoRoute,
    rule: route.rule ?? null,
    entryPoints: route.entryPoints,
    tls: route.tls ?? null,
    middlewares: route.middlewares,
    service: route.service,
    servers: route.servers,
  };
}

function diagnosticEntry(diagnostic: Diagnostic): DiagnosticEntry {
  return {
    daemon: diagnostic.daemon,
    container: diagnostic.container ?? null,
    severity: diagnostic.severity,
    code: diagnostic.code,
    label: diagnostic.label ?? null,
    message: diagnostic.message,
  };
}
