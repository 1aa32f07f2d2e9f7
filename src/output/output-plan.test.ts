import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Fragment } from '../render/render.ts';
import { planOutputs, type DaemonOutputState } from './output-plan.ts';

const fragment = (daemon: string): Fragment => ({ daemon, socket: `/run/docker-${daemon}.sock`, config: { http: { routers: {} } } });
const connected: DaemonOutputState = { synced: true, state: 'connected' };
const reconnecting: DaemonOutputState = { synced: true, state: 'reconnecting' };
const unreachable: DaemonOutputState = { synced: true, state: 'error' };
const connecting: DaemonOutputState = { synced: false, state: 'connecting' };
const neverSynced: DaemonOutputState = { synced: false, state: 'error' };

interface Row {
  readonly name: string;
  readonly daemon?: DaemonOutputState;
  readonly rendered: boolean;
  readonly owned: boolean;
  readonly keep?: boolean;
  /** 'write': its new fragment; 'remove': null; 'leave': not in `set`. */
  readonly expect: 'write' | 'remove' | 'leave';
  readonly stale: boolean;
  readonly ownedAfter: boolean;
}

// One daemon `2816` per row; the rows are the README's promises.
const rows: Row[] = [
  { name: 'synced and connected: its fragment is written', daemon: connected, rendered: true, owned: false, expect: 'write', stale: false, ownedAfter: true },
  { name: 'synced and connected, rewritten over the file it owns', daemon: connected, rendered: true, owned: true, expect: 'write', stale: false, ownedAfter: true },
  { name: 'connected with nothing routable: its file is removed', daemon: connected, rendered: false, owned: true, expect: 'remove', stale: false, ownedAfter: false },
  { name: 'connected with nothing routable and no file: asked for none', daemon: connected, rendered: false, owned: false, expect: 'remove', stale: false, ownedAfter: false },
  { name: 'unreachable after a sync: its last good file stays, stale', daemon: unreachable, rendered: true, owned: true, expect: 'leave', stale: true, ownedAfter: true },
  { name: 'reconnecting: its last good file stays, stale', daemon: reconnecting, rendered: true, owned: true, expect: 'leave', stale: true, ownedAfter: true },
  { name: 'unreachable with no file: nothing to keep, not stale', daemon: unreachable, rendered: false, owned: false, expect: 'leave', stale: false, ownedAfter: false },
  { name: 'not synced since start: the file of the previous run stays', daemon: connecting, rendered: false, owned: true, expect: 'leave', stale: false, ownedAfter: true },
  { name: 'never reachable since start: the file of the previous run stays', daemon: neverSynced, rendered: false, owned: true, expect: 'leave', stale: false, ownedAfter: true },
  { name: 'socket gone: its file is removed', rendered: false, owned: true, expect: 'remove', stale: false, ownedAfter: false },
  { name: 'gone and never owned: nothing to do', rendered: false, owned: false, expect: 'leave', stale: false, ownedAfter: false },
  { name: 'kept (its render failed): the last file stays, stale', daemon: connected, rendered: false, owned: true, keep: true, expect: 'leave', stale: true, ownedAfter: true },
  { name: 'kept with no file: nothing written', daemon: connected, rendered: true, owned: false, keep: true, expect: 'leave', stale: false, ownedAfter: false },
];

for (const row of rows) {
  test(`planOutputs: ${row.name}`, () => {
    const id = '2816';
    const rendered = fragment(id);
    const plan = planOutputs({
      daemons: new Map(row.daemon ? [[id, row.daemon]] : []),
      fragments: new Map(row.rendered ? [[id, rendered]] : []),
      owned: new Set(row.owned ? [id] : []),
      keep: new Set(row.keep ? [id] : []),
    });
    const expected = row.expect === 'write' ? new Map([[id, rendered]]) : row.expect === 'remove' ? new Map([[id, null]]) : new Map();
    assert.deepEqual(plan.set, expected);
    assert.deepEqual(plan.stale, new Set(row.stale ? [id] : []));
    assert.deepEqual(plan.owned, new Set(row.ownedAfter ? [id] : []));
  });
}

test('planOutputs: daemons are decided each on their own', () => {
  const plan = planOutputs({
    daemons: new Map([
      ['2816', connected],
      ['2880', unreachable],
      ['2944', connecting],
    ]),
    fragments: new Map([
      ['2816', fragment('2816')],
      ['2880', fragment('2880')],
    ]),
    owned: new Set(['2880', '2944', '3008']),
  });
  assert.deepEqual([...plan.set].map(([id, f]) => [id, f === null ? null : f.daemon]), [
    ['2816', '2816'],
    ['3008', null],
  ]);
  assert.deepEqual(plan.stale, new Set(['2880']));
  assert.deepEqual(plan.owned, new Set(['2816', '2880', '2944']));
});

test('planOutputs: a file left by a previous run stays inherited until its daemon is decided', () => {
  const daemons = new Map<string, DaemonOutputState>([
    ['2816', connecting],
    ['2880', connected],
    ['2944', unreachable],
  ]);
  const owned = new Set(['2816', '2880', '2944', '3008']);
  const plan = planOutputs({ daemons, fragments: new Map([['2880', fragment('2880')]]), owned, inherited: owned });
  // 2880 got its new fragment and 3008 is gone: neither holds the old file any more.
  assert.deepEqual(plan.inherited, new Set(['2816', '2944']));
});

test('planOutputs: a daemon whose new fragment is the one it was handed is left out; the plan is otherwise the same', () => {
  const same = fragment('2816');
  const daemons = new Map<string, DaemonOutputState>([
    ['2816', connected],
    ['2880', connected],
    ['2944', connected],
    ['3008', unreachable],
  ]);
  const fragments = new Map([
    ['2816', same],
    ['2880', fragment('2880')],
    ['3008', fragment('3008')],
  ]);
  const owned = new Set(['2816', '2880', '2944', '3008']);
  // 2880 was handed an equal but other object; 2944 renders none now; 3008 is unreachable.
  const handed = new Map<string, Fragment | null>([['2816', same], ['2880', fragment('2880')], ['2944', fragment('2944')], ['3008', fragment('3008')]]);
  const plan = planOutputs({ daemons, fragments, owned, handed: (id) => handed.get(id) });
  assert.deepEqual([...plan.set.keys()], ['2880', '2944']);
  assert.deepEqual(plan.stale, new Set(['3008']));
  assert.deepEqual(plan.owned, new Set(['2816', '2880', '3008']));
  const full = planOutputs({ daemons, fragments, owned });
  assert.deepEqual(plan.owned, full.owned);
  assert.deepEqual(plan.stale, full.stale);
});
