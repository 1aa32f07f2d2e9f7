import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { silentLogger } from '../model/logger.ts';
import { DISCOVERY_DEFAULTS, resolveDiscoveryOptions, type DiscoveryOptions } from './discovery-options.ts';

const BASE: DiscoveryOptions = {
  sockets: '/var/run/rediacc/docker-*.sock',
  dockerHosts: [],
  resyncIntervalMs: 60_000,
  debounceMinMs: 100,
  debounceMaxMs: 1000,
};

describe('resolveDiscoveryOptions', () => {
  it('fills defaults and parses the glob and hosts', () => {
    const resolved = resolveDiscoveryOptions({ ...BASE, dockerHosts: [{ id: 'edge', url: 'tcp://127.0.0.1:2375' }] });
    assert.equal(resolved.pattern?.directory, '/var/run/rediacc');
    assert.deepEqual(
      resolved.endpoints.map((e) => e.id),
      ['edge'],
    );
    assert.equal(resolved.backoffInitialMs, DISCOVERY_DEFAULTS.backoffInitialMs);
    assert.equal(resolved.backoffMaxMs, DISCOVERY_DEFAULTS.backoffMaxMs);
    assert.equal(resolved.requestTimeoutMs, DISCOVERY_DEFAULTS.requestTimeoutMs);
    assert.equal(resolved.heartbeatIntervalMs, DISCOVERY_DEFAULTS.heartbeatIntervalMs);
    assert.equal(resolved.logger, silentLogger);
  });

  it('takes an empty glob as "no socket directory"', () => {
    assert.equal(resolveDiscoveryOptions({ ...BASE, sockets: '' }).pattern, null);
  });

  it('validates numbers with exact messages', () => {
    const cases: [Partial<DiscoveryOptions>, string][] = [
      [{ debounceMinMs: -1 }, 'Expected `debounceMinMs` to be a finite number >= 0, got -1'],
      [{ debounceMaxMs: Number.POSITIVE_INFINITY }, 'Expected `debounceMaxMs` to be a finite number >= 0, got Infinity'],
      [{ debounceMinMs: 500, debounceMaxMs: 100 }, 'Expected `debounceMaxMs` to be >= `debounceMinMs` (500), got 100'],
      [{ resyncIntervalMs: Number.NaN }, 'Expected `resyncIntervalMs` to be a finite number >= 0, got NaN'],
      [{ resyncIntervalMs: 2 ** 31 }, 'Expected `resyncIntervalMs` to be at most 2147483647 (about 24.8 days), got 2147483648'],
      [{ requestTimeoutMs: 0 }, 'Expected `requestTimeoutMs` to be a finite number > 0, got 0'],
      [{ backoffInitialMs: 0 }, 'Expected `backoffInitialMs` to be a finite number > 0, got 0'],
      [{ backoffInitialMs: 1000, backoffMaxMs: 10 }, 'Expected `backoffMaxMs` to be >= `backoffInitialMs` (1000), got 10'],
      [{ heartbeatIntervalMs: '5' as unknown as number }, 'Expected `heartbeatIntervalMs` to be a finite number > 0, got 5'],
    ];
    for (const [patch, message] of cases) {
      assert.throws(() => resolveDiscoveryOptions({ ...BASE, ...patch }), { message }, message);
    }
  });

  it('validates sockets and hosts', () => {
    assert.throws(() => resolveDiscoveryOptions({ ...BASE, sockets: 'docker-*.sock' }), /Expected `sockets` to be an absolute path/);
    assert.throws(() => resolveDiscoveryOptions({ ...BASE, dockerHosts: [{ id: 'a', url: 'http://x' }] }), {
      message: 'Expected the URL of docker host "a" to be unix:///absolute/path or tcp://host:port, got "http://x"',
    });
    assert.throws(
      () =>
        resolveDiscoveryOptions({
          ...BASE,
          dockerHosts: [
            { id: 'a', url: 'unix:///x' },
            { id: 'a', url: 'unix:///y' },
          ],
        }),
      { message: 'Expected `dockerHosts` to have unique ids, got "a" twice' },
    );
  });
});
