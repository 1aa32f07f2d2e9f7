import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { listedAddresses, networkHolders, NetworkHolderIndex } from './network-holders.ts';

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

test('the kept index of holders agrees with deciding every address again, over random changes of daemons and their containers', () => {
  const ids = ['1', '2', '10', '007', '7', 'alpha', 'beta'];
  const container = fc.tuple(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), fc.constantFrom('172.18.0.2', '172.18.0.3', '10.0.0.9', 'not-an-address'));
  const step = fc.dictionary(fc.constantFrom(...ids), fc.option(fc.array(container, { maxLength: 3 }), { nil: undefined }));
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), fc.boolean(), (steps, reversed) => {
      const index = new NetworkHolderIndex();
      const kept = new Map<string, DaemonSnapshot>();
      const listed = new WeakMap<DaemonSnapshot, ReturnType<typeof listedAddresses>>();
      for (const changes of steps) {
        // A daemon absent from the step is unchanged (the same snapshot); undefined removes it.
        for (const [id, containers] of Object.entries(changes)) {
          if (containers === undefined) kept.delete(id);
          else kept.set(id, daemon(id, containers));
        }
        const daemons = reversed ? [...kept.values()].reverse() : [...kept.values()];
        index.update(daemons, (d) => {
          let addresses = listed.get(d);
          if (addresses === undefined) listed.set(d, (addresses = listedAddresses(d)));
          return addresses;
        });
        assert.deepEqual(new Map([...index.holders].sort()), new Map([...networkHolders(daemons)].sort()));
      }
    }),
  );
});
