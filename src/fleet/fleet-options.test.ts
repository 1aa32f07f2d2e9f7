import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFleetOptions, parseFleetRedis } from './fleet-options.ts';

const base = { redis: 'redis://127.0.0.1:6379', name: 'host-a', address: '192.0.2.10', entrypoint: undefined, rootKey: undefined, leaseMs: undefined };

test('parseFleetRedis: plain, TLS, credentials, database, Sentinel', () => {
  assert.deepEqual(parseFleetRedis('redis://10.0.0.5'), { endpoints: ['10.0.0.5:6379'], tls: false, username: undefined, password: undefined, db: 0, sentinelMaster: undefined, display: 'redis://10.0.0.5' });
  const tls = parseFleetRedis('rediss://edge:s3cr%40t@redis.example.com:6380/2');
  assert.deepEqual([tls.endpoints, tls.tls, tls.username, tls.password, tls.db, tls.display], [['redis.example.com:6380'], true, 'edge', 's3cr@t', 2, 'rediss://edge:***@redis.example.com:6380/2']);
  const sentinel = parseFleetRedis('redis-sentinel://10.0.0.1,10.0.0.2:26380/mymaster/1');
  assert.deepEqual([sentinel.endpoints, sentinel.sentinelMaster, sentinel.db], [['10.0.0.1:26379', '10.0.0.2:26380'], 'mymaster', 1]);
});

test('parseFleetRedis: mistakes name the option', () => {
  for (const bad of ['http://x', 'redis://a:1,b:2', 'redis-sentinel://a:1', 'redis://host:99999', 'redis://host/db']) {
    assert.throws(() => parseFleetRedis(bad), /^TypeError: Expected `--fleet-redis`/, bad);
  }
});

test('parseFleetOptions: defaults, and the address gets port 443', () => {
  const options = parseFleetOptions(base);
  assert.deepEqual([options?.address, options?.entrypoint, options?.rootKey, options?.leaseMs], ['192.0.2.10:443', 'websecure', 'traefik', 6000]);
  assert.equal(parseFleetOptions({ ...base, address: '2001:db8::7' })?.address, '[2001:db8::7]:443');
  assert.equal(parseFleetOptions({ ...base, address: 'Host-A.Example.com' })?.address, 'host-a.example.com:443');
});

test('parseFleetOptions: without --fleet-redis there is no fleet, and its other options alone are a mistake', () => {
  assert.equal(parseFleetOptions({ ...base, redis: undefined, name: undefined, address: undefined }), undefined);
  assert.throws(() => parseFleetOptions({ ...base, redis: undefined }), /--fleet-redis/);
});

test('parseFleetOptions: a fleet name Traefik would merge or read as an index is refused', () => {
  for (const name of ['Host-A', 'host.a', '2816', '', '-a', 'a/b']) {
    assert.throws(() => parseFleetOptions({ ...base, name }), /--fleet-name/, name);
  }
});

test('parseFleetOptions: a root key Traefik would not match, or one that covers the bookkeeping keys, is refused', () => {
  for (const rootKey of ['/traefik', 'a/b', 'route', 'route-server-fleet', '']) {
    assert.throws(() => parseFleetOptions({ ...base, rootKey }), /--fleet-root-key/, rootKey);
  }
  assert.equal(parseFleetOptions({ ...base, rootKey: 'edge' })?.rootKey, 'edge');
});

test('parseFleetOptions: an address must be an IP or a host name, a lease between 1s and 60s', () => {
  assert.throws(() => parseFleetOptions({ ...base, address: '' }), /--fleet-address/);
  assert.throws(() => parseFleetOptions({ ...base, address: '10.0.0.1:443' }), /--fleet-address/);
  assert.throws(() => parseFleetOptions({ ...base, leaseMs: 500 }), /--fleet-lease/);
});
