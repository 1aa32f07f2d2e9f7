// Every golden case renders to exactly its reviewed files and diagnostics, and every file reads
// back — through Go's template pass and a YAML parser — as the configuration it was made from.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { toJsonValue } from '../../src/traefik/config.ts';
import { executeGoTemplate } from '../support/go-template.ts';
import { goldenCases, readExpected, renderCase } from '../support/golden.ts';

for (const name of goldenCases()) {
  test(`golden: ${name}`, () => {
    const output = renderCase(name);
    const expected = readExpected(name);
    assert.deepEqual([...output.files.keys()], [...expected.files.keys()], 'fragment files');
    for (const [file, text] of output.files) assert.equal(text, expected.files.get(file), `${name}/expected/${file}`);
    assert.equal(output.diagnostics, expected.diagnostics, `${name}/diagnostics.jsonl`);

    for (const fragment of output.result.fragments) {
      const text = output.files.get(`rs-${fragment.daemon}.yml`) as string;
      const parsed = parseYaml(executeGoTemplate(text), { intAsBigInt: true });
      assert.deepEqual(toJsonValue(parsed), toJsonValue(fragment.config), `${name}: rs-${fragment.daemon}.yml reads back as its config`);
    }
  });
}
