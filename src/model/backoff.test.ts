import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const options = { initialMs: 500, maxMs: 30_000 };

  it('doubles per failure up to the cap', () => {
    const top = () => 1;
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 100].map((failures) => backoffDelay(failures, options, top)),
      [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
    );
  });

  it('keeps at least half of the wait when jittering', () => {
    assert.equal(backoffDelay(0, options, () => 0), 250);
    assert.equal(backoffDelay(10, options, () => 0), 15_000);
    assert.equal(backoffDelay(1, options, () => 0.5), 750);
  });
});
