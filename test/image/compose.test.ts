// The example stack's compose file is one docker-compose accepts (docker-compose is installed with
// the Docker packages this suite needs).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const STACK = fileURLToPath(new URL('../../examples/compose/', import.meta.url));

describe('examples/compose/docker-compose.yml', () => {
  it('passes docker-compose config, sharing the dynamic directory between Traefik and route-server', () => {
    const config = spawnSync('docker-compose', ['config'], { cwd: STACK, encoding: 'utf8' });
    assert.equal(config.status, 0, config.stderr);
    // Both mount the same host directory at the file provider's path (a directory, never a file).
    const mounts = config.stdout.split('\n').filter((line) => /^\s*- \S+\/dynamic:\/etc\/traefik\/dynamic(:r[ow])?$/.test(line));
    assert.equal(mounts.length, 2, config.stdout);
  });
});
