import assert from 'node:assert/strict';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import { acceptsGzip } from './response-body.ts';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import { fetchJson, fetchText, PlainRuntimeView, renderSummary, routeInfo, serveView } from '../../test/support/runtime-view.ts';
import { startHttpServer } from './server.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

describe('side HTTP server: mechanics', () => {
  it('serves every endpoint with its content type and no-store', async (t) => {
    const view = new PlainRuntimeView();
    view.summary = renderSummary();
    const port = await serveView(t, view);
    for (const [path, type] of [
      ['/health', JSON_TYPE],
      ['/routes.json', JSON_TYPE],
      ['/ports', JSON_TYPE],
      ['/metrics', 'text/plain; version=0.0.4; charset=utf-8'],
    ] as const) {
      const response = await fetchText(port, path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers['content-type'], type, path);
      assert.equal(response.headers['cache-control'], 'no-store', path);
      assert.equal(Number(response.headers['content-length']), Buffer.byteLength(response.text), path);
      if (type === JSON_TYPE) assert.doesNotThrow(() => JSON.parse(response.text), path);
    }
  });

  it('answers unknown paths with a JSON 404 that lists the endpoints', async (t) => {
    const port = await serveView(t, new PlainRuntimeView());
    for (const path of ['/', '/nope', '/health/', '/HEALTH', '//health', '/routes']) {
      const response = await fetchJson(port, path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers['content-type'], JSON_TYPE);
      assert.match(response.json.error, /^not found: /);
      assert.deepEqual(response.json.endpoints, ['/health', '/routes.json', '/ports', '/traefik.yml', '/traefik.json', '/metrics']);
    }
    // An unknown path stays 404 whatever the method.
    assert.equal((await fetchText(port, '/nope', { method: 'POST' })).status, 404);
  });

  it('answers other methods on known paths with 405 and Allow', async (t) => {
    const port = await serveView(t, new PlainRuntimeView());
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await fetchText(port, '/health', { method });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.allow, 'GET, HEAD');
      assert.equal(response.headers['content-type'], JSON_TYPE);
      assert.deepEqual(JSON.parse(response.text), { error: `method ${method} not allowed on /health`, allow: ['GET', 'HEAD'] });
    }
  });

  it('answers HEAD with the headers of GET and no body', async (t) => {
    const view = new PlainRuntimeView();
    view.summary = renderSummary();
    const port = await serveView(t, view, { now: Date.parse('2025-06-01T13:00:00Z') });
    for (const path of ['/health', '/routes.json', '/ports', '/traefik.yml', '/traefik.json', '/metrics']) {
      const get = await fetchText(port, path);
      const head = await fetchText(port, path, { method: 'HEAD' });
      assert.equal(head.status, get.status, path);
      assert.equal(head.text, '', path);
      assert.equal(head.headers['content-type'], get.headers['content-type'], path);
      // Process metrics (memory, CPU) move between two scrapes, so /metrics only keeps the header.
      if (path === '/metrics') assert.ok(Number(head.headers['content-length']) > 0, path);
      else assert.equal(head.headers['content-length'], get.headers['content-length'], path);
    }
  });

  it('ignores query strings on endpoints that take none', async (t) => {
    const port = await serveView(t, new PlainRuntimeView());
    assert.equal((await fetchText(port, '/health?verbose=1&x')).status, 200);
    assert.equal((await fetchText(port, '/ports?')).status, 200);
    assert.equal((await fetchText(port, '/nope?x=1')).status, 404);
  });

  it('turns a throwing handler into a 500 without a stack, and logs the stack', async (t) => {
    const view = new PlainRuntimeView();
    view.daemons = () => {
      throw new Error('boom at /secret/path');
    };
    const logger = recordingLogger();
    const port = await serveView(t, view, { logger });
    const response = await fetchJson(port, '/health');
    assert.equal(response.status, 500);
    assert.equal(response.headers['content-type'], JSON_TYPE);
    assert.deepEqual(response.json, { error: 'internal error; see the route-server log' });
    assert.doesNotMatch(response.text, /boom|secret|at .*\.ts/);
    const logged = logger.entries.find((e) => e.message === 'http handler failed');
    assert.ok(logged, 'the failure is logged');
    assert.equal(logged.level, 'error');
    assert.equal(logged.fields.path, '/health');
    assert.match(String(logged.fields.stack), /boom at \/secret\/path\n\s+at /);
    // The server keeps serving.
    assert.equal((await fetchText(port, '/ports')).status, 200);
  });

  it('listens on port 0 and reports the address; close ends keep-alive connections', async () => {
    const server = await startHttpServer({ host: '127.0.0.1', port: 0, view: new PlainRuntimeView(), logger: recordingLogger() });
    assert.equal(server.address.host, '127.0.0.1');
    assert.ok(server.address.port > 0);
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      const first = await fetchText(server.address.port, '/health', { agent });
      assert.equal(first.status, 200);
      assert.equal(first.headers.connection, 'keep-alive');
      const started = Date.now();
      await server.close();
      // keepAliveTimeout is 5 s: a close that waited for the idle socket would take that long.
      assert.ok(Date.now() - started < 2_000, 'close must not wait for idle keep-alive sockets');
      await server.close(); // twice is fine
      await assert.rejects(fetchText(server.address.port, '/health'), /ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });

  it('rejects when the port is taken', async (t) => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as AddressInfo;
    await assert.rejects(
      startHttpServer({ host: '127.0.0.1', port, view: new PlainRuntimeView(), logger: recordingLogger() }),
      (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE',
    );
  });

  it('gzips large bodies for clients that accept it, and only them', async (t) => {
    const view = new PlainRuntimeView();
    view.summary = renderSummary({ routes: Array.from({ length: 200 }, (_, i) => routeInfo(String(2816 + i), 'web')) });
    const port = await serveView(t, view);
    const plain = await fetchText(port, '/routes.json');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.ok(plain.bytes > 8 * 1024);

    for (const accept of ['gzip', 'deflate, gzip;q=0.5', 'br, *']) {
      const zipped = await fetchText(port, '/routes.json', { headers: { 'accept-encoding': accept } });
      assert.equal(zipped.headers['content-encoding'], 'gzip', accept);
      assert.equal(zipped.headers.vary, 'Accept-Encoding', accept);
      assert.equal(Number(zipped.headers['content-length']), zipped.bytes, accept);
      assert.ok(zipped.bytes * 5 < plain.bytes, `${accept}: compressed`);
      assert.equal(zipped.text, plain.text, accept);
    }
    for (const accept of ['gzip;q=0', 'br', 'identity', '*;q=0']) {
      const response = await fetchText(port, '/routes.json', { headers: { 'accept-encoding': accept } });
      assert.equal(response.headers['content-encoding'], undefined, accept);
    }
    const head = await fetchText(port, '/routes.json', { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(head.headers['content-encoding'], 'gzip');
    assert.equal(head.bytes, 0);
    // Small bodies go as they are.
    const health = await fetchText(port, '/health', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(health.headers['content-encoding'], undefined);
    assert.equal(health.headers.vary, undefined);
  });

  it('reads Accept-Encoding q-values', () => {
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip(''), false);
    assert.equal(acceptsGzip('gzip, deflate, br'), true);
    assert.equal(acceptsGzip('GZIP'), true);
    assert.equal(acceptsGzip('x-gzip'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('gzip; q=0.001'), true);
    assert.equal(acceptsGzip('*;q=0.1'), true);
    assert.equal(acceptsGzip('*, gzip;q=0'), false);
    assert.equal(acceptsGzip('gzip;q=nonsense'), false);
  });
});
