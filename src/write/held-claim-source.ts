// Keeps the claims held by files up to date for `run`: kept fragments are read once at start (only
// route-server writes them, and a daemon's claims come from its containers once it has synced);
// the operator's files are read again whenever something in the directory tree changes. A file
// that cannot be read keeps its last good reading and is reported.

import { EventEmitter } from 'node:events';
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../model/logger.ts';
import type { HeldClaim } from '../render/held-claims.ts';
import { isDynamicFileName } from '../traefik/dynamic-file.ts';
import { daemonOfFileName, daemonOfTempName } from './fragment-name.ts';
import { readHeldFiles, type HeldFileReading } from './held-files.ts';
import { watchTopLevel, type TopLevelWatch } from './top-level-watch.ts';

export interface OperatorFileStatus {
  readonly file: string;
  readonly routers: number;
  /** Why the current bytes were not read; the last good reading (if any) stays in force. */
  readonly error: string | null;
  readonly notes: readonly string[];
}

/** Changes arrive in bursts (an editor's save, a checkout): one re-read after a short quiet. */
const REREAD_DELAY_MS = 100;
/** How soon a lost top-level watch is tried again (the writer recreates the directory). */
const REWATCH_DELAY_MS = 1_000;

export class HeldClaimSource extends EventEmitter<{ change: [] }> {
  readonly #dir: string;
  readonly #prefix: string;
  readonly #logger: Logger;
  #kept = new Map<string, readonly HeldClaim[]>();
  #operator = new Map<string, { claims: readonly HeldClaim[]; status: OperatorFileStatus }>();
  #topLevel: TopLevelWatch | undefined;
  #rewatch: NodeJS.Timeout | undefined;
  #subdirectories: FSWatcher | undefined;
  /** Top-level subdirectories handed to chokidar. */
  readonly #watched = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: { dir: string; prefix: string; logger: Logger }) {
    super();
    this.#dir = options.dir;
    this.#prefix = options.prefix;
    this.#logger = options.logger;
  }

  async start(): Promise<void> {
    const readings = await readHeldFiles(this.#dir, this.#prefix);
    for (const reading of readings) {
      if (reading.holder.kind !== 'kept') continue;
      if (reading.error !== null) this.#logger.warn('kept fragment not readable; its claims are not held', { file: reading.file, error: reading.error });
      else this.#kept.set(reading.holder.daemon, reading.claims ?? []);
    }
    this.#applyOperator(readings);
    // Traefik reads subdirectories too, so the whole tree is watched (our own fragments aside). The
    // top level, where our thousand fragments are, with the kernel's events; each subdirectory with
    // chokidar, which rescans a directory on every event.
    const ignored = (path: string, stats?: Stats) => stats?.isFile() === true && !isDynamicFileName(path);
    this.#watchTopLevel();
    const entries = await readdir(this.#dir, { withFileTypes: true }).catch(() => []);
    const subdirectories = entries.filter((entry) => entry.isDirectory()).map((entry) => join(this.#dir, entry.name));
    for (const path of subdirectories) this.#watched.add(path);
    this.#subdirectories = watch(subdirectories, { ignoreInitial: true, persistent: true, depth: 15, ignored });
    this.#subdirectories.on('all', () => this.#scheduleRead());
    this.#subdirectories.on('error', (error: unknown) => this.#logger.warn('watching operator files failed', { dir: this.#dir, error }));
    // chokidar given no path never says it is ready.
    if (subdirectories.length > 0) await new Promise<void>((resolve) => this.#subdirectories?.once('ready', resolve));
    // Anything changed between the first read and the watchers being in place is read again.
    this.#scheduleRead();
  }

  #watchTopLevel(): void {
    if (this.#stopped) return;
    try {
      this.#topLevel = watchTopLevel(this.#dir, {
        entry: (name) => void this.#topLevelEntry(name),
        lost: () => {
          // The writer puts the directory back: watch it again once it is there.
          this.#scheduleRead();
          this.#rewatch = setTimeout(() => this.#watchTopLevel(), REWATCH_DELAY_MS);
        },
        error: (error) => this.#logger.warn('watching operator files failed', { dir: this.#dir, error }),
      });
    } catch {
      this.#rewatch = setTimeout(() => this.#watchTopLevel(), REWATCH_DELAY_MS);
    }
  }

  async #topLevelEntry(name: string | null): Promise<void> {
    // Our own temp files (every write makes one) are not the operator's: no stat for them.
    if (name !== null && daemonOfTempName(this.#prefix, name) !== null) return;
    if (name === null || isDynamicFileName(name)) {
      // Our own fragments and their temp files are not the operator's.
      if (name === null || daemonOfFileName(this.#prefix, name) === null) this.#scheduleRead();
      return;
    }
    const path = join(this.#dir, name);
    const isDirectory = await stat(path).then((stats) => stats.isDirectory(), () => false);
    if (isDirectory) {
      this.#watchSubdirectory(path);
      this.#scheduleRead();
    } else if (this.#watched.delete(path)) {
      this.#subdirectories?.unwatch(path);
      this.#scheduleRead();
    }
  }

  #watchSubdirectory(path: string): void {
    if (this.#watched.has(path) || this.#stopped) return;
    this.#watched.add(path);
    this.#subdirectories?.add(path);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#rewatch);
    this.#topLevel?.close();
    await this.#subdirectories?.close();
    await this.#reading;
  }

  /** The operator's claims, and the kept claims of the daemons named (those not synced yet). */
  claims(keptDaemons: Iterable<string>): HeldClaim[] {
    const out = [...this.#operator.values()].flatMap((file) => file.claims);
    for (const daemon of keptDaemons) out.push(...(this.#kept.get(daemon) ?? []));
    return out;
  }

  operatorFiles(): readonly OperatorFileStatus[] {
    return [...this.#operator.values()].map((file) => file.status);
  }

  #scheduleRead(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#reading = this.#reading.then(() => this.#reread());
    }, REREAD_DELAY_MS);
  }

  async #reread(): Promise<void> {
    if (this.#stopped) return;
    const readings = await readHeldFiles(this.#dir, this.#prefix);
    if (this.#stopped) return;
    const before = JSON.stringify([...this.#operator.values()]);
    this.#applyOperator(readings);
    if (JSON.stringify([...this.#operator.values()]) !== before) this.emit('change');
  }

  #applyOperator(readings: readonly HeldFileReading[]): void {
    const next = new Map<string, { claims: readonly HeldClaim[]; status: OperatorFileStatus }>();
    for (const reading of readings) {
      if (reading.holder.kind !== 'operator') continue;
      const previous = this.#operator.get(reading.file);
      const claims = reading.claims ?? previous?.claims ?? [];
      if (reading.error !== null && previous?.status.error !== reading.error) {
        this.#logger.warn('operator file not readable; its last good reading stays', { file: reading.file, error: reading.error });
      }
      next.set(reading.file, { claims, status: { file: reading.file, routers: claims.length, error: reading.error, notes: reading.notes } });
    }
    this.#operator = next;
  }
}

/**
 * Daemons whose kept fragment still holds claims: inherited at start, still listed (a daemon whose
 * socket is gone has its file removed), and not yet synced and connected (then its containers speak).
 */
export function keptDaemons(inherited: Iterable<string>, statuses: ReadonlyMap<string, { readonly synced: boolean; readonly state: string }>): string[] {
  return [...inherited].filter((id) => {
    const status = statuses.get(id);
    return status !== undefined && !(status.synced && status.state === 'connected');
  });
}
