// Which IP a backend address really points at and what kind of address it is (SPEC §2, §3
// "Backends"). Pure: no DNS, no sockets. Parsing lives in ip.ts (spellings) and url-host.ts (how
// Go reads URLs and host:port); this file holds ranges and classes; backend-policy.ts the policy.

import { Ip, embeddedIpv4, hasPrefix, ipv4Mapped, parseIp, parseStrictIp } from './ip.ts';
import { canonicalHost } from './host-name.ts';

export * from './ip.ts';
export * from './url-host.ts';

export class Cidr {
  constructor(
    readonly network: Ip,
    readonly bits: number,
  ) {}

  toString(): string {
    return `${this.network}/${this.bits}`;
  }
}

/** An inclusive range that is not a CIDR, such as a tenant's service addresses (base+2 … base+62). */
export class IpRange {
  constructor(
    readonly first: Ip,
    readonly last: Ip,
  ) {}

  toString(): string {
    return `${this.first}-${this.last}`;
  }
}

export type AddressRange = Cidr | IpRange;

/** `a.b.c.d/n` or an IPv6 CIDR in standard notation; a bare address means /32 or /128. */
export function parseCidr(text: string): Cidr | undefined {
  const cidr = readCidr(text);
  return typeof cidr === 'string' ? undefined : cidr;
}

/** Why parseCidr refuses `text` (for the operator's error message), or undefined when it is valid. */
export function explainCidr(text: string): string | undefined {
  const cidr = readCidr(text);
  return typeof cidr === 'string' ? cidr : undefined;
}

function readCidr(text: string): Cidr | string {
  const [addressText, bitsText] = text.split('/', 2) as [string, string | undefined];
  if (text.split('/').length > 2) return `"${text}" is not a CIDR: more than one "/"`;
  const address = parseStrictIp(addressText);
  if (address === undefined) return `"${text}" is not a CIDR: "${addressText}" is not an IP address in standard notation`;
  const maxBits = address.family === 4 ? 32 : 128;
  if (bitsText === undefined) return new Cidr(address, maxBits);
  if (!/^(0|[1-9][0-9]*)$/.test(bitsText) || Number(bitsText) > maxBits) {
    return `"${text}" is not a CIDR: prefix length must be 0-${maxBits}`;
  }
  const bits = Number(bitsText);
  const network = maskTo(address, bits);
  if (!network.equals(address)) return `"${text}" has host bits set (did you mean ${network}/${bits}?)`;
  return new Cidr(network, bits);
}

/** Whether `ip` is in `range`. IPv4 ranges also match the IPv4-mapped IPv6 form (the same socket). */
export function contains(range: AddressRange, ip: Ip): boolean {
  const target = ipv4Mapped(ip) ?? ip;
  if (range instanceof Cidr) {
    const mappedNetwork = range.bits >= 96 ? ipv4Mapped(range.network) : undefined;
    return mappedNetwork
      ? hasPrefix(target, mappedNetwork, range.bits - 96)
      : hasPrefix(target, range.network, range.bits);
  }
  const first = ipv4Mapped(range.first) ?? range.first;
  const last = ipv4Mapped(range.last) ?? range.last;
  return target.family === first.family && compareBytes(first, target) <= 0 && compareBytes(target, last) <= 0;
}

function maskTo(ip: Ip, bits: number): Ip {
  return Ip.fromBytes(ip.bytes.map((b, i) => b & (0xff << (8 - Math.min(8, Math.max(0, bits - i * 8))))));
}

function compareBytes(a: Ip, b: Ip): number {
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return a.bytes[i]! - b.bytes[i]!;
  return 0;
}

// ---- classification ----

export type AddressClass =
  | 'loopback'
  | 'unspecified'
  | 'link-local'
  | 'metadata'
  | 'private'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'public';

// First match wins, so single addresses come before the blocks that hold them.
const IPV4_CLASSES = table([
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack, DigitalOcean, Hetzner, Oracle OCI
  ['169.254.170.2/32', 'metadata'], // AWS ECS task metadata and credentials
  ['169.254.170.23/32', 'metadata'], // AWS EKS Pod Identity agent (credentials)
  ['169.254.0.23/32', 'metadata'], // Tencent Cloud
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['192.0.0.192/32', 'metadata'], // Oracle Cloud (Classic)
  ['168.63.129.16/32', 'metadata'], // Azure WireServer: a public address only the host answers
  ['0.0.0.0/8', 'unspecified'], // dialling 0.0.0.0 reaches this host
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'private'], // carrier-grade NAT
  ['198.18.0.0/15', 'private'], // benchmarking, used inside labs
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'reserved'], // documentation
  ['198.51.100.0/24', 'reserved'], // documentation
  ['203.0.113.0/24', 'reserved'], // documentation
  ['192.88.99.0/24', 'reserved'], // former 6to4 relay anycast
]);

