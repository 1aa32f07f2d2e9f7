// Each entrypoint of the host carries one protocol: `tcp-*` TCP, `udp-*` UDP, and the HTTP
// entrypoints (`web`, `websecure`, `websecure-v6` and the configured default entrypoints) HTTP,
// where TCP routers may also route TLS by SNI. A router named onto another protocol's entrypoint
// cannot serve there, but it would still count as using it: a UDP router on `websecure` would take
// it whole and lock every newer tenant's HTTP routers out. Such a router is refused.

import type { RenderOptions } from './options.ts';
import type { RouterSection } from './router-rules.ts';

export type EntrypointProtocol = 'http' | 'tcp' | 'udp';

/**
 * The lowercased names of the HTTP entrypoints. Traefik matches entrypoint names exactly, but a
 * router naming `WebSecure` or `TCP-3306` shows what it is after; case never makes a name acceptable.
 */
export function httpEntrypointNames(options: RenderOptions): ReadonlySet<string> {
  return new Set([...options.httpEntrypoints, ...options.entrypoints].map((name) => name.toLowerCase()));
}

/** The protocol an entrypoint name stands for; undefined for a name of the operator's own. */
export function entrypointProtocol(name: string, httpNames: ReadonlySet<string>): EntrypointProtocol | undefined {
  const lower = name.toLowerCase();
  if (httpNames.has(lower)) return 'http';
  if (lower.startsWith('tcp-')) return 'tcp';
  if (lower.startsWith('udp-')) return 'udp';
  return undefined;
}

const ROUTER_PROTOCOL: Record<RouterSection, EntrypointProtocol> = { 'http.routers': 'http', 'tcp.routers': 'tcp', 'udp.routers': 'udp' };

/** TCP routers may use HTTP entrypoints too (TLS by SNI); whether their rule may is router-rules' business. */
const ACCEPTS: Record<EntrypointProtocol, readonly EntrypointProtocol[]> = { http: ['http'], tcp: ['tcp', 'http'], udp: ['udp'] };

const WORDS: Record<EntrypointProtocol, string> = { http: 'HTTP', tcp: 'TCP', udp: 'UDP' };

/** Why a router may not use these entrypoints, or undefined when it may. */
export function entrypointProtocolProblem(section: RouterSection, entrypoints: readonly string[], httpNames: ReadonlySet<string>): string | undefined {
  const router = ROUTER_PROTOCOL[section];
  // Every router is checked: a loop that makes nothing unless there is an offender to name.
  let listed = '';
  for (const name of entrypoints) {
    const protocol = entrypointProtocol(name, httpNames);
    if (protocol === undefined || ACCEPTS[router].includes(protocol)) continue;
    listed += `${listed === '' ? '' : ', '}${name} (${WORDS[protocol]})`;
  }
  if (listed === '') return undefined;
  return `${router === 'http' ? 'an' : 'a'} ${WORDS[router]} router cannot use entrypoint ${listed}: tcp-* entrypoints are for TCP routers, udp-* for UDP routers, the HTTP entrypoints for HTTP routers and TCP routers with a literal HostSNI`;
}
