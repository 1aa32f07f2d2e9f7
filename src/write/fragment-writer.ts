// Owns `{prefix}{daemon}.yml` in Traefik's file-provider directory: writes each fragment atomically
// and only when its bytes change, puts back what someone else changes, and survives a full disk,
// lost permissions or a deleted directory by retrying. Nothing it does throws to the caller.

import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import PQueue from 'p-queue';
import { backoffDelay, type BackoffOptions } from '../model/backoff.ts';
import { Coalescer } from '../source/coalescer.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import { readFragment, removeFragment, writeFragment } from './fragment-file.ts';
import { fragmentFileName } from './fragment-name.ts';
import { FragmentSlot, type Trigger } from './fragment-slot.ts';
import { OutputDirectory } from './output-directory.ts';
import { readOwnedFiles } from './owned-files.ts';
import { describeFault, type WriteFault } from './write-fault.ts';
import { resolveWriterOptions, type FragmentWriterOptions, type ResolvedWriterOptions } from './writer-options.ts';
import type { FragmentWriterEvents, RestoreReason, WriterStatus } from './writer-status.ts';

export type { FragmentWriterOptions } from './writer-options.ts';
export type { FragmentFileStatus, FragmentWriterEvents, RestoreReason, WriterStatus } from './writer-status.ts';

/** Different daemons write in parallel; one daemon never has two jobs (see FragmentSlot). */
const WRITE_CONCURRENCY = 4;


