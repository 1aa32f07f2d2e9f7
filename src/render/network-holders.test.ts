import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { networkHolders } from './network-holders.ts';

function daemon(id: string, containers: Array<[created: number | null, address: string]>): DaemonSnapshot {
  return {
    id,
    socket: `/run/docker-${id}.sock`,
    containers: containers.map(([created, address], i): ContainerSnapshot => ({
      id: `${id}${i}`,
      name: `${id}${i}`,
      created,
      labels: {},
      state: 'running',
      health: null,
      ports: [],
      networkMode: 'net',
      networks: { net: address },
    })),
  };
}

test('a bridge address listed by several daemons is held by the oldest container; unknown age never wins', () => {
  const holders = networkHolders([
    daemon('beta', [[100, '172.18.0.2'], [null, '172.18.0.3'], [300, '172.18.0.4'], [null, '172.18.0.5']]),
    daemon('alpha', [[200, '172.18.0.2'], [50, '172.18.0.3'], [300, '172.18.0.4'], [null, '172.18.0.5'], [null, '10.0.0.9']]),
  ]);
  assert.equal(holders.get('172.18.0.2'), 'beta');
  assert.equal(holders.get('172.18.0.3'), 'alpha');
  assert.equal(holders.get('172.18.0.4'), 'alpha', 'same age: the lower daemon id');
  assert.equal(holders.has('172.18.0.5'), false, 'nobody of known age: nobody holds it');
  assert.equal(holders.get('10.0.0.9'), 'alpha', 'an address only one daemon lists is its own, whatever its age');
});
