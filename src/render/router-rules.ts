// Router rules checked before anything is written: a rule Traefik cannot parse disables the router,
// and for a tenant a rule must say which hosts it serves (SPEC §3 "Hosts are owned"). What each
// router claims — hosts, entrypoints, whole entrypoints — feeds the cross-tenant claims.

import type { DiagnosticCode } from '../model/diagnostics.ts';
import { canonicalHost } from '../model/host-name.ts';
import { classifyHostName, parseIp } from '../model/addresses.ts';
import { isConfigObject, own, ownObject, ownString, ownStrings, type ConfigObject } from '../traefik/config.ts';
import { formatMatcher, negatedHostMatchers, parseRule, ruleHosts, type Matcher, type RuleTree } from '../traefik/rules.ts';
import type { RuleLimit } from '../traefik/rules-syntax.ts';
import { DaemonRegexpBudget } from '../traefik/go-regexp.ts';
import { MAX_DAEMON_HOSTS } from '../model/limits.ts';
import { entrypointProtocol, entrypointProtocolProblem, httpEntrypointNames } from './entrypoint-protocol.ts';
import type { TenantChecks } from './tenant-checks.ts';
import type { Resource } from './tenant-config.ts';

export type RouterSection = 'http.routers' | 'tcp.routers' | 'udp.routers';

export interface RouterClaim {
  readonly section: RouterSection;
  readonly name: string;
  readonly resource: Resource;
  /** Literal hosts the router serves (HTTP Host, TCP HostSNI), in canonical form. */
  readonly hosts: readonly string[];
  /** Entrypoints; for a router that needs a port, empty until one is allocated. */
  entrypoints: string[];
  /** A TCP/UDP router that names no entrypoint: it gets a port of its own from the range. */
  readonly needsPort: boolean;
  /** The router takes its entrypoints whole (TCP catch-all, every UDP router). */
  readonly whole: boolean;
}

/**
 * Validates every router's rule, fills in the default entrypoints, and records what each surviving
 * router claims (`checks.claims`).
 */
