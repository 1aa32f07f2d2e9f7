// Every `route-server static` golden document is valid by Traefik's published static-configuration
// schema (../shared/reference). npm test names this suite loudly when ../shared is absent.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { readStaticExpected, staticCases } from '../support/static-golden.ts';
import { validateStaticConfig } from '../support/traefik-schema.ts';

for (const name of staticCases()) {
  test(`static schema: ${name}`, () => {
    assert.deepEqual(validateStaticConfig(parseYaml(readStaticExpected(name))), [], `fixtures/static/${name} violates Traefik's static schema`);
  });
}
