// Which entrypoints this host's Traefik has, from the same infra settings `route-server static`
// writes its configuration from, and a warning for every router that names one it lacks. Traefik
// keeps such a router but it never receives traffic there: the seed's "TCP port unreachable".

import type { Diagnostic } from '../model/diagnostics.ts';
import type { RouteInfo } from './fragment.ts';
import type { PortRange } from './options.ts';

/** TCP ports every host has an entrypoint for, without `--tcp-ports`. */
export const PRECONFIGURED_TCP_PORTS: readonly number[] = [3306, 5432, 6379, 27017, 11211, 5672, 9092];
/** UDP ports every host has an entrypoint for, without `--udp-ports`. */
export const PRECONFIGURED_UDP_PORTS: readonly number[] = [53];

export interface InfraEntrypointSettings {
  readonly ipv6: boolean;
  /** Extra ports (`--tcp-ports`, `--udp-ports`), beside the pre-configured ones. */
  readonly tcpPorts: readonly number[];
  readonly udpPorts: readonly number[];
  readonly tcpRange: PortRange;
  readonly udpRange: PortRange | undefined;
}

/** The entrypoints `route-server static` defines for these settings, plus what adds a missing one. */
export interface HostEntrypoints {
  readonly names: readonly string[];
  readonly ipv6: boolean;
}

export function hostEntrypoints(settings: InfraEntrypointSettings): HostEntrypoints {
  const names = ['web', 'websecure', ...(settings.ipv6 ? ['web-v6', 'websecure-v6'] : [])];
  for (const port of tcpPortsOf(settings)) names.push(`tcp-${port}`);
  for (const port of udpPortsOf(settings)) names.push(`udp-${port}`);
  return { names, ipv6: settings.ipv6 };
}

/** Pre-configured, extra and range ports, ascending, each once. */
export function tcpPortsOf(settings: InfraEntrypointSettings): number[] {
  return portSet([...PRECONFIGURED_TCP_PORTS, ...settings.tcpPorts], settings.tcpRange);
}

export function udpPortsOf(settings: InfraEntrypointSettings): number[] {
  return portSet([...PRECONFIGURED_UDP_PORTS, ...settings.udpPorts], settings.udpRange);
}

function portSet(ports: readonly number[], range: PortRange | undefined): number[] {
  const all = new Set(ports);
  if (range) for (let port = range.first; port <= range.last; port++) all.add(port);
  return [...all].sort((a, b) => a - b);
}

const V6_ONLY = new Set(['web-v6', 'websecure-v6']);

/**
 * One diagnostic per router naming entrypoints the host lacks. An IPv6 entrypoint on a host
 * without IPv6 is only info: Traefik serves the router on its other entrypoints, and the seed's
 * own labels name `websecure,websecure-v6` everywhere.
 */
export function missingEntrypointDiagnostics(routes: readonly RouteInfo[], host: HostEntrypoints): Diagnostic[] {
  const known = new Set(host.names);
  const out: Diagnostic[] = [];
  for (const route of routes) {
    const missing = route.entryPoints.filter((ep) => !known.has(ep));
    if (missing.length === 0) continue;
    const onlyV6 = !host.ipv6 && missing.every((ep) => V6_ONLY.has(ep));
    const hints = missing.map((ep) => `${ep} (${settingThatAdds(ep)})`).join(', ');
    const diagnostic: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
      daemon: route.daemon,
      severity: onlyV6 ? 'info' : 'warning',
      code: 'entrypoint-unknown',
      message: `${route.protocol} router ${route.name} is written, but this host's Traefik has no entrypoint ${hints}`,
    };
    if (route.containers.length === 1) diagnostic.container = route.containers[0] as string;
    if (!route.autoRoute) diagnostic.label = `traefik.${route.protocol}.routers.${tenantName(route)}.entrypoints`;
    out.push(diagnostic);
  }
  return out;
}

/** What an operator sets so that `route-server static` defines the entrypoint. */
export function settingThatAdds(entrypoint: string): string {
  const port = /^(tcp|udp)-([1-9][0-9]{0,4})$/.exec(entrypoint);
  if (port && Number(port[2]) <= 65535) return `add ${port[2]} to --${port[1]}-ports`;
  if (V6_ONLY.has(entrypoint)) return 'set --public-ipv6';
  return 'no setting adds it: route-server static defines web, websecure, their -v6 twins, tcp-{port} and udp-{port}';
}

/** Routers are renamed `{name}-{daemon}`; the label spells the tenant's own name. */
function tenantName(route: RouteInfo): string {
  const suffix = `-${route.daemon}`;
  return route.name.endsWith(suffix) ? route.name.slice(0, -suffix.length) : route.name;
}
