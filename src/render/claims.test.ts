import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSnapshot } from '../model/snapshot.ts';
import { reservedFor, resolveClaims } from './claims.ts';
import type { RouterClaim } from './router-rules.ts';

function claim(name: string, host: string, created: number | null): RouterClaim {
  const origin = { name, created } as ContainerSnapshot;
  return { section: 'http.routers', name, resource: { value: {}, origins: [origin], autoRoute: false }, hosts: [host], entrypoints: ['websecure'], needsPort: false, whole: false };
}

const refused = (outcome: ReturnType<typeof resolveClaims>) => outcome.refusals.map((r) => `${r.tenantId}: ${r.reason}`);

test('a host contested by containers of unknown age goes to none of them', () => {
  const outcome = resolveClaims(
    [
      { tenantId: '2816', claims: [claim('a', 'shop.example.com', null)] },
      { tenantId: '2880', claims: [claim('b', 'shop.example.com', null)] },
    ],
    'example.com',
  );
  assert.deepEqual(refused(outcome), [
    "2816: host shop.example.com is also claimed by daemon 2880 and this container's creation time is unknown",
    "2880: host shop.example.com is also claimed by daemon 2816 and this container's creation time is unknown",
  ]);
  assert.equal(outcome.ownedHosts.size, 0);
});

test('a container of unknown age keeps a host nobody else claims, and loses one an older container claims', () => {
  const outcome = resolveClaims(
    [
      { tenantId: '2816', claims: [claim('a', 'shop.example.com', null), claim('c', 'own.example.com', null)] },
      { tenantId: '2880', claims: [claim('b', 'shop.example.com', 5)] },
    ],
    'example.com',
  );
  assert.deepEqual(refused(outcome), ['2816: host shop.example.com belongs to daemon 2880 (router b of container b; this container\'s creation time is unknown)']);
  assert.deepEqual([...(outcome.ownedHosts.get('2816') ?? [])], ['own.example.com']);
});

test('an auto-route host is reserved for the daemon whose id ends its label, whatever else the label holds', () => {
  const ids = new Set(['web', 'b-c']);
  assert.deepEqual(reservedFor('shop-2816.example.com', 'example.com', ids), ['2816']);
  assert.deepEqual(reservedFor('x-b-c.example.com', 'example.com', ids), ['b-c']);
  assert.deepEqual(reservedFor('-2816.example.com', 'example.com', ids), ['2816']);
  for (const host of ['shop.example.com', 'a.shop-2816.example.com', 'shop-2816.example.org', 'shop-.example.com']) {
    assert.deepEqual(reservedFor(host, 'example.com', ids), [], host);
  }
});
