import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { serializeJson } from './endpoints.ts';
import { RoutesBodyCache, RoutesFilterCache, routesFilterFrom, routesReport } from './routes.ts';
import { diagnostic, fetchJson, PlainRuntimeView, renderSummary, routeInfo, serveView, T0 } from '../../test/support/runtime-view.ts';

function view(): PlainRuntimeView {
  const v = new PlainRuntimeView();
  v.summary = renderSummary({
    renderedAt: T0 + 1_000,
    routes: [
      routeInfo('10000', 'web'),
      routeInfo('2816', 'web'),
      routeInfo('2816', 'mydb', { protocol: 'tcp', rule: 'HostSNI(`*`)', entryPoints: ['tcp-5432'], tls: undefined, servers: ['127.0.11.3:5432'] }),
      routeInfo('2816', 'myapp', { autoRoute: true, middlewares: ['myapp-hsts-2816'], containers: ['myapp-1', 'myapp-2'] }),
      routeInfo('2880', 'dns', { protocol: 'udp', rule: undefined, entryPoints: ['udp-53'], tls: undefined, servers: ['127.0.12.2:53'] }),
      routeInfo('2816', 'web', { protocol: 'tcp', rule: 'HostSNI(`web.example.com`)', entryPoints: ['tcp-10000'] }),
    ],
    diagnostics: [
      diagnostic('2880', 'host-conflict', {
        container: 'site',
        message: 'router site refused: host a.example.com is also claimed by daemon 2816 (router web of container web, older)',
      }),
      diagnostic('2816', 'label-decode', { container: 'bad', label: 'traefik.http.routers.x.rule', severity: 'error' }),
      diagnostic('10000', 'auto-route-no-domain', { severity: 'info', container: 'x' }),
      diagnostic('2816', 'ports-invalid', { severity: 'warning', container: 'app' }),
    ],
  });
  return v;
}

