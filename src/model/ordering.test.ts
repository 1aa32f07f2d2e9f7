// Daemon ids sort numerically when both are numbers (whatever their length or leading zeros),
// numbers before names, names by code point: the order of fragments, /routes.json and diagnostics.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { compareCodePoints, compareDaemonIds, compareUtf16, sortInPlace } from './ordering.ts';

describe('compareDaemonIds', () => {
  it('orders numeric ids by their value, leading zeros or not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,30}$/), fc.stringMatching(/^[0-9]{1,30}$/), (a, b) => {
        const difference = BigInt(a) - BigInt(b);
        assert.equal(Math.sign(compareDaemonIds(a, b)), difference > 0n ? 1 : difference < 0n ? -1 : 0);
      }),
      { numRuns: 2000, seed: 13 },
    );
  });

  it('puts numbers before names and names in code point order', () => {
    const sorted = ['edge-1', '10000', '2816', '0', 'a', '', 'b\u{1F600}', 'b\uE000', '2816x'].sort(compareDaemonIds);
    assert.deepEqual(sorted, ['0', '2816', '10000', '', '2816x', 'a', 'b\uE000', 'b\u{1F600}', 'edge-1']);
  });
});

describe('sortInPlace', () => {
  it('orders as Array.prototype.sort does, stably, short lists and long ones', () => {
    const entry = fc.tuple(fc.string({ unit: 'binary', maxLength: 4 }), fc.nat());
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), fc.boolean(), (list, byCodePoints) => {
        const compare = (a: [string, number], b: [string, number]) => (byCodePoints ? compareCodePoints : compareUtf16)(a[0], b[0]);
        const expected = [...list].sort(compare);
        const copy = [...list];
        assert.equal(sortInPlace(copy, compare), copy);
        assert.deepEqual(copy, expected);
      }),
      { numRuns: 2000, seed: 13 },
    );
  });
});
