// Per-key debounce with a minimum and a maximum wait (docker-gen's `min:max`), one key per daemon.
// A key flushes once it has been quiet for `minWaitMs`, but never later than `maxWaitMs` after its
// first pending change, so a steady stream of events cannot postpone an update forever. A lone
// change goes out after the short quiet time; in a burst the quiet time grows to `burstWaitMs`. A
// key is in a burst when it changes again while a change of it waits, within `busyWindowMs` of its
// last flush, or after two flushes within the last `burstWaitMs` (a `compose up` whose starts come
// half a second apart). So a burst becomes a few updates per daemon instead of one per container,
// while containers started one by one still go out at once. Only the key's own changes count:
// another daemon's activity never makes a change wait (a tenant must not delay another's routes;
// a render of one changed daemon is cheap, so batching across daemons saved little). Traefik applies
// file changes at most every 2 s anyway (providersThrottleDuration), so batching a burst costs
// nothing it would have shown sooner. The clock is injected: tests drive time by hand and never sleep.

import { expectAtLeast, expectDuration } from '../model/expect.ts';

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
  /** Quiet time once a key is busy; default half the maximum wait (at least the minimum). */
  readonly burstWaitMs?: number;
  /** A change this soon after the key's flush means a burst; default min(burstWaitMs, 250 ms). */
  readonly busyWindowMs?: number;
  readonly clock?: Clock;
}

interface Pending {
  readonly firstAt: number;
  dueAt: number;
  timer: TimerHandle;
  quietMs: number;
  /** Only a connection coming up so far: its flush does not start a busy window. */
  settling: boolean;
}

export class Coalescer<K> {
  readonly #minWaitMs: number;
  readonly #maxWaitMs: number;
  readonly #burstWaitMs: number;
  readonly #busyWindowMs: number;
  readonly #clock: Clock;
  /** Per key, its last two flushes (settling ones aside): when it is busy. */
  readonly #flushes = new Map<K, { readonly last: number; readonly before: number | undefined }>();
  readonly #flush: (key: K) => void;
  readonly #pending = new Map<K, Pending>();

  constructor(options: CoalescerOptions, flush: (key: K) => void) {
    expectDuration('minWaitMs', options.minWaitMs, 0);
    expectDuration('maxWaitMs', options.maxWaitMs, 0);
    expectAtLeast('maxWaitMs', options.maxWaitMs, 'minWaitMs', options.minWaitMs);
    this.#minWaitMs = options.minWaitMs;
    this.#maxWaitMs = options.maxWaitMs;
    this.#burstWaitMs = options.burstWaitMs ?? Math.max(options.minWaitMs, options.maxWaitMs / 2);
    this.#busyWindowMs = options.busyWindowMs ?? Math.min(this.#burstWaitMs, 250);
    expectDuration('burstWaitMs', this.#burstWaitMs, 0);
    expectDuration('busyWindowMs', this.#busyWindowMs, 0);
    this.#clock = options.clock ?? systemClock;
    this.#flush = flush;
  }

  /**
   * Records a change of `key`; its flush happens after the quiet time, bounded by the maximum wait.
   * A `settling` change (a daemon's connection coming up: one change, its whole state) is no part
   * of a burst: it neither makes later changes of its key or of others wait longer, nor waits
   * longer itself, unless a real change joins it.
   */
  touch(key: K, settling = false): void {
    const now = this.#clock.now();
    const pending = this.#pending.get(key);
    if (pending === undefined) {
      const quietMs = !settling && this.#busy(key, now) ? this.#burstWaitMs : this.#minWaitMs;
      const entry: Pending = { firstAt: now, dueAt: now + quietMs, timer: undefined, quietMs, settling };
      entry.timer = this.#arm(key, entry, quietMs);
      this.#pending.set(key, entry);
      return;
    }
    if (settling) return; // the pending flush carries it
    if (pending.settling) {
      // A real change joins a settling one: it waits as a lone change would.
      pending.settling = false;
      pending.dueAt = Math.max(pending.dueAt, Math.min(now + pending.quietMs, pending.firstAt + this.#maxWaitMs));
      return;
    }
    // A second change while one waits: a burst is under way.
    pending.quietMs = this.#burstWaitMs;
    // dueAt never moves earlier (now only grows), so the armed timer is never late: when it fires
    // before the new due time, it re-arms for the rest instead of being cleared on every touch.
    pending.dueAt = Math.min(now + pending.quietMs, pending.firstAt + this.#maxWaitMs);
  }

  /** Flushed a moment ago, or twice within the burst quiet time: the key is changing in a burst. */
  #busy(key: K, now: number): boolean {
    const flushes = this.#flushes.get(key);
    if (flushes === undefined) return false;
    return now - flushes.last < this.#busyWindowMs || (flushes.before !== undefined && now - flushes.before < this.#burstWaitMs);
  }

  /** Drops a pending flush of `key` (its daemon was detached). */
  cancel(key: K): void {
    this.#flushes.delete(key);
    const pending = this.#pending.get(key);
    if (pending === undefined) return;
    this.#clock.clearTimer(pending.timer);
    this.#pending.delete(key);
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
      if (!entry.settling) this.#flushes.set(key, { last: this.#clock.now(), before: this.#flushes.get(key)?.last });
      this.#flush(key);
    }, Math.max(0, ms));
  }
}
