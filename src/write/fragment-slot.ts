// Per-daemon state of the writer: what should be on disk, what we believe is there, and the one
// job (queued or running) that reconciles the two. One job per daemon at a time means a newer
// `set` never races an older one, and a queued job always writes the newest content.

import type { FragmentFileStatus, RestoreReason } from './writer-status.ts';

/**
 * Why a job runs. `set` trusts our belief of the disk (cheap); the others read the file first,
 * because the disk may have changed behind our back.
 */
export type Trigger = 'set' | 'retry' | 'watch' | 'directory';

const TRIGGER_RANK: Readonly<Record<Trigger, number>> = { set: 0, retry: 1, watch: 2, directory: 3 };

interface Waiter {
  readonly generation: number;
  readonly resolve: () => void;
}

export class FragmentSlot {
  /** Content wanted on disk (null: no file). Until the first `set`, whatever a previous run left. */
  desired: string | null;
  /** Content we believe is on disk: the last we wrote, or what we read. */
  onDisk: string | null;
  /** Bumped by every `set`; a job settles the waiters of the generations it covered. */
  generation = 0;
  writtenAt: number | null = null;
  trigger: Trigger | null = null;
  queued = false;
  running = false;
  failures = 0;
  retryTimer: NodeJS.Timeout | null = null;
  lastError: string | null = null;
  /** Someone else changed the file and we have not put it back yet (the write may keep failing). */
  tampered: RestoreReason | null = null;
  readonly #waiters: Waiter[] = [];

  constructor(
    readonly daemon: string,
    readonly path: string,
    content: string | null,
  ) {
    this.desired = content;
    this.onDisk = content;
  }

  get busy(): boolean {
    return this.queued || this.running;
  }

  /** Returns whether a job must be enqueued for the request (none queued or running). */
  request(trigger: Trigger): boolean {
    this.trigger = this.trigger === null || TRIGGER_RANK[trigger] > TRIGGER_RANK[this.trigger] ? trigger : this.trigger;
    this.cancelRetry();
    return !this.busy;
  }

  cancelRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  succeeded(): void {
    this.failures = 0;
    this.lastError = null;
  }

  wait(generation: number): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ generation, resolve }));
  }

  /** Resolves every `set` whose content is covered: written, superseded, or failed and now retried. */
  settle(generation = Number.POSITIVE_INFINITY): void {
    for (let index = this.#waiters.length - 1; index >= 0; index--) {
      const waiter = this.#waiters[index];
      if (waiter !== undefined && waiter.generation <= generation) {
        this.#waiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }

  /** Null when there is nothing to report: no file, none wanted, nothing going on. */
  status(): FragmentFileStatus | null {
    const pending = this.busy || this.retryTimer !== null || this.desired !== this.onDisk;
    if (this.onDisk === null && this.desired === null && !pending && this.lastError === null) return null;
    return {
      daemon: this.daemon,
      file: this.path,
      bytes: this.onDisk === null ? 0 : Buffer.byteLength(this.onDisk, 'utf8'),
      writtenAt: this.writtenAt,
      pending,
      lastError: this.lastError,
    };
  }
}
