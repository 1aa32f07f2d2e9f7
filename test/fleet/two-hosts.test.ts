// Two fleet hosts end to end: two real Docker daemons, each watched by its own `route-server run`
// process (its own files and side server), publishing to one real redis-server. The edge's view is
// every key under the root, decoded with Traefik's KV rules and checked against Traefik's schema.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import { executeGoTemplate } from '../support/go-template.ts';
import { decodeKv } from '../support/kv-decode.ts';
import { listTree, RedisServer, redisUnavailableReason } from '../support/redis-server.ts';
import { RouteServerProcess } from '../support/route-server-process.ts';
import { validateDynamicConfig } from '../support/traefik-schema.ts';
import { waitFor } from '../support/wait.ts';

const unavailable = daemonsUnavailableReason() ?? redisUnavailableReason();
if (unavailable !== null) process.stderr.write(`\n!!! test/fleet/two-hosts.test.ts cannot run: ${unavailable}\n\n`);

const WAIT = { timeoutMs: 30_000 };
let farm: DaemonFarm;
let redis: RedisServer;
let client: Redis;
const hosts = new Map<string, { daemon: DockerDaemon; server: RouteServerProcess; out: string }>();

async function startHost(name: string, daemon: DockerDaemon, address: string): Promise<void> {
  const work = join(farm.root, name);
  const out = join(work, 'out');
  mkdirSync(out, { recursive: true });
  const server = await RouteServerProcess.start([
    '--sockets', '',
    '--docker-host', `${daemon.id}=unix://${daemon.socket}`,
    '--out', out,
    '--state-dir', join(work, 'state'),
    '--fleet-redis', redis.url,
    '--fleet-name', name,
    '--fleet-address', address,
  ]);
  hosts.set(name, { daemon, server, out });
}

function host(name: string) {
  return hosts.get(name) as { daemon: DockerDaemon; server: RouteServerProcess; out: string };
}

/** A busybox web server with an HTTPS router for `name` on websecure. */
function site(daemon: DockerDaemon, container: string, ip: string, name: string): Promise<string> {
  const labels = {
    'rediacc.service_ip': ip,
    'rediacc.network_id': daemon.id,
    'traefik.enable': 'true',
    [`traefik.http.routers.${container}.rule`]: `Host(\`${name}\`)`,
    [`traefik.http.routers.${container}.entrypoints`]: 'websecure',
    [`traefik.http.routers.${container}.tls`]: 'true',
    [`traefik.http.services.${container}.loadbalancer.server.port`]: '8080',
  };
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return daemon.docker('run', '-d', '--init', '--network', 'host', '--name', container, ...flags, BUSYBOX_IMAGE, 'httpd', '-f', '-p', `${ip}:8080`);
}

async function edge(): Promise<any> {
  const config = decodeKv(await listTree(client, 'traefik'), 'traefik');
  assert.deepEqual(validateDynamicConfig(config), [], "the edge configuration violates Traefik's schema");
  return config;
}

async function edgeRouters(): Promise<Record<string, any>> {
  return (await edge()).tcp?.routers ?? {};
}

function localRouters(name: string): Record<string, any> {
  const { out, daemon } = host(name);
  const path = join(out, `rs-${daemon.id}.yml`);
  return existsSync(path) ? (parseYaml(executeGoTemplate(readFileSync(path, 'utf8')))?.http?.routers ?? {}) : {};
}

