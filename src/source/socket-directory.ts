// Which daemon sockets exist right now in the glob's directory. chokidar makes a change visible at
// once, but its events are only a hint: every event triggers a rescan (readdir + stat), and the
// rescan is the truth. A periodic rescan covers what chokidar cannot see: chokidar 5 reports a
// directory created after the watch started, but not the sockets inside it.
// chokidar's `atomic` (on by default) turns unlink + re-create within 100 ms into one `change`: a
// restarting dockerd replaces its socket that way, and that must not detach the daemon.

import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

import type { Logger } from '../model/logger.ts';
import { socketEndpoint, socketIdOf, type DaemonEndpoint, type SocketPattern } from './daemon-endpoints.ts';

export interface SocketDirectoryHooks {
  /** The complete set of sockets after a scan (id → endpoint); called after every scan. */
  readonly onScan: (found: ReadonlyMap<string, DaemonEndpoint>) => void;
  /** A socket was created or re-created (a restarted daemon): its daemon can be retried now. */
  readonly onCreated: (id: string) => void;
}

export const SOCKET_RESCAN_INTERVAL_MS = 5_000;

export class SocketDirectory {
  readonly #pattern: SocketPattern;
  readonly #directory: string;
  readonly #hooks: SocketDirectoryHooks;
  readonly #logger: Logger;
  readonly #rescanIntervalMs: number;
  #watcher: FSWatcher | null = null;
  #interval: ReturnType<typeof setInterval> | null = null;
  #scanning: Promise<void> | null = null;
  #scanAgain = false;
  #closed = false;
  #reportedMissing = false;

  constructor(pattern: SocketPattern, hooks: SocketDirectoryHooks, logger: Logger, rescanIntervalMs = SOCKET_RESCAN_INTERVAL_MS) {
    this.#pattern = pattern;
    this.#directory = resolve(pattern.directory);
    this.#hooks = hooks;
    this.#logger = logger;
    this.#rescanIntervalMs = rescanIntervalMs;
  }

  /** Watches, then scans once; resolves when the initial set has been reported. */
  async start(): Promise<void> {
    await this.rescan();
    this.#interval = setInterval(() => void this.rescan(), this.#rescanIntervalMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#interval !== null) clearInterval(this.#interval);
    await this.#scanning;
    await this.#unwatch();
  }

  /** Scans now; scans requested while one runs are folded into one more scan after it. */
  rescan(): Promise<void> {
    if (this.#scanning !== null) {
      this.#scanAgain = true;
      return this.#scanning;
    }
    this.#scanning = (async () => {
      try {
        do {
          this.#scanAgain = false;
          await this.#scanOnce().catch((error: unknown) =>
            this.#logger.error('socket directory scan failed', { directory: this.#directory, error }),
          );
        } while (this.#scanAgain && !this.#closed);
      } finally {
        this.#scanning = null;
      }
    })();
    return this.#scanning;
  }

  async #scanOnce(): Promise<void> {
    if (this.#closed) return;
    // Watch before reading what is there, so that nothing created in between is missed.
    if (this.#watcher === null && (await isDirectory(this.#directory))) await this.#watch();
    let entries: Dirent[];
    try {
      entries = await readdir(this.#directory, { withFileTypes: true });
      this.#reportedMissing = false;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        // Unreadable (permissions): keep what we have rather than detach every daemon.
        this.#logger.warn('cannot read the socket directory', { directory: this.#directory, error });
        return;
      }
      if (!this.#reportedMissing) {
        this.#logger.warn('socket directory does not exist; checking again periodically', { directory: this.#directory });
        this.#reportedMissing = true;
      }
      await this.#unwatch();
      if (!this.#closed) this.#hooks.onScan(new Map());
      return;
    }
    const found = new Map<string, DaemonEndpoint>();
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const id = socketIdOf(this.#pattern, entry.name);
      if (id === null) continue;
      const endpoint = socketEndpoint(this.#pattern, id);
      // The entry's own type answers without a stat (a thousand sockets, every 5 s); only a link is followed.
      if (entry.isSocket() || (entry.isSymbolicLink() && (await isSocket(endpoint.socket)))) found.set(id, endpoint);
    }
    if (!this.#closed) this.#hooks.onScan(found);
  }

  async #watch(): Promise<void> {
    const watcher = watch(this.#directory, {
      depth: 0,
      ignoreInitial: true,
      ignored: (path) => resolve(path) !== this.#directory && socketIdOf(this.#pattern, basename(path)) === null,
    });
    this.#watcher = watcher;
    watcher.on('all', (event, path) => {
      if (this.#closed) return;
      const id = socketIdOf(this.#pattern, basename(path));
      if (id !== null && (event === 'change' || event === 'add')) this.#hooks.onCreated(id);
      void this.rescan();
    });
    watcher.on('error', (error) => this.#logger.warn('socket directory watch failed', { directory: this.#directory, error }));
    await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  }

  async #unwatch(): Promise<void> {
    const watcher = this.#watcher;
    this.#watcher = null;
    await watcher?.close();
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Follows symlinks; a stale file or a dangling link is not a daemon. */
async function isSocket(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isSocket();
  } catch {
    return false;
  }
}
