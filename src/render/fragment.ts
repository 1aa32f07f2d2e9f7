// A tenant's accepted resources become its fragment: every name renamed `{name}-{id}` with every
// internal reference rewritten, and a route inventory for /routes.json naming where each router
// came from.

import { emptyObject, ensureMap, ensureObject, isConfigObject, own, ownObject, ownString, type ConfigObject, type ConfigValue } from '../traefik/config.ts';
import { compareUtf16, sortInPlace } from '../model/ordering.ts';
import type { ContainerSnapshot } from '../model/snapshot.ts';
import { renameReferences } from './references.ts';
import type { Resource, Section, TenantConfig } from './tenant-config.ts';

export interface RouteInfo {
  readonly protocol: 'http' | 'tcp' | 'udp';
  /** Final (renamed) router name. */
  readonly name: string;
  readonly rule?: string;
  readonly entryPoints: readonly string[];
  readonly tls?: ConfigValue;
  readonly middlewares: readonly string[];
  /** Final service name as written in the fragment. */
  readonly service: string;
  /** Backend URLs (HTTP) or addresses (TCP/UDP); empty for an allowed foreign service. */
  readonly servers: readonly string[];
  readonly daemon: string;
  readonly containers: readonly string[];
  readonly autoRoute: boolean;
}

export interface TenantFragment {
  readonly config: ConfigObject;
  readonly routes: readonly RouteInfo[];
}

/** The sections written, each with the two keys it goes under (split once). */
const WRITTEN: readonly (readonly [Section, string, string])[] = (
  ['http.routers', 'http.services', 'http.middlewares', 'tcp.routers', 'tcp.services', 'tcp.middlewares', 'udp.routers', 'udp.services'] as const
).map((section) => [section, ...(section.split('.') as [string, string])] as const);

export function finalName(name: string, tenantId: string): string {
  return `${name}-${tenantId}`;
}

/**
 * The tenant's fragment: every definition it kept, used by a router or not, as Traefik's Docker
 * provider keeps them (an operator's own file may use `name-{id}@file`); an empty config when the
 * tenant kept nothing.
 */
export function assembleFragment(tenantId: string, config: TenantConfig): TenantFragment {
  const out = emptyObject();
  const rename = (name: string) => finalName(name, tenantId);
  // The routers as written (final name, resource), protocol by protocol in name order: /routes.json's order.
  const routers: Written[] = [];
  for (const [section, top, key] of WRITTEN) {
    const resources = config[section];
    if (resources.size === 0) continue;
    const map = ensureMap(ensureObject(out, top), key);
    const isRouters = key === 'routers';
    for (const name of sortInPlace([...resources.keys()], compareUtf16)) {
      // Values belong to this render (built fresh from the snapshot), so they are renamed in place.
      const resource = resources.get(name) as Resource;
      renameReferences(section, resource.value, config, rename);
      const final = rename(name);
      map[final] = resource.value;
      if (isRouters) routers.push({ protocol: top as RouteInfo['protocol'], name: final, resource });
    }
  }
  return { config: out, routes: routesOf(tenantId, routers, out) };
}

interface Written {
  readonly protocol: RouteInfo['protocol'];
  readonly name: string;
  readonly resource: Resource;
}

function routesOf(tenantId: string, routers: readonly Written[], out: ConfigObject): RouteInfo[] {
  const routes = new Array<RouteInfo>(routers.length);
  for (let i = 0; i < routers.length; i++) {
    const { protocol, name, resource } = routers[i] as Written;
    const router = resource.value;
    const service = ownString(router, 'service') ?? '';
    const route: Mutable<RouteInfo> = {
      protocol,
      name,
      entryPoints: stringsOf(own(router, 'entryPoints')),
      middlewares: stringsOf(own(router, 'middlewares')),
      service,
      servers: serverTargets(ownObject(ownObject(ownObject(out, protocol), 'services'), service), protocol === 'http' ? 'url' : 'address'),
      daemon: tenantId,
      containers: resource.origins.length === 1 ? [(resource.origins[0] as ContainerSnapshot).name] : [...new Set(resource.origins.map((c) => c.name))].sort(),
      autoRoute: resource.autoRoute,
    };
    const rule = ownString(router, 'rule');
    if (rule !== undefined) route.rule = rule;
    const tls = own(router, 'tls');
    if (tls !== undefined) route.tls = tls;
    routes[i] = route;
  }
  return routes;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A list's strings. The router's own list when it holds nothing else (always, after the checks):
 * routes are read-only, and nothing changes a written router's lists in place.
 */
function stringsOf(value: ConfigValue | undefined): readonly string[] {
  if (!Array.isArray(value)) return [];
  return value.every(isString) ? (value as string[]) : value.filter(isString);
}

const isString = (item: ConfigValue): item is string => typeof item === 'string';

/** Each server's URL (HTTP) or address (TCP, UDP), '' where it has none; none for a service not written here. */
function serverTargets(service: ConfigObject | undefined, key: 'url' | 'address'): string[] {
  const servers = own(ownObject(service, 'loadBalancer'), 'servers');
  if (!Array.isArray(servers)) return [];
  const targets: string[] = [];
  for (const server of servers) if (isConfigObject(server)) targets.push(ownString(server, key) ?? '');
  return targets;
}
