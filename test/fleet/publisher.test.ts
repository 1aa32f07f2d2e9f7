// The fleet publisher against a real redis-server (no Docker): the keys decode, with Traefik's KV
// rules, into the edge configuration; ownership across hosts; leases; Redis faults.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { decodeKv } from '../support/kv-decode.ts';
import { listTree, RedisServer, redisUnavailableReason } from '../support/redis-server.ts';
import { simulatedHost, type SimulatedHost } from '../support/fleet-hosts.ts';
import { validateDynamicConfig } from '../support/traefik-schema.ts';
import { waitFor } from '../support/wait.ts';

const unavailable = redisUnavailableReason();
if (unavailable !== null) process.stderr.write(`\n!!! test/fleet/publisher.test.ts cannot run: ${unavailable}\n\n`);

let redis: RedisServer;
let client: Redis;
const hosts: SimulatedHost[] = [];

async function host(name: string, address: string, leaseMs?: number): Promise<SimulatedHost> {
  const created = await simulatedHost(redis.url, name, address, leaseMs);
  hosts.push(created);
  return created;
}

/** The edge's view: every key under the root, decoded as Traefik decodes it, schema-checked. */
async function edge(): Promise<any> {
  const config = decodeKv(await listTree(client, 'traefik'), 'traefik');
  assert.deepEqual(validateDynamicConfig(config), [], 'the edge configuration violates Traefik\'s schema');
  return config;
}

async function edgeRouters(): Promise<Record<string, any>> {
  return (await edge()).tcp?.routers ?? {};
}

