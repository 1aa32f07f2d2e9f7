// `route-server snapshot`: the live snapshot of every daemon, in the format `render` reads.

import { jsonLinesLogger } from '../model/logger.ts';
import { collectSnapshot } from '../source/discovery.ts';
import type { ParsedArgs } from './parse-args.ts';
import type { CommandIo } from './render-command.ts';
import { asUsageError, discoveryOptionsFrom, logLevelFrom, refuseDuplicateDaemonIds } from './run-command.ts';

export async function snapshotCommand(args: ParsedArgs, io: CommandIo): Promise<number> {
  const logger = jsonLinesLogger(io.stderr, logLevelFrom(args));
  const options = { ...discoveryOptionsFrom(args), debounceMinMs: 0, debounceMaxMs: 0, logger };
  await refuseDuplicateDaemonIds(options);
  const snapshot = await asUsageError(() => collectSnapshot(options));
  io.stdout(`${JSON.stringify(snapshot, null, 2)}\n`);
  return 0;
}
