// Per-key debounce with a minimum and a maximum wait (docker-gen's `min:max`). A key flushes once
// it has been quiet for `minWaitMs`, but never later than `maxWaitMs` after its first pending
// change, so a steady stream of events cannot postpone an update forever. The clock is injected:
// tests drive time by hand and never sleep.

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Monotonic time (a wall-clock jump must not fire or hold back a flush). */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CoalescerOptions {
  readonly minWaitMs: number;
  readonly maxWaitMs: number;
  readonly clock?: Clock;
}

interface Pending {
  readonly firstAt: number;
  dueAt: number;
  timer: TimerHandle;
}

export class Coalescer<K> {
  readonly #minWaitMs: number;
  readonly #maxWaitMs: number;
  readonly #clock: Clock;
  readonly #flush: (key: K) => void;
  readonly #pending = new Map<K, Pending>();

  constructor(options: CoalescerOptions, flush: (key: K) => void) {
    checkWait('minWaitMs', options.minWaitMs);
    checkWait('maxWaitMs', options.maxWaitMs);
    if (options.maxWaitMs < options.minWaitMs) {
      throw new RangeError(
        `Expected \`maxWaitMs\` to be >= \`minWaitMs\` (${options.minWaitMs}), got ${options.maxWaitMs}`,
      );
    }
    this.#minWaitMs = options.minWaitMs;
    this.#maxWaitMs = options.maxWaitMs;
    this.#clock = options.clock ?? systemClock;
    this.#flush = flush;
  }

  /** Records a change of `key`; its flush happens after the quiet time, bounded by the maximum wait. */
  touch(key: K): void {
    const now = this.#clock.now();
    const pending = this.#pending.get(key);
    if (pending === undefined) {
      const entry: Pending = { firstAt: now, dueAt: now + this.#minWaitMs, timer: undefined };
      entry.timer = this.#arm(key, entry, this.#minWaitMs);
      this.#pending.set(key, entry);
      return;
    }
    // dueAt never moves earlier (now only grows), so the armed timer is never late: when it fires
    // before the new due time, it re-arms for the rest instead of being cleared on every touch.
    pending.dueAt = Math.min(now + this.#minWaitMs, pending.firstAt + this.#maxWaitMs);
  }

  /** Drops a pending flush of `key` (its daemon was detached). */
  cancel(key: K): void {
    const pending = this.#pending.get(key);
    if (pending === undefined) return;
    this.#clock.clearTimer(pending.timer);
    this.#pending.delete(key);
  }

  isPending(key: K): boolean {
    return this.#pending.has(key);
  }

  /** Cancels every pending flush; nothing fires afterwards. */
  close(): void {
    for (const key of [...this.#pending.keys()]) this.cancel(key);
  }

  #arm(key: K, entry: Pending, ms: number): TimerHandle {
    return this.#clock.setTimer(() => {
      if (this.#pending.get(key) !== entry) return;
      const remaining = entry.dueAt - this.#clock.now();
      if (remaining > 0) {
        entry.timer = this.#arm(key, entry, remaining);
        return;
      }
      this.#pending.delete(key);
      this.#flush(key);
    }, Math.max(0, ms));
  }
}

function checkWait(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a finite number >= 0, got ${String(value)}`);
  }
}
