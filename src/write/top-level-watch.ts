// One directory level watched with the kernel's own notifications (fs.watch), reporting entry names.
// The output directory holds a thousand fragments: chokidar answers any event in a directory by
// reading it again and stat-ing every entry (tens of ms per write at a thousand files), while these
// events name the entry and cost nothing per file. The directory itself going away (deleted,
// renamed, or the watch failing) is reported once as lost; the watch is dead after that.

import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

export interface TopLevelWatchHandlers {
  /** Something happened to this entry, maybe by us; may fire several times per change. Null: unknown. */
  readonly entry: (name: string | null) => void;
  /** The directory is gone or can no longer be watched. */
  readonly lost: () => void;
  readonly error: (error: Error) => void;
}

export interface TopLevelWatch {
  close(): void;
}

export function watchTopLevel(dir: string, handlers: TopLevelWatchHandlers): TopLevelWatch {
  let closed = false;
  let watcher: FSWatcher | undefined;
  const lose = () => {
    if (closed) return;
    closed = true;
    watcher?.close();
    handlers.lost();
  };
  // A rename the watch cannot attribute, or one of the directory itself, is checked against the disk.
  // The kernel names the directory itself by its own base name (an event without an entry name);
  // renames of entries inside (every write: a temp file created, then renamed over the fragment)
  // say nothing about the directory, and checking it on each was a stat per event per watcher.
  const self = basename(dir);
  const checkDirectory = () =>
    void stat(dir).then(
      (stats) => stats.isDirectory() || lose(),
      () => lose(),
    );
  watcher = watch(dir, { persistent: true }, (event, name) => {
    if (closed) return;
    handlers.entry(typeof name === 'string' ? name : null);
    if (event === 'rename' && (typeof name !== 'string' || name === self)) checkDirectory();
  });
  watcher.on('error', (error) => {
    if (closed) return;
    handlers.error(error);
    lose();
  });
  return {
    close: () => {
      closed = true;
      watcher?.close();
    },
  };
}
