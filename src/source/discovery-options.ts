// Discovery's options, validated once at construction: a bad value fails at start with a message
// naming the option, never later inside a loop.

import { expectAtLeast, expectDuration } from '../model/expect.ts';
import { silentLogger, type Logger } from '../model/logger.ts';
import {
  dockerHostEndpoint,
  parseSocketGlob,
  type DaemonEndpoint,
  type DockerHostSpec,
  type SocketPattern,
} from './daemon-endpoints.ts';

export interface DiscoveryOptions {
  /** Socket glob with one `*` in the file name (the daemon id); '' watches no directory. */
  readonly sockets: string;
  /** Explicit endpoints (`--docker-host ID=URL`); a socket in the glob with one of their ids is refused. */
  readonly dockerHosts: readonly DockerHostSpec[];
  /** Full resync of every connected daemon this often; 0 turns it off. */
  readonly resyncIntervalMs: number;
  /** An update is emitted once a daemon has been quiet this long… */
  readonly debounceMinMs: number;
  /** …but never later than this after its first pending change. */
  readonly debounceMaxMs: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  /** Deadline of every Docker call (ping, list, inspect, subscribing to events). */
  readonly requestTimeoutMs?: number;
  /** A connected daemon is pinged this often, so a frozen one is noticed even when no event comes. */
  readonly heartbeatIntervalMs?: number;
  readonly logger?: Logger;
}

export interface ResolvedDiscoveryOptions {
  readonly pattern: SocketPattern | null;
  readonly endpoints: readonly DaemonEndpoint[];
  readonly resyncIntervalMs: number;
  readonly debounceMinMs: number;
  readonly debounceMaxMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly logger: Logger;
}

/** Suggested values for a production host (the CLI's defaults). */
export const DISCOVERY_DEFAULTS = Object.freeze({
  sockets: '/var/run/rediacc/docker-*.sock',
  resyncIntervalMs: 60_000,
  debounceMinMs: 20,
  debounceMaxMs: 4_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  requestTimeoutMs: 10_000,
  heartbeatIntervalMs: 10_000,
});

export function resolveDiscoveryOptions(options: DiscoveryOptions): ResolvedDiscoveryOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected discovery options to be an object, got ${String(options)}`);
  }
  if (typeof options.sockets !== 'string') {
    throw new TypeError(`Expected \`sockets\` to be a string, got ${String(options.sockets)}`);
  }
  if (!Array.isArray(options.dockerHosts)) {
    throw new TypeError(`Expected \`dockerHosts\` to be an array, got ${String(options.dockerHosts)}`);
  }
  const endpoints = options.dockerHosts.map((spec) => dockerHostEndpoint(spec));
  const ids = new Set<string>();
  for (const { id } of endpoints) {
    if (ids.has(id)) throw new TypeError(`Expected \`dockerHosts\` to have unique ids, got ${JSON.stringify(id)} twice`);
    ids.add(id);
  }
  const debounceMinMs = expectDuration('debounceMinMs', options.debounceMinMs, 0);
  const debounceMaxMs = expectDuration('debounceMaxMs', options.debounceMaxMs, 0);
  expectAtLeast('debounceMaxMs', debounceMaxMs, 'debounceMinMs', debounceMinMs);
  const backoffInitialMs = expectDuration('backoffInitialMs', options.backoffInitialMs ?? DISCOVERY_DEFAULTS.backoffInitialMs, 1);
  const backoffMaxMs = expectDuration('backoffMaxMs', options.backoffMaxMs ?? DISCOVERY_DEFAULTS.backoffMaxMs, 1);
  expectAtLeast('backoffMaxMs', backoffMaxMs, 'backoffInitialMs', backoffInitialMs);
  return {
    pattern: options.sockets === '' ? null : parseSocketGlob(options.sockets),
    endpoints,
    resyncIntervalMs: expectDuration('resyncIntervalMs', options.resyncIntervalMs, 0),
    debounceMinMs,
    debounceMaxMs,
    backoffInitialMs,
    backoffMaxMs,
    requestTimeoutMs: expectDuration('requestTimeoutMs', options.requestTimeoutMs ?? DISCOVERY_DEFAULTS.requestTimeoutMs, 1),
    heartbeatIntervalMs: expectDuration(
      'heartbeatIntervalMs',
      options.heartbeatIntervalMs ?? DISCOVERY_DEFAULTS.heartbeatIntervalMs,
      1,
    ),
    logger: options.logger ?? silentLogger,
  };
}
