import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnderAllowedDir } from './file-paths.ts';
import { parseAllowFileDirs } from './options.ts';

test('a file is allowed only strictly under an allowed directory, lexically, without ..', () => {
  const dirs = ['/etc/traefik/tenants/2816', '/srv/shared/'];
  assert.equal(isUnderAllowedDir('/etc/traefik/tenants/2816/htpasswd', dirs), true);
  assert.equal(isUnderAllowedDir('//etc/./traefik//tenants/2816/a/b', dirs), true);
  assert.equal(isUnderAllowedDir('/srv/shared/ca.pem', dirs), true);
  assert.equal(isUnderAllowedDir('/etc/traefik/tenants/2816', dirs), false, 'the directory itself is not a file in it');
  assert.equal(isUnderAllowedDir('/etc/traefik/tenants/28160/htpasswd', dirs), false, 'a name sharing a prefix is another directory');
  assert.equal(isUnderAllowedDir('/etc/traefik/tenants/2816/../2880/htpasswd', dirs), false);
  assert.equal(isUnderAllowedDir('etc/traefik/tenants/2816/htpasswd', dirs), false, "relative to Traefik's working directory");
  assert.equal(isUnderAllowedDir('/etc/traefik/tenants/2816/a\u0000b', dirs), false);
  assert.equal(isUnderAllowedDir('/etc/passwd', []), false);
});

test('--allow-file-dir takes absolute directories other than /, without ..', () => {
  assert.deepEqual(parseAllowFileDirs(['/etc/traefik/tenants/{id}']), { ok: true, value: ['/etc/traefik/tenants/{id}'] });
  for (const bad of ['/', '//.', 'relative/dir', '/etc/../root', '']) {
    const parsed = parseAllowFileDirs([bad]);
    assert.equal(parsed.ok, false, bad);
    assert.match((parsed as { error: string }).error, /^Expected `--allow-file-dir` to be an absolute directory/);
  }
});
