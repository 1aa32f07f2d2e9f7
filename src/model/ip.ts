// An IP address as a value, and every spelling of one that something on the dial path accepts.
// Resolvers disagree: Go's ParseIP refuses `0x7f.1`, hands it to getaddrinfo, and glibc's
// inet_aton reads it as 127.0.0.1. So parseIp accepts the union (inet_aton + WHATWG + RFC 4291):
// reading too much as an IP only ever makes a target stricter to check, never looser.

export type IpFamily = 4 | 6;

export class Ip {
  /** 4 or 16 bytes in network order. Treat as read-only. */
  readonly bytes: readonly number[];
  readonly family: IpFamily;
  /** IPv6 zone (`eth0` of `fe80::1%eth0`); never set on IPv4. */
  readonly zone: string | undefined;

  // A plain array, not a Uint8Array: every service and backend address of a render is one of
  // these, and a typed array costs an ArrayBuffer besides.
  private constructor(bytes: readonly number[], zone: string | undefined) {
    this.bytes = bytes;
    this.family = bytes.length === 4 ? 4 : 6;
    this.zone = zone;
  }

  /** 4 bytes make an IPv4 address, 16 an IPv6 one; each value is cut to a byte, as a Uint8Array would. */
  static fromBytes(bytes: ArrayLike<number>, zone?: string): Ip {
    if (bytes.length !== 4 && bytes.length !== 16) throw new RangeError(`an IP has 4 or 16 bytes, got ${bytes.length}`);
    if (zone !== undefined && bytes.length === 4) throw new RangeError('an IPv4 address has no zone');
    return new Ip(Array.from(bytes, (byte) => byte & 0xff), zone);
  }

  /** The IPv4 address of a 32-bit value, as inet_aton computes it: 0x7f000001 is 127.0.0.1. */
  static fromIpv4(value: number): Ip {
    return new Ip([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff], undefined);
  }

  /** Canonical text: dotted quad, or RFC 5952 IPv6 (`::ffff:a.b.c.d` for IPv4-mapped). */
  toString(): string {
    if (this.family === 4) return this.bytes.join('.');
    const zone = this.zone === undefined ? '' : `%${this.zone}`;
    if (ipv4Mapped(this)) return `::ffff:${this.bytes.slice(12).join('.')}${zone}`;
    return formatIpv6Groups(this.bytes) + zone;
  }

  equals(other: Ip): boolean {
    if (this.zone !== other.zone || this.bytes.length !== other.bytes.length) return false;
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] !== other.bytes[i]) return false;
    return true;
  }
}

/** Any spelling: `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`, `127.0.0.1.`, `::ffff:7f00:1`, `fe80::1%eth0`. */
export function parseIp(text: string): Ip | undefined {
  return text.includes(':') ? parseIpv6(text, true) : parseLooseIpv4(text);
}

/** Standard notation only (dotted quad without leading zeros, RFC 4291 IPv6 without zone), for CIDRs. */
export function parseStrictIp(text: string): Ip | undefined {
  if (text.includes(':')) return parseIpv6(text, false);
  return dottedQuad(text) ?? undefined;
}

const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Standard notation, the spelling almost every address has: four parts of one to three digits
 * without a leading zero. The address, null when written so but a part is over 255 (no reading
 * makes it an address), undefined when not written so. Read by code: no match list, no substrings.
 */
function dottedQuad(text: string): Ip | null | undefined {
  let value = 0;
  let tooBig = false;
  let at = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0 && text.charCodeAt(at++) !== DOT) return undefined;
    const start = at;
    let byte = 0;
    for (let code = text.charCodeAt(at); code >= DIGIT_0 && code <= DIGIT_9 && at - start < 3; code = text.charCodeAt(++at)) {
      byte = byte * 10 + code - DIGIT_0;
    }
    if (at === start || (at - start > 1 && text.charCodeAt(start) === DIGIT_0)) return undefined;
    if (byte > 255) tooBig = true;
    value = value * 256 + byte;
  }
  if (at !== text.length) return undefined;
  return tooBig ? null : Ip.fromIpv4(value);
}

/** Only digits, hex digits, `x` and dots can spell a part (decimal, 0-octal, 0x-hex). */
const LOOSE_IPV4_TEXT = /^[0-9a-fA-FxX.]*$/;

