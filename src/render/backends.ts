// Where a tenant may send Traefik (SPEC §3 "Backends"): servers only to its own addresses (its /26
// service range; for a named daemon, its containers' private network addresses) or to ranges and
// names the operator allowed; middleware calls (forwardAuth, rate-limit Redis) also to public
// addresses. Every spelling of an address is read as Go would read it before it is judged.

import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { networkPeers } from './container-address.ts';
import type { Tenant } from '../model/tenant.ts';
import {
  Cidr,
  classifyIp,
  contains,
  parseCidr,
  parseHostPort,
  parseServerUrl,
  parseStrictIp,
  type AddressRange,
  type Ip,
  type ParsedHost,
} from '../model/addresses.ts';
import { checkMiddlewareTarget, checkServerTarget, type BackendPolicy } from '../model/backend-policy.ts';
import { isConfigObject, own, ownObject, ownString, type ConfigObject } from '../traefik/config.ts';
import type { NetworkHolders } from './network-holders.ts';
import type { BackendAllowList } from './options.ts';
import type { TenantChecks } from './tenant-checks.ts';
import type { Section } from './tenant-config.ts';

// Where Docker puts bridge networks. A named daemon's container addresses count as its own only
// here: the tenant picks its networks' subnets, so a loopback, link-local or metadata "network
// address" would otherwise walk around every other check.
const BRIDGE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].map((text) => parseCidr(text) as Cidr);

/** A policy, and the bridge addresses another daemon holds (to say so when one is refused). */
export interface TenantBackendPolicy extends BackendPolicy {
  readonly heldByOthers: ReadonlyMap<string, string>;
}

/**
 * The addresses a resource may use. A numeric id owns its service range and nothing else: its
 * containers' network addresses get the same checks as any other backend. A named id has no
 * range; the private bridge addresses of the containers that define the resource are its own,
 * unless another daemon holds the same address (network-holders.ts).
 */
export function backendPolicy(
  tenant: Tenant,
  containers: readonly ContainerSnapshot[],
  daemon: DaemonSnapshot,
  allowed: BackendAllowList,
  holders: NetworkHolders,
  hostAddresses: readonly Ip[],
): TenantBackendPolicy {
  const ownRanges: AddressRange[] = [];
  const heldByOthers = new Map<string, string>();
  if (tenant.kind === 'network') ownRanges.push(tenant.services);
  else {
    for (const container of containers.flatMap((c) => [c, ...networkPeers(c, daemon)])) {
      for (const address of Object.values(container.networks)) {
        const ip = parseStrictIp(address);
        if (!ip || !isBridgeAddress(ip)) continue;
        const holder = holders.get(ip.toString());
        if (holder === daemon.id) ownRanges.push(new Cidr(ip, ip.family === 4 ? 32 : 128));
        else {
          heldByOthers.set(ip.toString(), holder === undefined ? 'containers of several daemons list it, none of known age' : `an older container of daemon ${holder} lists it`);
        }
      }
    }
  }
  return { ownRanges, allowed: allowed.ranges, allowedNames: allowed.names, hostAddresses, heldByOthers };
}

function isBridgeAddress(ip: Ip): boolean {
  return classifyIp(ip) === 'private' && BRIDGE_RANGES.some((range) => contains(range, ip));
}

