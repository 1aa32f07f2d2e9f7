// Every `route-server static` case prints exactly its reviewed traefik.yml, and that document reads
// back (plain YAML: Traefik runs no template pass over its static configuration) as sent.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { readStaticExpected, staticCase, staticCases } from '../support/static-golden.ts';

for (const name of staticCases()) {
  test(`static golden: ${name}`, () => {
    const text = staticCase(name);
    assert.equal(text, readStaticExpected(name), `fixtures/static/${name}/expected/traefik.yml`);
    assert.doesNotMatch(text, /CF_DNS_API_TOKEN:|token:/i, 'the Cloudflare token is never written');
    const config = parseYaml(text) as { entryPoints: Record<string, { address: string }> };
    for (const [entrypoint, { address }] of Object.entries(config.entryPoints)) {
      // An entrypoint on all addresses would take the port from tenants binding loopback addresses.
      assert.doesNotMatch(address, /^:/, `${name}: ${entrypoint} listens on a public address`);
    }
  });
}