describe('fleet publisher with a real Redis', { concurrency: false, skip: unavailable ?? false }, () => {
  before(async () => {
    redis = await RedisServer.start();
    client = redis.client();
  });

  after(async () => {
    for (const h of hosts) await h.publisher.stop();
    client?.disconnect();
    await redis?.close();
  });

  it('publishes each HTTPS name as a passthrough TCP router to the host, in keys Traefik decodes', async () => {
    const a = await host('host-a', '192.0.2.10');
    await a.serve(['shop.example.com', 'api.example.com']);
    const config = await edge();
    assert.deepEqual(config.tcp, {
      routers: {
        'host-a.api.example.com': { entryPoints: ['websecure'], rule: 'HostSNI(`api.example.com`)', service: 'host-a', tls: { passthrough: true } },
        'host-a.shop.example.com': { entryPoints: ['websecure'], rule: 'HostSNI(`shop.example.com`)', service: 'host-a', tls: { passthrough: true } },
      },
      services: { 'host-a': { loadBalancer: { servers: [{ address: '192.0.2.10:443' }] } } },
    });
    // The sentinel keeps the tree from ever becoming empty (Traefik would keep stale routes).
    assert.ok(config.http.middlewares['route-server-fleet']);
    // Bookkeeping lives outside the root key, where Traefik never lists.
    const all = await client.keys('*');
    assert.ok(all.some((k) => k.startsWith('route-server-fleet/traefik/claims/')));
    assert.ok(all.filter((k) => !k.startsWith('route-server-fleet/')).every((k) => k.startsWith('traefik/')));
  });

  it('lease renewals and claims make no keyspace event that the edge Traefik listens to', async () => {
    const a = hosts[0] as SimulatedHost;
    const watcher = redis.client();
    let events = 0;
    watcher.on('pmessage', () => events++);
    // Traefik's Redis provider subscribes to exactly this pattern (a glob over the whole channel name).
    await watcher.psubscribe('__keyspace*:traefik*');
    const renewed = a.publisher.fleetStatus().lastSyncAt as number;
    await waitFor(() => (a.publisher.fleetStatus().lastSyncAt as number) > renewed, { what: 'a lease renewal', timeoutMs: 10_000 });
    await a.serve(['shop.example.com', 'api.example.com']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    watcher.disconnect();
    assert.equal(events, 0);
  });

  it('one change writes only the keys that changed, in one MULTI/EXEC', async () => {
    const a = hosts[0] as SimulatedHost;
    const before = a.publisher.fleetStatus();
    await a.serve(['shop.example.com', 'api.example.com', 'new.example.com']);
    const after = a.publisher.fleetStatus();
    assert.equal(after.updates - before.updates, 1);
    assert.equal(after.keysWritten - before.keysWritten, 4, 'one router: entryPoints/0, rule, service, tls/passthrough');
    await a.serve(['shop.example.com', 'api.example.com', 'new.example.com']);
    assert.equal(a.publisher.fleetStatus().updates, after.updates, 'nothing changed: nothing written');
    await a.serve(['shop.example.com', 'api.example.com']);
    assert.equal(Object.keys(await edgeRouters()).length, 2);
  });

  it('two hosts claim one name: only the older claim is published, the younger is refused and told by whom', async () => {
    const a = hosts[0] as SimulatedHost;
    const b = await host('host-b', '192.0.2.20');
    await b.serve(['shop.example.com', 'blog.example.com']);
    await a.publisher.settled();
    const routers = await edgeRouters();
    assert.deepEqual(Object.keys(routers).sort(), ['host-a.api.example.com', 'host-a.shop.example.com', 'host-b.blog.example.com']);
    const refused = b.publisher.fleetStatus().refused;
    assert.deepEqual(refused.map((r) => [r.name, r.state, r.heldBy]), [['shop.example.com', 'refused', 'host-a']]);
  });

  it('a name the older host stops routing is taken by the next claimant within 10 s', async () => {
    const [a, b] = hosts as [SimulatedHost, SimulatedHost];
    const started = Date.now();
    await a.serve(['api.example.com']);
    await waitFor(async () => (await edgeRouters())['host-b.shop.example.com'], { what: 'host-b to take shop.example.com', timeoutMs: 10_000 });
    assert.ok(Date.now() - started < 10_000);
    assert.equal((await edgeRouters())['host-a.shop.example.com'], undefined);
    assert.deepEqual(b.publisher.fleetStatus().refused, []);
    // The edge points the name at host-b now.
    assert.deepEqual((await edge()).tcp.services['host-b'], { loadBalancer: { servers: [{ address: '192.0.2.20:443' }] } });
  });

  it('a Redis restarted empty is filled again, and the older claims still win', async () => {
    const [a, b] = hosts as [SimulatedHost, SimulatedHost];
    await a.serve(['api.example.com', 'shop.example.com']); // b holds shop now: a waits behind it
    assert.deepEqual(a.publisher.fleetStatus().refused.map((r) => [r.name, r.heldBy]), [['shop.example.com', 'host-b']]);
    const beforeRestart = await listTree(client, 'traefik');
    await redis.restartEmpty();
    await waitFor(async () => {
      const tree = await listTree(client, 'traefik').catch(() => new Map());
      return tree.size === beforeRestart.size && [...beforeRestart].every(([k, v]) => tree.get(k) === v);
    }, { what: 'every edge key back after the restart', timeoutMs: 15_000 });
    assert.ok((await edgeRouters())['host-b.shop.example.com'], 'host-b keeps shop.example.com: its claim is still the older one');
    assert.ok(b.publisher.fleetStatus().resyncs >= 2);
  });

  it('a frozen Redis never blocks the host; publishing resumes with a resync when it thaws', async () => {
    const a = hosts[0] as SimulatedHost;
    redis.freeze();
    try {
      const started = Date.now();
      await a.publisher.set('2880', null); // the sink call returns at once
      assert.ok(Date.now() - started < 1000);
      await waitFor(() => a.publisher.status().failing, { what: 'the fleet link to be reported failing', timeoutMs: 15_000 });
    } finally {
      redis.thaw();
    }
    await a.serve(['api.example.com', 'shop.example.com', 'late.example.com']);
    await waitFor(async () => (await edgeRouters())['host-a.late.example.com'], { what: 'publishing to resume', timeoutMs: 15_000 });
    await waitFor(() => !a.publisher.status().failing, { what: 'the link to recover', timeoutMs: 15_000 });
  });

  it('a host that stops renewing its lease is reaped: its names go to the next claimant and its keys are removed', async () => {
    const b = hosts[1] as SimulatedHost;
    const c = await host('host-c', '192.0.2.30', 1000);
    await c.serve(['solo.example.com']);
    await b.serve(['shop.example.com', 'blog.example.com', 'solo.example.com']);
    assert.deepEqual(b.publisher.fleetStatus().refused.map((r) => [r.name, r.heldBy]), [['solo.example.com', 'host-c']]);
    await c.publisher.stop(); // no release: as if the host died
    const started = Date.now();
    await waitFor(async () => (await edgeRouters())['host-b.solo.example.com'], { what: 'host-b to take solo.example.com', timeoutMs: 10_000 });
    assert.ok(Date.now() - started < 10_000);
    const config = await edge();
    assert.equal(config.tcp.routers['host-c.solo.example.com'], undefined);
    assert.equal(config.tcp.services['host-c'], undefined);
  });
});
