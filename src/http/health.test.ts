import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  daemonStatus,
  diagnostic,
  fetchJson,
  PlainRuntimeView,
  renderSummary,
  routeInfo,
  serveView,
  T0,
  writerStatus,
} from '../../test/support/runtime-view.ts';

const NOW = T0 + 3_600_000;

function healthyView(): PlainRuntimeView {
  const view = new PlainRuntimeView();
  view.daemonList = [
    daemonStatus('10000', { lastEventAt: NOW - 5_000 }),
    daemonStatus('2816', { lastEventAt: NOW - 1_000, containers: [] }),
    daemonStatus('db', {}),
  ];
  view.summary = renderSummary({
    renderedAt: NOW - 500,
    routes: [
      routeInfo('2816', 'web'),
      routeInfo('2816', 'api', { autoRoute: true }),
      routeInfo('10000', 'mail', { protocol: 'tcp', rule: 'HostSNI(`*`)', entryPoints: ['tcp-25'], servers: ['127.0.1.2:25'] }),
      routeInfo('10000', 'dns', { protocol: 'udp', service: 'dns-10000' }),
      routeInfo('10000', 'dns2', { protocol: 'udp', service: 'dns-10000' }),
    ],
    diagnostics: [diagnostic('2816', 'label-decode', { container: 'web' }), diagnostic('2816', 'container-not-running', { severity: 'info' })],
  });
  view.writerStatus = writerStatus({
    lastWriteAt: NOW - 400,
    writes: 3,
    files: [
      { daemon: '2816', file: '/etc/traefik/dynamic/route-server-2816.yml', bytes: 512, writtenAt: NOW - 400, pending: false, lastError: null },
      { daemon: '10000', file: '/etc/traefik/dynamic/route-server-10000.yml', bytes: 256, writtenAt: NOW - 450, pending: true, lastError: null },
    ],
  });
  return view;
}

