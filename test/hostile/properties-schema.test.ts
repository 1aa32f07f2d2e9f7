// Property: every fragment rendered from generated tenants is valid by Traefik's schema, read as
// Traefik reads it (template pass, then YAML). RUNS per property, FC_RUNS to change.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { executeGoTemplate } from '../support/go-template.ts';
import { validateDynamicConfig } from '../support/traefik-schema.ts';
import { RUNS, snapshotArb } from './arbitraries.ts';
import { render, renderOptions } from './scenario.ts';

const options = renderOptions();

test("every fragment validates against Traefik's schema", () => {
  fc.assert(
    fc.property(snapshotArb, (snapshot) => {
      for (const [daemon, text] of render(snapshot, options).files) {
        assert.deepEqual(validateDynamicConfig(parseYaml(executeGoTemplate(text))), [], `rs-${daemon}.yml`);
      }
    }),
    { numRuns: RUNS },
  );
});