/** Refuses services whose servers, and middlewares whose calls, leave the tenant's addresses. */
export function enforceBackends(checks: TenantChecks): void {
  const { config, tenant, daemon } = checks;
  const policyOf = (origins: readonly ContainerSnapshot[]) => backendPolicy(tenant, origins, daemon, checks.options.allowBackends, checks.context.networkHolders, checks.options.hostAddresses);
  // A numeric id's policy does not depend on the containers: one for all its resources.
  const shared = tenant.kind === 'network' ? policyOf([]) : undefined;
  const policyFor = (origins: readonly ContainerSnapshot[]) => shared ?? policyOf(origins);
  const check = (section: Section, name: string, problem: Problem | undefined) => {
    if (problem !== undefined) checks.refuse(section, name, 'backend-refused', problem.reason, problem.labelPath);
  };
  // The live map, not a copy: a refusal deletes only the entry being visited, which Map iteration allows.
  for (const [name, resource] of config['http.services']) {
    check('http.services', name, serverRefusal(resource.value, policyFor(resource.origins), 'url'));
    keepHealthCheckHome(resource.value);
  }
  for (const section of ['tcp.services', 'udp.services'] as const) {
    for (const [name, resource] of config[section]) check(section, name, serverRefusal(resource.value, policyFor(resource.origins), 'address'));
  }
  for (const [name, resource] of config['http.middlewares']) {
    check('http.middlewares', name, middlewareRefusal(resource.value, policyFor(resource.origins)));
  }
}

interface Problem {
  readonly reason: string;
  /** Where the label would be, below the resource. */
  readonly labelPath: string;
}

function serverRefusal(service: ConfigObject, policy: TenantBackendPolicy, key: 'url' | 'address'): Problem | undefined {
  const labelPath = key === 'url' ? 'loadbalancer.server.url' : 'loadbalancer.server.port';
  // The list read in place, not a filtered copy: every service of every render passes here.
  const servers = own(ownObject(service, 'loadBalancer'), 'servers');
  for (let i = 0; Array.isArray(servers) && i < servers.length; i++) {
    const server = servers[i];
    if (!isConfigObject(server)) continue;
    const target = ownString(server, key);
    if (target === undefined) continue;
    const parsed: ParsedHost | string = key === 'url' ? parseServerUrl(target) : parseHostPort(target);
    if (typeof parsed === 'string') return { reason: `server ${JSON.stringify(target)} is not a valid ${key}: ${parsed}`, labelPath };
    const verdict = checkServerTarget(parsed, policy);
    if (!verdict.ok) {
      const held = parsed.hostKind === 'ip' ? policy.heldByOthers.get(parsed.ip.toString()) : undefined;
      return { reason: `server ${JSON.stringify(target)}: ${verdict.reason}${held ? ` (${held})` : ''}`, labelPath };
    }
  }
  return key === 'url' ? healthCheckRefusal(ownObject(service, 'loadBalancer')) : undefined;
}

/**
 * Traefik resolves `healthCheck.path` against each server URL (url.Parse(path) as a reference), so
 * `//169.254.169.254/x` or `http://10.0.0.1/` sends the check, method and headers to that host.
 */
function healthCheckRefusal(loadBalancer: ConfigObject | undefined): Problem | undefined {
  const healthCheck = ownObject(loadBalancer, 'healthCheck');
  const path = ownString(healthCheck, 'path');
  // Go reads a scheme up to the first ':' when only scheme characters precede it; `//` starts an authority.
  if (path !== undefined && (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) || (path.startsWith('//') && !path.startsWith('///')))) {
    return { reason: `healthCheck path ${JSON.stringify(path)} names a host: the check must stay on the service's own servers`, labelPath: 'loadbalancer.healthcheck.path' };
  }
  if (own(healthCheck, 'followRedirects') === true) {
    return {
      reason: "healthCheck followRedirects lets the service's server send the check, with its method and headers, to any address (another tenant's service, this host): the check must stay on the service's own servers",
      labelPath: 'loadbalancer.healthcheck.followredirects',
    };
  }
  return undefined;
}

/**
 * Traefik's health check follows redirects unless told not to (followRedirects defaults to true), so
 * a server answering 307 to its own check would send Traefik, with the check's method and headers,
 * to another tenant's service. A tenant's health check is written with `followRedirects: false`.
 */
function keepHealthCheckHome(service: ConfigObject): void {
  const healthCheck = ownObject(ownObject(service, 'loadBalancer'), 'healthCheck');
  if (healthCheck !== undefined && own(healthCheck, 'followRedirects') === undefined) healthCheck['followRedirects'] = false;
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
