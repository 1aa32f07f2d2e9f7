// A tenant's configuration while it is being checked: every resource kept by section and name,
// with the containers it came from (for claims by age, diagnostics and /routes.json). Containers
// are merged the way Traefik merges one provider's containers (pkg/provider/merge.go).

import type { ContainerSnapshot } from '../model/snapshot.ts';
import type { DiagnosticSink } from '../model/diagnostics.ts';
import { emptyObject, isConfigObject, own, ownObject, type ConfigObject, type ConfigValue } from '../traefik/config.ts';
import {
  findField,
  HttpMiddleware,
  HttpRouter,
  HttpService,
  Model,
  TcpMiddleware,
  TcpRouter,
  TcpService,
  TlsStore,
  UdpRouter,
  UdpService,
  type StructDef,
} from '../traefik/fields.ts';
import { semanticallyEqual } from '../traefik/semantic-equality.ts';
import { resourceLabel } from './label-lookup.ts';
import { compareCodePoints } from '../model/ordering.ts';

export const SECTIONS = [
  'http.routers',
  'http.services',
  'http.middlewares',
  'http.models',
  'tcp.routers',
  'tcp.services',
  'tcp.middlewares',
  'udp.routers',
  'udp.services',
  'tls.stores',
] as const;

export type Section = (typeof SECTIONS)[number];

const WORDS: Record<Section, string> = {
  'http.routers': 'HTTP router',
  'http.services': 'HTTP service',
  'http.middlewares': 'HTTP middleware',
  'http.models': 'HTTP model',
  'tcp.routers': 'TCP router',
  'tcp.services': 'TCP service',
  'tcp.middlewares': 'TCP middleware',
  'udp.routers': 'UDP router',
  'udp.services': 'UDP service',
  'tls.stores': 'TLS store',
};

export function sectionWords(section: Section): string {
  return WORDS[section];
}

export interface Resource {
  value: ConfigObject;
  /** Containers that define it (several when replicas merged). */
  readonly origins: ContainerSnapshot[];
  readonly autoRoute: boolean;
}

export type TenantConfig = Record<Section, Map<string, Resource>>;

export function emptyTenantConfig(): TenantConfig {
  return Object.fromEntries(SECTIONS.map((section) => [section, new Map<string, Resource>()])) as TenantConfig;
}

export interface ContainerConfig {
  readonly container: ContainerSnapshot;
  /** Traefik's merge order key: `<normalized name>-<container id>`. */
  readonly key: string;
  readonly config: ConfigObject;
  readonly autoRoute: boolean;
}

/** Merges containers in Traefik's order; same-named resources must be identical, services merge servers. */
export function mergeContainers(items: readonly ContainerConfig[], sink: DiagnosticSink, refused?: Set<string>): TenantConfig {
  const merged = emptyTenantConfig();
  const conflicts = new Map<string, { section: Section; name: string; origins: ContainerSnapshot[] }>();
  const ordered = [...items].sort((a, b) => compareCodePoints(a.key, b.key));
  const serverIds = new WeakMap<ConfigObject, Set<string>>();
  for (const item of ordered) {
    for (const section of SECTIONS) {
      const [top, key] = section.split('.') as [string, string];
      const map = ownObject(ownObject(item.config, top), key);
      if (!map) continue;
      for (const name of Object.keys(map)) {
        const value = map[name];
        if (!isConfigObject(value)) continue;
        const existing = merged[section].get(name);
        if (!existing) {
          merged[section].set(name, { value, origins: [item.container], autoRoute: item.autoRoute });
          continue;
        }
        existing.origins.push(item.container);
        if (!tryMerge(section, existing.value, value, serverIds)) {
          const id = `${section}\u0000${name}`;
          const conflict = conflicts.get(id) ?? { section, name, origins: existing.origins };
          conflicts.set(id, conflict);
        }
      }
    }
  }
  for (const { section, name, origins } of conflicts.values()) {
    merged[section].delete(name);
    refused?.add(`${section}\u0000${name}`);
    const byName = new Map(origins.map((c) => [c.name, c]));
    const containers = [...byName.keys()].sort();
    for (const container of containers) {
      const label = resourceLabel(byName.get(container) as ContainerSnapshot, section, name);
      const message = `${sectionWords(section)} ${name} defined multiple times with different configurations (containers ${containers.join(', ')}); dropped`;
      sink.error('defined-multiple-times', message, label === undefined ? { container } : { container, label });
    }
  }
  return merged;
}

