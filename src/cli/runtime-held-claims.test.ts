// The runtime feeds the claims of files into its renders: the operator's files (re-read when they
// change) and the fragment kept for a daemon that has not synced. A fake daemon stands in for
// Docker; the output directory is real.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';

import { recordingLogger } from '../../test/support/recording-logger.ts';
import { waitFor } from '../../test/support/wait.ts';
import { DEFAULT_RENDER_OPTIONS } from '../render/options.ts';
import { FakeDaemon } from '../../test/support/fake-daemon.ts';
import { RouteServerRuntime } from './runtime.ts';

const dashboard = (host: string) => `http:\n  routers:\n    dashboard:\n      rule: "Host(\`${host}\`)"\n      service: api@internal\n`;
const KEPT = '# daemon: 2944\nhttp:\n  routers:\n    web-2944:\n      entryPoints: [websecure]\n      rule: "Host(`kept.example.com`)"\n      service: web-2944\n  services:\n    web-2944:\n      loadBalancer:\n        servers:\n          - url: "http://127.0.11.130:8080"\n';

const LABELS: Record<string, string> = {
  'rediacc.service_ip': '127.0.11.2',
  'rediacc.network_id': '2816',
  'traefik.enable': 'true',
  'traefik.http.services.web.loadbalancer.server.port': '8080',
};
for (const [router, host] of [['ok', 'ok.example.com'], ['dash', 'dash.example.com'], ['kept', 'kept.example.com']]) {
  LABELS[`traefik.http.routers.${router}.rule`] = `Host(\`${host}\`)`;
  LABELS[`traefik.http.routers.${router}.service`] = 'web';
}

describe('RouteServerRuntime: claims held by files', { timeout: 60_000 }, () => {
  let root: string;
  let out: string;
  let fake: FakeDaemon;
  let runtime: RouteServerRuntime;

  const routers = async (daemon: string): Promise<Record<string, unknown>> => {
    const text = await readFile(join(out, `rs-${daemon}.yml`), 'utf8').catch(() => '');
    return (parseYaml(text) as { http?: { routers?: Record<string, unknown> } } | null)?.http?.routers ?? {};
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rs-held-'));
    out = join(root, 'out');
    await mkdir(out);
    await writeFile(join(out, 'dashboard.yml'), dashboard('dash.example.com'));
    await writeFile(join(out, 'rs-2944.yml'), KEPT);
    fake = new FakeDaemon(join(root, 'docker-2816.sock'));
    fake.run('web', 'running', { Created: '2025-01-01T00:00:00Z', Config: { Labels: LABELS } });
    await fake.start();
    runtime = new RouteServerRuntime({
      render: { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' },
      // 2944 never answers: it does not sync, so its file and its claims stay.
      discovery: {
        sockets: join(root, 'docker-*.sock'),
        dockerHosts: [{ id: '2944', url: `unix://${join(root, 'absent.sock')}` }],
        resyncIntervalMs: 0,
        debounceMinMs: 20,
        debounceMaxMs: 200,
        backoffInitialMs: 50,
        backoffMaxMs: 200,
      },
      outDir: out,
      filePrefix: 'rs-',
      stateDir: join(root, 'state'),
      listen: { host: '127.0.0.1', port: 0 },
      logger: recordingLogger(),
    });
    await runtime.start();
  });

  after(async () => {
    await runtime?.stop();
    await fake?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("refuses a tenant's routers for the operator's host and for the kept daemon's host, and writes the rest", async () => {
    await waitFor(async () => (await routers('2816'))['ok-2816'], { what: 'rs-2816.yml with the ok router' });
    assert.deepEqual(Object.keys(await routers('2816')), ['ok-2816']);
    const codes = runtime.latest()?.diagnostics.filter((d) => d.daemon === '2816').map((d) => `${d.code}: ${d.message}`);
    assert.deepEqual(codes, [
      "host-conflict: HTTP router kept refused: host kept.example.com is routed by daemon 2944 (router web-2944 in its kept file rs-2944.yml; the daemon has not synced yet)",
      "host-reserved-operator: HTTP router dash refused: host dash.example.com is routed by router dashboard in the operator's file dashboard.yml",
    ]);
    assert.equal(await readFile(join(out, 'rs-2944.yml'), 'utf8'), KEPT, 'the kept file is untouched');
  });

  it('reads the operator file again when it changes: a host it no longer routes is free', async () => {
    await writeFile(join(out, 'dashboard.yml'), dashboard('ops.example.com'));
    await waitFor(async () => (await routers('2816'))['dash-2816'], { what: 'the dash router once the operator moved away' });
    assert.equal((await routers('2816'))['kept-2816'], undefined);
    assert.equal(await readFile(join(out, 'dashboard.yml'), 'utf8'), dashboard('ops.example.com'), 'the operator file is never written');
  });
});
