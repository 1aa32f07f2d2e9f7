// Every file the hostile cases produce is valid dynamic configuration by Traefik's published
// schema (with the v3.7 additions of test/support/traefik-schema.ts), read as Traefik reads it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { executeGoTemplate } from '../support/go-template.ts';
import { validateDynamicConfig } from '../support/traefik-schema.ts';
import { HOSTILE_CASES } from './cases.ts';
import { caseSnapshots } from './check.ts';
import { render, renderOptions } from './scenario.ts';

for (const c of HOSTILE_CASES) {
  test(`hostile schema ${c.name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?')}`, () => {
    const rendered = render(caseSnapshots(c).attack, renderOptions(c.args ?? []));
    for (const [daemon, text] of rendered.files) {
      assert.deepEqual(validateDynamicConfig(parseYaml(executeGoTemplate(text))), [], `rs-${daemon}.yml violates Traefik's schema`);
    }
  });
}
