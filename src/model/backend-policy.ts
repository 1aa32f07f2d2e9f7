// Whether a tenant may send Traefik to a backend address (SPEC §3 "Backends"): an IP in its own
// ranges or in a range the operator allowed (middleware calls may also reach public IPs); a DNS
// name only when the operator allowed that name, since a name can resolve to any address.

import {
  classifyHostName,
  classifyIp,
  contains,
  embeddedIpv4,
  type AddressRange,
  type HostNameClass,
  type Ip,
  type ParsedHost,
} from './addresses.ts';
import { formatHostPattern, matchesHostPattern, type HostPattern } from './host-patterns.ts';
import { parseStrictIp } from './ip.ts';

/** `ownRanges` takes CIDRs or an IpRange, since a tenant's service range is not one CIDR. */
export interface BackendPolicy {
  readonly ownRanges: readonly AddressRange[];
  readonly allowed: readonly AddressRange[];
  readonly allowedNames: readonly HostPattern[];
  /** The host's own public addresses: public, but a middleware may not call them (servers could not anyway). */
  readonly hostAddresses?: readonly Ip[];
}

export type TargetVerdict = { ok: true; ip?: Ip } | { ok: false; reason: string };

/** Servers: an IP in ownRanges or allowed, or an allowed name. */
export function checkServerTarget(host: ParsedHost, policy: BackendPolicy): TargetVerdict {
  if (host.hostKind === 'name') return checkName(host.host, host.name, policy);
  return checkIp(host.host, host.ip, policy, false);
}

/** Middleware calls (forwardAuth, redis): as servers, and public IPs too. */
export function checkMiddlewareTarget(host: ParsedHost, policy: BackendPolicy): TargetVerdict {
  if (host.hostKind === 'name') return checkName(host.host, host.name, policy);
  return checkIp(host.host, host.ip, policy, true);
}

function checkName(written: string, name: string, policy: BackendPolicy): TargetVerdict {
  if (policy.allowedNames.some((pattern) => matchesHostPattern(pattern, name))) return { ok: true };
  const cls = classifyHostName(name);
  // Names that tell where they lead (localhost, 127.0.0.1.nip.io) say so: a clearer message.
  if (cls !== 'public') return { ok: false, reason: describeName(written, cls) };
  const allowed = policy.allowedNames.length === 0 ? 'no host name is allowed' : `allowed names are ${policy.allowedNames.map(formatHostPattern).join(', ')}`;
  return { ok: false, reason: `"${written}" is a host name and ${allowed} (a name can resolve to any address)` };
}

/**
 * An address written with a letter is accepted only as Go's ParseIP reads it (RFC 4291 IPv6). A
 * hex spelling (`0x7f000b42`, `127.0.0xb.66`) is an address to glibc but a host name to Go's own
 * resolver, which Traefik's static builds use: it would be looked up (search domains, LLMNR,
 * mDNS), not dialled. All-digit spellings (`2130709250`, `127.11.66`) Go never looks up: it
 * refuses all-numeric names, so they reach nothing and nobody.
 */
const HAS_LETTER = /[a-z]/i;

function standardSpelling(written: string, ip: Ip): TargetVerdict {
  if (!HAS_LETTER.test(written) || parseStrictIp(written) !== undefined) return { ok: true, ip };
  return { ok: false, reason: `"${written}" is ${ip} only to some resolvers: Traefik's reads it as a host name and looks it up; write ${ip}` };
}

function checkIp(written: string, ip: Ip, policy: BackendPolicy, publicAllowed: boolean): TargetVerdict {
  if (inAny(policy.ownRanges, ip) || inAny(policy.allowed, ip)) return standardSpelling(written, ip);
  const ranges = [...policy.ownRanges, ...policy.allowed];
  const cls = classifyIp(ip);
  const embedded = embeddedIpv4(ip);
  const target = embedded?.ipv4 ?? ip;
  const spelled = written !== target.toString();
  const subject = written === '' ? 'an empty host' : `"${written}"`;
  if (policy.hostAddresses?.some((own) => own.equals(target))) {
    return { ok: false, reason: `${spelled ? `${subject} is ${target}, ` : `${target} is `}this host's own public address (--public-ipv4/--public-ipv6): from Traefik it reaches every service the host listens with` };
  }
  if (publicAllowed && cls === 'public') return standardSpelling(written, ip);
  const outside = ranges.length === 0 ? 'and no backend range is allowed' : `outside ${ranges.join(', ')}`;
  if (cls === 'metadata') {
    if (!spelled) return { ok: false, reason: `${target} is a cloud metadata address` };
    return { ok: false, reason: `${subject} is ${target}${embedded ? ` (${embedded.via})` : ''}, a cloud metadata address` };
  }
  if (!spelled) return { ok: false, reason: `${target} is ${cls}, ${outside}` };
  return { ok: false, reason: `${subject} is ${target} (${embedded ? `${embedded.via}, ` : ''}${cls}), ${outside}` };
}

/** Every server of every tenant is checked here: a loop over the ranges as they are, no merged list. */
function inAny(ranges: readonly AddressRange[], ip: Ip): boolean {
  for (const range of ranges) if (contains(range, ip)) return true;
  return false;
}

function describeName(written: string, cls: Exclude<HostNameClass, 'public'>): string {
  if (cls === 'localhost') return `"${written}" is this host`;
  if (cls === 'internal') return `"${written}" is an internal name (resolves inside private networks)`;
  return `"${written}" is not a valid host name`;
}
