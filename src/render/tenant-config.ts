// A tenant's configuration while it is being checked: every resource kept by section and name,
// with the containers it came from (for claims by age, diagnostics and /routes.json). Containers
// are merged the way Traefik merges one provider's containers (pkg/provider/merge.go).

import type { ContainerSnapshot } from '../model/snapshot.ts';
import { emptyObject, isConfigObject, own, ownObject, type ConfigObject, type ConfigValue } from '../traefik/config.ts';
import { SECTION_STRUCTS } from '../traefik/fields/configuration.ts';
import { findField, type StructDef } from '../traefik/fields/table.ts';
import { semanticallyEqual } from '../traefik/semantic-equality.ts';
import type { TenantChecks } from './tenant-checks.ts';
import { compareCodePoints, sortInPlace } from '../model/ordering.ts';

/** The sections a tenant's resources live in, in the order output and checks visit them. */
export const SECTIONS = Object.keys(SECTION_STRUCTS) as (keyof typeof SECTION_STRUCTS)[];

export type Section = keyof typeof SECTION_STRUCTS;

/** Each section with the two keys it sits under in a container's configuration, split once. */
const SECTION_PATHS = SECTIONS.map((section) => [section, ...section.split('.')] as [Section, string, string]);

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
  const config = {} as TenantConfig;
  for (const section of SECTIONS) config[section] = new Map<string, Resource>();
  return config;
}

export interface ContainerConfig {
  readonly container: ContainerSnapshot;
  /** Traefik's merge order key: `<normalized name>-<container id>`. */
  readonly key: string;
  readonly config: ConfigObject;
  readonly autoRoute: boolean;
}

/**
 * Merges containers into `into` in Traefik's order; same-named resources must be identical,
 * services merge servers. Those that differ are refused through `checks`.
 */
export function mergeContainers(items: readonly ContainerConfig[], checks: TenantChecks, into: TenantConfig = checks.config): void {
  // Made when a second container defines a name: most tenants' containers share none.
  let conflicts: Map<string, { section: Section; name: string }> | undefined;
  let serverIds: WeakMap<ConfigObject, Set<string>> | undefined;
  for (const item of sortInPlace(items.slice(), byKey)) {
    // SECTION_PATHS runs top by top (http, tcp, udp, tls): each top is looked up once.
    let lastTop: string | undefined;
    let topObject: ConfigObject | undefined;
    for (const [section, top, key] of SECTION_PATHS) {
      if (top !== lastTop) {
        lastTop = top;
        topObject = ownObject(item.config, top);
      }
      const map = ownObject(topObject, key);
      if (!map) continue;
      for (const name of Object.keys(map)) {
        const value = map[name];
        if (!isConfigObject(value)) continue;
        const existing = into[section].get(name);
        if (!existing) {
          into[section].set(name, { value, origins: [item.container], autoRoute: item.autoRoute });
          continue;
        }
        existing.origins.push(item.container);
        serverIds ??= new WeakMap();
        if (!tryMerge(section, existing.value, value, serverIds)) {
          conflicts ??= new Map();
          conflicts.set(`${section}\u0000${name}`, { section, name });
        }
      }
    }
  }
  if (conflicts) for (const { section, name } of conflicts.values()) checks.refuseConflict(into, section, name);
}

function byKey(a: ContainerConfig, b: ContainerConfig): number {
  return compareCodePoints(a.key, b.key);
}

/**
 * Services with load balancers merge when equal apart from servers; anything else must be equal.
 * Equal means equal after Traefik's defaults and parsing (pkg/provider/merge.go compares decoded
 * structs), so `passhostheader=true` on one replica only still merges.
 */
function tryMerge(section: Section, existing: ConfigObject, incoming: ConfigObject, serverIds: WeakMap<ConfigObject, Set<string>>): boolean {
  if (section === 'http.services' || section === 'tcp.services' || section === 'udp.services') {
    const left = ownObject(existing, 'loadBalancer');
    const right = ownObject(incoming, 'loadBalancer');
    const loadBalancer = findField(SECTION_STRUCTS[section], 'loadBalancer');
    if (left && right && loadBalancer?.type.kind === 'struct') {
      return mergeLoadBalancers(left, right, section === 'http.services' ? 'url' : 'address', loadBalancer.type.struct, serverIds);
    }
  }
  return semanticallyEqual(existing, incoming, SECTION_STRUCTS[section]);
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

/** Oldest known creation time of a resource's containers; undefined when none is known. */
export function resourceAge(resource: Resource): number | undefined {
  // A loop, not Math.min(...): a spread of 130,000 replicas overflows the stack; and no copies,
  // since sorts of every router ask it in their comparisons.
  let oldest: number | undefined;
  for (const container of resource.origins) {
    const created = container.created;
    if (created !== null) oldest = oldest === undefined ? created : Math.min(oldest, created);
  }
  return oldest;
}
