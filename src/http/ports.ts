// GET /ports: who holds which port of the TCP/UDP ranges, what it forwards to, and what is still
// free. Explicit `tcp-N`/`udp-N` entrypoints that routers name themselves are listed apart: they
// are never handed out, which is the usual answer to "why is 10003 neither free nor allocated?".

import type { RouteInfo } from '../render/fragment.ts';
import type { PortRange } from '../render/options.ts';
import { entrypointName, freePorts, type PortProtocol } from '../render/ports.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import { isoTime } from './json-time.ts';
import type { RuntimeView } from './runtime-view.ts';

export interface PortAllocationEntry {
  readonly port: number;
  readonly entrypoint: string;
  readonly daemon: string;
  /** Final (renamed) router name, as in /routes.json. */
  readonly router: string;
  /** A router of the last render uses it; a dormant allocation is kept for its router's return. */
  readonly active: boolean;
  /** The first backend server, or null when the router is gone or has none. */
  readonly backend: string | null;
  readonly servers: readonly string[];
  readonly lastSeenAt: string | null;
}

export interface ExplicitPortEntry {
  readonly port: number;
  readonly entrypoint: string;
  readonly inRange: boolean;
  readonly routers: readonly { readonly daemon: string; readonly router: string; readonly protocol: RouteInfo['protocol'] }[];
}

export interface ProtocolPorts {
  readonly range: PortRange | null;
  readonly counts: { readonly size: number; readonly allocated: number; readonly explicit: number; readonly free: number };
  readonly allocations: readonly PortAllocationEntry[];
  readonly explicit: readonly ExplicitPortEntry[];
  readonly free: readonly number[];
}

export interface PortsReport {
  readonly renderedAt: string | null;
  /** The entrypoints this host's Traefik has (from the infra options); null when unknown. */
  readonly entrypoints: readonly string[] | null;
  readonly tcp: ProtocolPorts;
  readonly udp: ProtocolPorts;
}

export function portsReport(view: RuntimeView): PortsReport {
  const latest = view.latest();
  const routes = latest?.routes ?? [];
  const byRouter = new Map(routes.map((r) => [routeKey(r.protocol, r.daemon, r.name), r]));
  const explicit = new Set(latest?.explicitEntrypoints ?? []);
  const allocations = latest?.allocations ?? [];

  const forProtocol = (protocol: PortProtocol, range: PortRange | undefined): ProtocolPorts => {
    const entries = allocations
      .filter((a) => a.protocol === protocol)
      .map((a): PortAllocationEntry => {
        const router = `${a.router}-${a.daemon}`;
        const route = byRouter.get(routeKey(protocol, a.daemon, router));
        return {
          port: a.port,
          entrypoint: entrypointName(protocol, a.port),
          daemon: a.daemon,
          router,
          active: route !== undefined,
          backend: route?.servers[0] ?? null,
          servers: route?.servers ?? [],
          lastSeenAt: isoTime(a.lastSeen),
        };
      })
      .sort((a, b) => a.port - b.port || compareDaemonIds(a.daemon, b.daemon));
    const explicitEntries = explicitPorts(protocol, explicit, routes, range);
    const free = freePorts(protocol, range, allocations, explicit);
    return {
      range: range ? { first: range.first, last: range.last } : null,
      counts: {
        size: range ? range.last - range.first + 1 : 0,
        allocated: entries.length,
        explicit: explicitEntries.filter((e) => e.inRange).length,
        free: free.length,
      },
      allocations: entries,
      explicit: explicitEntries,
      free,
    };
  };

  return {
    renderedAt: isoTime(latest?.renderedAt),
    entrypoints: view.settings.hostEntrypoints ?? null,
    tcp: forProtocol('tcp', view.settings.tcpRange),
    udp: forProtocol('udp', view.settings.udpRange),
  };
}

function explicitPorts(protocol: PortProtocol, explicit: ReadonlySet<string>, routes: readonly RouteInfo[], range: PortRange | undefined): ExplicitPortEntry[] {
  const pattern = new RegExp(`^${protocol}-(\\d{1,5})$`);
  const users = new Map<string, ExplicitPortEntry['routers'][number][]>();
  for (const entrypoint of explicit) if (pattern.test(entrypoint)) users.set(entrypoint, []);
  for (const route of routes) {
    for (const entrypoint of route.entryPoints) users.get(entrypoint)?.push({ daemon: route.daemon, router: route.name, protocol: route.protocol });
  }
  const entries: ExplicitPortEntry[] = [];
  for (const [entrypoint, routers] of users) {
    const port = Number(entrypoint.slice(protocol.length + 1));
    routers.sort((a, b) => compareDaemonIds(a.daemon, b.daemon) || (a.router < b.router ? -1 : a.router > b.router ? 1 : 0));
    entries.push({ port, entrypoint, inRange: range !== undefined && port >= range.first && port <= range.last, routers });
  }
  return entries.sort((a, b) => a.port - b.port);
}

function routeKey(protocol: string, daemon: string, name: string): string {
  return `${protocol}/${daemon}/${name}`;
}
