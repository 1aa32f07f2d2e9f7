// Watches the output directory (one level, like Traefik) for owned files that someone else changed
// or deleted, and for the directory itself disappearing. It only reports; the writer decides.

import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { daemonOfFileName } from './fragment-name.ts';

export interface DirectoryWatchHandlers {
  /** Something happened to an owned file name, maybe by us; may fire several times per change. */
  readonly ownedFile: (daemon: string) => void;
  /** The directory is gone; this watcher is dead and should be closed. */
  readonly directoryLost: () => void;
  readonly error: (error: Error) => void;
}

export interface DirectoryWatch {
  close(): Promise<void>;
}

/** Resolves once chokidar has scanned the directory, so no later change is missed. */
export async function watchDirectory(dir: string, prefix: string, handlers: DirectoryWatchHandlers): Promise<DirectoryWatch> {
  const owner = (path: string): string | null => daemonOfFileName(prefix, basename(path));
  const watcher: FSWatcher = watch(dir, {
    depth: 0,
    ignoreInitial: true,
    persistent: true,
    // Temp files and foreign files are none of our business; filtering here also saves stat calls.
    ignored: (path: string) => path !== dir && owner(path) === null,
  });

  const onFile = (path: string) => {
    const daemon = owner(path);
    if (daemon !== null) handlers.ownedFile(daemon);
  };
  watcher.on('add', onFile);
  watcher.on('change', onFile);
  watcher.on('unlink', onFile);
  // chokidar throttles its per-file watcher (5 ms): an edit answered at once by our rename can leave
  // it on the replaced inode, deaf to later edits. The directory's raw events still name the file.
  watcher.on('raw', (_event: string, path: unknown) => {
    if (typeof path === 'string') onFile(path); // fs.watch may give no file name
  });
  watcher.on('unlinkDir', (path: string) => {
    if (path === dir) handlers.directoryLost();
  });
  // chokidar is an EventEmitter: an 'error' without a listener would crash the process.
  watcher.on('error', (error: unknown) => handlers.error(error instanceof Error ? error : new Error(String(error))));

  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return { close: () => watcher.close() };
}
