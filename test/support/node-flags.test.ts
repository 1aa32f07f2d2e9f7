import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runNodeFlags } from './node-flags.ts';

test('the image runs node with the flags of npm start', () => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  assert.ok(entrypoint, 'an ENTRYPOINT in exec form');
  const words = JSON.parse(entrypoint) as string[];
  assert.deepEqual(words.slice(1, words.indexOf('/app/bin/route-server.js')), runNodeFlags());
  assert.ok(runNodeFlags().includes('--heap-growing-percent=60'));
});
