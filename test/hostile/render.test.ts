// Every hostile case through the pure render, against the same snapshot without the attacker: no
// throw; the attacker's diagnostic names daemon, container and label; only its router (or its
// container) goes; the neighbour on its daemon and the victim on another daemon render exactly as
// before, with the same diagnostics; every file reads back through Go's template pass and YAML.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOSTILE_CASES } from './cases.ts';
import { checkCase } from './check.ts';

test('the hostile table has at least 150 cases, with unique names', () => {
  assert.ok(HOSTILE_CASES.length >= 150, `${HOSTILE_CASES.length} cases`);
  assert.equal(new Set(HOSTILE_CASES.map((c) => c.name)).size, HOSTILE_CASES.length);
});

for (const c of HOSTILE_CASES) {
  test(`hostile ${c.name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?')}`, () => {
    checkCase(c);
  });
}
