// One host description for `static` and `run`, over real daemons: a router on an entrypoint the
// host's Traefik lacks gets a warning naming the setting that adds it, and /traefik.yml (read as
// Traefik's HTTP provider reads it: YAML, no template pass) is the union of the fragment files
// (read as the file provider reads them: template pass, then YAML).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import { executeGoTemplate } from '../support/go-template.ts';
import { RouteServerProcess } from '../support/route-server-process.ts';
import { waitFor } from '../support/wait.ts';

const unavailable = daemonsUnavailableReason();
if (unavailable !== null) process.stderr.write(`\n!!! test/integration/infra.test.ts cannot run: ${unavailable}\n\n`);

const BIN = fileURLToPath(new URL('../../bin/route-server.js', import.meta.url));
const WAIT = { timeoutMs: 30_000 };
let farm: DaemonFarm;
let a: DockerDaemon;
let b: DockerDaemon;
let work: string;
let out: string;
let server: RouteServerProcess | undefined;

function run(daemon: DockerDaemon, name: string, labels: Record<string, string>): Promise<string> {
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return daemon.docker('run', '-d', '--init', '--network', 'host', '--name', name, ...flags, BUSYBOX_IMAGE, 'sleep', '1d');
}

/** The host file both commands read; `sockets`, `out` and `state-dir` are keys only `run` takes. */
function writeHostFile(tcpPorts: number[]): string {
  const path = join(work, 'host.yml');
  writeFileSync(
    path,
    [
      'public-ipv4: 203.0.113.50',
      'cert-email: admin@example.com',
      'base-domain: example.com',
      `tcp-ports: [${tcpPorts.join(', ')}]`,
      `sockets: ${join(farm.root, 'docker-*.sock')}`,
      `out: ${out}`,
      `state-dir: ${join(work, 'state')}`,
      '',
    ].join('\n'),
  );
  return path;
}

async function diagnostics(): Promise<any[]> {
  return (await server!.getJson('/routes.json')).body.diagnostics;
}

/** Every fragment file as Traefik's file provider reads it, merged by section as Traefik merges providers' maps. */
function unionOfFiles(): Record<string, Record<string, Record<string, unknown>>> {
  const union: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const file of readdirSync(out).filter((f) => f.startsWith('rs-') && f.endsWith('.yml')).sort()) {
    const config = parseYaml(executeGoTemplate(readFileSync(join(out, file), 'utf8'))) as Record<string, Record<string, Record<string, unknown>>>;
    for (const [top, kinds] of Object.entries(config)) {
      for (const [kind, map] of Object.entries(kinds)) Object.assign(((union[top] ??= {})[kind] ??= {}), map);
    }
  }
  return union;
}

describe('infra options with real daemons', { concurrency: false }, () => {
  before(async () => {
    farm = await startDaemons(2);
    [a, b] = farm.daemons as [DockerDaemon, DockerDaemon];
    work = join(farm.root, 'infra');
    out = join(work, 'out');
    mkdirSync(out, { recursive: true });
    await run(a, 'mail', {
      'rediacc.service_ip': '127.0.11.2',
      'traefik.enable': 'true',
      'traefik.tcp.routers.smtp.rule': 'HostSNI(`*`)',
      'traefik.tcp.routers.smtp.entrypoints': 'tcp-25',
      'traefik.tcp.services.smtp.loadbalancer.server.port': '25',
    });
    await run(b, 'api', {
      'rediacc.service_name': 'api',
      'rediacc.service_ip': '127.0.11.66',
      'rediacc.service_port': '8080',
      'traefik.enable': 'true',
      'traefik.http.routers.api.rule': 'Host(`api.example.com`)',
      'traefik.http.routers.api.middlewares': 'tpl',
      'traefik.http.middlewares.tpl.headers.customresponseheaders.X-Literal': '{{ .Never }} }}',
      'traefik.http.services.api.loadbalancer.server.port': '8080',
    });
  });

  after(async () => {
    await server?.stop();
    await farm?.stop();
  });

  it('without 25 in --tcp-ports, the tcp-25 router is written with a warning naming the setting', async () => {
    server = await RouteServerProcess.start(['--config', writeHostFile([587])]);
    await waitFor(async () => (await diagnostics()).some((d) => d.code === 'entrypoint-unknown'), { what: 'entrypoint-unknown diagnostic', ...WAIT });
    const warning = (await diagnostics()).filter((d) => d.code === 'entrypoint-unknown');
    assert.deepEqual(warning, [
      {
        daemon: '2816',
        container: 'mail',
        severity: 'warning',
        code: 'entrypoint-unknown',
        label: 'traefik.tcp.routers.smtp.entrypoints',
        message: "tcp router smtp-2816 is written, but this host's Traefik has no entrypoint tcp-25 (add 25 to --tcp-ports)",
      },
    ]);
    // /routes.json shows a render as soon as it is done; its file is written right after.
    const text = await waitFor(() => (existsSync(join(out, 'rs-2816.yml')) ? readFileSync(join(out, 'rs-2816.yml'), 'utf8') : ''), { what: 'rs-2816.yml', ...WAIT });
    const file = parseYaml(executeGoTemplate(text));
    assert.deepEqual(file.tcp.routers['smtp-2816'].entryPoints, ['tcp-25']);
    const ports = (await server.getJson('/ports')).body;
    assert.ok(ports.entrypoints.includes('tcp-587') && !ports.entrypoints.includes('tcp-25'));
    assert.ok(!ports.entrypoints.includes('websecure-v6'), 'no IPv6 set: no websecure-v6');
  });

  it('/traefik.yml read as YAML with no template pass is the union of the fragment files', async () => {
    await waitFor(() => readdirSync(out).includes('rs-2880.yml'), { what: 'rs-2880.yml', ...WAIT });
    const response = await fetch(server!.url('/traefik.yml'));
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /\{\{ \.Never \}\} \}\}/, 'not template-escaped');
    assert.deepEqual(parseYaml(text), unionOfFiles());
    assert.equal(unionOfFiles()['http']?.['middlewares']?.['tpl-2880'] !== undefined, true);
    const json = await server!.getJson('/traefik.json');
    assert.deepEqual(json.body, unionOfFiles());
  });

  it('with 25 in --tcp-ports the warning is gone, and `static` reads the same file', async () => {
    await server!.stop();
    const host = writeHostFile([25, 587]);
    server = await RouteServerProcess.start(['--config', host]);
    await waitFor(async () => (await server!.getJson('/routes.json')).body.routers.some((r: any) => r.name === 'smtp-2816'), { what: 'smtp route', ...WAIT });
    assert.deepEqual((await diagnostics()).filter((d) => d.code === 'entrypoint-unknown'), []);

    const printed = spawnSync(process.execPath, [BIN, 'static', '--config', host], { encoding: 'utf8' });
    assert.equal(printed.status, 0, printed.stderr);
    const config = parseYaml(printed.stdout);
    assert.equal(config.entryPoints['tcp-25'].address, '203.0.113.50:25');
    assert.equal(config.providers.file.directory, out);
    const entrypoints = (await server!.getJson('/ports')).body.entrypoints;
    assert.deepEqual([...entrypoints].sort(), Object.keys(config.entryPoints).sort(), '/ports lists exactly what static defines');
  });
});
