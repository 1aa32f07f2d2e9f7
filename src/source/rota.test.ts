import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rota } from './rota.ts';

/** Lets the settled tasks' callbacks run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

test('every member runs once per interval, the members spread over the turns and run in batches', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const rota = new Rota(10_000);
  const runs = new Map<number, number[]>();
  for (let m = 0; m < 25; m++) {
    rota.join(async () => {
      runs.set(m, [...(runs.get(m) ?? []), Date.now()]);
    });
  }
  const batches: number[] = [];
  for (let second = 1; second <= 30; second++) {
    const before = [...runs.values()].reduce((sum, r) => sum + r.length, 0);
    t.mock.timers.tick(1000);
    await settle();
    batches.push([...runs.values()].reduce((sum, r) => sum + r.length, 0) - before);
  }
  // 25 members over 10 turns of a second: batches of 2 or 3, each member exactly 3 times in 30 s.
  assert.deepEqual([...new Set(batches)].sort(), [2, 3]);
  for (let m = 0; m < 25; m++) assert.equal(runs.get(m)?.length, 3, `member ${m}`);
});

test('a member runs within one interval of joining; a run not finished by its next turn is not doubled', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const rota = new Rota(3_000);
  let started = 0;
  let finish: () => void = () => {};
  rota.join(() => {
    started++;
    return new Promise<void>((resolve) => (finish = resolve));
  });
  t.mock.timers.tick(3_000);
  await settle();
  assert.equal(started, 1);
  t.mock.timers.tick(3_000);
  await settle();
  assert.equal(started, 1, 'still running: its turn is skipped');
  finish();
  await settle();
  t.mock.timers.tick(3_000);
  await settle();
  assert.equal(started, 2);
});

test('a member that left never runs again; a rejected run does not stop the others', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const rota = new Rota(1_000);
  let left = 0;
  let failing = 0;
  let kept = 0;
  const leave = rota.join(async () => {
    left++;
  });
  rota.join(async () => {
    failing++;
    throw new Error('its own failure');
  });
  rota.join(async () => {
    kept++;
  });
  leave();
  for (let i = 0; i < 3; i++) {
    t.mock.timers.tick(1_000);
    await settle();
  }
  assert.deepEqual([left, failing, kept], [0, 3, 3]);
});

test('a large turn starts its members a slice at a time, the event loop turning in between; one that left meanwhile does not run', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const rota = new Rota(1_000);
  const started: number[] = [];
  const leave: (() => void)[] = [];
  for (let m = 0; m < 25; m++) {
    leave.push(
      rota.join(async () => {
        started.push(m);
      }),
    );
  }
  t.mock.timers.tick(1_000);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the first slice, in one go');
  leave[24]?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(started.length, 20, 'the second slice, after the loop turned');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, Array.from({ length: 24 }, (_, m) => m), 'the rest, without the member that left');
});
