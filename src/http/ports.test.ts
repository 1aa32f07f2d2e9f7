import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fetchJson, PlainRuntimeView, renderSummary, routeInfo, serveView, T0 } from '../../test/support/runtime-view.ts';

function view(): PlainRuntimeView {
  const v = new PlainRuntimeView();
  v.settings = { ...v.settings, tcpRange: { first: 10000, last: 10005 }, udpRange: { first: 20000, last: 20001 } };
  v.summary = renderSummary({
    routes: [
      routeInfo('2816', 'mydb', { protocol: 'tcp', rule: 'HostSNI(`*`)', entryPoints: ['tcp-10001'], servers: ['127.0.11.3:5432', '127.0.11.4:5432'] }),
      routeInfo('2880', 'game', { protocol: 'udp', rule: undefined, entryPoints: ['udp-20000'], servers: ['127.0.12.2:7777'] }),
      routeInfo('2816', 'pinned', { protocol: 'tcp', rule: 'HostSNI(`*`)', entryPoints: ['tcp-10003'], servers: ['127.0.11.5:22'] }),
      routeInfo('10000', 'pg', { protocol: 'tcp', rule: 'HostSNI(`*`)', entryPoints: ['tcp-5432'], servers: ['127.0.16.2:5432'] }),
      routeInfo('2880', 'pg', { protocol: 'tcp', rule: 'HostSNI(`pg.example.com`)', entryPoints: ['tcp-5432'], servers: ['127.0.12.3:5432'] }),
    ],
    allocations: [
      { protocol: 'udp', port: 20000, daemon: '2880', router: 'game', lastSeen: T0 + 1_000 },
      { protocol: 'tcp', port: 10001, daemon: '2816', router: 'mydb', lastSeen: T0 + 1_000 },
      { protocol: 'tcp', port: 10000, daemon: '2880', router: 'gone', lastSeen: T0 - 86_400_000 },
    ],
    explicitEntrypoints: ['tcp-10003', 'tcp-5432', 'websecure'],
  });
  return v;
}

describe('GET /ports', () => {
  it('lists allocations with the renamed router and its backend, explicit ports, and free ports', async (t) => {
    const port = await serveView(t, view());
    const { status, headers, json } = await fetchJson(port, '/ports');
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(json.renderedAt, '2025-06-01T12:00:01.000Z');
    assert.deepEqual(json.tcp.range, { first: 10000, last: 10005 });
    assert.deepEqual(json.tcp.counts, { size: 6, allocated: 2, explicit: 1, free: 3 });
    assert.deepEqual(json.tcp.allocations, [
      {
        port: 10000,
        entrypoint: 'tcp-10000',
        daemon: '2880',
        router: 'gone-2880',
        active: false,
        backend: null,
        servers: [],
        lastSeenAt: '2025-05-31T12:00:00.000Z',
      },
      {
        port: 10001,
        entrypoint: 'tcp-10001',
        daemon: '2816',
        router: 'mydb-2816',
        active: true,
        backend: '127.0.11.3:5432',
        servers: ['127.0.11.3:5432', '127.0.11.4:5432'],
        lastSeenAt: '2025-06-01T12:00:01.000Z',
      },
    ]);
    assert.deepEqual(json.tcp.explicit, [
      {
        port: 5432,
        entrypoint: 'tcp-5432',
        inRange: false,
        routers: [
          { daemon: '2880', router: 'pg-2880', protocol: 'tcp' },
          { daemon: '10000', router: 'pg-10000', protocol: 'tcp' },
        ],
      },
      { port: 10003, entrypoint: 'tcp-10003', inRange: true, routers: [{ daemon: '2816', router: 'pinned-2816', protocol: 'tcp' }] },
    ]);
    // 10003 is named explicitly by a router: never free.
    assert.deepEqual(json.tcp.free, [10002, 10004, 10005]);

    assert.deepEqual(json.udp.range, { first: 20000, last: 20001 });
    assert.deepEqual(json.udp.allocations.map((a: { router: string; backend: string }) => [a.router, a.backend]), [['game-2880', '127.0.12.2:7777']]);
    assert.deepEqual(json.udp.explicit, []);
    assert.deepEqual(json.udp.free, [20001]);
  });

  it('shows a protocol without a range as null with nothing free, and answers before the first render', async (t) => {
    const v = new PlainRuntimeView();
    const port = await serveView(t, v);
    const { json } = await fetchJson(port, '/ports');
    assert.equal(json.renderedAt, null);
    assert.deepEqual(json.udp, { range: null, counts: { size: 0, allocated: 0, explicit: 0, free: 0 }, allocations: [], explicit: [], free: [] });
    assert.deepEqual(json.tcp.free, [10000, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10010]);
  });
});
