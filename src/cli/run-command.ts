// `route-server run`: the daemon. Options are validated before anything starts; SIGTERM/SIGINT
// finish the write in flight and leave every file in place.

import { mkdirSync } from 'node:fs';
import { expectAtLeast } from '../model/expect.ts';
import { jsonLinesLogger, LOG_LEVELS, type LogLevel } from '../model/logger.ts';
import { DISCOVERY_DEFAULTS } from '../source/discovery.ts';
import { dockerHostEndpoint, parseDockerHost, parseSocketGlob, type DockerHostSpec } from '../source/daemon-endpoints.ts';
import { duplicateIdMessage, socketsPresent } from '../source/daemon-ids.ts';
import type { CommandIo } from './render-command.ts';
import { UsageError, type ParsedArgs } from './parse-args.ts';
import { filePrefixFrom } from './output-config.ts';
import { renderOptionsFrom } from './render-config.ts';
import { chooseDirectory, SYSTEM_OUT_DIR, SYSTEM_STATE_DIR } from './run-paths.ts';
import { RouteServerRuntime } from './runtime.ts';
import type { RuntimeOptions } from './runtime-options.ts';
import { parseFleetOptions, type FleetOptions } from '../fleet/fleet-options.ts';

export function logLevelFrom(args: ParsedArgs): LogLevel {
  const level = args.get('log-level') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new UsageError(`Expected \`--log-level\` to be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  return level as LogLevel;
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new UsageError(`Expected \`--listen\` to be HOST:PORT like 127.0.0.1:7111, got ${JSON.stringify(text)}`);
  return { host: (match[1] ?? match[2]) as string, port };
}

export function discoveryOptionsFrom(args: ParsedArgs) {
  const dockerHosts = (args.get('docker-host') ?? []).map((text) => asUsageError(() => parseDockerHost(text)));
  return {
    sockets: args.get('sockets') ?? DISCOVERY_DEFAULTS.sockets,
    dockerHosts,
    resyncIntervalMs: args.get('resync-interval') ?? DISCOVERY_DEFAULTS.resyncIntervalMs,
  };
}

/** Two daemons with one id at start: refuse to run rather than serve whichever sorts first. */
export async function refuseDuplicateDaemonIds(discovery: { readonly sockets: string; readonly dockerHosts: readonly DockerHostSpec[] }): Promise<void> {
  const explicit = discovery.dockerHosts.map((spec) => asUsageError(() => dockerHostEndpoint(spec)));
  const pattern = discovery.sockets === '' ? null : asUsageError(() => parseSocketGlob(discovery.sockets));
  const message = duplicateIdMessage(explicit, pattern === null ? new Map() : await socketsPresent(pattern));
  if (message !== null) throw new UsageError(message);
}

/** Option validation deeper down throws `TypeError('Expected …')`: that is the user's mistake. */

/** Option validation deeper down throws `TypeError('Expected …')` (or RangeError): the user's mistake. */
export function asUsageError<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if ((error instanceof TypeError || error instanceof RangeError) && error.message.startsWith('Expected')) throw new UsageError(error.message);
    throw error;
  }
}

export function fleetOptionsFrom(args: ParsedArgs): FleetOptions | undefined {
  return asUsageError(() =>
    parseFleetOptions({
      redis: args.get('fleet-redis'),
      name: args.get('fleet-name'),
      address: args.get('fleet-address'),
      entrypoint: args.get('fleet-entrypoint'),
      rootKey: args.get('fleet-root-key'),
      leaseMs: args.get('fleet-lease'),
    }),
  );
}

export async function runCommand(args: ParsedArgs, io: CommandIo): Promise<number> {
  const logger = jsonLinesLogger(io.stderr, logLevelFrom(args));
  const prefix = filePrefixFrom(args);
  const debounceMinMs = args.get('debounce-min') ?? DISCOVERY_DEFAULTS.debounceMinMs;
  const debounceMaxMs = args.get('debounce-max') ?? DISCOVERY_DEFAULTS.debounceMaxMs;
  asUsageError(() => expectAtLeast('--debounce-max', debounceMaxMs, '--debounce-min', debounceMinMs));
  const discovery = discoveryOptionsFrom(args);
  const options: RuntimeOptions = {
    render: { ...renderOptionsFrom(args), reservedDaemonIds: discovery.dockerHosts.map((host) => host.id) },
    discovery: { ...discovery, debounceMinMs, debounceMaxMs, logger },
    outDir: chooseDirectory(args.get('out'), SYSTEM_OUT_DIR, 'out', 'fragments', logger),
    filePrefix: prefix,
    stateDir: chooseDirectory(args.get('state-dir'), SYSTEM_STATE_DIR, 'state', 'port allocations', logger),
    listen: parseListen(args.get('listen') ?? '127.0.0.1:7111'),
    logger,
    fleet: fleetOptionsFrom(args),
  };
  await refuseDuplicateDaemonIds(options.discovery);
  mkdirSync(options.stateDir, { recursive: true });
  const runtime = asUsageError(() => new RouteServerRuntime(options));
  try {
    await runtime.start();
  } catch (error) {
    logger.error('route-server could not start', { error });
    await runtime.stop().catch(() => {});
    return 1;
  }
  logger.info('route-server running', { out: options.outDir, sockets: options.discovery.sockets, baseDomain: options.render.baseDomain ?? null });
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info('shutting down', { signal });
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      runtime.stop().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error });
          resolve(1);
        },
      );
    };
    const onTerm = () => shutdown('SIGTERM');
    const onInt = () => shutdown('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
