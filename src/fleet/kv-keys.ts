// The edge's keys for one host, in the layout Traefik's Redis provider decodes (Traefik's KV
// documentation spells them; KV-FACTS in the project's design notes gives the decoder's rules):
//
//   <root>/tcp/routers/<host>.<name>/entryPoints/0      <entrypoint>
//   <root>/tcp/routers/<host>.<name>/rule               HostSNI(`<name>`)
//   <root>/tcp/routers/<host>.<name>/service            <host>
//   <root>/tcp/routers/<host>.<name>/tls/passthrough    true
//   <root>/tcp/services/<host>/loadBalancer/servers/0/address   <address>:443
//
// Element names start with the fleet name, which has no dot, so `<host>.<name>` is never another
// host's element, also to Traefik's case-insensitive merge (both parts are lower case), and never
// all digits (which the decoder would read as a list index). Values are plain strings: the KV path
// has no template pass, so nothing is escaped. Pure: no Redis here.

import type { FleetOptions } from './fleet-options.ts';

/**
 * One element that is never deleted: Traefik keeps the last routes when the tree under the root
 * becomes empty (the change is never propagated), so the tree must never become empty.
 */
export const SENTINEL_KEY_PATH = 'http/middlewares/route-server-fleet/headers/customResponseHeaders/X-Route-Server-Fleet';
export const SENTINEL_VALUE = '1';

export type EdgeKeyOptions = Pick<FleetOptions, 'name' | 'address' | 'entrypoint' | 'rootKey'>;

export function sentinelKey(rootKey: string): string {
  return `${rootKey}/${SENTINEL_KEY_PATH}`;
}

export function routerName(host: string, name: string): string {
  return `${host}.${name}`;
}

/** The keys and values this host wants for the names it won, sorted by key. */
export function edgeKeys(options: EdgeKeyOptions, names: Iterable<string>): Map<string, string> {
  const keys: [string, string][] = [];
  const root = options.rootKey;
  for (const name of names) {
    const router = `${root}/tcp/routers/${routerName(options.name, name)}`;
    keys.push([`${router}/entryPoints/0`, options.entrypoint]);
    keys.push([`${router}/rule`, `HostSNI(\`${name}\`)`]);
    keys.push([`${router}/service`, options.name]);
    keys.push([`${router}/tls/passthrough`, 'true']);
  }
  if (keys.length > 0) keys.push([`${root}/tcp/services/${options.name}/loadBalancer/servers/0/address`, options.address]);
  return new Map(keys.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface KeyDiff {
  /** Keys Redis has (as far as this host knows) and should not. */
  readonly del: readonly string[];
  /** Keys missing or holding another value. */
  readonly set: readonly (readonly [string, string])[];
}

/** Only what changed: every key written costs each edge Traefik an event and two full listings. */
export function diffKeys(known: ReadonlyMap<string, string>, desired: ReadonlyMap<string, string>): KeyDiff {
  const del = [...known.keys()].filter((key) => !desired.has(key)).sort();
  const set = [...desired].filter(([key, value]) => known.get(key) !== value);
  return { del, set };
}
