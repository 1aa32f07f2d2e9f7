// A sample of the nastiest hostile cases (test/hostile/cases.ts) as real labelled containers on a
// real daemon, under a running `route-server run`: each attacker comes and goes, one at a time,
// beside an older victim on another daemon and an older neighbour on its own. The victim's file
// never changes, the neighbour keeps its route, the attacker gets what the pure render promised.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';

import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import { executeGoTemplate } from '../support/go-template.ts';
import { RouteServerProcess } from '../support/route-server-process.ts';
import { schemaAvailable, validateDynamicConfig } from '../support/traefik-schema.ts';
import { waitFor } from '../support/wait.ts';
import { HOSTILE_CASES } from '../hostile/cases.ts';
import { attackerBase, victimDaemon } from '../hostile/scenario.ts';

const unavailable = daemonsUnavailableReason();
if (unavailable !== null) process.stderr.write(`\n!!! test/integration/hostile.test.ts cannot run: ${unavailable}\n\n`);

const SAMPLE = [
  'hosts: Host "Shop.Example.Com."',
  'hosts: double-quoted Go escape',
  'hosts: HostSNI of the victim on websecure',
  'references: service api@internal',
  'backends: server url http://[::ffff:127.0.11.66]:8080',
  'backends: server url http://127.0.11.9@127.0.11.66/',
  "entrypoints: victim's TCP entrypoint whole",
  "certificates: tls.domains of the victim's host",
  'files: forwardAuth client certificate /etc/traefik/acme.json',
  'rules: too deep',
  'huge: thousands of labels',
  'text: header value: template env',
  'text: header value: line and paragraph separators',
];

const WAIT = { timeoutMs: 30_000 };
let farm: DaemonFarm;
let attackerDaemon: DockerDaemon; // 2816
let victim: DockerDaemon; // 2880
let out: string;
let server: RouteServerProcess | undefined;

function run(daemon: DockerDaemon, name: string, labels: Record<string, string>): Promise<string> {
  const ip = labels['rediacc.service_ip'] as string;
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return daemon.docker('run', '-d', '--init', '--network', 'host', '--name', name, ...flags, BUSYBOX_IMAGE, 'httpd', '-f', '-p', `${ip}:8080`);
}

function text(daemon: string): string {
  const path = join(out, `rs-${daemon}.yml`);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** As Traefik reads it: template pass, YAML, and (when the reference is here) the schema. */
function fragment(daemon: string): any {
  const config = parseYaml(executeGoTemplate(text(daemon)));
  if (schemaAvailable()) assert.deepEqual(validateDynamicConfig(config), [], `rs-${daemon}.yml against Traefik's schema`);
  return config;
}

const routers = (daemon: string) => {
  const config = fragment(daemon) ?? {};
  return { ...config.http?.routers, ...config.tcp?.routers, ...config.udp?.routers };
};

describe('hostile containers on a real daemon', { concurrency: false }, () => {
  before(async () => {
    farm = await startDaemons(2);
    [attackerDaemon, victim] = farm.daemons as [DockerDaemon, DockerDaemon];
    out = join(farm.root, 'hostile-out');
    mkdirSync(out, { recursive: true });
    for (const container of victimDaemon().containers) await run(victim, container.name, container.labels as Record<string, string>);
    await run(attackerDaemon, 'neighbour', {
      'rediacc.service_ip': '127.0.11.2',
      'traefik.enable': 'true',
      'traefik.http.routers.home.rule': 'Host(`home.example.com`)',
      'traefik.http.services.home.loadbalancer.server.port': '8080',
    });
    server = await RouteServerProcess.start(['--sockets', join(farm.root, 'docker-*.sock'), '--out', out, '--state-dir', join(farm.root, 'hostile-state'), '--base-domain', 'example.com']);
    await waitFor(() => routers('2880')['shop-2880'] && routers('2880')['pg-2880'] && routers('2816')['home-2816'], { what: 'victim and neighbour routed', ...WAIT });
  });

  after(async () => {
    await server?.stop();
    await farm?.stop();
  });

  for (const name of SAMPLE) {
    const c = HOSTILE_CASES.find((x) => x.name === name);
    it(name, async () => {
      assert.ok(c, `case ${name} exists`);
      const victimBefore = text('2880');
      const labels = { ...attackerBase(), ...c.labels, ...c.container?.labels };
      await run(attackerDaemon, 'attacker', labels);
      try {
        const mine = async () => ((await server!.getJson('/routes.json')).body.diagnostics as any[]).filter((d) => d.daemon === '2816' && d.container === 'attacker');
        if (c.outcome === 'accepted') {
          await waitFor(() => routers('2816')['evil-2816'], { what: 'the odd but harmless router written', ...WAIT });
          assert.deepEqual((await mine()).filter((d) => d.severity === 'error'), []);
        } else {
          await waitFor(async () => (await mine()).some((d) => d.code === c.code), { what: `a ${c.code} diagnostic for the attacker`, ...WAIT });
          const refusal = (await mine()).find((d) => d.code === c.code);
          if (!c.noLabel) assert.ok(refusal.label in labels || String(refusal.label).endsWith('…'), `names a label of the container (${refusal.label})`);
          if (c.outcome === 'router') await waitFor(() => routers('2816')['fine-2816'], { what: "the attacker's benign router", ...WAIT });
          assert.equal(routers('2816')['evil-2816'], undefined, 'the offending router is not written');
        }
        assert.ok(routers('2816')['home-2816'], 'the neighbour keeps its route');
        assert.equal(text('2880'), victimBefore, "the victim's file is unchanged");
      } finally {
        await attackerDaemon.docker('rm', '-f', 'attacker');
      }
      await waitFor(() => !routers('2816')['fine-2816'] && !routers('2816')['evil-2816'], { what: 'the attacker gone', ...WAIT });
      assert.equal(text('2880'), victimBefore, "the victim's file is unchanged after the attacker left");
    });
  }
});