export function checkRouters(checks: TenantChecks): void {
  const { config, options, claims } = checks;
  const httpNames = httpEntrypointNames(options);
  // One budget for every rule of the daemon: a thousand routers with costly regexps cannot stall the render.
  const regexps = new DaemonRegexpBudget();
  // And one budget of hosts: every one is owned against other tenants and published to the fleet edge.
  const claimedHosts = new Set<string>();
  /** False (and the router dropped) when its hosts would take the daemon past MAX_DAEMON_HOSTS. */
  const hostsFit = (section: RouterSection, name: string, hosts: readonly string[]): boolean => {
    // Counted, not listed: every router passes here (its hosts are distinct already).
    let added = 0;
    for (const host of hosts) if (!claimedHosts.has(host)) added++;
    if (claimedHosts.size + added > MAX_DAEMON_HOSTS) {
      drop(section, name, 'daemon-host-budget', `its rule names ${added} more hosts, and this daemon's routers already claim ${claimedHosts.size} of the ${MAX_DAEMON_HOSTS} hosts route-server accepts per daemon`);
      return false;
    }
    for (const host of hosts) claimedHosts.add(host);
    return true;
  };
  const drop = (section: RouterSection, name: string, code: DiagnosticCode, reason: string, label = 'rule') => checks.refuse(section, name, code, reason, label);
  /** False (and the router dropped) when it names another protocol's entrypoint. */
  const protocolFits = (section: RouterSection, name: string, entrypoints: readonly string[]): boolean => {
    const problem = entrypointProtocolProblem(section, entrypoints, httpNames);
    if (problem !== undefined) drop(section, name, 'entrypoint-protocol', problem, 'entrypoints');
    return problem === undefined;
  };
  /** False (and the router dropped) when a host it names is an address or this machine, which no tenant may own. */
  const hostsOwnable = (section: RouterSection, name: string, hosts: readonly string[]): boolean => {
    for (const host of hosts) {
      const why = unownableHost(host);
      if (why === undefined) continue;
      drop(section, name, 'host-refused', `its rule names ${host}, ${why}`);
      return false;
    }
    return true;
  };
  // The live map, not a copy: a refusal deletes only the entry being visited, which Map iteration allows.
  for (const [name, resource] of config['http.routers']) {
    const router = resource.value;
    const parsed = parseRouterRule(router, 'http', regexps);
    if (!parsed.ok) {
      drop('http.routers', name, parsed.limit ?? 'rule-invalid', parsed.error);
      continue;
    }
    const bounds = ruleHosts(parsed.tree, 'http');
    if (!bounds.bounded && !options.allowUnboundedRules) {
      drop('http.routers', name, 'rule-unbounded', `its rule is not bound to literal hosts (${bounds.reason ?? 'no Host'}); use Host(\`…\`) in every branch`);
      continue;
    }
    if (!hostsOwnable('http.routers', name, bounds.hosts)) continue;
    let entrypoints = ownStrings(router, 'entryPoints') ?? [];
    if (entrypoints.length === 0 && options.entrypoints.length > 0) {
      // The router's list and the claim's are two arrays, as ever: a claim's entrypoints may change.
      router['entryPoints'] = [...options.entrypoints];
      entrypoints = [...options.entrypoints];
    }
    if (entrypoints.length === 0) {
      // Traefik would put it on every entrypoint, tcp-* ones included: an HTTP router with TLS there
      // makes Traefik wait for a TLS hello on each connection, which hangs server-first protocols (MySQL).
      drop('http.routers', name, 'entrypoint-protocol', 'it names no entrypoint and no default is configured (--entrypoints): Traefik would put it on every entrypoint, tcp-* and udp-* ones included', 'entrypoints');
      continue;
    }
    if (!protocolFits('http.routers', name, entrypoints)) continue;
    const negated = negatedHostMatchers(parsed.tree, 'http');
    const tls = negated.length > 0 ? httpTlsSource(router, entrypoints) : undefined;
    if (tls !== undefined) {
      drop('http.routers', name, 'rule-negated-host-tls', negatedHostReason(negated, tls));
      continue;
    }
    if (!hostsFit('http.routers', name, bounds.hosts)) continue;
    claims.push({ section: 'http.routers', name, resource, hosts: bounds.hosts, entrypoints, needsPort: false, whole: false });
  }
  for (const [name, resource] of config['tcp.routers']) {
    const router = resource.value;
    const parsed = parseRouterRule(router, 'tcp', regexps);
    if (!parsed.ok) {
      drop('tcp.routers', name, parsed.limit ?? 'rule-invalid', parsed.error);
      continue;
    }
    if (own(router, 'tls') === undefined && hasNamedHostSni(parsed.tree)) {
      drop('tcp.routers', name, 'rule-invalid', 'its rule has a HostSNI matcher other than `*` but the router has no TLS');
      continue;
    }
    const negated = negatedHostMatchers(parsed.tree, 'tcp');
    if (negated.length > 0 && own(router, 'tls') !== undefined) {
      drop('tcp.routers', name, 'rule-negated-host-tls', negatedHostReason(negated, 'it has a tls section'));
      continue;
    }
    const bounds = ruleHosts(parsed.tree, 'tcp');
    if (!hostsOwnable('tcp.routers', name, bounds.hosts)) continue;
    const entrypoints = ownStrings(router, 'entryPoints') ?? [];
    if (!protocolFits('tcp.routers', name, entrypoints)) continue;
    // HostSNI(`*`), no HostSNI, a wildcard or a regexp: it can take any host's connections there.
    const whole = bounds.catchAll || !bounds.bounded;
    if (whole && !options.allowUnboundedRules) {
      const what = bounds.catchAll ? 'a TCP catch-all' : `a TCP router not bound to literal hosts (${bounds.reason ?? 'no HostSNI'})`;
      // Only `tcp-*` entrypoints may be taken whole: any other name is HTTP or the operator's own
      // (Traefik's `traefik`, `ping` or `metrics` entrypoints, which route-server cannot see).
      const taken = entrypoints.filter((ep) => entrypointProtocol(ep, httpNames) !== 'tcp');
      if (taken.length > 0) {
        drop('tcp.routers', name, 'rule-unbounded', `${what} may take only tcp-* entrypoints whole, not ${taken.join(', ')}`);
        continue;
      }
      // Terminating TLS, Traefik answers each hello with the store's certificate for its name, any
      // tenant's: a router that takes any name would get another tenant's clients in plaintext.
      if (terminatesTls(router)) {
        drop('tcp.routers', name, 'rule-unbounded', `${what} may not terminate TLS: Traefik would answer a hello for any name with that name's certificate, another tenant's included; use tls.passthrough=true, or HostSNI with literal hosts`);
        continue;
      }
    }
    if (!hostsFit('tcp.routers', name, bounds.hosts)) continue;
    claims.push({ section: 'tcp.routers', name, resource, hosts: bounds.hosts, entrypoints, needsPort: entrypoints.length === 0, whole });
  }
  for (const [name, resource] of config['udp.routers']) {
    const entrypoints = ownStrings(resource.value, 'entryPoints') ?? [];
    if (!protocolFits('udp.routers', name, entrypoints)) continue;
    // Every UDP router takes its entrypoints whole, and only `udp-*` ones may be taken whole: any
    // other name is the operator's own, of a protocol route-server cannot see (an HTTP one would
    // lock every other tenant's routers out, while Traefik cannot serve the UDP router there).
    const foreign = entrypoints.filter((ep) => entrypointProtocol(ep, httpNames) !== 'udp');
    if (foreign.length > 0) {
      drop('udp.routers', name, 'entrypoint-protocol', `a UDP router takes its entrypoints whole, and only udp-* entrypoints may be taken whole, not ${foreign.join(', ')}`, 'entrypoints');
      continue;
    }
    claims.push({ section: 'udp.routers', name, resource, hosts: [], entrypoints, needsPort: entrypoints.length === 0, whole: true });
  }
}

