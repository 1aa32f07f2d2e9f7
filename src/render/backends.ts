// Where a tenant may send Traefik (SPEC §3 "Backends"): servers only to its own addresses (its /26
// service range, its containers' network addresses, or ranges the operator allowed); middleware
// calls (forwardAuth, rate-limit Redis) also to public addresses. Every spelling of an address is
// read as Go would read it before it is judged.

import type { DiagnosticSink } from '../model/diagnostics.ts';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { networkPeers } from './container-address.ts';
import type { Tenant } from '../model/tenant.ts';
import {
  Cidr,
  checkMiddlewareTarget,
  checkServerTarget,
  parseHostPort,
  parseServerUrl,
  parseStrictIp,
  type AddressRange,
  type BackendPolicy,
  type ParsedHost,
} from '../model/addresses.ts';
import { own, ownObject, ownString, type ConfigObject } from '../traefik/config.ts';
import { refuse, serversOf, type Section, type TenantConfig } from './tenant-config.ts';

/**
 * The addresses a resource may use: the tenant's service range (numeric ids) and the network
 * addresses of the containers that define it.
 */
export function backendPolicy(
  tenant: Tenant,
  containers: readonly ContainerSnapshot[],
  daemon: DaemonSnapshot,
  allowed: readonly AddressRange[],
): BackendPolicy {
  const own: AddressRange[] = [];
  if (tenant.kind === 'network') own.push(tenant.services);
  for (const container of containers.flatMap((c) => [c, ...networkPeers(c, daemon)])) {
    for (const address of Object.values(container.networks)) {
      const ip = parseStrictIp(address);
      if (ip) own.push(new Cidr(ip, ip.family === 4 ? 32 : 128));
    }
  }
  return { ownRanges: own, allowed };
}

/** Refuses services whose servers, and middlewares whose calls, leave the tenant's addresses. */
export function enforceBackends(
  config: TenantConfig,
  policyFor: (origins: readonly ContainerSnapshot[]) => BackendPolicy,
  refused: Set<string>,
  sink: DiagnosticSink,
): void {
  const check = (section: Section, name: string, problem: Problem | undefined) => {
    if (problem === undefined) return;
    refuse(config, section, name, sink, 'backend-refused', problem.reason, problem.labelPath);
    refused.add(`${section}\u0000${name}`);
  };
  for (const [name, resource] of [...config['http.services']]) {
    check('http.services', name, serverRefusal(resource.value, policyFor(resource.origins), 'url'));
  }
  for (const section of ['tcp.services', 'udp.services'] as const) {
    for (const [name, resource] of [...config[section]]) check(section, name, serverRefusal(resource.value, policyFor(resource.origins), 'address'));
  }
  for (const [name, resource] of [...config['http.middlewares']]) {
    check('http.middlewares', name, middlewareRefusal(resource.value, policyFor(resource.origins)));
  }
}

interface Problem {
  readonly reason: string;
  /** Where the label would be, below the resource. */
  readonly labelPath: string;
}

function serverRefusal(service: ConfigObject, policy: BackendPolicy, key: 'url' | 'address'): Problem | undefined {
  const labelPath = `loadbalancer.server.${key === 'url' ? 'url' : 'port'}`;
  for (const server of serversOf(ownObject(service, 'loadBalancer'))) {
    const target = ownString(server, key);
    if (target === undefined) continue;
    const parsed: ParsedHost | string = key === 'url' ? parseServerUrl(target) : parseHostPort(target);
    if (typeof parsed === 'string') return { reason: `server ${JSON.stringify(target)} is not a valid ${key}: ${parsed}`, labelPath };
    const verdict = checkServerTarget(parsed, policy);
    if (!verdict.ok) return { reason: `server ${JSON.stringify(target)}: ${verdict.reason}`, labelPath };
  }
  return undefined;
}

function middlewareRefusal(middleware: ConfigObject, policy: BackendPolicy): Problem | undefined {
  const address = ownString(ownObject(middleware, 'forwardAuth'), 'address');
  if (address !== undefined) {
    const parsed = parseServerUrl(address);
    const labelPath = 'forwardauth.address';
    if (typeof parsed === 'string') return { reason: `forwardAuth address ${JSON.stringify(address)} is not a valid URL: ${parsed}`, labelPath };
    const verdict = checkMiddlewareTarget(parsed, policy);
    if (!verdict.ok) return { reason: `forwardAuth address ${JSON.stringify(address)}: ${verdict.reason}`, labelPath };
  }
  const redis = ownObject(ownObject(middleware, 'rateLimit'), 'redis');
  // Without endpoints Traefik uses its default, localhost:6379: the host's own Redis.
  const endpoints = redis ? (own(redis, 'endpoints') ?? ['localhost:6379']) : [];
  for (const endpoint of Array.isArray(endpoints) ? endpoints : []) {
    if (typeof endpoint !== 'string') continue;
    const parsed = parseHostPort(endpoint);
    const labelPath = 'ratelimit.redis';
    if (typeof parsed === 'string') return { reason: `rateLimit Redis endpoint ${JSON.stringify(endpoint)} is not host:port: ${parsed}`, labelPath };
    const verdict = checkMiddlewareTarget(parsed, policy);
    if (!verdict.ok) return { reason: `rateLimit Redis endpoint ${JSON.stringify(endpoint)}: ${verdict.reason}`, labelPath };
  }
  return undefined;
}