/** inet_aton/WHATWG: 1–4 parts, the last fills the remaining bytes; each decimal, 0-octal or 0x-hex. */
function parseLooseIpv4(text: string): Ip | undefined {
  // Host names are asked too (is this name an address?): most have a letter no part can hold.
  if (!LOOSE_IPV4_TEXT.test(text)) return undefined;
  const quad = dottedQuad(text);
  if (quad !== undefined) return quad ?? undefined;
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // trailing dot
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIpv4Part(part);
    if (n === undefined) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  let value = last;
  numbers.forEach((n, i) => (value += n * 256 ** (3 - i)));
  return Ip.fromIpv4(value);
}

function parseIpv4Part(part: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]*$/.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16); // WHATWG reads a bare `0x` as 0
  if (/^0[0-7]+$/.test(part)) return parseInt(part, 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return parseInt(part, 10); // huge values become Infinity: still out of range
  return undefined;
}

function parseIpv6(text: string, allowZone: boolean): Ip | undefined {
  let zone: string | undefined;
  const percent = text.indexOf('%');
  if (percent >= 0) {
    zone = text.slice(percent + 1);
    text = text.slice(0, percent);
    if (!allowZone || !/^[\x21-\x7e]+$/.test(zone) || /[%/[\]]/.test(zone)) return undefined;
  }
  // A dotted IPv4 tail (`::ffff:1.2.3.4`) stands for the last two groups.
  let tail: Ip | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    tail = parseStrictIp(text.slice(lastColon + 1));
    if (tail === undefined || tail.family !== 4) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const rest = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (head === undefined || rest === undefined) return undefined;
  const zeros = 8 - head.length - rest.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return undefined;
  const groups = [...head, ...new Array<number>(zeros).fill(0), ...rest];
  const bytes = groups.flatMap((g) => [g >> 8, g & 255]);
  if (tail !== undefined) bytes.splice(12, 4, ...tail.bytes);
  return Ip.fromBytes(bytes, zone);
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups.map((g) => parseInt(g, 16)) : undefined;
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6Groups(bytes: readonly number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Whether the first `bits` bits of `ip` equal those of `network` (same family only). */
export function hasPrefix(ip: Ip, network: Ip, bits: number): boolean {
  if (ip.family !== network.family) return false;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (ip.bytes[i] !== network.bytes[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[whole]! & mask) === (network.bytes[whole]! & mask);
}

/** The IPv4 address of an IPv4-mapped IPv6 address (::ffff:0:0/96): the one the kernel dials. */
export function ipv4Mapped(ip: Ip): Ip | undefined {
  if (ip.family !== 6) return undefined;
  const b = ip.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return undefined;
  return b[10] === 0xff && b[11] === 0xff ? Ip.fromBytes(b.slice(12)) : undefined;
}

export type Ipv4Embedding = 'IPv4-mapped' | 'IPv4-compatible' | 'NAT64' | '6to4' | 'Teredo';

/**
 * The IPv4 address an IPv6 address carries, when a translator or tunnel may deliver it there.
 * Only the mapped form is the same socket address; the others count for classification so that
 * `64:ff9b::a9fe:a9fe` is treated as the metadata address it reaches through NAT64.
 */
export function embeddedIpv4(ip: Ip): { readonly ipv4: Ip; readonly via: Ipv4Embedding } | undefined {
  if (ip.family !== 6) return undefined;
  const b = ip.bytes;
  const zeroUpTo = (end: number, from = 0): boolean => b.slice(from, end).every((x) => x === 0);
  const mapped = ipv4Mapped(ip);
  if (mapped) return { ipv4: mapped, via: 'IPv4-mapped' };
  const last4 = b.slice(12);
  if (zeroUpTo(12)) {
    // :: and ::1 are IPv6's own unspecified and loopback addresses, not 0.0.0.0/0.0.0.1.
    if (zeroUpTo(15, 12) && b[15]! <= 1) return undefined;
    return { ipv4: Ip.fromBytes(last4), via: 'IPv4-compatible' };
  }
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeroUpTo(12, 4)) {
    return { ipv4: Ip.fromBytes(last4), via: 'NAT64' };
  }
  if (b[0] === 0x20 && b[1] === 0x02) return { ipv4: Ip.fromBytes(b.slice(2, 6)), via: '6to4' };
  // Teredo (2001::/32): the client's IPv4 sits in the last 32 bits, inverted.
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) {
    return { ipv4: Ip.fromBytes(Array.from(last4, (x) => x ^ 0xff)), via: 'Teredo' };
  }
  return undefined;
}
