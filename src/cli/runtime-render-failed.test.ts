// A daemon whose render throws (a bug, injected through the render seam) keeps its last file and
// shows as stale; the other daemons' files are still written.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { recordingLogger } from '../../test/support/recording-logger.ts';
import { waitFor } from '../../test/support/wait.ts';
import { DEFAULT_RENDER_OPTIONS } from '../render/options.ts';
import { FakeDaemon } from '../../test/support/fake-daemon.ts';
import { RouteServerRuntime } from './runtime.ts';

const labels = (networkId: string, ip: string, host: string): Record<string, string> => ({
  'rediacc.service_ip': ip,
  'rediacc.network_id': networkId,
  'traefik.enable': 'true',
  'traefik.http.services.web.loadbalancer.server.port': '8080',
  'traefik.http.routers.web.rule': `Host(\`${host}\`)`,
});

describe('RouteServerRuntime: a daemon whose render fails', { timeout: 60_000 }, () => {
  let root: string;
  let out: string;
  const fakes: FakeDaemon[] = [];
  let runtime: RouteServerRuntime;
  let failing = false;

  const file = (daemon: string) => readFile(join(out, `rs-${daemon}.yml`), 'utf8').catch(() => '');

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rs-failed-'));
    out = join(root, 'out');
    await mkdir(out);
    for (const [id, ip] of [['2816', '127.0.11.2'], ['2880', '127.0.11.66']] as const) {
      const fake = new FakeDaemon(join(root, `docker-${id}.sock`));
      fake.run('web', 'running', { Created: '2025-01-01T00:00:00Z', Config: { Labels: labels(id, ip, `v1-${id}.example.com`) } });
      await fake.start();
      fakes.push(fake);
    }
    runtime = new RouteServerRuntime({
      render: { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' },
      discovery: {
        sockets: join(root, 'docker-*.sock'),
        dockerHosts: [],
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
      renderSeams: {
        duringTenant: (id) => {
          if (failing && id === '2816') throw new Error('injected fault');
        },
      },
    });
    await runtime.start();
  });

  after(async () => {
    await runtime?.stop();
    for (const fake of fakes) await fake.close();
    await rm(root, { recursive: true, force: true });
  });

  it('keeps its last file, reports render-failed and stale, and still writes the other daemon', async () => {
    await waitFor(async () => (await file('2816')).includes('v1-2816') && (await file('2880')).includes('v1-2880'), { what: 'both first files' });
    const before2816 = await file('2816');
    failing = true;
    for (const [index, fake] of fakes.entries()) {
      const id = index === 0 ? '2816' : '2880';
      fake.run('web', 'running', { Created: '2025-01-01T00:00:00Z', Config: { Labels: labels(id, index === 0 ? '127.0.11.2' : '127.0.11.66', `v2-${id}.example.com`) } });
      fake.emit('web', 'start');
    }
    await waitFor(async () => (await file('2880')).includes('v2-2880'), { what: 'the healthy daemon rewritten' });
    assert.equal(await file('2816'), before2816, 'the failing daemon keeps its last file');
    assert.ok(runtime.staleDaemons().has('2816'));
    const failed = runtime.latest()?.diagnostics.filter((d) => d.code === 'render-failed').map((d) => d.daemon);
    assert.deepEqual(failed, ['2816']);
  });
});