describe('GET /health', () => {
  it('is ok with counts, per-daemon details sorted by numeric id, and output status', async (t) => {
    const port = await serveView(t, healthyView(), { now: NOW });
    const { status, json } = await fetchJson(port, '/health');
    assert.equal(status, 200);
    assert.equal(json.status, 'ok');
    assert.deepEqual(json.reasons, []);
    assert.equal(json.version, '9.9.9-test');
    assert.equal(json.startedAt, '2025-06-01T12:00:00.000Z');
    assert.equal(json.uptimeSeconds, 3600);
    assert.equal(json.autoRoutes, true);
    assert.equal(json.baseDomain, 'example.com');
    assert.deepEqual(json.routers, { http: 2, tcp: 1, udp: 2, total: 5 });
    assert.deepEqual(json.services, { http: 2, tcp: 1, udp: 1, total: 4 });
    assert.equal(json.autoRouters, 1);
    assert.deepEqual(json.diagnostics, { error: 1, warning: 0, info: 1, total: 2 });
    assert.deepEqual(json.daemonCounts, { total: 3, connecting: 0, connected: 3, reconnecting: 0, error: 0, stale: 0 });
    assert.equal(json.lastRenderAgeMs, 500);
    assert.deepEqual(
      json.daemons.map((d: { id: string }) => d.id),
      ['2816', '10000', 'db'],
    );
    assert.deepEqual(json.daemons[0], {
      id: '2816',
      socket: '/var/run/rediacc/docker-2816.sock',
      state: 'connected',
      stateSince: '2025-06-01T12:00:00.000Z',
      stateAgeMs: 3_600_000,
      stale: false,
      synced: true,
      containers: 0,
      routers: 2,
      diagnostics: { error: 1, warning: 0, info: 1, total: 2 },
      lastEventAt: new Date(NOW - 1_000).toISOString(),
      lastEventAgeMs: 1_000,
      lastSyncAt: '2025-06-01T12:00:00.000Z',
      lastSyncAgeMs: 3_600_000,
      lastError: null,
      reconnects: 0,
      eventsReceived: 0,
      containerFaults: [],
    });
    assert.equal(json.daemons[1].routers, 3);
    assert.equal(json.daemons[2].routers, 0);
    assert.equal(json.daemons[2].lastEventAt, null);
    assert.equal(json.daemons[2].lastEventAgeMs, null);
    assert.equal(json.output.dir, '/etc/traefik/dynamic');
    assert.equal(json.output.failing, false);
    assert.equal(json.output.lastWriteAgeMs, 400);
    assert.equal(json.output.pendingFiles, 1);
    assert.deepEqual(
      json.output.files.map((f: { daemon: string }) => f.daemon),
      ['2816', '10000'],
    );
    assert.equal(json.output.files[0].writtenAt, new Date(NOW - 400).toISOString());
  });

  for (const state of ['reconnecting', 'error', 'connecting'] as const) {
    it(`is degraded (200) when a daemon is ${state}, naming it`, async (t) => {
      const view = healthyView();
      view.daemonList[0] = daemonStatus('10000', { state, since: NOW - 60_000, lastError: 'connect ENOENT /var/run/rediacc/docker-10000.sock' });
      const port = await serveView(t, view, { now: NOW });
      const { status, json } = await fetchJson(port, '/health');
      assert.equal(status, 200);
      assert.equal(json.status, 'degraded');
      assert.deepEqual(json.reasons, [`daemon 10000: ${state} since ${new Date(NOW - 60_000).toISOString()}: connect ENOENT /var/run/rediacc/docker-10000.sock`]);
      assert.equal(json.daemonCounts[state], 1);
      assert.equal(json.daemons[1].stateAgeMs, 60_000);
    });
  }

  it('is degraded when an operator file cannot be read, naming the file; a templated router is only listed', async (t) => {
    const view = healthyView();
    view.operatorFileList = [
      { file: 'dashboard.yml', routers: 1, error: 'Flow sequence in block collection must be sufficiently indented', notes: [] },
      { file: 'app.yml', routers: 0, error: null, notes: ['http.routers.env: templated (Go template actions are not evaluated), its claims are not known'] },
    ];
    const port = await serveView(t, view, { now: NOW });
    const { json } = await fetchJson(port, '/health');
    assert.equal(json.status, 'degraded');
    assert.deepEqual(json.reasons, [
      'operator file dashboard.yml: not readable (Flow sequence in block collection must be sufficiently indented); its last good reading is kept',
    ]);
    assert.deepEqual(json.operatorFiles, view.operatorFileList);
  });

  it('is degraded when a daemon is stale, even if listed as connected (its fragment is kept)', async (t) => {
    const view = healthyView();
    view.stale = new Set(['2816']);
    const port = await serveView(t, view, { now: NOW });
    const { status, json } = await fetchJson(port, '/health');
    assert.equal(status, 200);
    assert.equal(json.status, 'degraded');
    assert.equal(json.daemons[0].stale, true);
    assert.equal(json.daemonCounts.stale, 1);
    assert.deepEqual(json.reasons, ['daemon 2816: connected since 2025-06-01T12:00:00.000Z (stale: its last good fragment is kept)']);
  });

  it('is degraded while one container cannot be inspected, naming daemon and container; the daemon stays connected', async (t) => {
    const view = healthyView();
    const fault = { id: 'f00d'.repeat(16), name: 'web', error: 'inspect f00df00df00d failed: (HTTP code 500) server error', since: NOW - 30_000, failures: 3 };
    view.daemonList = [daemonStatus('2816', { containerFaults: [fault] })];
    const port = await serveView(t, view, { now: NOW });
    const { status, json } = await fetchJson(port, '/health');
    assert.equal(status, 200);
    assert.equal(json.status, 'degraded');
    assert.equal(json.daemons[0].state, 'connected');
    assert.deepEqual(json.daemons[0].containerFaults, [
      { id: fault.id, container: 'web', error: fault.error, since: new Date(NOW - 30_000).toISOString(), failures: 3 },
    ]);
    assert.deepEqual(json.reasons, [`daemon 2816: container web: ${fault.error} (since ${new Date(NOW - 30_000).toISOString()}, retrying)`]);
  });

  it('is error (503) when the last write failed after the last success, and ok again after a success', async (t) => {
    const view = healthyView();
    const failing = writerStatus({ ...view.writerStatus, lastError: 'ENOSPC: no space left on device, write', lastErrorAt: NOW - 100, writeErrors: 4 });
    view.writerStatus = failing;
    const port = await serveView(t, view, { now: NOW });
    const down = await fetchJson(port, '/health');
    assert.equal(down.status, 503);
    assert.equal(down.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(down.json.status, 'error');
    assert.equal(down.json.output.failing, true);
    assert.equal(down.json.output.lastErrorAgeMs, 100);
    assert.equal(down.json.output.writeErrors, 4);
    assert.deepEqual(down.json.reasons, [`output: nothing written since ${new Date(NOW - 100).toISOString()}: ENOSPC: no space left on device, write`]);
    // The same fault in the sinks view, which describes every place fragments go.
    assert.deepEqual(
      down.json.sinks.map((sink: Record<string, unknown>) => [sink['kind'], sink['target'], sink['failing'], sink['errors'], sink['lastErrorAgeMs']]),
      [['files', '/etc/traefik/dynamic', true, 4, 100]],
    );

    // A failure before a success is history: kept in the output, not in the status.
    view.writerStatus = { ...failing, lastWriteAt: NOW - 50 };
    const up = await fetchJson(port, '/health');
    assert.equal(up.status, 200);
    assert.equal(up.json.status, 'ok');
    assert.equal(up.json.output.lastError, 'ENOSPC: no space left on device, write');
  });

  it('is error (503) when nothing was ever written and writing fails', async (t) => {
    const view = healthyView();
    view.writerStatus = writerStatus({ lastError: 'EACCES: permission denied', lastErrorAt: NOW - 10 });
    const port = await serveView(t, view, { now: NOW });
    const { status, json } = await fetchJson(port, '/health');
    assert.equal(status, 503);
    assert.equal(json.status, 'error');
  });

  it('is degraded when one file keeps failing while others are written', async (t) => {
    const view = healthyView();
    const files = view.writerStatus.files.map((f) => (f.daemon === '10000' ? { ...f, pending: true, lastError: 'EISDIR: illegal operation on a directory' } : f));
    view.writerStatus = { ...view.writerStatus, files, lastError: 'EISDIR: illegal operation on a directory', lastErrorAt: NOW - 900 };
    const port = await serveView(t, view, { now: NOW });
    const { status, json } = await fetchJson(port, '/health');
    assert.equal(status, 200);
    assert.equal(json.status, 'degraded');
    assert.deepEqual(json.reasons, ['output: 10000: EISDIR: illegal operation on a directory']);
  });

  it('answers before the first render, and caps the reasons with a thousand daemons down', async (t) => {
    const view = new PlainRuntimeView();
    view.daemonList = Array.from({ length: 1000 }, (_, i) => daemonStatus(String(3000 + i), { state: 'connecting', synced: false }));
    const port = await serveView(t, view, { now: NOW });
    const { status, json } = await fetchJson(port, '/health');
    assert.equal(status, 200);
    assert.equal(json.status, 'degraded');
    assert.equal(json.lastRenderAt, null);
    assert.equal(json.lastRenderAgeMs, null);
    assert.deepEqual(json.routers, { http: 0, tcp: 0, udp: 0, total: 0 });
    assert.equal(json.reasons.length, 21);
    assert.equal(json.reasons[20], '… and 980 more (see daemons and output)');
    assert.equal(json.daemons.length, 1000);
  });

  it('is degraded while a socket is refused because another daemon has its id, naming both', async (t) => {
    const view = healthyView();
    view.refusedDaemonList = [{ id: '2816', socket: '/run/rediacc/docker-2816.sock', heldBy: '--docker-host 2816=unix:///other.sock', since: NOW - 2_000 }];
    const port = await serveView(t, view, { now: NOW });
    const { status, json } = await fetchJson(port, '/health');
    assert.equal(status, 200);
    assert.equal(json.status, 'degraded');
    assert.deepEqual(json.reasons, ['daemon 2816: the socket /run/rediacc/docker-2816.sock is refused, --docker-host 2816=unix:///other.sock has that id']);
    assert.deepEqual(json.refusedDaemons, [{ id: '2816', socket: '/run/rediacc/docker-2816.sock', heldBy: '--docker-host 2816=unix:///other.sock', since: new Date(NOW - 2_000).toISOString() }]);
  });

  it('reads a base domain that is not set as null', async (t) => {
    const view = healthyView();
    view.settings = { ...view.settings, baseDomain: undefined, autoRoutes: false };
    const port = await serveView(t, view, { now: NOW });
    const { json } = await fetchJson(port, '/health');
    assert.equal(json.baseDomain, null);
    assert.equal(json.autoRoutes, false);
  });
});
