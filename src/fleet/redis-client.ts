// The fleet's Redis connections (ioredis: reconnects forever, TLS, Sentinel). Publishing must
// never wait on Redis: commands fail at once while disconnected (no offline queue) and after
// COMMAND_TIMEOUT_MS when Redis is frozen, and the publisher retries on its own schedule.

import { Redis, type RedisOptions } from 'ioredis';
import type { FleetRedis } from './fleet-options.ts';

export const COMMAND_TIMEOUT_MS = 3000;

export function redisOptions(redis: FleetRedis): RedisOptions {
  const common: RedisOptions = {
    username: redis.username,
    password: redis.password,
    db: redis.db,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 5000,
    // Never give up: the link comes back whenever Redis does.
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    ...(redis.tls ? { tls: {} } : {}),
  };
  const endpoints = redis.endpoints.map(splitHostPort);
  if (redis.sentinelMaster !== undefined) return { ...common, sentinels: endpoints, name: redis.sentinelMaster, ...(redis.tls ? { enableTLSForSentinelMode: true } : {}) };
  return { ...common, ...(endpoints[0] as { host: string; port: number }) };
}

export function connectRedis(redis: FleetRedis): Redis {
  return new Redis(redisOptions(redis));
}

function splitHostPort(endpoint: string): { host: string; port: number } {
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon);
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(endpoint.slice(colon + 1)) };
}
