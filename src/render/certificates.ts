// Certificates and Let's Encrypt's limits. Let's Encrypt issues at most 50 certificates per
// registered domain a week, for the whole host: one certificate per auto-route would let one
// tenant with many services (or a burst of names) starve everyone else's new routes for a week.
//
// So names one label under the base domain share one wildcard certificate. How Traefik's ACME
// provider makes that work (pkg/provider/acme/provider.go, v3.7):
// - a router with `tls.domains` asks for those domains, one certificate per entry, and ignores the
//   hosts of its rule (watchNewDomains); without `tls.domains` it asks for the rule's hosts;
// - before asking, resolveCertificate drops the names already covered (getUncheckedDomains):
//   names of certificates it holds, of the TLS store, and of requests in flight, matched with
//   types.MatchDomain, where `*.example.com` covers exactly one label (`myapp-2816.example.com`,
//   not `a.b.example.com`); a fully covered request is not sent;
// - at the handshake the certificate is chosen by SNI among all certificates, so the wildcard
//   serves every host it matches.
// Every such router therefore carries the same `tls.domains: [{main: "*.{baseDomain}"}]`: the first
// one to be resolved locks the name, the others find it held or in flight, and exactly one
// certificate is requested (and renewed). A wildcard needs the DNS-01 challenge, so this applies
// only to routers on the operator's resolver (`--cert-resolver`, DNS-01 in the static
// configuration route-server prints), and can be switched off (`--no-wildcard-cert`).
//
// Why a wildcard gives no tenant more than before: routing still goes by owned hosts, and the
// certificate's key never leaves Traefik (a TLS-passthrough backend terminates with its own). The
// wildcard entry is added by route-server, never taken from labels: a tenant's own `tls.domains`
// still must name hosts it owns, so `*.{baseDomain}` written by a tenant is refused. Traefik
// serves any certificate it holds for any matching SNI anyway; the wildcard only means the
// operator's account holds one certificate where it held one per host.
//
// Certificates a tenant's routers request for other names (their own domains, deeper names) are
// counted per daemon, distinct name sets once, and bounded by `--max-certs-per-daemon`.

import { compareCodePoints, sortInPlace } from '../model/ordering.ts';
import { emptyObject, own, ownObject, ownString, type ConfigObject } from '../traefik/config.ts';
import type { RenderOptions } from './options.ts';
import { tlsDomainEntries, type RouterClaim } from './router-rules.ts';
import { resourceAge } from './tenant-config.ts';

export interface CertificatePlan {
  /** `tls.domains` to write instead of the router's own; undefined leaves the router as it is. */
  readonly domains: ConfigObject[] | undefined;
  /** Certificates the router requests for itself beyond the shared wildcard, one key per name set. */
  readonly own: readonly string[];
}

const NONE: CertificatePlan = { domains: undefined, own: [] };

/** What a router asks its certificate resolver for, and what it should ask instead. */
export function planCertificates(claim: RouterClaim, options: RenderOptions): CertificatePlan {
  if (claim.section === 'udp.routers') return NONE;
  const tls = ownObject(claim.resource.value, 'tls');
  const resolver = ownString(tls, 'certResolver') ?? '';
  if (resolver === '') return NONE;
  // Traefik falls back to the rule's hosts when `tls.domains` is absent or empty.
  const declared = own(tls, 'domains');
  const entries: readonly (readonly string[])[] = Array.isArray(declared) && declared.length > 0 ? tlsDomainEntries(claim.resource.value) : [claim.hosts];
  const base = options.baseDomain;
  if (options.wildcardCert && base !== undefined && resolver === options.certResolver && someCovered(entries, base)) {
    const rest: string[][] = [];
    for (const names of entries) {
      const left = names.filter((name) => !coveredByWildcard(name, base));
      if (left.length > 0) rest.push(left);
    }
    const main = emptyObject();
    main['main'] = `*.${base}`;
    const domains = [main];
    for (const names of rest) domains.push(domainEntry(names));
    return { domains, own: rest.map(certificateKey) };
  }
  // Every entry names something, almost always: no filtered copy, and one key per entry.
  return { domains: undefined, own: (entries.every(namesSomething) ? entries : entries.filter(namesSomething)).map(certificateKey) };
}

function someCovered(entries: readonly (readonly string[])[], base: string): boolean {
  for (const names of entries) for (const name of names) if (coveredByWildcard(name, base)) return true;
  return false;
}

const namesSomething = (names: readonly string[]): boolean => names.length > 0;

/** Types.MatchDomain against `*.{base}`: the wildcard itself, or exactly one label under the base. */
export function coveredByWildcard(name: string, base: string): boolean {
  // `name` is `{label}.{base}`: compared in place, asked for every name of every router.
  const dot = name.length - base.length - 1;
  if (dot < 0 || !name.endsWith(base) || name.charCodeAt(dot) !== 0x2e) return false;
  if (dot === 1 && name.charCodeAt(0) === 0x2a) return true; // the wildcard itself
  return dot > 0 && name.lastIndexOf('.', dot - 1) < 0; // exactly one label
}

/**
 * Routers beyond their daemon's certificate limit (`--max-certs-per-daemon`), with the reason. A
 * daemon's accepted routers are counted oldest first (then by name); a certificate already counted
 * for the daemon is free.
 */
export function overCertificateQuota(claims: readonly RouterClaim[], options: RenderOptions): Map<RouterClaim, string> {
  const over = new Map<RouterClaim, string>();
  const requests: { readonly claim: RouterClaim; readonly keys: readonly string[] }[] = [];
  for (const claim of claims) {
    if (claim.resource.autoRoute) continue;
    const keys = planCertificates(claim, options).own;
    if (keys.length > 0) requests.push({ claim, keys });
  }
  sortInPlace(
    requests,
    ({ claim: a }, { claim: b }) =>
      (resourceAge(a.resource) ?? Infinity) - (resourceAge(b.resource) ?? Infinity) || compareCodePoints(a.section, b.section) || compareCodePoints(a.name, b.name),
  );
  const limit = options.maxCertsPerDaemon;
  const counted = new Set<string>();
  for (const { claim, keys } of requests) {
    const added = keys.filter((key) => !counted.has(key));
    if (counted.size + added.length <= limit) {
      for (const key of added) counted.add(key);
      continue;
    }
    const names = added.map((key) => key.split(',').join(' + ')).join(', ');
    over.set(
      claim,
      `it would request a certificate for ${names}, but this daemon's routers already request ${counted.size}, the most one daemon may ` +
        `(--max-certs-per-daemon); names one label under the base domain share the operator's wildcard certificate and do not count`,
    );
  }
  return over;
}

function certificateKey(names: readonly string[]): string {
  return names.length === 1 ? (names[0] as string) : [...new Set(names)].sort().join(',');
}

function domainEntry(names: readonly string[]): ConfigObject {
  const entry = emptyObject();
  entry['main'] = names[0] as string;
  if (names.length > 1) entry['sans'] = names.slice(1);
  return entry;
}
