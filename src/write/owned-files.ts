// The owned files found in the output directory (a previous run's, or ones that reappeared):
// their daemon and bytes, so the writer keeps them until told otherwise. At start it also removes
// the temp files a run killed mid-write left behind.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../model/logger.ts';
import { readFragment, removeFragment } from './fragment-file.ts';
import { daemonOfFileName, daemonOfTempName } from './fragment-name.ts';
import { describeFault } from './write-fault.ts';

export interface OwnedFile {
  readonly daemon: string;
  readonly path: string;
  readonly content: string;
}

/**
 * Hands each owned fragment in `dir` to `found` as soon as it is read (by name; a `set` may come
 * between two), and returns their daemons. Unreadable ones are logged and left as they are.
 */
export async function readOwnedFiles(
  options: { readonly dir: string; readonly prefix: string; readonly logger: Logger },
  atStart: boolean,
  found: (file: OwnedFile) => void,
): Promise<string[]> {
  const { dir, prefix, logger } = options;
  const daemons: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (atStart && daemonOfTempName(prefix, name) !== null) {
      await sweepTemp(dir, join(dir, name), logger);
      continue;
    }
    const daemon = daemonOfFileName(prefix, name);
    if (daemon === null) continue;
    const path = join(dir, name);
    let content: string | null;
    try {
      content = await readFragment(path);
    } catch (error) {
      logger.warn('owned fragment is unreadable; left as it is', { daemon, file: path, error: describeFault(error, path).message });
      continue;
    }
    if (content === null) continue;
    daemons.push(daemon);
    found({ daemon, path, content });
  }
  return daemons;
}

/**
 * A temp file of ours found before our first write was left by a run killed mid-write: its rename
 * never happened, so the fragment beside it is whole and the temp file is garbage. Later ones may
 * be our own writes in flight, so the sweep runs at start only.
 */
async function sweepTemp(dir: string, path: string, logger: Logger): Promise<void> {
  try {
    await removeFragment(dir, path);
    logger.info('removed a temp file a killed run left behind', { file: path });
  } catch (error) {
    logger.warn('could not remove a leftover temp file', { file: path, error: describeFault(error, path).message });
  }
}
