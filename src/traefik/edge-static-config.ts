// Traefik's static configuration for the fleet edge (`route-server static --edge`): `web` redirects
// to the TLS entrypoint, which takes every connection and passes it through, by SNI, to the host
// the Redis provider names. Pure: settings in, a plain object out (the caller serializes it).
//
// Like a host's, every entrypoint listens on the public address, never on all addresses: an edge
// run beside a host must not take a port a tenant binds on a loopback address. The Redis password is never written: Traefik reads it from
// TRAEFIK_PROVIDERS_REDIS_PASSWORD, as a secret should be given.

import type { FleetRedis } from '../fleet/fleet-options.ts';

type StaticObject = { [key: string]: StaticValue };
type StaticValue = string | number | boolean | StaticValue[] | StaticObject;

export interface EdgeStaticSettings {
  readonly redis: FleetRedis;
  readonly rootKey: string;
  /** The TLS entrypoint the hosts publish their routers on (`--fleet-entrypoint`). */
  readonly entrypoint: string;
  /** The address the entrypoints listen on. */
  readonly publicIpv4: string;
}

export function buildEdgeStaticConfig(settings: EdgeStaticSettings): StaticObject {
  const host = settings.publicIpv4;
  const entryPoints: StaticObject = {
    web: { address: `${host}:80`, http: { redirections: { entryPoint: { to: settings.entrypoint, scheme: 'https', permanent: true } } } },
    [settings.entrypoint]: { address: `${host}:443` },
  };
  const redis: StaticObject = { endpoints: [...settings.redis.endpoints], rootKey: settings.rootKey };
  if (settings.redis.db !== 0) redis['db'] = settings.redis.db;
  if (settings.redis.username !== undefined) redis['username'] = settings.redis.username;
  if (settings.redis.tls) redis['tls'] = {};
  if (settings.redis.sentinelMaster !== undefined) redis['sentinel'] = { masterName: settings.redis.sentinelMaster };
  return { entryPoints, providers: { redis } };
}