const IPV6_CLASSES = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fd00:ec2::254/128', 'metadata'], // AWS instance metadata over IPv6 (Nitro)
  ['fd00:ec2::23/128', 'metadata'], // AWS EKS Pod Identity agent (credentials)
  ['fe80::/10', 'link-local'],
  ['fc00::/7', 'private'], // unique local
  ['fec0::/10', 'private'], // deprecated site-local
  ['64:ff9b:1::/48', 'private'], // local-use NAT64
  ['ff00::/8', 'multicast'],
  ['::/8', 'reserved'], // what unwrapping leaves, e.g. IPv4-translated ::ffff:0:a.b.c.d
  ['100::/64', 'reserved'], // discard-only
  ['2001:2::/48', 'reserved'], // benchmarking
  ['2001:10::/28', 'reserved'], // ORCHID
  ['2001:20::/28', 'reserved'], // ORCHIDv2
  ['2001:db8::/32', 'reserved'], // documentation
  ['3fff::/20', 'reserved'], // documentation (RFC 9637)
  ['2000::/3', 'public'], // global unicast; anything else is unallocated
]);

function table(rows: ReadonlyArray<readonly [string, AddressClass]>): ReadonlyArray<readonly [Cidr, AddressClass]> {
  return rows.map(([text, cls]) => {
    const cidr = readCidr(text);
    if (typeof cidr === 'string') throw new Error(cidr);
    return [cidr, cls] as const;
  });
}

/** The class of what `ip` reaches; an IPv6 address that embeds an IPv4 one is classified by that. */
export function classifyIp(ip: Ip): AddressClass {
  const target = embeddedIpv4(ip)?.ipv4 ?? ip;
  const rows = target.family === 4 ? IPV4_CLASSES : IPV6_CLASSES;
  for (const [cidr, cls] of rows) if (hasPrefix(target, cidr.network, cidr.bits)) return cls;
  return target.family === 4 ? 'public' : 'reserved';
}

export type HostNameClass = 'localhost' | 'internal' | 'public' | 'invalid';

const LOCALHOST_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);
const INTERNAL_SUFFIXES = ['.internal', '.local', '.localdomain', '.home.arpa', '.lan', '.corp', '.intranet'];

/**
 * What a host name resolves to, as far as the name tells. A name that is an IP under some
 * spelling (`0x7f.1`, `2130706433`) is classified by that IP: this host → `localhost`, a public
 * address → `public`, anything else → `internal`.
 */
export function classifyHostName(name: string): HostNameClass {
  const lower = name.toLowerCase();
  const n = canonicalHost(name);
  const ip = parseIp(n.startsWith('[') && n.endsWith(']') ? n.slice(1, -1) : lower);
  if (ip !== undefined) {
    const cls = classifyIp(ip);
    return cls === 'loopback' || cls === 'unspecified' ? 'localhost' : cls === 'public' ? 'public' : 'internal';
  }
  if (!isDnsName(n)) return 'invalid';
  // A numeric last label would be read as an IPv4 part by a URL parser; no real TLD is numeric.
  if (NUMERIC_LABEL.test(n.slice(n.lastIndexOf('.') + 1))) return 'invalid';
  if (LOCALHOST_NAMES.has(n) || n.endsWith('.localhost')) return 'localhost';
  if (!n.includes('.') || hasInternalSuffix(n)) return 'internal';
  const embedded = embeddedAddress(n);
  if (embedded !== undefined) {
    const cls = classifyIp(embedded);
    if (cls === 'loopback' || cls === 'unspecified') return 'localhost';
    if (cls !== 'public') return 'internal';
  }
  return 'public';
}

