// The host's infra options (public addresses, extra TCP/UDP ports, certificate e-mail), validated
// once with exact messages. `static` writes Traefik's configuration from them; `run` and `render`
// learn from them which entrypoints that Traefik has.

import { parseStrictIp, ipv4Mapped } from '../model/addresses.ts';
import { hostEntrypoints, type HostEntrypoints } from '../render/host-entrypoints.ts';
import { DEFAULT_RENDER_OPTIONS, parsePortRange, type PortRange } from '../render/options.ts';
import { UsageError, type ParsedArgs } from './parse-args.ts';

export interface InfraOptions {
  readonly publicIpv4: string | undefined;
  readonly publicIpv6: string | undefined;
  readonly tcpPorts: readonly number[];
  readonly udpPorts: readonly number[];
  readonly tcpRange: PortRange;
  readonly udpRange: PortRange | undefined;
}

/** web and websecure hold these on the public address: a TCP entrypoint there could not bind. */
const HTTP_PORTS = [80, 443];

export function infraOptionsFrom(args: ParsedArgs): InfraOptions {
  const tcpRange = rangeOption(args.get('tcp-range'), '--tcp-range') ?? DEFAULT_RENDER_OPTIONS.tcpRange;
  const udpRange = rangeOption(args.get('udp-range'), '--udp-range');
  const tcpPorts = portList(args.get('tcp-ports') ?? [], '--tcp-ports');
  const clash = [...tcpPorts, ...range(tcpRange)].find((port) => HTTP_PORTS.includes(port));
  if (clash !== undefined) {
    const where = tcpPorts.includes(clash) ? '--tcp-ports' : '--tcp-range';
    throw new UsageError(`Expected \`${where}\` to leave out 80 and 443 (web and websecure listen there), got ${clash}`);
  }
  return {
    publicIpv4: address(args.get('public-ipv4'), 4),
    publicIpv6: address(args.get('public-ipv6'), 6),
    tcpPorts,
    udpPorts: portList(args.get('udp-ports') ?? [], '--udp-ports'),
    tcpRange,
    udpRange,
  };
}

/**
 * The entrypoints `route-server static` gives this host's Traefik. Known only when the settings
 * describe that Traefik, that is when `--public-ipv4` is set (`static` needs it): an operator who
 * never set the infra options gets no warnings about entrypoints route-server cannot know.
 */
export function knownEntrypoints(infra: InfraOptions): HostEntrypoints | undefined {
  if (infra.publicIpv4 === undefined) return undefined;
  return hostEntrypoints({ ...infra, ipv6: infra.publicIpv6 !== undefined });
}

function address(text: string | undefined, family: 4 | 6): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const ip = parseStrictIp(text.trim());
  // An IPv4-mapped IPv6 address is an IPv4 address in IPv6 spelling: not the host's IPv6.
  if (!ip || ip.family !== family || (family === 6 && ipv4Mapped(ip))) {
    const example = family === 4 ? '203.0.113.50' : '2001:db8::1';
    throw new UsageError(`Expected \`--public-ipv${family}\` to be an IPv${family} address like ${example}, got ${JSON.stringify(text)}`);
  }
  return ip.toString();
}

function portList(items: readonly string[], flag: string): number[] {
  const ports: number[] = [];
  for (const item of items) {
    const port = /^[0-9]{1,5}$/.test(item) ? Number(item) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new UsageError(`Expected \`${flag}\` to be ports from 1 to 65535, got ${JSON.stringify(item)}`);
    if (ports.includes(port)) throw new UsageError(`Expected \`${flag}\` to name each port once, got ${port} twice`);
    ports.push(port);
  }
  return ports;
}

function rangeOption(text: string | undefined, flag: string): PortRange | undefined {
  if (text === undefined || text === '' || text === 'none') return undefined;
  const parsed = parsePortRange(text, flag);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed.value;
}

function range(r: PortRange): number[] {
  return HTTP_PORTS.filter((port) => port >= r.first && port <= r.last);
}
