// The example stack stays true: its Traefik static configuration is exactly what
// `route-server static` makes from its host.yml (regenerate it with the command in the compose file).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/route-server.js', import.meta.url));
const STACK = fileURLToPath(new URL('../../examples/compose/', import.meta.url));

describe('examples/compose', () => {
  it('traefik/traefik.yml is `route-server static --config host.yml`', () => {
    const made = spawnSync(process.execPath, [BIN, 'static', '--config', 'host.yml'], { cwd: STACK, encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    assert.equal(made.status, 0, made.stderr);
    assert.equal(readFileSync(`${STACK}traefik/traefik.yml`, 'utf8'), made.stdout);
  });
});