// Every rule host is classified: the expressions are made once, not once per call or label.
const NUMERIC_LABEL = /^([0-9]+|0x[0-9a-f]*)$/;
const DASHED_ADDRESS = /^(?:.*-)?((?:0|[1-9][0-9]{0,2})-(?:0|[1-9][0-9]{0,2})-(?:0|[1-9][0-9]{0,2})-(?:0|[1-9][0-9]{0,2}))$/;
const HEX_ADDRESS = /^[0-9a-f]{8}$/;
const HAS_DIGIT = /[0-9]/;
const DNS_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function hasInternalSuffix(name: string): boolean {
  for (const suffix of INTERNAL_SUFFIXES) if (name.endsWith(suffix)) return true;
  return false;
}

/** Whether name[start, end) is a decimal byte as standard notation writes it (`0`, `7`, `255`; not `07`). */
function isByteLabel(name: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 3 || (length > 1 && name.charCodeAt(start) === 0x30)) return false;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
    value = value * 10 + code - 0x30;
  }
  return value <= 255;
}

/**
 * Wildcard-DNS services (nip.io, sslip.io, traefik.me and the like) resolve names that spell an
 * address: `127.0.0.1.nip.io`, `10-0-0-1.sslip.io`, `app.7f000001.nip.io`. Such a name is judged
 * by that address; a public DNS name that merely contains digits is not affected. Every rule host
 * and backend name comes here: labels are walked by position, and only a candidate is cut out.
 */
function embeddedAddress(name: string): Ip | undefined {
  // Four byte labels in a row (`127.0.0.1.nip.io`), wherever they are, come first.
  let run = 0;
  let runStart = 0;
  for (let start = 0; start <= name.length; ) {
    const end = labelEnd(name, start);
    if (!isByteLabel(name, start, end)) run = 0;
    else if (++run === 1) runStart = start;
    if (run === 4) return parseStrictIp(name.slice(runStart, end));
    start = end + 1;
  }
  for (let start = 0; start <= name.length; ) {
    const end = labelEnd(name, start);
    // A dashed address has three dashes at least.
    const dash = name.indexOf('-', start);
    const dashed = dash >= 0 && dash < end ? DASHED_ADDRESS.exec(name.slice(start, end)) : null;
    if (dashed) {
      const ip = parseStrictIp((dashed[1] as string).replace(/-/g, '.'));
      if (ip) return ip;
    }
    if (end - start === 8) {
      const label = name.slice(start, end);
      if (HEX_ADDRESS.test(label) && HAS_DIGIT.test(label)) return Ip.fromIpv4(Number.parseInt(label, 16));
    }
    start = end + 1;
  }
  return undefined;
}

function labelEnd(name: string, start: number): number {
  const dot = name.indexOf('.', start);
  return dot < 0 ? name.length : dot;
}

/** ASCII letters, digits, `-` and `_` (Go's resolver takes `_`), labels 1–63, no edge hyphens, ≤ 253. */
function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  // Every label as below, in one expression over the name (no list of labels).
  return DNS_NAME.test(name);
}

// ---- tenant ranges (SPEC §2) ----

export const FIRST_NETWORK_ID = 2816;
export const NETWORK_ID_STEP = 64;

/** 2816 + 64·k below 2^24: such ids own non-overlapping /26 blocks inside 127/8. */
export function isValidNetworkId(networkId: number): boolean {
  return (
    Number.isInteger(networkId) &&
    networkId >= FIRST_NETWORK_ID &&
    networkId < 2 ** 24 &&
    (networkId - FIRST_NETWORK_ID) % NETWORK_ID_STEP === 0
  );
}

/** The /26 a network id owns: 2816 → 127.0.11.0/26. Throws for an id isValidNetworkId refuses. */
export function networkRange(networkId: number): Cidr {
  return new Cidr(Ip.fromIpv4(networkBase(networkId)), 26);
}

/** Service addresses of a network id: base+2 … base+62 (.0 is the network, .1 the gateway, .63 broadcast). */
export function serviceRange(networkId: number): IpRange {
  const base = networkBase(networkId);
  return new IpRange(Ip.fromIpv4(base + 2), Ip.fromIpv4(base + 62));
}

/** The 32-bit value of a network id's first address: 127.0.0.0 plus the id. */
function networkBase(networkId: number): number {
  if (!isValidNetworkId(networkId)) {
    throw new RangeError(`Expected a network id 2816 + 64·k below 2^24, got ${networkId}`);
  }
  return 0x7f000000 + networkId;
}
