// The side HTTP server of a real `route-server run` over real daemons: what an operator sees after
// starts, stops, a bad label and a killed daemon.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import { RouteServerProcess } from '../support/route-server-process.ts';
import { waitFor } from '../support/wait.ts';

const unavailable = daemonsUnavailableReason();
if (unavailable !== null) process.stderr.write(`\n!!! test/integration/http.test.ts cannot run: ${unavailable}\n\n`);

const WAIT = { timeoutMs: 30_000 };
let farm: DaemonFarm;
let a: DockerDaemon;
let b: DockerDaemon;
let server: RouteServerProcess;

function run(daemon: DockerDaemon, name: string, labels: Record<string, string>): Promise<string> {
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return daemon.docker('run', '-d', '--init', '--network', 'host', '--name', name, ...flags, BUSYBOX_IMAGE, 'sleep', '1d');
}

async function routesJson(): Promise<any> {
  return (await server.getJson('/routes.json')).body;
}

describe('side HTTP server of route-server run', { concurrency: false }, () => {
  before(async () => {
    farm = await startDaemons(2);
    [a, b] = farm.daemons as [DockerDaemon, DockerDaemon];
    const work = join(farm.root, 'http');
    mkdirSync(work, { recursive: true });
    await run(a, 'web', { 'rediacc.service_name': 'web', 'rediacc.service_ip': '127.0.11.2', 'rediacc.tcp_ports': '8080' });
    await run(a, 'pg', {
      'rediacc.service_ip': '127.0.11.3',
      'traefik.enable': 'true',
      'traefik.tcp.routers.pg.rule': 'HostSNI(`*`)',
      'traefik.tcp.services.pg.loadbalancer.server.port': '5432',
    });
    await run(b, 'api', { 'rediacc.service_name': 'api', 'rediacc.service_ip': '127.0.11.66', 'rediacc.tcp_ports': '8080' });
    server = await RouteServerProcess.start([
      '--sockets', join(farm.root, 'docker-*.sock'),
      '--out', join(work, 'out'),
      '--state-dir', join(work, 'state'),
      '--base-domain', 'example.com',
    ]);
    await waitFor(async () => (await routesJson()).routers?.length === 3, { what: 'three routers in /routes.json', ...WAIT });
  });

  after(async () => {
    await server?.stop();
    await farm?.stop();
  });

  it('/health: ok, with every daemon connected and the routers it serves', async () => {
    // Routes are rendered before their files are written: wait for both files.
    const { status, type, body } = await waitFor(async () => {
      const health = await server.getJson('/health');
      return health.body.output.files.filter((f: any) => f.bytes > 0 && !f.pending).length === 2 ? health : undefined;
    }, { what: 'both fragments written', ...WAIT });
    assert.equal(status, 200);
    assert.match(type ?? '', /^application\/json/);
    assert.equal(body.status, 'ok');
    assert.equal(body.autoRoutes, true);
    assert.equal(body.baseDomain, 'example.com');
    assert.deepEqual(body.routers, { http: 2, tcp: 1, udp: 0, total: 3 });
    const daemons = Object.fromEntries(body.daemons.map((d: any) => [d.id, d]));
    assert.equal(daemons['2816'].state, 'connected');
    assert.equal(daemons['2816'].routers, 2);
    assert.equal(daemons['2816'].containers, 2);
    assert.equal(daemons['2880'].routers, 1);
    assert.deepEqual(body.output.files.map((f: any) => f.daemon).sort(), ['2816', '2880']);
  });

  it('/routes.json: each router with its rule, backends and origin; /ports: the allocated port', async () => {
    const routes = await routesJson();
    const web = routes.routers.find((r: any) => r.name === 'web-2816');
    assert.equal(web.rule, 'Host(`web-2816.example.com`)');
    assert.deepEqual(web.servers, ['http://127.0.11.2:8080']);
    assert.deepEqual(web.containers, ['web']);
    assert.equal(web.autoRoute, true);
    const pg = routes.routers.find((r: any) => r.name === 'pg-2816');
    assert.equal(pg.protocol, 'tcp');
    assert.deepEqual(pg.entryPoints, ['tcp-10000']);
    const ports = (await server.getJson('/ports')).body;
    assert.deepEqual(
      ports.tcp.allocations.map((p: any) => [p.port, p.entrypoint, p.daemon, p.router, p.backend]),
      [[10000, 'tcp-10000', '2816', 'pg-2816', '127.0.11.3:5432']],
    );
    assert.ok(!ports.tcp.free.includes(10000) && ports.tcp.free.includes(10001));
  });

  it('a bad label shows up as a diagnostic naming daemon, container and label; a stopped container leaves', async () => {
    await run(b, 'broken', { 'traefik.enable': 'true', 'rediacc.service_ip': '127.0.11.67', 'traefik.http.routers.x.rulez': 'Host(`x`)' });
    const diagnostic = await waitFor(async () => (await routesJson()).diagnostics.find((d: any) => d.container === 'broken'), { what: 'a diagnostic for broken', ...WAIT });
    assert.equal(diagnostic.daemon, '2880');
    assert.equal(diagnostic.code, 'label-decode');
    assert.equal(diagnostic.label, 'traefik.http.routers.x.rulez');
    await a.docker('stop', '-t', '1', 'web');
    await waitFor(async () => !(await routesJson()).routers.some((r: any) => r.name === 'web-2816'), { what: 'web-2816 gone', ...WAIT });
  });

  it('a killed daemon makes /health degraded and its file stale; it recovers when the daemon is back', async () => {
    b.kill('SIGKILL');
    const degraded = await waitFor(async () => {
      const health = await server.getJson('/health');
      return health.body.status === 'degraded' ? health : undefined;
    }, { what: '/health degraded', ...WAIT });
    assert.equal(degraded.status, 200);
    const daemon = degraded.body.daemons.find((d: any) => d.id === '2880');
    assert.notEqual(daemon.state, 'connected');
    assert.ok(daemon.lastError, 'the last error is shown');
    assert.ok(degraded.body.output.files.some((f: any) => f.daemon === '2880'), 'its last good file stays');
    const routes = await routesJson();
    assert.ok(routes.routers.some((r: any) => r.name === 'api-2880'), 'its routes are still served from the last good state');

    await b.restart();
    await waitFor(async () => (await server.getJson('/health')).body.status === 'ok', { what: '/health ok again', ...WAIT });
    const metrics = await (await fetch(server.url('/metrics'))).text();
    assert.match(metrics, /^route_server_reconnects_total\{daemon="2880"\} [1-9]/m);
    assert.match(metrics, /^route_server_renders_total [1-9]/m);
    assert.match(metrics, /^route_server_daemons\{state="connected"\} 2$/m);
  });

  it('unknown paths are 404, other methods 405, both JSON', async () => {
    const missing = await fetch(server.url('/nope'));
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^application\/json/);
    const post = await fetch(server.url('/health'), { method: 'POST' });
    assert.equal(post.status, 405);
    assert.match(post.headers.get('allow') ?? '', /GET/);
  });
});
