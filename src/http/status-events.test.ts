import assert from 'node:assert/strict';
import { createServer, request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import { recordingLogger } from '../../test/support/recording-logger.ts';
import { daemonStatus, fetchText, PlainRuntimeView, renderSummary, routeInfo, serveView, T0 } from '../../test/support/runtime-view.ts';
import { waitFor } from '../../test/support/wait.ts';
import { startHttpServer } from './server.ts';
import { StatusEvents } from './status-events.ts';
import type { StatusPage } from './status-model.ts';

interface Stream {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** `status` events received so far, parsed. */
  readonly pages: StatusPage[];
  raw: string;
  ended: boolean;
  close(): void;
}

/** Opens /events and collects what arrives until closed by either side. */
function openStream(port: number): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined;
    req = request({ host: '127.0.0.1', port, path: '/events', agent: false }, (response) => {
      const stream: Stream = { status: response.statusCode ?? 0, headers: response.headers, pages: [], raw: '', ended: false, close: () => req?.destroy() };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        stream.raw += chunk;
        for (const [, data] of chunk.matchAll(/^event: status\ndata: (.*)$/gm)) stream.pages.push(JSON.parse(data as string) as StatusPage);
      });
      const end = () => (stream.ended = true);
      response.on('end', end);
      response.on('close', end);
      response.on('error', end);
      resolve(stream);
    });
    req.on('error', reject);
    req.end();
  });
}

const routerNames = (page: StatusPage | undefined) =>
  page?.tables.find((t) => t.id === 'route-table')?.groups.flatMap((g) => g.rows.map((r) => r.cells[1]?.text)) ?? [];

describe('status page over HTTP', () => {
  it('GET / is HTML with a CSP that allows nothing from elsewhere, and filters by ?q=', async (t) => {
    const view = new PlainRuntimeView();
    view.summary = renderSummary({ routes: [routeInfo('2816', 'web'), routeInfo('2880', 'api')] });
    const port = await serveView(t, view);
    const page = await fetchText(port, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(page.headers['content-security-policy']), /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /web-2816/);
    const filtered = await fetchText(port, '/?q=2880');
    assert.match(filtered.text, /api-2880/);
    assert.doesNotMatch(filtered.text, /web-2816/);
  });

  it('/events sends the page at once and again when what it shows changes', async (t) => {
    const view = new PlainRuntimeView();
    view.daemonList = [daemonStatus('2816')];
    view.summary = renderSummary({ routes: [routeInfo('2816', 'web')] });
    const port = await serveView(t, view);
    const stream = await openStream(port);
    t.after(() => stream.close());
    assert.equal(stream.status, 200);
    assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
    await waitFor(() => stream.pages.length === 1, { what: 'the first status event' });
    assert.match(stream.raw, /^retry: 3000\n/);
    assert.deepEqual(routerNames(stream.pages[0]), ['web-2816']);

    view.summary = renderSummary({ routes: [routeInfo('2816', 'web'), routeInfo('2816', 'new')] });
    view.changed();
    await waitFor(() => stream.pages.length === 2, { what: 'an event for the new render' });
    assert.deepEqual(routerNames(stream.pages[1]), ['new-2816', 'web-2816']);

    view.daemonList = [daemonStatus('2816', { state: 'reconnecting', lastError: 'connect ENOENT' })];
    view.changed();
    await waitFor(() => stream.pages.length === 3, { what: 'an event for the daemon state' });
    assert.equal(stream.pages[2]?.status, 'degraded');
  });

  it('does not send the same page twice: a notice with nothing changed sends nothing', async (t) => {
    const view = new PlainRuntimeView();
    view.summary = renderSummary({ routes: [routeInfo('2816', 'web')] });
    const port = await serveView(t, view);
    const quiet = await openStream(port);
    t.after(() => quiet.close());
    await waitFor(() => quiet.pages.length === 1, { what: 'the first status event' });
    // A second stream makes the server look again; an unchanged view gives the first one nothing new.
    const other = await openStream(port);
    t.after(() => other.close());
    await waitFor(() => other.pages.length === 1, { what: 'the second stream’s first event' });
    // The runtime says something may have changed, but the page would be the same: no event. Had
    // one gone out, it would arrive before the real change's below.
    view.changed();
    view.changed();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    view.summary = renderSummary({ routes: [routeInfo('2816', 'web'), routeInfo('2816', 'new')] });
    view.changed();
    await waitFor(() => quiet.pages.length >= 2 && other.pages.length >= 2, { what: 'the change on both streams' });
    assert.equal(quiet.pages.length, 2);
    assert.deepEqual(routerNames(quiet.pages[1]), ['new-2816', 'web-2816']);
    assert.deepEqual({ ...other.pages[1], now: 0 }, { ...quiet.pages[1], now: 0 }, 'one page for every stream');
  });

  it('a burst of changes gives one event, and a quiet stream gets only keep-alive comments', async (t) => {
    const view = new PlainRuntimeView();
    const events = new StatusEvents({ view, logger: recordingLogger(), now: () => T0, heartbeatMs: 50, settleMs: 200 });
    const server = createServer((request, response) => events.attach(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      events.close();
      server.close();
    });
    const stream = await openStream((server.address() as AddressInfo).port);
    await waitFor(() => stream.pages.length === 1, { what: 'the first status event' });
    for (const name of ['a', 'b', 'c']) {
      view.summary = renderSummary({ routes: [routeInfo('2816', name)] });
      view.changed();
    }
    await waitFor(() => stream.pages.length === 2, { what: 'the burst' });
    assert.deepEqual(routerNames(stream.pages[1]), ['c-2816']);
    const before = stream.raw.length;
    await waitFor(() => stream.raw.slice(before).includes(': still here\n\n'), { what: 'a keep-alive' });
    assert.equal(stream.pages.length, 2);
    assert.doesNotMatch(stream.raw.slice(before), /event:/);
  });

  it('holds at most 16 streams, frees a slot when a client leaves, and HEAD opens none', async (t) => {
    const port = await serveView(t, new PlainRuntimeView());
    const head = await fetchText(port, '/events', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-type'], 'text/event-stream; charset=utf-8');
    const streams = await Promise.all(Array.from({ length: 16 }, () => openStream(port)));
    t.after(() => streams.forEach((s) => s.close()));
    assert.ok(streams.every((s) => s.status === 200));
    const refused = await fetchText(port, '/events');
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '10');
    assert.match(JSON.parse(refused.text).error, /too many live status streams/);
    streams[0]?.close();
    const again = await waitFor(async () => {
      const stream = await openStream(port);
      if (stream.status === 200) return stream;
      return undefined;
    }, { what: 'a slot after one client left' });
    t.after(() => again.close());
  });

  it('close() ends open streams rather than waiting for the clients', async () => {
    const server = await startHttpServer({ host: '127.0.0.1', port: 0, view: new PlainRuntimeView(), logger: recordingLogger() });
    const stream = await openStream(server.address.port);
    await waitFor(() => stream.pages.length === 1, { what: 'the first status event' });
    await server.close();
    await waitFor(() => stream.ended, { what: 'the stream to end with the server' });
  });
});
