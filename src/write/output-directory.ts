// Keeps the output directory present and watched. A watcher whose directory was deleted never sees
// it come back, so on loss: close it, mkdir -p, watch again, and have the writer check every file;
// when that fails (a file where the directory was, no permission), again later with backoff.

import { mkdir } from 'node:fs/promises';
import { backoffDelay, type BackoffOptions } from '../model/backoff.ts';
import { watchDirectory, type DirectoryWatch } from './directory-watch.ts';
import type { WriteFault } from './write-fault.ts';
import type { ResolvedWriterOptions } from './writer-options.ts';

export interface OutputDirectoryHooks {
  /** An owned file changed on disk, maybe by us: the writer compares bytes. */
  readonly ownedFile: (daemon: string) => void;
  /** Read the owned files present once the directory exists; `atStart` on the first opening. */
  readonly adopt: (atStart: boolean) => Promise<void>;
  /** The directory is back after a loss: every fragment must be checked. */
  readonly recovered: () => void;
  readonly fault: (error: unknown, path: string) => WriteFault;
}

export class OutputDirectory {
  #closed = false;
  #watch: DirectoryWatch | null = null;
  #recovery: Promise<void> | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #failures = 0;

  constructor(
    private readonly options: ResolvedWriterOptions,
    private readonly retry: BackoffOptions,
    private readonly hooks: OutputDirectoryHooks,
  ) {}

  /** First opening. Never rejects: on failure the error is reported and recovery runs in the background. */
  async open(): Promise<boolean> {
    try {
      await this.#prepare(true);
      return true;
    } catch (error) {
      this.#failed(error);
      return false;
    }
  }

  /** Called on a watcher's unlinkDir or a write's ENOENT/ENOTDIR; idempotent while recovering. */
  lost(): void {
    if (this.#closed || this.#recovery !== null || this.#retryTimer !== null) return;
    this.options.logger.warn('output directory is gone or unusable; recreating it', { dir: this.options.dir });
    this.#recover();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    await this.#recovery;
    await this.#closeWatch();
  }

  async #prepare(atStart: boolean): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    await this.hooks.adopt(atStart);
    if (!this.options.watch || this.#watch !== null) return;
    const watch = await watchDirectory(this.options.dir, this.options.prefix, {
      ownedFile: (daemon) => this.hooks.ownedFile(daemon),
      directoryLost: () => this.lost(),
      error: (error) => this.options.logger.warn('watching the output directory failed', { dir: this.options.dir, error: error.message }),
    });
    if (this.#closed) await watch.close();
    else this.#watch = watch;
  }

  #recover(): void {
    this.#retryTimer = null;
    this.#recovery = this.#recreate()
      .catch((error: unknown) => this.options.logger.error('output directory recovery: unexpected error', { error }))
      .finally(() => {
        this.#recovery = null;
      });
  }

  async #recreate(): Promise<void> {
    await this.#closeWatch();
    if (this.#closed) return;
    try {
      await this.#prepare(false);
    } catch (error) {
      this.#failed(error);
      return;
    }
    if (this.#closed) return;
    this.#failures = 0;
    this.options.logger.info('output directory is usable again; checking every fragment', { dir: this.options.dir });
    this.hooks.recovered();
  }

  #failed(error: unknown): void {
    const fault = this.hooks.fault(error, this.options.dir);
    if (this.#closed) return;
    const delayMs = backoffDelay(this.#failures, this.retry);
    this.#failures += 1;
    this.options.logger.warn('output directory is unusable; retrying', { dir: this.options.dir, error: fault.message, retryInMs: delayMs });
    this.#retryTimer = setTimeout(() => this.#recover(), delayMs);
    this.#retryTimer.unref();
  }

  async #closeWatch(): Promise<void> {
    const watch = this.#watch;
    this.#watch = null;
    try {
      await watch?.close();
    } catch (error) {
      this.options.logger.warn('closing the directory watcher failed', { dir: this.options.dir, error });
    }
  }
}
