// `route-server run` end to end: real dockerd processes, real labelled containers, the real CLI in
// a child process writing real files, read the way Traefik would read them.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';

import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import { executeGoTemplate } from '../support/go-template.ts';
import { RouteServerProcess } from '../support/route-server-process.ts';
import { waitFor } from '../support/wait.ts';

const unavailable = daemonsUnavailableReason();
if (unavailable !== null) process.stderr.write(`\n!!! test/integration/run.test.ts cannot run: ${unavailable}\n\n`);

const WAIT = { timeoutMs: 30_000 };
let farm: DaemonFarm;
let a: DockerDaemon; // network 2816: 127.0.11.2 … .62
let b: DockerDaemon; // network 2880: 127.0.11.66 … .126
let work: string;
let out: string;
let server: RouteServerProcess | undefined;

function args(): string[] {
  return [
    '--sockets', join(farm.root, 'docker-*.sock'),
    '--out', out,
    '--state-dir', join(work, 'state'),
    '--base-domain', 'example.com',
    '--resync-interval', '5s',
  ];
}

/** A labelled busybox web server bound to a loopback IP on the host network. */
function web(daemon: DockerDaemon, name: string, ip: string, labels: Record<string, string>): Promise<string> {
  const flags = Object.entries({ 'rediacc.service_ip': ip, 'rediacc.network_id': daemon.id, ...labels }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return daemon.docker('run', '-d', '--init', '--network', 'host', '--name', name, ...flags, BUSYBOX_IMAGE, 'httpd', '-f', '-p', `${ip}:8080`);
}

/** The fragment as Traefik reads it: template pass, then YAML; undefined when there is none. */
function fragment(daemon: string): any {
  const path = join(out, `rs-${daemon}.yml`);
  if (!existsSync(path)) return undefined;
  return parseYaml(executeGoTemplate(readFileSync(path, 'utf8')));
}

function routers(daemon: string): Record<string, any> {
  return fragment(daemon)?.http?.routers ?? {};
}

describe('route-server run with real daemons', { concurrency: false }, () => {
  before(async () => {
    farm = await startDaemons(2);
    [a, b] = farm.daemons as [DockerDaemon, DockerDaemon];
    work = join(farm.root, 'run');
    out = join(work, 'out');
    mkdirSync(out, { recursive: true });
  });

  after(async () => {
    await server?.stop();
    await farm?.stop();
  });

  it('writes Tier 1 and Tier 2 routes into each daemon\'s own file, and leaves foreign files alone', async () => {
    writeFileSync(join(out, 'traefik.yml'), 'http: {}\n# operator file\n');
    writeFileSync(join(out, 'rs-notes.txt'), 'not ours\n');
    const foreign = ['traefik.yml', 'rs-notes.txt'].map((f) => ({ f, text: readFileSync(join(out, f), 'utf8'), mtime: statSync(join(out, f)).mtimeMs }));

    await web(a, 'shop', '127.0.11.2', {
      'traefik.enable': 'true',
      'traefik.http.routers.shop.rule': 'Host(`shop.example.com`)',
      'traefik.http.routers.shop.entrypoints': 'websecure',
      'traefik.http.routers.shop.middlewares': 'shop-hsts',
      'traefik.http.middlewares.shop-hsts.headers.stsseconds': '31536000',
      'traefik.http.services.shop.loadbalancer.server.port': '8080',
    });
    await web(a, 'db', '127.0.11.3', { 'rediacc.service_name': 'db', 'rediacc.tcp_ports': '8080' });
    await web(b, 'api', '127.0.11.66', { 'rediacc.service_name': 'api', 'rediacc.service_port': '8080' });
    server = await RouteServerProcess.start(args());

    await waitFor(() => routers('2816')['shop-2816'] && routers('2816')['db-2816'] && routers('2880')['api-2880'], { what: 'all three routes on disk', ...WAIT });
    const shop = fragment('2816');
    assert.equal(shop.http.routers['shop-2816'].rule, 'Host(`shop.example.com`)');
    assert.deepEqual(shop.http.routers['shop-2816'].middlewares, ['shop-hsts-2816']);
    assert.deepEqual(shop.http.services['shop-2816'].loadBalancer.servers, [{ url: 'http://127.0.11.2:8080' }]);
    assert.equal(shop.http.routers['db-2816'].rule, 'Host(`db-2816.example.com`)');
    assert.deepEqual(shop.http.services['db-2816'].loadBalancer.servers, [{ url: 'http://127.0.11.3:8080' }]);
    assert.deepEqual(fragment('2880').http.services['api-2880'].loadBalancer.servers, [{ url: 'http://127.0.11.66:8080' }]);
    assert.equal(routers('2880')['shop-2816'], undefined, "one daemon's routes never land in another's file");
    // The backend really answers where the fragment says.
    const reply = await fetch('http://127.0.11.2:8080/');
    assert.ok(reply.status > 0);

    for (const { f, text, mtime } of foreign) {
      assert.equal(readFileSync(join(out, f), 'utf8'), text, `${f} untouched`);
      assert.equal(statSync(join(out, f)).mtimeMs, mtime, `${f} not rewritten`);
    }
  });

  it('removes a stopped container\'s route, and a daemon with nothing routable has no file', async () => {
    await a.docker('stop', '-t', '1', 'db');
    await waitFor(() => routers('2816')['shop-2816'] && !routers('2816')['db-2816'], { what: 'db route gone', ...WAIT });
    await b.docker('stop', '-t', '1', 'api');
    await waitFor(() => !existsSync(join(out, 'rs-2880.yml')), { what: 'rs-2880.yml removed', ...WAIT });
    await b.docker('start', 'api');
    await a.docker('start', 'db');
    await waitFor(() => routers('2880')['api-2880'] && routers('2816')['db-2816'], { what: 'routes back', ...WAIT });
  });

  it('keeps every file in place across a restart of route-server', async () => {
    const files = readdirSync(out).filter((f) => f.startsWith('rs-') && f.endsWith('.yml')).sort();
    assert.deepEqual(files, ['rs-2816.yml', 'rs-2880.yml']);
    const before = new Map(files.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    let missing = 0;
    let checks = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const f of files) {
          checks++;
          if (!existsSync(join(out, f))) missing++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    assert.equal(await server!.stop(), 0, 'clean exit on SIGTERM');
    for (const f of files) assert.ok(existsSync(join(out, f)), `${f} stays after shutdown`);
    server = await RouteServerProcess.start(args());
    await waitFor(() => server!.logged('discovery settled'), { what: 'the new process to settle', ...WAIT });
    await waitFor(() => server!.logs.some((l) => l.msg === 'route-server running'), { what: 'running', ...WAIT });
    watching = false;
    await watcher;
    assert.ok(checks > 100, `the directory was checked continuously (${checks} checks)`);
    assert.equal(missing, 0, 'no fragment disappeared, even for a moment');
    for (const f of files) assert.equal(readFileSync(join(out, f), 'utf8'), before.get(f), `${f} unchanged by the restart`);
  });

  it('never shows a reader a partial or invalid file, even when killed with SIGKILL in a burst', async () => {
    let reads = 0;
    const bad: string[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        for (const f of readdirSync(out)) {
          if (!/\.ya?ml$/.test(f)) continue;
          let text = '';
          try {
            text = readFileSync(join(out, f), 'utf8');
          } catch {
            continue; // removed between readdir and read: fine
          }
          reads++;
          try {
            const parsed = parseYaml(executeGoTemplate(text));
            if (f.startsWith('rs-') && (typeof parsed !== 'object' || parsed === null || !parsed.http)) bad.push(`${f}: no http section`);
          } catch (error) {
            bad.push(`${f}: ${(error as Error).message}`);
          }
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const starts = [];
    for (let i = 0; i < 8; i++) {
      for (const [daemon, base] of [[a, 10], [b, 74]] as const) {
        starts.push(web(daemon, `burst-${i}`, `127.0.11.${base + i}`, { 'rediacc.service_name': `burst${i}` }));
      }
      if (i === 3) {
        await Promise.all(starts.splice(0));
        server!.kill('SIGKILL');
        await server!.exited();
      }
    }
    await Promise.all(starts);
    server = await RouteServerProcess.start(args());
    await waitFor(() => Object.keys(routers('2816')).filter((r) => r.startsWith('burst')).length === 8 && Object.keys(routers('2880')).filter((r) => r.startsWith('burst')).length === 8, {
      what: 'all 16 burst routes after the restart',
      ...WAIT,
    });
    reading = false;
    await reader;
    assert.ok(reads > 100, `the reader parsed files throughout (${reads} reads)`);
    assert.deepEqual(bad, []);
  });

  it("reserves the hosts of the operator's own files, subdirectories and TOML included, and never writes them", async () => {
    mkdirSync(join(out, 'ops'), { recursive: true });
    const toml = '[http.routers.dashboard]\nrule = "Host(`ops-dash.example.com`)"\nservice = "api@internal"\n';
    writeFileSync(join(out, 'ops', 'dashboard.toml'), toml);
    await web(a, 'ops', '127.0.11.30', {
      'traefik.enable': 'true',
      'traefik.http.routers.opsok.rule': 'Host(`ops-ok.example.com`)',
      'traefik.http.routers.opsdash.rule': 'Host(`ops-dash.example.com`)',
      'traefik.http.services.ops.loadbalancer.server.port': '8080',
    });
    await waitFor(() => routers('2816')['opsok-2816'], { what: 'the tenant router for its own host', ...WAIT });
    // The file and the container come moments apart: which route-server sees first is a race, so
    // wait for the refusal (it comes once both are seen), then check what the fragment holds.
    const refusal = await waitFor(
      async () => ((await server!.getJson('/routes.json?daemon=2816')).body.diagnostics as any[]).find((d) => d.code === 'host-reserved-operator'),
      { what: "the refusal of the operator's host", ...WAIT },
    );
    assert.match(refusal.message, /ops\/dashboard\.toml/);
    await waitFor(() => routers('2816')['opsdash-2816'] === undefined, { what: "the operator's host not in the tenant's fragment", ...WAIT });
    assert.ok(routers('2816')['opsok-2816'], "the tenant keeps its own host");
    assert.equal(readFileSync(join(out, 'ops', 'dashboard.toml'), 'utf8'), toml);
  });
});

