// What the renderer needs to know about the host: the same options for `run` and `render`.

import { explainCidr, parseCidr, type Cidr, type Ip } from '../model/addresses.ts';
import { canonicalHost } from '../model/host-name.ts';
import { parseHostPattern, type HostPattern } from '../model/host-patterns.ts';
import type { HostEntrypoints } from './host-entrypoints.ts';

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

export interface RenderOptions {
  /** Base domain of auto-routes (`{service}-{networkId}.{baseDomain}`); none means no auto-routes. */
  readonly baseDomain: string | undefined;
  /** Entrypoints of auto-routes, and of HTTP routers that name none. */
  readonly entrypoints: readonly string[];
  /** Certificate resolver of auto-routes; empty means auto-routes carry no TLS block. */
  readonly certResolver: string;
  readonly autoRoutes: boolean;
  /** Traefik's exposedByDefault: route containers without `traefik.enable`. */
  readonly exposedByDefault: boolean;
  /** Traefik-style default rule template; undefined means the auto-route host. */
  readonly defaultRule: string | undefined;
  /** References to names outside a tenant that are allowed (`secure-headers@file`). */
  readonly allowRefs: readonly string[];
  /** Extra backend ranges and host names tenants may use. */
  readonly allowBackends: BackendAllowList;
  /**
   * This host's own public addresses (`--public-ipv4`, `--public-ipv6`). Public, yet never a
   * middleware target: from Traefik they reach every service the host listens with, firewalled or not.
   */
  readonly hostAddresses: readonly Ip[];
  /** Plugin names (`experimental.plugins.<name>`) tenants' middlewares may use, settings unchecked. */
  readonly allowPlugins: readonly string[];
  /** Directories (`{id}` = the tenant's id) under which tenants' middlewares may name files. */
  readonly allowFileDirs: readonly string[];
  /**
   * Named daemons whose auto-route hosts (`{label}-{id}.{baseDomain}`) are reserved whether or not
   * they are connected: the `--docker-host` ids (for `render`, the snapshot's). Numeric ids need no
   * list: every valid network id is reserved. Reserving by configuration, not by presence, keeps a
   * daemon that connects later from taking hosts older tenants already serve.
   */
  readonly reservedDaemonIds: readonly string[];
  /** Accept routers whose rule is not bound to literal hosts (single-tenant hosts). */
  readonly allowUnboundedRules: boolean;
  /** Ranges for TCP/UDP routers declared without entrypoints. */
  readonly tcpRange: PortRange;
  readonly udpRange: PortRange | undefined;
  /**
   * Entrypoints that carry HTTP (with `entrypoints` above): only HTTP routers and TCP routers with a
   * literal HostSNI may use them, and tenants' TCP catch-alls may not take them.
   */
  readonly httpEntrypoints: readonly string[];
  /** The entrypoints this host's Traefik has (from the infra options); undefined when unknown. */
  readonly hostEntrypoints: HostEntrypoints | undefined;
  /**
   * Routers on `certResolver` whose names are one label under the base domain share one
   * `*.{baseDomain}` certificate instead of one each (the resolver must use the DNS-01 challenge).
   */
  readonly wildcardCert: boolean;
  /** Distinct certificates a daemon's routers may request for themselves, beyond the shared wildcard. */
  readonly maxCertsPerDaemon: number;
  /** Ports of each range (TCP, UDP) one daemon's routers may hold: one tenant cannot take a whole range. */
  readonly maxPortsPerDaemon: number;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = {
  baseDomain: undefined,
  entrypoints: ['websecure', 'websecure-v6'],
  certResolver: 'letsencrypt',
  autoRoutes: true,
  exposedByDefault: false,
  defaultRule: undefined,
  allowRefs: [],
  allowBackends: { ranges: [], names: [] },
  hostAddresses: [],
  allowPlugins: [],
  allowFileDirs: [],
  reservedDaemonIds: [],
  allowUnboundedRules: false,
  tcpRange: { first: 10000, last: 10010 },
  udpRange: undefined,
  httpEntrypoints: ['web', 'web-v6', 'websecure', 'websecure-v6'],
  hostEntrypoints: undefined,
  wildcardCert: true,
  maxCertsPerDaemon: 20,
  maxPortsPerDaemon: 4,
};

export type OptionsParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** `10000-10010` → range; exact message otherwise. */
export function parsePortRange(text: string, flag: string): OptionsParse<PortRange> {
  const match = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(text);
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (!match || first < 1 || last > 65535 || first > last) {
    return { ok: false, error: `Expected \`${flag}\` to be a port range like 10000-10010, got ${JSON.stringify(text)}` };
  }
  return { ok: true, value: { first, last } };
}

export interface BackendAllowList {
  readonly ranges: readonly Cidr[];
  readonly names: readonly HostPattern[];
}

/** `10.0.0.0/8`, `fd00::/8`, `10.1.2.3` (a /32), `auth.example.com` or `*.example.com`. */
export function parseAllowBackends(values: readonly string[]): OptionsParse<BackendAllowList> {
  const ranges: Cidr[] = [];
  const names: HostPattern[] = [];
  for (const raw of values) {
    const value = raw.trim();
    // What looks like an address is read as one, so `10.0.0.5/8` gets the CIDR message.
    const looksLikeAddress = /^[0-9.]*$/.test(value) || value.includes(':') || value.includes('/');
    const cidr = looksLikeAddress ? parseCidr(value) : undefined;
    const pattern = looksLikeAddress ? undefined : parseHostPattern(value);
    if (cidr) ranges.push(cidr);
    else if (pattern !== undefined && typeof pattern !== 'string') names.push(pattern);
    else {
      const why = looksLikeAddress ? (explainCidr(value) ?? 'not a CIDR') : (pattern as string);
      return { ok: false, error: `Expected \`--allow-backend\` to be a CIDR like 10.0.0.0/8, a host name like auth.example.com or a pattern like *.example.com: ${why}` };
    }
  }
  return { ok: true, value: { ranges, names } };
}

const PLUGIN_NAME = /^[A-Za-z0-9_-]+$/;

/** Plugin names as the static configuration declares them; compared exactly, as Traefik does. */
export function parseAllowPlugins(values: readonly string[]): OptionsParse<string[]> {
  for (const value of values) {
    if (!PLUGIN_NAME.test(value)) {
      return { ok: false, error: `Expected \`--allow-plugin\` to be a plugin name like plugindemo (letters, digits, "-", "_"), got ${JSON.stringify(value)}` };
    }
  }
  return { ok: true, value: [...values] };
}

/** Absolute directories without `..`, so that "under DIR" is a plain prefix test on segments. */
export function parseAllowFileDirs(values: readonly string[]): OptionsParse<string[]> {
  for (const value of values) {
    const segments = value.split('/');
    if (!value.startsWith('/') || segments.includes('..') || value.includes('\u0000') || segments.every((segment) => segment === '' || segment === '.')) {
      return { ok: false, error: `Expected \`--allow-file-dir\` to be an absolute directory other than / and without "..", like /etc/traefik/tenants/{id}, got ${JSON.stringify(value)}` };
    }
  }
  return { ok: true, value: [...values] };
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function parseBaseDomain(text: string): OptionsParse<string | undefined> {
  // Canonical, as every host it is compared with: `Example.COM.` and `bücher.de` are accepted.
  const domain = canonicalHost(text);
  if (domain === '') return { ok: true, value: undefined };
  if (!DNS_NAME.test(domain)) return { ok: false, error: `Expected \`--base-domain\` to be a DNS name like example.com, got ${JSON.stringify(text)}` };
  return { ok: true, value: domain };
}

/** A whole number of certificates, `0` allowed (tenants then request none of their own). */
export function parseCertLimit(text: string, flag: string): OptionsParse<number> {
  const trimmed = text.trim();
  if (!/^\d{1,6}$/.test(trimmed)) return { ok: false, error: `Expected \`${flag}\` to be a whole number like 20, got ${JSON.stringify(text)}` };
  return { ok: true, value: Number(trimmed) };
}

export function isDnsName(name: string): boolean {
  return DNS_NAME.test(name);
}
