// The fleet options (`--fleet-*`), validated in one place for `run` and `static --edge`. A mistake
// names the option and what was expected (a TypeError('Expected …'), which the CLI turns into exit 2).

import { isIP } from 'node:net';
import { parseHostPattern } from '../model/host-patterns.ts';

/** Where the fleet's Redis is: one server, or the Sentinels that know the master. */
export interface FleetRedis {
  /** `host:port` of the server, or of every Sentinel. */
  readonly endpoints: readonly string[];
  readonly tls: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly db: number;
  /** With Sentinel: the master's name. */
  readonly sentinelMaster: string | undefined;
  /** The URL with its password hidden, for logs and /health. */
  readonly display: string;
}

export interface FleetOptions {
  readonly redis: FleetRedis;
  /** This host's name in the fleet: part of every key it publishes. */
  readonly name: string;
  /** Where the edge reaches this host's Traefik, `host:443`. */
  readonly address: string;
  readonly entrypoint: string;
  readonly rootKey: string;
  readonly leaseMs: number;
}

export const FLEET_DEFAULTS = { entrypoint: 'websecure', rootKey: 'traefik', leaseMs: 6000 } as const;

/** The fleet's own keys (claims, leases): outside the root key, where Traefik never lists. */
export const BOOKKEEPING_PREFIX = 'route-server-fleet';

const SCHEMES = ['redis:', 'rediss:', 'redis-sentinel:', 'rediss-sentinel:'];

export function parseFleetRedis(text: string): FleetRedis {
  const expected = `Expected \`--fleet-redis\` to be redis://[user:password@]host:port[/db], rediss://… (TLS) or redis-sentinel://host:port,host:port/master[/db], got ${JSON.stringify(redact(text))}`;
  const match = /^([a-z-]+:)\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(?:\/([^/?#]*))?(?:\/([^/?#]*))?$/.exec(text.trim());
  if (!match || !SCHEMES.includes(match[1] as string)) throw new TypeError(expected);
  const scheme = match[1] as string;
  const sentinel = scheme.includes('sentinel');
  const endpoints = (match[4] as string).split(',').map((endpoint) => hostPort(endpoint, sentinel ? 26379 : 6379, expected));
  if (!sentinel && endpoints.length > 1) throw new TypeError(`${expected} (Traefik's Redis provider takes several endpoints only with Sentinel)`);
  const master = sentinel ? match[5] : undefined;
  if (sentinel && (master === undefined || master === '')) throw new TypeError(`${expected} (a Sentinel URL names the master)`);
  const dbText = sentinel ? match[6] : match[5];
  if (!sentinel && match[6] !== undefined) throw new TypeError(expected);
  if (dbText !== undefined && dbText !== '' && !/^\d{1,5}$/.test(dbText)) throw new TypeError(expected);
  return {
    endpoints,
    tls: scheme.startsWith('rediss'),
    username: decode(match[2]),
    password: decode(match[3]),
    db: dbText === undefined || dbText === '' ? 0 : Number(dbText),
    sentinelMaster: master === undefined ? undefined : decodeURIComponent(master),
    display: redact(text.trim()),
  };
}

export interface FleetOptionTexts {
  readonly redis: string | undefined;
  readonly name: string | undefined;
  readonly address: string | undefined;
  readonly entrypoint: string | undefined;
  readonly rootKey: string | undefined;
  readonly leaseMs: number | undefined;
}

/** undefined without `--fleet-redis`; the other fleet options alone are a mistake. */
export function parseFleetOptions(texts: FleetOptionTexts): FleetOptions | undefined {
  if (texts.redis === undefined || texts.redis === '') {
    const stray = (['name', 'address'] as const).find((key) => texts[key] !== undefined);
    if (stray) throw new TypeError(`Expected \`--fleet-redis\` with \`--fleet-${stray}\`: the fleet options only apply to a host that publishes to the edge`);
    return undefined;
  }
  const redis = parseFleetRedis(texts.redis);
  const name = texts.name ?? '';
  // Lower case only: Traefik merges names that differ in case, so two hosts would share elements.
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name) || /^[0-9]+$/.test(name)) {
    throw new TypeError(`Expected \`--fleet-name\` to name this host in lower-case letters, digits and - (not digits only), got ${JSON.stringify(texts.name ?? '')}`);
  }
  const leaseMs = texts.leaseMs ?? FLEET_DEFAULTS.leaseMs;
  if (leaseMs < 1000 || leaseMs > 60_000) throw new TypeError(`Expected \`--fleet-lease\` to be between 1s and 60s, got ${leaseMs}ms`);
  return {
    redis,
    name,
    address: fleetAddress(texts.address),
    entrypoint: fleetEntrypoint(texts.entrypoint),
    rootKey: fleetRootKey(texts.rootKey),
    leaseMs,
  };
}

export function fleetEntrypoint(text: string | undefined): string {
  const value = text ?? FLEET_DEFAULTS.entrypoint;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(value)) throw new TypeError(`Expected \`--fleet-entrypoint\` to be an entrypoint name like websecure, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Traefik lists every key that starts with the root key (no slash implied) and rejects the whole
 * configuration for an unknown field, so the root must not be a prefix of the bookkeeping keys.
 */
export function fleetRootKey(text: string | undefined): string {
  const value = text ?? FLEET_DEFAULTS.rootKey;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value)) {
    throw new TypeError(`Expected \`--fleet-root-key\` to be one path segment (letters, digits, . _ -, no leading or inner /), got ${JSON.stringify(value)}`);
  }
  if (BOOKKEEPING_PREFIX.startsWith(value)) throw new TypeError(`Expected \`--fleet-root-key\` not to be a prefix of ${BOOKKEEPING_PREFIX} (the fleet's own keys), got ${JSON.stringify(value)}`);
  return value;
}

function fleetAddress(text: string | undefined): string {
  const value = (text ?? '').trim();
  const expected = `Expected \`--fleet-address\` to be this host's address as the edge reaches it (an IP address or host name), got ${JSON.stringify(text ?? '')}`;
  if (value === '') throw new TypeError(expected);
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIP(bare) === 6) return `[${bare}]:443`;
  if (isIP(bare) === 4) return `${bare}:443`;
  const pattern = parseHostPattern(bare);
  if (typeof pattern === 'string' || pattern.kind !== 'exact') throw new TypeError(expected);
  return `${pattern.name}:443`;
}

function hostPort(text: string, defaultPort: number, expected: string): string {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+))(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
  if (!match || port < 1 || port > 65535) throw new TypeError(expected);
  return match[1] !== undefined ? `[${match[1]}]:${port}` : `${match[2]}:${port}`;
}

function decode(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : decodeURIComponent(text);
}

function redact(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