/** Quiet time after someone else's change to a fragment before it is checked and put back. */
const WATCH_SETTLE_MS = 50;
/** However busy someone else keeps the directory, the files are put back within this. */
const WATCH_SETTLE_MAX_MS = 1000;
export class FragmentWriter extends EventEmitter<FragmentWriterEvents> {
  readonly #options: ResolvedWriterOptions;
  readonly #retry: BackoffOptions;
  readonly #slots = new Map<string, FragmentSlot>();
  // Paused until start() has read what a previous run left, so early sets compare against it.
  readonly #queue = new PQueue({ concurrency: WRITE_CONCURRENCY, autoStart: false });
  #state: 'new' | 'running' | 'stopped' = 'new';
  #started: Promise<string[]> | null = null;
  #stopped: Promise<void> | null = null;
  #inherited: string[] = [];
  readonly #directory: OutputDirectory;
  #writes = 0;
  #writeErrors = 0;
  #restores = 0;
  /** Watch events of a daemon's file wait for the directory to be quiet before the file is checked. */
  readonly #settling = new Coalescer<string>({ minWaitMs: WATCH_SETTLE_MS, maxWaitMs: WATCH_SETTLE_MAX_MS }, (daemon) => {
    const slot = this.#slots.get(daemon);
    if (slot !== undefined) this.#request(slot, 'watch');
  });
  #skippedUnchanged = 0;
  #lastWriteAt: number | null = null;
  #lastError: string | null = null;
  #lastErrorAt: number | null = null;

  constructor(options: FragmentWriterOptions) {
    super();
    this.#options = resolveWriterOptions(options);
    this.#retry = { initialMs: this.#options.retryInitialMs, maxMs: this.#options.retryMaxMs };
    this.#directory = new OutputDirectory(this.#options, this.#retry, {
      ownedFile: (daemon) => this.#ownedFileChanged(daemon),
      adopt: async (atStart) => {
        this.#inherited = await this.#adoptExisting(atStart);
      },
      recovered: () => {
        for (const slot of this.#slots.values()) this.#request(slot, 'directory');
      },
      fault: (error, path) => this.#recordFault(error, path),
    });
  }

  /**
   * Creates the directory and adopts the owned files a previous run left: they stay untouched until
   * `set` is called for their daemon, so a restart never drops a route. The caller must eventually
   * `set` every returned id (null once discovery knows the daemon is gone). Never rejects: when the
   * directory is unusable, the error is in status() and the writer keeps trying.
   */
  start(): Promise<string[]> {
    this.#started ??= this.#start();
    return this.#started;
  }

  fileName(daemon: string): string {
    return fragmentFileName(this.#options.prefix, daemon);
  }

  /**
   * Wants `content` in the daemon's fragment (null: no file). Resolves once that content (or a newer
   * one) is written, found already there, or has failed and is being retried. Never rejects; throws
   * a TypeError at once for an invalid daemon id or content, which is a bug of the caller.
   */
  set(daemon: string, content: string | null): Promise<void> {
    const path = join(this.#options.dir, this.fileName(daemon));
    if (content !== null && typeof content !== 'string') {
      throw new TypeError(`Expected \`content\` to be a string or null, got ${typeof content}`);
    }
    if (this.#state === 'stopped') return Promise.resolve();
    let slot = this.#slots.get(daemon);
    if (slot === undefined) {
      slot = new FragmentSlot(daemon, path, null);
      this.#slots.set(daemon, slot);
    }
    slot.desired = content;
    slot.generation += 1;
    if (!slot.busy && slot.retryTimer === null && content === slot.onDisk) {
      slot.onDisk = content; // the caller's string, not a second copy read from disk at start
      this.#skippedUnchanged += 1;
      return Promise.resolve();
    }
    const done = slot.wait(slot.generation);
    this.#request(slot, 'set');
    return done;
  }

  status(): WriterStatus {
    const files = [...this.#slots.values()]
      .map((slot) => slot.status())
      .filter((file) => file !== null)
      .sort((a, b) => compareDaemonIds(a.daemon, b.daemon));
    return {
      dir: this.#options.dir,
      files,
      lastWriteAt: this.#lastWriteAt,
      lastError: this.#lastError,
      lastErrorAt: this.#lastErrorAt,
      writes: this.#writes,
      writeErrors: this.#writeErrors,
      restores: this.#restores,
      skippedUnchanged: this.#skippedUnchanged,
    };
  }

  /** Waits for the write in flight, drops queued ones, stops watching and retrying. Files stay. */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  // ---------------------------------------------------------------------------------------------

  async #stop(): Promise<void> {
    const wasStarting = this.#state === 'new' ? null : this.#started;
    this.#state = 'stopped';
    this.#queue.clear();
    this.#settling.close();
    for (const slot of this.#slots.values()) {
      slot.queued = false;
      slot.trigger = null;
      slot.cancelRetry();
    }
    await wasStarting;
    await this.#directory.close();
    this.#queue.start();
    await this.#queue.onIdle();
    for (const slot of this.#slots.values()) slot.settle();
  }

  async #start(): Promise<string[]> {
    if (this.#state !== 'new') return [];
    this.#state = 'running';
    if (await this.#directory.open()) {
      this.#options.logger.info('fragment writer started', { dir: this.#options.dir, inherited: this.#inherited });
    }
    this.#queue.start();
    return this.#inherited;
  }

  /**
   * Takes over owned files on disk that no `set` has claimed yet, keeping their bytes as wanted.
   * At start, files of daemons already `set` also tell us what is on disk.
   */
  async #adoptExisting(atStart: boolean): Promise<string[]> {
    return readOwnedFiles(this.#options, atStart, ({ daemon, path, content }) => {
      const slot = this.#slots.get(daemon);
      if (slot === undefined) this.#slots.set(daemon, new FragmentSlot(daemon, path, content));
      else if (atStart) slot.onDisk = content;
    });
  }

  #request(slot: FragmentSlot, trigger: Trigger): void {
    if (this.#state === 'stopped') return;
    if (!slot.request(trigger)) return; // the queued or running job will see it
    slot.queued = true;
    this.#queue.add(() => this.#reconcile(slot)).catch((error: unknown) => this.#unexpected(error));
  }

  /** Brings one daemon's file to the wanted content: the only place fragments are written. */
  async #reconcile(slot: FragmentSlot): Promise<void> {
    slot.queued = false;
    slot.running = true;
    const trigger = slot.trigger ?? 'set';
    slot.trigger = null;
    const generation = slot.generation;
    const desired = slot.desired;
    let restored: RestoreReason | null = null;
    let durationMs: number | null = null;
    try {
      if (trigger !== 'set') {
        const actual = await readFragment(slot.path);
        // Differs from what we left there: someone else's change (or the directory was lost).
        if (actual !== slot.onDisk && actual !== desired) {
          slot.tampered = actual === null ? 'deleted' : desired === null ? 'created' : 'edited';
        }
        if (trigger === 'directory' && slot.tampered !== null) slot.tampered = 'directory-lost';
        // Equal bytes keep the sink's string, not a second copy read back after our own write.
        if (actual === desired) slot.onDisk = desired;
        else if (actual !== slot.onDisk) slot.onDisk = actual;
      }
      if (desired === slot.onDisk) {
        if (trigger === 'set') this.#skippedUnchanged += 1;
      } else {
        const started = performance.now();
        if (desired === null) await removeFragment(this.#options.dir, slot.path);
        else await writeFragment(this.#options.dir, slot.path, desired);
        durationMs = Math.round((performance.now() - started) * 1000) / 1000;
        slot.onDisk = desired;
        slot.writtenAt = Date.now();
        this.#writes += 1;
        this.#lastWriteAt = slot.writtenAt;
        restored = slot.tampered;
      }
      slot.tampered = null;
      slot.succeeded();
    } catch (error) {
      this.#writeFailed(slot, error);
    } finally {
      slot.running = false;
      slot.settle(generation);
      // Requests that arrived while running (a newer set, a watch event) get one more job.
      const next = slot.trigger;
      slot.trigger = null;
      if (next !== null) this.#request(slot, next);
    }
    if (durationMs !== null) this.#wrote(slot, desired, durationMs, restored);
  }

  #ownedFileChanged(daemon: string): void {
    const slot = this.#slots.get(daemon);
    if (slot === undefined) {
      this.#options.logger.debug('owned-looking file of an unknown daemon; left alone', { daemon });
      return;
    }
    // Someone else is changing the directory (an `rm -r`, an editor saving): let them finish before
    // the file is put back, or the two fight and `rm -r` fails with ENOTEMPTY. Compared by bytes in
    // the job, so events caused by our own writes change nothing.
    this.#settling.touch(daemon);
  }

  #wrote(slot: FragmentSlot, content: string | null, durationMs: number, restored: RestoreReason | null): void {
    const { logger } = this.#options;
    const fields = { daemon: slot.daemon, file: slot.path, bytes: content === null ? 0 : Buffer.byteLength(content), ms: durationMs };
    logger.info(content === null ? 'fragment removed' : 'fragment written', fields);
    this.#emitSafely('write', () => this.emit('write', slot.daemon, durationMs));
    if (restored === null) return;
    this.#restores += 1;
    logger.warn('fragment was changed by someone else; restored', { daemon: slot.daemon, file: slot.path, reason: restored });
    this.#emitSafely('restored', () => this.emit('restored', slot.daemon, restored));
  }

  #writeFailed(slot: FragmentSlot, error: unknown): void {
    const fault = this.#recordFault(error, slot.path);
    slot.lastError = fault.message;
    this.#writeErrors += 1;
    this.#emitSafely('failed', () => this.emit('failed', slot.daemon, fault.message));
    if (this.#state !== 'running') return;
    const delayMs = backoffDelay(slot.failures, this.#retry);
    slot.failures += 1;
    this.#options.logger[fault.expected ? 'warn' : 'error']('fragment write failed; the old file stays, retrying', {
      daemon: slot.daemon, file: slot.path, error: fault.message, failures: slot.failures, retryInMs: delayMs,
    });
    slot.retryTimer = setTimeout(() => {
      slot.retryTimer = null;
      this.#request(slot, 'retry');
    }, delayMs);
    slot.retryTimer.unref();
    // No directory (ENOENT) or a file where it should be (ENOTDIR): the directory needs recreating.
    if (fault.code === 'ENOENT' || fault.code === 'ENOTDIR') this.#directory.lost();
  }

  // --- reporting -------------------------------------------------------------------------------

  #recordFault(error: unknown, path: string): WriteFault {
    const fault = describeFault(error, path);
    this.#lastError = fault.message;
    this.#lastErrorAt = Date.now();
    return fault;
  }

  /** A listener that throws must not turn a good write into a failed one. */
  #emitSafely(event: keyof FragmentWriterEvents, emit: () => void): void {
    try {
      emit();
    } catch (error) {
      this.#options.logger.error(`a '${event}' listener threw`, { error });
    }
  }

  /** Should not happen (every job catches); logged so it is never an unhandled rejection. */
  #unexpected(error: unknown): void {
    this.#options.logger.error('fragment writer: unexpected error', { error });
  }
}
