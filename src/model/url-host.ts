// Backend targets read the way Traefik (Go) reads them: `server.url` and `forwardAuth.address`
// through net/url.Parse, `server.address` and Redis endpoints through net.SplitHostPort. What
// matters is which host Go would dial; a check that parses differently from Go can be walked
// around (`http://127.0.11.2@169.254.169.254/`, `http://169.254.169.254#@127.0.11.2`).

import { Ip, parseIp } from './ip.ts';

/** A host that is an IP under some spelling: the address dialled. */
export interface IpHost {
  /** The host as written: brackets and port removed, percent escapes kept. */
  readonly host: string;
  readonly hostKind: 'ip';
  readonly ip: Ip;
  readonly port: number;
}

/** A host that needs a resolver. */
export interface NamedHost {
  readonly host: string;
  readonly hostKind: 'name';
  /** The name looked up: percent-decoded, lower case. */
  readonly name: string;
  readonly port: number;
}

export type ParsedHost = IpHost | NamedHost;

export type ServerScheme = 'http' | 'https' | 'h2c';

export type ParsedServerUrl = ParsedHost & { readonly scheme: ServerScheme };

const DEFAULT_PORTS: Readonly<Record<ServerScheme, number>> = { http: 80, https: 443, h2c: 80 };

// Bytes Go's net/url lets through unescaped in a host (shouldEscape(c, encodeHost) is false).
const GO_HOST_BYTE = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"\u0080-\uffff]$/;
// Whole hosts whose every character GO_HOST_BYTE (or the caller) takes, tested in one go: checked
// character by character, only a host that fails is walked to name the culprit (a character
// outside the BMP is one character that GO_HOST_BYTE refuses, hence no surrogates here).
const GO_HOST_TEXT = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%\u0080-\ud7ff\ue000-\uffff]*$/;
const GO_NAME_TEXT = /^[A-Za-z0-9\-_.~!$&'()*+,;=<>"\u0080-\ud7ff\ue000-\uffff]*$/;
// Go's validUserinfo: anything else (a backslash, a space) makes the whole URL invalid.
const GO_USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
const CONTROL = /[\x00-\x1f\x7f]/;
// Made once: every server URL and address of every tenant is read here.
const SCHEME_END = /[^A-Za-z0-9+.-]/;
const LETTER_FIRST = /^[A-Za-z]/;
const COLON_PORT = /^(:[0-9]*)?$/;
const ADDRESS_CONTROL = /[\x00-\x20\x7f]/;
const DIGITS = /^[0-9]+$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** An HTTP server URL or forwardAuth address, as net/url.Parse + net/http would dial it; or an error. */
export function parseServerUrl(url: string): ParsedServerUrl | string {
  if (CONTROL.test(url)) return 'invalid control character in URL';
  const hash = url.indexOf('#'); // Go cuts the fragment before anything else
  const beforeFragment = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash + 1);
  const schemeEnd = beforeFragment.search(SCHEME_END);
  if (schemeEnd <= 0 || beforeFragment[schemeEnd] !== ':' || !LETTER_FIRST.test(beforeFragment)) return 'missing scheme';
  const scheme = beforeFragment.slice(0, schemeEnd).toLowerCase();
  if (!isServerScheme(scheme)) return `unsupported scheme "${scheme}" (want http, https or h2c)`;
  const query = beforeFragment.indexOf('?', schemeEnd + 1);
  const rest = beforeFragment.slice(schemeEnd + 1, query < 0 ? beforeFragment.length : query);
  if (!rest.startsWith('//')) return 'missing host';
  const slash = rest.indexOf('/', 2);
  const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  const at = authority.lastIndexOf('@'); // userinfo runs to the last '@'; the host follows it
  const parsed = parseUrlHost(authority.slice(at + 1));
  if (typeof parsed === 'string') return parsed;
  const userinfo = at < 0 ? '' : authority.slice(0, at);
  if (!GO_USERINFO.test(userinfo)) return 'invalid userinfo';
  const bad = findBadEscape(userinfo) ?? findBadEscape(path) ?? findBadEscape(fragment);
  if (bad !== undefined) return `invalid URL escape "${bad}"`;
  const port = parsed.port === '' ? DEFAULT_PORTS[scheme] : toPort(parsed.port);
  if (port === undefined) return `invalid port ":${parsed.port}"`;
  return parsed.ip !== undefined
    ? { scheme, host: parsed.host, hostKind: 'ip', ip: parsed.ip, port }
    : { scheme, host: parsed.host, hostKind: 'name', name: parsed.name, port };
}

type UrlHost = { host: string; port: string } & ({ ip: Ip; name?: undefined } | { ip?: undefined; name: string });

