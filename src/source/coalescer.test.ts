import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Coalescer, type Clock } from './coalescer.ts';

/** Time moves only when the test says so; timers fire in due order. */
class ManualClock implements Clock {
  #now = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + ms, callback });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get timers(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].callback();
    }
    this.#now = end;
  }
}

/** The classic min/max debounce unless `burstWaitMs` says otherwise. */
function setup(minWaitMs: number, maxWaitMs: number, burstWaitMs = minWaitMs, busyWindowMs = Math.min(burstWaitMs, 250)) {
  const clock = new ManualClock();
  const flushed: { key: string; at: number }[] = [];
  const coalescer = new Coalescer<string>({ minWaitMs, maxWaitMs, burstWaitMs, busyWindowMs, clock }, (key) => flushed.push({ key, at: clock.now() }));
  return { clock, flushed, coalescer };
}

describe('Coalescer', () => {
  it('flushes a single change after the minimum wait', () => {
    const { clock, flushed, coalescer } = setup(100, 1000);
    coalescer.touch('a');
    clock.advance(99);
    assert.deepEqual(flushed, []);
    clock.advance(1);
    assert.deepEqual(flushed, [{ key: 'a', at: 100 }]);
  });

  it('turns a burst into one flush, after the burst has been quiet for the minimum wait', () => {
    const { clock, flushed, coalescer } = setup(100, 1000);
    for (let i = 0; i < 30; i++) {
      coalescer.touch('a');
      clock.advance(20);
    }
    // last touch at 580, quiet until 680
    clock.advance(1000);
    assert.deepEqual(flushed, [{ key: 'a', at: 680 }]);
  });

  it('never waits longer than the maximum after the first pending change', () => {
    const { clock, flushed, coalescer } = setup(100, 500);
    for (let t = 0; t < 1200; t += 50) {
      coalescer.touch('a');
      clock.advance(50);
    }
    clock.advance(1000);
    assert.deepEqual(
      flushed.map((f) => f.at),
      [500, 1000, 1250],
      'a flush at each max wait while touches keep coming, then one after the last quiet time',
    );
  });

  it('keeps keys independent', () => {
    const { clock, flushed, coalescer } = setup(100, 1000);
    coalescer.touch('a');
    clock.advance(50);
    coalescer.touch('b');
    clock.advance(60);
    assert.deepEqual(flushed, [{ key: 'a', at: 100 }]);
    clock.advance(100);
    assert.deepEqual(flushed, [
      { key: 'a', at: 100 },
      { key: 'b', at: 150 },
    ]);
  });

  it('with a zero minimum, flushes on the next timer turn', () => {
    const { clock, flushed, coalescer } = setup(0, 0);
    coalescer.touch('a');
    coalescer.touch('a');
    assert.deepEqual(flushed, []);
    clock.advance(0);
    assert.deepEqual(flushed, [{ key: 'a', at: 0 }]);
  });

  it('a touch after a flush starts a new wait', () => {
    const { clock, flushed, coalescer } = setup(100, 300);
    coalescer.touch('a');
    clock.advance(150);
    coalescer.touch('a');
    clock.advance(150);
    assert.deepEqual(
      flushed.map((f) => f.at),
      [100, 250],
    );
  });

  it('a lone change goes out after the short quiet time, a burst waits for the longer one', () => {
    const { clock, flushed, coalescer } = setup(20, 2000, 250);
    coalescer.touch('a');
    clock.advance(1000);
    assert.deepEqual(flushed, [{ key: 'a', at: 20 }], 'a lone change: 20 ms');
    // Ten changes 10 ms apart: the second makes it a burst, flushed 250 ms after the last.
    for (let i = 0; i < 10; i++) {
      coalescer.touch('a');
      clock.advance(10);
    }
    clock.advance(1000);
    assert.deepEqual(flushed.slice(1), [{ key: 'a', at: 1000 + 90 + 250 }]);
  });

  it('changes arriving soon after a flush wait for the longer quiet time, so a slow burst gives few flushes', () => {
    const { clock, flushed, coalescer } = setup(20, 2000, 1000);
    // A container start every 100 ms for 3 s: the first goes out fast, the rest are batched.
    for (let t = 0; t < 3000; t += 100) {
      coalescer.touch('a');
      clock.advance(100);
    }
    clock.advance(3000);
    assert.equal(flushed[0]?.at, 20);
    assert.ok(flushed.length <= 3, `3 s of steady changes gave ${flushed.length} flushes`);
    assert.ok(flushed.every((f, i) => i === 0 || f.at - (flushed[i - 1] as { at: number }).at <= 2000 + 1000));
  });

  it('containers started one by one, further apart than the busy window, each go out fast', () => {
    const { clock, flushed, coalescer } = setup(20, 2000, 1000);
    for (let i = 0; i < 4; i++) {
      coalescer.touch('a');
      clock.advance(1200);
    }
    assert.deepEqual(flushed.map((f) => f.at), [20, 1220, 2420, 3620]);
  });

  it("another daemon's burst never makes a daemon's lone change wait (no noisy neighbour)", () => {
    // Defaults of `run`: 20 ms quiet, 4 s at most, 2 s once busy.
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    coalescer.touch('a');
    clock.advance(5);
    coalescer.touch('a'); // a is in a burst, waiting 2 s of quiet
    clock.advance(5);
    coalescer.touch('b'); // b's lone change, while a changes and waits
    clock.advance(5);
    coalescer.touch('a');
    clock.advance(100);
    assert.deepEqual(flushed, [{ key: 'b', at: 30 }]);
    clock.advance(5000);
    assert.deepEqual(flushed.at(-1), { key: 'a', at: 2015 });
  });

  it('many daemons changing at once, one change each, all go out after the short quiet time', () => {
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    const keys = Array.from({ length: 100 }, (_, i) => String(2816 + 64 * i));
    for (const key of keys) coalescer.touch(key);
    clock.advance(5000);
    assert.deepEqual(flushed.map((f) => f.at), keys.map(() => 20));
    // 20 changes a second across the host, each daemon alone: each goes out after 20 ms.
    for (let i = 0; i < 100; i++) {
      coalescer.touch(keys[i] as string);
      clock.advance(50);
    }
    assert.deepEqual(new Set(flushed.slice(100).map((f, i) => f.at - (5000 + 50 * i))), new Set([20]));
  });

  it('a compose up whose starts come half a second apart gives a few flushes: the third change after two flushes within the burst quiet time waits', () => {
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    for (let i = 0; i < 9; i++) {
      coalescer.touch('a');
      clock.advance(500);
    }
    clock.advance(5000);
    assert.deepEqual(flushed.map((f) => f.at), [20, 520, 5000], 'two at once, then the rest within the maximum wait');
  });

  it('starts one at a time a second apart each go out fast: two flushes more than the burst quiet time apart are no burst', () => {
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    for (let i = 0; i < 5; i++) {
      coalescer.touch('a');
      clock.advance(1100);
    }
    assert.deepEqual(flushed.map((f) => f.at), [20, 1120, 2220, 3320, 4420]);
  });

  it('a key that has been idle longer than the busy window is fast again', () => {
    const { clock, flushed, coalescer } = setup(20, 2000, 1000);
    coalescer.touch('a');
    clock.advance(20);
    clock.advance(1100);
    coalescer.touch('a');
    clock.advance(1000);
    assert.deepEqual(flushed.map((f) => f.at), [20, 1140]);
  });

  it('a daemon that came up (one change) and then stays quiet through its resyncs flushes its next start fast', () => {
    // Defaults of `run`: 20 ms quiet, 4 s at most, 2 s once busy. A resync that finds nothing
    // new does not touch; a connection coming up touches once (DaemonWatcher reports it as one).
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    coalescer.touch('2816');
    clock.advance(60_000);
    coalescer.touch('2816');
    clock.advance(5000);
    assert.deepEqual(flushed.map((f) => f.at), [20, 60_020]);
  });

  it('two changes reported together count as a burst: why a connection must report one change, not two', () => {
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    coalescer.touch('2816');
    coalescer.touch('2816');
    clock.advance(500);
    coalescer.touch('2816'); // a start half a second after the daemon came up
    clock.advance(5000);
    assert.deepEqual(flushed.map((f) => f.at), [2500]);
  });

  it('a connection coming up (settling) does not make the first start after it wait for a burst', () => {
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    coalescer.touch('2816', true);
    coalescer.touch('2880', true);
    clock.advance(20);
    clock.advance(100);
    coalescer.touch('2816'); // a start 120 ms after the daemon came up, others coming up meanwhile
    coalescer.touch('2944', true);
    clock.advance(5000);
    assert.deepEqual(flushed.map((f) => `${f.key}@${f.at}`), ['2816@20', '2880@20', '2816@140', '2944@140']);
  });

  it('a start joining a pending settling change waits as a lone change; a second start makes it a burst', () => {
    const { clock, flushed, coalescer } = setup(20, 4000, 2000);
    coalescer.touch('2816', true);
    clock.advance(10);
    coalescer.touch('2816');
    clock.advance(100);
    assert.deepEqual(flushed.map((f) => f.at), [30]);
    coalescer.touch('2816');
    coalescer.touch('2816');
    clock.advance(5000);
    assert.deepEqual(flushed.map((f) => f.at), [30, 2110]);
  });

  it('cancel and close drop pending flushes and their timers', () => {
    const { clock, flushed, coalescer } = setup(100, 1000);
    coalescer.touch('a');
    coalescer.touch('b');
    coalescer.cancel('a');
    assert.equal(clock.timers, 1, 'only b still waits');
    coalescer.close();
    assert.equal(clock.timers, 0);
    clock.advance(5000);
    assert.deepEqual(flushed, []);
  });

  it('validates its options with exact messages', () => {
    const flush = () => {};
    assert.throws(() => new Coalescer({ minWaitMs: -1, maxWaitMs: 10 }, flush), {
      name: 'TypeError',
      message: 'Expected `minWaitMs` to be a finite number >= 0, got -1',
    });
    assert.throws(() => new Coalescer({ minWaitMs: 1, maxWaitMs: Number.NaN }, flush), {
      message: 'Expected `maxWaitMs` to be a finite number >= 0, got NaN',
    });
    assert.throws(() => new Coalescer({ minWaitMs: 100, maxWaitMs: 50 }, flush), {
      name: 'RangeError',
      message: 'Expected `maxWaitMs` to be >= `minWaitMs` (100), got 50',
    });
  });
});
