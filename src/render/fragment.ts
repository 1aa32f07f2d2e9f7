// A tenant's accepted resources become its fragment: every name renamed `{name}-{id}` with every
// internal reference rewritten, and a route inventory for /routes.json naming where each router
// came from.

import { emptyObject, ensureMap, ensureObject, own, ownObject, ownString, ownStrings, type ConfigObject, type ConfigValue } from '../traefik/config.ts';
import { compareUtf16, sortInPlace } from '../model/ordering.ts';
import type { ContainerSnapshot } from '../model/snapshot.ts';
import { renameReferences } from './references.ts';
import { serversOf, type Section, type TenantConfig } from './tenant-config.ts';

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
export function assembleFragment(tenantId: string, config: TenantConfig, allowRefs: ReadonlySet<string>): TenantFragment {
  const out = emptyObject();
  const rename = (name: string) => finalName(name, tenantId);
  for (const [section, top, key] of WRITTEN) {
    const resources = config[section];
    if (resources.size === 0) continue;
    const map = ensureMap(ensureObject(out, top), key);
    for (const name of sortInPlace([...resources.keys()], compareUtf16)) {
      // Values belong to this render (built fresh from the snapshot), so they are renamed in place.
      const value = (resources.get(name) as { value: ConfigObject }).value;
      renameReferences(section, value, config, allowRefs, rename);
      map[rename(name)] = value;
    }
  }
  return { config: out, routes: routesOf(tenantId, config, out) };
}

const byName = (a: readonly [string, unknown], b: readonly [string, unknown]): number => compareUtf16(a[0], b[0]);

const ROUTER_SECTIONS = { http: 'http.routers', tcp: 'tcp.routers', udp: 'udp.routers' } as const satisfies Record<string, Section>;

function routesOf(tenantId: string, config: TenantConfig, out: ConfigObject): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const protocol of ['http', 'tcp', 'udp'] as const) {
    const resources = config[ROUTER_SECTIONS[protocol]];
    if (resources.size === 0) continue;
    const written = ownObject(out, protocol);
    const services = ownObject(written, 'services');
    const routers = ownObject(written, 'routers');
    const serverKey = protocol === 'http' ? 'url' : 'address';
    for (const [name, resource] of sortInPlace([...resources], byName)) {
      const final = finalName(name, tenantId);
      const router = ownObject(routers, final) as ConfigObject;
      const service = ownString(router, 'service') ?? '';
      const servers = serversOf(ownObject(ownObject(services, service), 'loadBalancer')).map((server) => ownString(server, serverKey) ?? '');
      const tls = own(router, 'tls');
      const rule = ownString(router, 'rule');
      routes.push({
        protocol,
        name: final,
        ...(rule === undefined ? {} : { rule }),
        entryPoints: ownStrings(router, 'entryPoints') ?? [],
        ...(tls === undefined ? {} : { tls }),
        middlewares: ownStrings(router, 'middlewares') ?? [],
        service,
        servers,
        daemon: tenantId,
        containers: resource.origins.length === 1 ? [(resource.origins[0] as ContainerSnapshot).name] : [...new Set(resource.origins.map((c) => c.name))].sort(),
        autoRoute: resource.autoRoute,
      });
    }
  }
  return routes;
}
