// The Dockerfile built and run for real (scripts/image-check.ts, also `npm run image-check`):
// `npm test` runs this as its own suite wherever it can start Docker daemons, and names it when not.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { imageCheck, imageCheckUnavailableReason } from '../../scripts/image-check.ts';

describe('the container image', () => {
  it('builds from the Dockerfile and runs read-only, as non-root with the socket group, healthy, writing the fragment', { timeout: 300_000 }, async () => {
    const unavailable = imageCheckUnavailableReason();
    assert.equal(unavailable, null, `the image check cannot run here: ${unavailable}`);
    const report = await imageCheck((line) => process.stderr.write(`  image-check: ${line}\n`));
    assert.notEqual(report.uid, 0);
    assert.ok(report.groups.includes(report.socketGid), `groups ${report.groups.join(' ')} include the socket group ${report.socketGid}`);
    assert.equal((report.health as { status: string }).status, 'ok');
  });
});