describe('two fleet hosts with real daemons and a real Redis', { concurrency: false, skip: unavailable ?? false }, () => {
  before(async () => {
    redis = await RedisServer.start();
    client = redis.client();
    farm = await startDaemons(2);
    const [a, b] = farm.daemons as [DockerDaemon, DockerDaemon];
    await startHost('host-a', a, '192.0.2.10');
    await startHost('host-b', b, '192.0.2.20');
  });

  after(async () => {
    for (const { server } of hosts.values()) await server.stop();
    client?.disconnect();
    await redis?.close();
    await farm?.stop();
  });

  it("publishes a host's HTTPS name as a passthrough router to that host", async () => {
    await site(host('host-a').daemon, 'shop', '127.0.11.2', 'shop.example.com');
    const routers = await waitFor(async () => {
      const found = await edgeRouters();
      return found['host-a.shop.example.com'] ? found : undefined;
    }, { what: 'the edge to route shop.example.com', ...WAIT });
    assert.deepEqual(routers['host-a.shop.example.com'], { entryPoints: ['websecure'], rule: 'HostSNI(`shop.example.com`)', service: 'host-a', tls: { passthrough: true } });
    assert.deepEqual((await edge()).tcp.services['host-a'], { loadBalancer: { servers: [{ address: '192.0.2.10:443' }] } });
    const health = await host('host-a').server.getJson('/health');
    assert.equal(health.body.fleet.link, 'connected');
    assert.deepEqual(health.body.fleet.published, ['shop.example.com']);
  });

  it('two hosts claim one name: only the older is published, the younger reports it in /routes.json and /health', async () => {
    await site(host('host-b').daemon, 'shop', '127.0.11.66', 'shop.example.com');
    const routes = await waitFor(async () => {
      const report = (await host('host-b').server.getJson('/routes.json')).body;
      return report.fleet?.refused?.length > 0 ? report : undefined;
    }, { what: 'host-b to report shop.example.com refused', ...WAIT });
    assert.deepEqual(routes.fleet.refused.map((r: any) => [r.name, r.state, r.heldBy]), [['shop.example.com', 'refused', 'host-a']]);
    assert.match(routes.fleet.refused[0].message, /host-a/);
    const health = (await host('host-b').server.getJson('/health')).body;
    assert.deepEqual(health.fleet.refused.map((r: any) => r.name), ['shop.example.com']);
    // Locally host-b still routes it (its own Traefik terminates TLS); only the edge is decided. The
    // file and the fleet are written side by side, so the refusal may be reported before the file lands.
    await waitFor(async () => localRouters('host-b')['shop-2880'] !== undefined, { what: "host-b's own file to route shop", ...WAIT });
    assert.deepEqual(Object.keys(await edgeRouters()).sort(), ['host-a.shop.example.com']);
  });

  it('the repository moves from host A to host B and the edge follows within 10 s', async () => {
    await host('host-a').daemon.docker('rm', '-f', 'shop');
    const removed = Date.now();
    await waitFor(async () => {
      const routers = await edgeRouters();
      return routers['host-b.shop.example.com'] && !routers['host-a.shop.example.com'];
    }, { what: 'the edge to route shop.example.com to host-b', ...WAIT });
    assert.ok(Date.now() - removed < 10_000, `the edge followed after ${Date.now() - removed} ms`);
    assert.deepEqual((await edge()).tcp.services['host-b'], { loadBalancer: { servers: [{ address: '192.0.2.20:443' }] } });
    assert.equal((await edge()).tcp.services['host-a'], undefined, 'host-a routes no name: its service is gone too');
  });

  it('Redis down: local files keep changing, /health says degraded (not failing); Redis back empty: the edge is filled again', async () => {
    await redis.stop();
    await site(host('host-a').daemon, 'blog', '127.0.11.3', 'blog.example.com');
    await waitFor(() => localRouters('host-a')['blog-2816'], { what: "host-a's file to get the new router while Redis is down", ...WAIT });
    const health = await waitFor(async () => {
      const reply = await host('host-a').server.getJson('/health');
      return reply.body.fleet.link !== 'connected' ? reply : undefined;
    }, { what: '/health to show the fleet link down', ...WAIT });
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'degraded');
    assert.ok(health.body.reasons.some((r: string) => r.startsWith('fleet redis://')));

    await redis.restartEmpty();
    const routers = await waitFor(async () => {
      const found = await edgeRouters().catch(() => ({}) as Record<string, any>);
      return found['host-a.blog.example.com'] && found['host-b.shop.example.com'] ? found : undefined;
    }, { what: 'both hosts to fill the empty Redis again', ...WAIT });
    assert.deepEqual(Object.keys(routers).sort(), ['host-a.blog.example.com', 'host-b.shop.example.com']);
  });
});
