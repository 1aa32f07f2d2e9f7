// Watches the output directory (one level, like Traefik) for owned files that someone else changed
// or deleted, and for the directory itself disappearing. It only reports; the writer decides.

import { daemonOfFileName } from './fragment-name.ts';
import { watchTopLevel } from './top-level-watch.ts';

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

/** The watch is in place when this resolves, so no later change is missed. */
export async function watchDirectory(dir: string, prefix: string, handlers: DirectoryWatchHandlers): Promise<DirectoryWatch> {
  const watch = watchTopLevel(dir, {
    // Temp files and foreign files are none of our business.
    entry: (name) => {
      const daemon = name === null ? null : daemonOfFileName(prefix, name);
      if (daemon !== null) handlers.ownedFile(daemon);
    },
    lost: handlers.directoryLost,
    error: handlers.error,
  });
  return {
    close: async () => watch.close(),
  };
}
