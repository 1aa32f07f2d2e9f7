// Every golden fragment is valid dynamic configuration by Traefik's published JSON schema
// (../shared/reference), extended only by fields Traefik v3.7's source has and the schema lacks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { executeGoTemplate } from '../support/go-template.ts';
import { goldenCases, readExpected } from '../support/golden.ts';
import { validateDynamicConfig } from '../support/traefik-schema.ts';

for (const name of goldenCases()) {
  const expected = readExpected(name);
  for (const [file, text] of expected.files) {
    test(`schema: ${name}/${file}`, () => {
      const config = parseYaml(executeGoTemplate(text));
      assert.deepEqual(validateDynamicConfig(config), [], `${name}/expected/${file} violates Traefik's schema`);
    });
  }
}