function parseRouterRule(
  router: ConfigObject,
  protocol: 'http' | 'tcp',
  regexps: DaemonRegexpBudget,
): { ok: true; tree: RuleTree } | { ok: false; error: string; limit?: RuleLimit } {
  const rule = ownString(router, 'rule') ?? '';
  if (rule === '') return { ok: false, error: 'it has no rule' };
  const syntax = ownString(router, 'ruleSyntax');
  const parsed = parseRule(rule, protocol, syntax, regexps);
  if (parsed.ok) return parsed;
  const error = `its rule does not parse: ${parsed.error}`;
  return parsed.limit === undefined ? { ok: false, error } : { ok: false, error, limit: parsed.limit };
}

/**
 * Why no tenant may own `host` (canonical form), or undefined. Traefik's Host matcher compares the
 * request's host as written, so `Host(\`127.0.0.1\`)` or `Host(\`localhost\`)` takes the requests
 * people send by address: the operator's own (Traefik's dashboard on localhost:8080 is a router of
 * lower priority on its `traefik` entrypoint), monitoring, anyone who types the server's IP.
 */
function unownableHost(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (parseIp(bare) !== undefined) return 'an IP address: requests sent to this machine by address are nobody\'s to take';
  if (classifyHostName(bare) === 'localhost') return 'a name of this machine (localhost): requests the operator sends locally are nobody\'s to take';
  return undefined;
}

/** Traefik requires TLS on a TCP router whose rule names a host (tcpmuxer.ParseHostSNI). */
function hasNamedHostSni(tree: RuleTree): boolean {
  if (tree.kind === 'matcher') return tree.matcher.name === 'HostSNI' && tree.matcher.args.some((arg) => arg !== '*');
  return hasNamedHostSni(tree.left) || hasNamedHostSni(tree.right);
}

// SPEC's static configuration: `web` (:80) only redirects to HTTPS. Any other entrypoint may carry
// `http.tls` in Traefik's static configuration, which route-server does not see.
const PLAIN_HTTP_ENTRYPOINT = 'web';

/**
 * Why an HTTP router may get TLS, or undefined: its own tls section, or an entrypoint whose TLS
 * settings Traefik copies into routers without one (the entrypoint's model).
 */
function httpTlsSource(router: ConfigObject, entrypoints: readonly string[]): string | undefined {
  if (own(router, 'tls') !== undefined) return 'it has a tls section';
  const secure = entrypoints.filter((ep) => ep !== PLAIN_HTTP_ENTRYPOINT);
  if (secure.length === 0) return undefined;
  return `${secure.length > 1 ? 'entrypoints' : 'entrypoint'} ${secure.join(', ')} can give it TLS (Traefik applies an entrypoint's http.tls to routers without a tls section)`;
}

function negatedHostReason(negated: readonly Matcher[], tls: string): string {
  const listed = negated.map(formatMatcher).join(', ');
  const what = listed.length > 300 ? `${listed.slice(0, 300)}…` : listed; // a hostile rule makes no huge diagnostic
  return `its rule has ${what} and ${tls}: Traefik requests certificates and picks TLS options for every host a rule names, negated or not`;
}

/** `tls.domains` of a router: every main and SAN, in canonical form. */
export function tlsDomains(router: ConfigObject): string[] {
  return tlsDomainEntries(router).flat();
}

/** `tls.domains` entry by entry (main first, then SANs), in canonical form; Traefik asks one certificate per entry. */
export function tlsDomainEntries(router: ConfigObject): string[][] {
  const domains = own(ownObject(router, 'tls'), 'domains');
  const out: string[][] = [];
  for (const domain of Array.isArray(domains) ? domains : []) {
    if (typeof domain !== 'object' || domain === null || Array.isArray(domain)) continue;
    const names: string[] = [];
    const main = ownString(domain, 'main');
    if (main) names.push(main);
    for (const san of ownStrings(domain, 'sans') ?? []) names.push(san);
    out.push(names.map(canonicalHost).filter((host) => host !== ''));
  }
  return out;
}

/** A tls section without passthrough: Traefik ends the TLS connection with a certificate of its store. */
function terminatesTls(router: ConfigObject): boolean {
  const tls = own(router, 'tls');
  return tls !== undefined && !(isConfigObject(tls) && own(tls, 'passthrough') === true);
}
