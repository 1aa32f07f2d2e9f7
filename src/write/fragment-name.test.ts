import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDaemonId } from '../model/tenant.ts';
import { daemonOfFileName, daemonOfTempName, fragmentFileName, prefixProblem } from './fragment-name.ts';

describe('fragment names', () => {
  it('owns exactly `{prefix}{daemon id}.yml`', () => {
    assert.equal(daemonOfFileName('rs-', 'rs-2816.yml'), '2816');
    assert.equal(daemonOfFileName('rs-', 'rs-web_1-a.yml'), 'web_1-a');
    assert.equal(daemonOfFileName('rs.', 'rs.2816.yml'), '2816');
    const foreign = [
      'traefik.yml', 'other-2816.yml', 'rs-notes.txt', 'rs-2816.yaml', 'rs-2816.YML', 'rs-2816.yml.3735928559',
      'rs-.yml', 'rs-Web.yml', 'rs--x.yml', 'rs-a.b.yml', 'RS-2816.yml', `rs-${'x'.repeat(64)}.yml`, 'rs-2816.yml~',
    ];
    for (const name of foreign) assert.equal(daemonOfFileName('rs-', name), null, name);
  });

  it('builds the name and refuses ids discovery cannot produce', () => {
    assert.equal(fragmentFileName('rs-', '2816'), 'rs-2816.yml');
    assert.equal(isDaemonId('x'.repeat(63)), true);
    assert.throws(() => fragmentFileName('rs-', '../x'), {
      name: 'TypeError',
      message: 'Expected a daemon id matching [a-z0-9][a-z0-9_-]{0,62}, got "../x"',
    });
  });

  it('accepts only prefixes that stay inside the directory and claim something specific', () => {
    for (const prefix of ['rs-', 'route-server.', 'A_b-9', 'x'.repeat(128)]) assert.equal(prefixProblem(prefix), null, prefix);
    assert.equal(prefixProblem(''), 'to be a non-empty string of [A-Za-z0-9._-]');
    assert.equal(prefixProblem('a/b'), 'to be a non-empty string of [A-Za-z0-9._-]');
    assert.equal(prefixProblem('rs '), 'to be a non-empty string of [A-Za-z0-9._-]');
    assert.equal(prefixProblem('x'.repeat(129)), 'to be at most 128 characters');
  });

  it('recognises only our own temp files as leftovers', () => {
    assert.equal(daemonOfTempName('rs-', 'rs-2816.yml.1849461462'), '2816');
    assert.equal(daemonOfTempName('rs-', 'rs-2816.yml.0'), '2816');
    const foreign = ['rs-2816.yml', 'rs-2816.yml.tmp', 'other-2816.yml.12', 'rs-2816.yaml.12', 'rs-Web.yml.12', 'rs-2816.yml.12345678901', 'traefik.yml.1'];
    for (const name of foreign) assert.equal(daemonOfTempName('rs-', name), null, name);
  });
});
