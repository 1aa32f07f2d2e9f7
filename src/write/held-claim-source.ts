// Keeps the claims held by files up to date for `run`: kept fragments are read once at start (only
// route-server writes them, and a daemon's claims come from its containers once it has synced);
// the operator's files are read again whenever something in the directory tree changes. A file
// that cannot be read keeps its last good reading and is reported.

import { EventEmitter } from 'node:events';
import type { Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../model/logger.ts';
import type { HeldClaim } from '../render/held-claims.ts';
import { isDynamicFileName } from '../traefik/dynamic-file.ts';
import { daemonOfFileName } from './fragment-name.ts';
import { readHeldFiles, type HeldFileReading } from './held-files.ts';

export interface OperatorFileStatus {
  readonly file: string;
  readonly routers: number;
  /** Why the current bytes were not read; the last good reading (if any) stays in force. */
  readonly error: string | null;
  readonly notes: readonly string[];
}

/** Changes arrive in bursts (an editor's save, a checkout): one re-read after a short quiet. */
const REREAD_DELAY_MS = 100;

export class HeldClaimSource extends EventEmitter<{ change: [] }> {
  readonly #dir: string;
  readonly #prefix: string;
  readonly #logger: Logger;
  #kept = new Map<string, readonly HeldClaim[]>();
  #operator = new Map<string, { claims: readonly HeldClaim[]; status: OperatorFileStatus }>();
  #watcher: FSWatcher | undefined;
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
    const owned = (path: string) => dirname(path) === this.#dir && daemonOfFileName(this.#prefix, basename(path)) !== null;
    // Traefik reads subdirectories too, so the whole tree is watched (our own fragments aside).
    // Temp files of our own writes are not what Traefik loads either.
    const ignored = (path: string, stats?: Stats) => owned(path) || (stats?.isFile() === true && !isDynamicFileName(path));
    this.#watcher = watch(this.#dir, { ignoreInitial: true, persistent: true, depth: 16, ignored });
    this.#watcher.on('all', () => this.#scheduleRead());
    this.#watcher.on('error', (error: unknown) => this.#logger.warn('watching operator files failed', { dir: this.#dir, error }));
    await new Promise<void>((resolve) => this.#watcher?.once('ready', resolve));
    // Anything changed between the first read and the watcher being ready is read again.
    this.#scheduleRead();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#watcher?.close();
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