/** net/url parseHost + URL.Hostname/Port: brackets, `%25` zones, port after the last colon. */
function parseUrlHost(hostPort: string): UrlHost | string {
  if (hostPort.startsWith('[')) {
    const close = hostPort.lastIndexOf(']');
    if (close < 0) return "missing ']' in host";
    const colonPort = hostPort.slice(close + 1);
    if (!COLON_PORT.test(colonPort)) return `invalid port "${colonPort}" after host`;
    const inside = hostPort.slice(1, close);
    // RFC 6874: `%25` introduces the zone; a bare `%` is a bad escape, as in Go.
    const [address, zone] = cut(inside, '%25');
    const bad = findBadEscape(address) ?? (zone === undefined ? undefined : findBadEscape(zone));
    if (bad !== undefined) return `invalid URL escape "${bad}"`;
    const decodedZone = zone === undefined ? undefined : percentDecode(zone);
    if (decodedZone === '') return `invalid IP literal "[${inside}]"`;
    const decoded = percentDecode(address);
    const ip = decoded === undefined ? undefined : parseIp(decodedZone === undefined ? decoded : `${decoded}%${decodedZone}`);
    if (ip === undefined) return `invalid IP literal "[${inside}]"`;
    return { host: inside, ip, port: colonPort.slice(1) };
  }
  const colon = hostPort.lastIndexOf(':');
  const colonPort = colon < 0 ? '' : hostPort.slice(colon);
  if (!COLON_PORT.test(colonPort)) return `invalid port "${colonPort}" after host`;
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  if (!GO_HOST_TEXT.test(host)) for (const c of host) if (c !== '%' && !GO_HOST_BYTE.test(c)) return `invalid character "${c}" in host`;
  const bad = findBadEscape(host);
  if (bad !== undefined) return `invalid URL escape "${bad}"`;
  // Go refuses escapes of ASCII in a host; decoding them anyway means `%31%32%37.0.0.1` is judged
  // as the 127.0.0.1 it spells, never waved through as an opaque name.
  const decoded = percentDecode(host);
  if (decoded === undefined) return `invalid UTF-8 in host "${host}"`;
  if (decoded === '') return 'missing host';
  // Unbracketed IPv6 (`http://::ffff:127.0.0.1:80/`) passes older Go and is dialled: judge it.
  const ip = parseIp(decoded);
  if (ip !== undefined) return { host, ip, port: colonPort.slice(1) };
  if (!GO_NAME_TEXT.test(decoded)) {
    for (const c of decoded) if (!GO_HOST_BYTE.test(c) || c === ':' || c === '[' || c === ']') return `invalid character "${c}" in host`;
  }
  return { host, name: decoded.toLowerCase(), port: colonPort.slice(1) };
}

/** A TCP/UDP server address or Redis endpoint, split as Go's net.SplitHostPort; or an error. */
export function parseHostPort(address: string): ParsedHost | string {
  if (ADDRESS_CONTROL.test(address)) return 'invalid character in address';
  const colon = address.lastIndexOf(':');
  if (colon < 0) return 'missing port in address';
  let host: string;
  let hostStart = 0;
  let hostEnd = 0;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return "missing ']' in address";
    if (close + 1 !== colon) return address[close + 1] === ':' ? 'too many colons in address' : 'missing port in address';
    host = address.slice(1, close);
    [hostStart, hostEnd] = [1, close + 1];
  } else {
    host = address.slice(0, colon);
    if (host.includes(':')) return 'too many colons in address';
  }
  if (address.indexOf('[', hostStart) >= 0) return "unexpected '[' in address";
  if (address.indexOf(']', hostEnd) >= 0) return "unexpected ']' in address";
  const portText = address.slice(colon + 1);
  if (portText === '') return 'missing port in address';
  if (!DIGITS.test(portText)) return `non-numeric port "${portText}"`;
  const port = toPort(portText);
  if (port === undefined) return `invalid port "${portText}"`;
  // Go dials an empty host (":6379") on the local system.
  if (host === '') return { host, hostKind: 'ip', ip: Ip.fromIpv4(0), port };
  const ip = parseIp(host);
  if (ip !== undefined) return { host, hostKind: 'ip', ip, port };
  if (host.includes('%')) return `invalid host "${host}"`;
  return { host, hostKind: 'name', name: host.toLowerCase(), port };
}

function isServerScheme(scheme: string): scheme is ServerScheme {
  return Object.hasOwn(DEFAULT_PORTS, scheme);
}

/** A port Go can dial: 1–65535 (port 0 parses but never connects). */
function toPort(digits: string): number | undefined {
  if (!DIGITS.test(digits)) return undefined;
  const port = Number(digits);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function cut(text: string, separator: string): [string, string | undefined] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + separator.length)];
}

/** The first `%` not followed by two hex digits, as Go reports it (up to three characters). */
function findBadEscape(text: string): string | undefined {
  const match = BAD_ESCAPE.exec(text);
  return match === null ? undefined : text.slice(match.index, match.index + 3);
}

/** Percent-decodes to UTF-8 text; undefined when the bytes are not UTF-8. */
function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
