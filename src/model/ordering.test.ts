// Daemon ids sort numerically when both are numbers (whatever their length or leading zeros),
// numbers before names, names by code point: the order of fragments, /routes.json and diagnostics.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { compareDaemonIds } from './ordering.ts';

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
