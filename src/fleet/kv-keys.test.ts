import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffKeys, edgeKeys, routerName } from './kv-keys.ts';

const options = { name: 'host-a', address: '192.0.2.10:443', entrypoint: 'websecure', rootKey: 'traefik' };

test('edgeKeys: a passthrough TCP router per name, one service per host, keys as Traefik spells them', () => {
  assert.deepEqual([...edgeKeys(options, ['shop.example.com'])], [
    ['traefik/tcp/routers/host-a.shop.example.com/entryPoints/0', 'websecure'],
    ['traefik/tcp/routers/host-a.shop.example.com/rule', 'HostSNI(`shop.example.com`)'],
    ['traefik/tcp/routers/host-a.shop.example.com/service', 'host-a'],
    ['traefik/tcp/routers/host-a.shop.example.com/tls/passthrough', 'true'],
    ['traefik/tcp/services/host-a/loadBalancer/servers/0/address', '192.0.2.10:443'],
  ]);
});

test('edgeKeys: no names, no keys (not even the service)', () => {
  assert.equal(edgeKeys(options, []).size, 0);
});

test('edgeKeys: values are never template-escaped, and the root key is used as given', () => {
  const keys = edgeKeys({ ...options, rootKey: 'edge', entrypoint: 'tls-in' }, ['a.example.com']);
  assert.equal(keys.get('edge/tcp/routers/host-a.a.example.com/entryPoints/0'), 'tls-in');
  assert.ok([...keys.values()].every((value) => !value.includes('{{')));
});

test('routerName: the fleet name (no dot) then the host name, so two hosts never share an element', () => {
  assert.equal(routerName('a', 'b-c.example.com'), 'a.b-c.example.com');
  assert.notEqual(routerName('a-b', 'c.example.com'), routerName('a', 'b-c.example.com'));
});

test('diffKeys: only keys that changed are set, keys no longer wanted are deleted', () => {
  const known = new Map([
    ['k/keep', '1'],
    ['k/change', 'old'],
    ['k/gone', 'x'],
  ]);
  const desired = new Map([
    ['k/keep', '1'],
    ['k/change', 'new'],
    ['k/added', 'y'],
  ]);
  assert.deepEqual(diffKeys(known, desired), {
    del: ['k/gone'],
    set: [
      ['k/change', 'new'],
      ['k/added', 'y'],
    ],
  });
  assert.deepEqual(diffKeys(desired, desired), { del: [], set: [] });
});

test('diffKeys: one more name on a host that has names writes that router only', () => {
  const before = edgeKeys(options, ['a.example.com']);
  const after = edgeKeys(options, ['a.example.com', 'b.example.com']);
  const diff = diffKeys(before, after);
  assert.equal(diff.del.length, 0);
  assert.deepEqual(diff.set.map(([key]) => key.split('/').slice(3).join('/')), ['host-a.b.example.com/entryPoints/0', 'host-a.b.example.com/rule', 'host-a.b.example.com/service', 'host-a.b.example.com/tls/passthrough']);
});