const STRUCTS: Record<Section, StructDef> = {
  'http.routers': HttpRouter,
  'http.services': HttpService,
  'http.middlewares': HttpMiddleware,
  'http.models': Model,
  'tcp.routers': TcpRouter,
  'tcp.services': TcpService,
  'tcp.middlewares': TcpMiddleware,
  'udp.routers': UdpRouter,
  'udp.services': UdpService,
  'tls.stores': TlsStore,
};

/**
 * Services with load balancers merge when equal apart from servers; anything else must be equal.
 * Equal means equal after Traefik's defaults and parsing (pkg/provider/merge.go compares decoded
 * structs), so `passhostheader=true` on one replica only still merges.
 */
function tryMerge(section: Section, existing: ConfigObject, incoming: ConfigObject, serverIds: WeakMap<ConfigObject, Set<string>>): boolean {
  if (section === 'http.services' || section === 'tcp.services' || section === 'udp.services') {
    const left = ownObject(existing, 'loadBalancer');
    const right = ownObject(incoming, 'loadBalancer');
    const loadBalancer = findField(STRUCTS[section], 'loadBalancer');
    if (left && right && loadBalancer?.type.kind === 'struct') {
      return mergeLoadBalancers(left, right, section === 'http.services' ? 'url' : 'address', loadBalancer.type.struct, serverIds);
    }
  }
  return semanticallyEqual(existing, incoming, STRUCTS[section]);
}

/**
 * Adds the incoming replica's servers to the merged load balancer. The merged server list and the
 * ids in it are kept between merges (`serverIds`), so N replicas cost N steps, not N².
 */
function mergeLoadBalancers(
  left: ConfigObject,
  right: ConfigObject,
  identity: 'url' | 'address',
  struct: StructDef,
  serverIds: WeakMap<ConfigObject, Set<string>>,
): boolean {
  if (!semanticallyEqual(withoutServers(left), withoutServers(right), struct)) return false;
  let seen = serverIds.get(left);
  if (!seen) {
    left['servers'] = serversOf(left);
    seen = new Set((left['servers'] as ConfigObject[]).map((server) => String(own(server, identity) ?? '')));
    serverIds.set(left, seen);
  }
  const servers = left['servers'] as ConfigObject[];
  for (const server of serversOf(right)) {
    const id = String(own(server, identity) ?? '');
    if (seen.has(id)) continue;
    seen.add(id);
    servers.push(server);
  }
  left['servers'] = servers;
  return true;
}

function withoutServers(loadBalancer: ConfigObject): ConfigObject {
  const copy = emptyObject();
  for (const key of Object.keys(loadBalancer)) if (key !== 'servers') copy[key] = loadBalancer[key] as ConfigValue;
  return copy;
}

export function serversOf(loadBalancer: ConfigObject | undefined): ConfigObject[] {
  const servers = own(loadBalancer, 'servers');
  return Array.isArray(servers) ? servers.filter(isConfigObject) : [];
}

/**
 * Removes a resource and reports why, once, against every container that defined it, naming the
 * label at `labelPath` (below the resource, e.g. `rule` or `loadbalancer.server.url`) when the
 * container has one.
 */
export function refuse(
  config: TenantConfig,
  section: Section,
  name: string,
  sink: DiagnosticSink,
  code: string,
  reason: string,
  labelPath?: string,
): void {
  const resource = config[section].get(name);
  if (!resource) return;
  config[section].delete(name);
  const containers = new Map(resource.origins.map((c) => [c.name, c]));
  for (const container of [...containers.keys()].sort()) {
    const label = resourceLabel(containers.get(container) as ContainerSnapshot, section, name, labelPath);
    sink.error(code, `${sectionWords(section)} ${name} refused: ${reason}`, label === undefined ? { container } : { container, label });
  }
}

/** Oldest known creation time of a resource's containers; undefined when none is known. */
export function resourceAge(resource: Resource): number | undefined {
  const times = resource.origins.map((c) => c.created).filter((t): t is number => t !== null);
  // reduce, not Math.min(...): a spread of 130,000 replicas overflows the stack.
  return times.length > 0 ? times.reduce((a, b) => Math.min(a, b)) : undefined;
}
