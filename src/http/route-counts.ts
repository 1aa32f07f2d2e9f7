// Counts over one render, computed once per render: /health and /metrics are scraped often and the
// render only changes when containers do, so 10,000 routes are not walked on every request.

import type { Diagnostic } from '../model/diagnostics.ts';
import { compareCodePoints } from '../model/ordering.ts';
import type { RouteInfo } from '../render/fragment.ts';

export type Protocol = RouteInfo['protocol'];

export const PROTOCOLS: readonly Protocol[] = ['http', 'tcp', 'udp'];

export interface PerProtocol {
  readonly http: number;
  readonly tcp: number;
  readonly udp: number;
  readonly total: number;
}

export interface PerSeverity {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  readonly total: number;
}

export interface RouteCounts {
  readonly routers: PerProtocol;
  /** Services routers point at (distinct per protocol), including foreign ones such as `api@internal`. */
  readonly services: PerProtocol;
  readonly autoRoutes: number;
  readonly diagnostics: PerSeverity;
  /** Diagnostics per code, keys sorted. */
  readonly diagnosticCodes: Readonly<Record<string, number>>;
  readonly routersByDaemon: ReadonlyMap<string, number>;
  readonly diagnosticsByDaemon: ReadonlyMap<string, PerSeverity>;
}

/** What counting needs of a render (runtime-view's RenderSummary has it). */
export interface RenderedRoutes {
  readonly routes: readonly RouteInfo[];
  readonly diagnostics: readonly Diagnostic[];
}

const cache = new WeakMap<RenderedRoutes, RouteCounts>();

export function routeCounts(summary: RenderedRoutes | undefined): RouteCounts {
  if (!summary) return countRoutes([], []);
  let counts = cache.get(summary);
  if (!counts) {
    counts = countRoutes(summary.routes, summary.diagnostics);
    cache.set(summary, counts);
  }
  return counts;
}

export function countRoutes(routes: readonly RouteInfo[], diagnostics: readonly Diagnostic[]): RouteCounts {
  const routers = { http: 0, tcp: 0, udp: 0 };
  const services = { http: new Set<string>(), tcp: new Set<string>(), udp: new Set<string>() };
  const routersByDaemon = new Map<string, number>();
  let autoRoutes = 0;
  for (const route of routes) {
    routers[route.protocol]++;
    if (route.service !== '') services[route.protocol].add(route.service);
    if (route.autoRoute) autoRoutes++;
    routersByDaemon.set(route.daemon, (routersByDaemon.get(route.daemon) ?? 0) + 1);
  }
  const severities = { error: 0, warning: 0, info: 0 };
  const codes = new Map<string, number>();
  const byDaemon = new Map<string, { error: number; warning: number; info: number; total: number }>();
  for (const diagnostic of diagnostics) {
    severities[diagnostic.severity]++;
    codes.set(diagnostic.code, (codes.get(diagnostic.code) ?? 0) + 1);
    let daemon = byDaemon.get(diagnostic.daemon);
    if (!daemon) byDaemon.set(diagnostic.daemon, (daemon = { error: 0, warning: 0, info: 0, total: 0 }));
    daemon[diagnostic.severity]++;
    daemon.total++;
  }
  return {
    routers: withTotal(routers),
    services: withTotal({ http: services.http.size, tcp: services.tcp.size, udp: services.udp.size }),
    autoRoutes,
    diagnostics: { ...severities, total: diagnostics.length },
    diagnosticCodes: Object.fromEntries([...codes].sort(([a], [b]) => compareCodePoints(a, b))),
    routersByDaemon,
    diagnosticsByDaemon: byDaemon,
  };
}

export const NO_DIAGNOSTICS: PerSeverity = { error: 0, warning: 0, info: 0, total: 0 };

function withTotal(counts: { http: number; tcp: number; udp: number }): PerProtocol {
  return { ...counts, total: counts.http + counts.tcp + counts.udp };
}
