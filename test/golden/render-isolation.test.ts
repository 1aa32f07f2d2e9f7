// One daemon's render failing unexpectedly must cost that daemon its update only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSnapshot } from '../../src/model/snapshot.ts';
import { DEFAULT_RENDER_OPTIONS } from '../../src/render/options.ts';
import { renderSnapshot } from '../../src/render/render.ts';

const parsed = parseSnapshot(JSON.parse(readFileSync(new URL('../../fixtures/render/iso-deep-label-key/snapshot.json', import.meta.url), 'utf8')));
assert.ok(parsed.ok);
const snapshot = parsed.snapshot;
const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' };

test('a daemon whose build throws gets render-failed and no fragment; the others render as before', () => {
  const normal = renderSnapshot(snapshot, options);
  const result = renderSnapshot(snapshot, options, undefined, {
    duringTenant: (id) => {
      if (id === '2816') throw new Error('injected fault');
    },
  });
  assert.deepEqual(result.failedDaemons, ['2816']);
  assert.deepEqual(result.fragments.map((f) => f.daemon), ['2880']);
  assert.deepEqual(result.fragments[0], normal.fragments.find((f) => f.daemon === '2880'));
  const failure = result.diagnostics.filter((d) => d.code === 'render-failed');
  assert.equal(failure.length, 1);
  assert.equal(failure[0]?.daemon, '2816');
  assert.match(failure[0]?.message ?? '', /injected fault/);
  assert.deepEqual(normal.failedDaemons, []);
});

test('a step across daemons that throws fails every daemon: no fragment, each keeps its last file', () => {
  const result = renderSnapshot(snapshot, options, { allocations: [], now: 0 }, {
    acrossTenants: () => {
      throw new Error('injected fault');
    },
  });
  assert.deepEqual(result.fragments, []);
  assert.deepEqual(result.failedDaemons, ['2816', '2880']);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.code === 'render-failed').map((d) => d.daemon),
    ['2816', '2880'],
  );
});