describe('GET /routes.json', () => {
  it('lists every router with its origin, sorted by daemon then name, and every diagnostic', async (t) => {
    const port = await serveView(t, view());
    const { status, headers, json } = await fetchJson(port, '/routes.json');
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(json.renderedAt, '2025-06-01T12:00:01.000Z');
    assert.equal(json.filter, null);
    assert.deepEqual(json.counts, {
      routers: { http: 3, tcp: 2, udp: 1, total: 6 },
      autoRoutes: 1,
      daemons: 3,
      diagnostics: { error: 2, warning: 1, info: 1, total: 4 },
      diagnosticCodes: { 'auto-route-no-domain': 1, 'host-conflict': 1, 'label-decode': 1, 'ports-invalid': 1 },
    });
    assert.deepEqual(
      json.routers.map((r: { protocol: string; name: string }) => `${r.protocol}:${r.name}`),
      ['http:myapp-2816', 'tcp:mydb-2816', 'http:web-2816', 'tcp:web-2816', 'udp:dns-2880', 'http:web-10000'],
    );
    assert.deepEqual(json.routers[0], {
      protocol: 'http',
      name: 'myapp-2816',
      daemon: '2816',
      containers: ['myapp-1', 'myapp-2'],
      autoRoute: true,
      rule: 'Host(`myapp-2816.example.com`)',
      entryPoints: ['websecure'],
      tls: { certResolver: 'letsencrypt' },
      middlewares: ['myapp-hsts-2816'],
      service: 'myapp-2816',
      servers: ['http://127.0.0.2:8080'],
    });
    // Absent fields are null, never missing: jq filters keep working.
    const dns = json.routers.find((r: { name: string }) => r.name === 'dns-2880');
    assert.equal(dns.rule, null);
    assert.equal(dns.tls, null);
    assert.deepEqual(
      json.diagnostics.map((d: { daemon: string; code: string }) => `${d.daemon}/${d.code}`),
      // Within a daemon: the order `render` prints (container, code, message).
      ['2816/ports-invalid', '2816/label-decode', '2880/host-conflict', '10000/auto-route-no-domain'],
    );
    assert.deepEqual(json.diagnostics[1], {
      daemon: '2816',
      container: 'bad',
      severity: 'error',
      code: 'label-decode',
      label: 'traefik.http.routers.x.rule',
      message: 'label-decode in 2816',
    });
    assert.equal(json.diagnostics[0].label, null);
    assert.match(json.diagnostics[2].message, /also claimed by daemon 2816/);
  });

  it('narrows routers, diagnostics and counts with ?daemon= (repeatable, comma-separated)', async (t) => {
    const port = await serveView(t, view());
    const one = await fetchJson(port, '/routes.json?daemon=2880');
    assert.equal(one.status, 200);
    assert.deepEqual(one.json.filter, { daemon: ['2880'] });
    assert.deepEqual(
      one.json.routers.map((r: { name: string }) => r.name),
      ['dns-2880'],
    );
    assert.deepEqual(
      one.json.diagnostics.map((d: { code: string }) => d.code),
      ['host-conflict'],
    );
    assert.deepEqual(one.json.counts.routers, { http: 0, tcp: 0, udp: 1, total: 1 });

    for (const query of ['daemon=10000&daemon=2880', 'daemon=10000,2880', 'daemon=2880,10000&daemon=2880']) {
      const two = await fetchJson(port, `/routes.json?${query}`);
      assert.deepEqual(two.json.filter, { daemon: ['2880', '10000'] }, query);
      assert.deepEqual(
        two.json.routers.map((r: { name: string }) => r.name),
        ['dns-2880', 'web-10000'],
        query,
      );
    }

    const unknown = await fetchJson(port, '/routes.json?daemon=9999');
    assert.equal(unknown.status, 200);
    assert.deepEqual(unknown.json.routers, []);
    assert.deepEqual(unknown.json.diagnostics, []);
    assert.equal(unknown.json.counts.daemons, 0);

    // Other parameters, and an empty daemon, filter nothing.
    const all = await fetchJson(port, '/routes.json?daemon=&pretty=1');
    assert.equal(all.json.filter, null);
    assert.equal(all.json.routers.length, 6);
  });

  it('answers before the first render with empty lists', async (t) => {
    const port = await serveView(t, new PlainRuntimeView());
    const { status, json } = await fetchJson(port, '/routes.json');
    assert.equal(status, 200);
    assert.equal(json.renderedAt, null);
    assert.deepEqual(json.routers, []);
    assert.deepEqual(json.diagnostics, []);
    assert.deepEqual(json.counts.routers, { http: 0, tcp: 0, udp: 0, total: 0 });
  });

  it('serializes once per render and filter, and anew for the next render', async (t) => {
    const v = view();
    const port = await serveView(t, v);
    const first = await fetchJson(port, '/routes.json');
    v.summary = renderSummary({ ...v.summary, renderedAt: T0 + 2_000, routes: [routeInfo('2816', 'only')] });
    const second = await fetchJson(port, '/routes.json');
    assert.equal(first.json.routers.length, 6);
    assert.deepEqual(
      second.json.routers.map((r: { name: string }) => r.name),
      ['only-2816'],
    );

    const cache = new RoutesBodyCache(2);
    let serializations = 0;
    const counting = (report: Parameters<typeof serializeJson>[0]) => (serializations++, serializeJson(report));
    const summary = v.summary;
    const a = cache.body(summary, routesFilterFrom(new URLSearchParams()), counting);
    const b = cache.body(summary, routesFilterFrom(new URLSearchParams()), counting);
    assert.equal(a, b, 'the same body for the same render');
    assert.equal(a.gzip(), b.gzip(), 'compressed once');
    assert.equal(serializations, 1);
    cache.body(summary, routesFilterFrom(new URLSearchParams('daemon=2816')), counting);
    cache.body(summary, routesFilterFrom(new URLSearchParams('daemon=2816')), counting);
    assert.equal(serializations, 2);
    // Bounded: past two arbitrary filters the per-render cache of filters is cleared; a daemon's
    // own body (one per daemon of the render) stays.
    cache.body(summary, routesFilterFrom(new URLSearchParams('daemon=1')), counting);
    cache.body(summary, routesFilterFrom(new URLSearchParams('daemon=1,2816')), counting);
    assert.equal(serializations, 4);
    cache.body(summary, routesFilterFrom(new URLSearchParams()), counting);
    assert.equal(serializations, 5);
    cache.body(summary, routesFilterFrom(new URLSearchParams('daemon=2816')), counting);
    assert.equal(serializations, 5);
    cache.body(renderSummary({ ...summary }), routesFilterFrom(new URLSearchParams()), counting);
    assert.equal(serializations, 6, 'a new render object is serialized again');
  });

  it('parses a query into a filter once and keeps it, but not a long query', () => {
    const filters = new RoutesFilterCache();
    const first = filters.of('daemon=2880&daemon=2816,2880');
    assert.deepEqual(first, { daemons: ['2816', '2880'] });
    assert.equal(filters.of('daemon=2880&daemon=2816,2880'), first, 'the same query: the kept filter');
    assert.deepEqual(filters.of(''), { daemons: [] });
    // A client choosing many long queries must not grow what is kept.
    const long = `daemon=2816&pad=${'x'.repeat(300)}`;
    assert.deepEqual(filters.of(long), { daemons: ['2816'] });
    assert.notEqual(filters.of(long), filters.of(long), 'parsed each time');
  });

  it('is a pure function of the render and the filter', () => {
    const summary = view().summary;
    assert.deepEqual(routesReport(summary, { daemons: ['2816'] }), routesReport(summary, { daemons: ['2816'] }));
    assert.equal(routesReport(summary).routers.length, 6);
  });
});
