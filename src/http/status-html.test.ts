import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { daemonStatus, diagnostic, PlainRuntimeView, renderSummary, routeInfo, T0, writerStatus } from '../../test/support/runtime-view.ts';
import { escapeHtml, STATUS_CSP, statusHtml } from './status-html.ts';
import { spans } from './status-ports.ts';
import { statusPage } from './status-model.ts';
import { STATUS_SCRIPT } from './status-script.ts';
import { STATUS_STYLE } from './status-style.ts';

const NOW = T0 + 60_000;
// What a tenant can put in a label: markup, attribute breakers, entities, bidi overrides, emoji.
const HOSTILE = [
  '<script>alert(1)</script>',
  '"onmouseover="alert(1)',
  "'><img src=x onerror=alert(1)>",
  '&lt;already&gt; &amp;',
  '</td></tr></table><h1>owned',
  'bidi\u202Eevil\u202C zero\u200Bwidth 🐳 ünïcödé',
];

function hostileView(): PlainRuntimeView {
  const view = new PlainRuntimeView();
  view.daemonList = [
    daemonStatus('2816', { lastEventAt: T0 + 30_000 }),
    daemonStatus('2880', { state: 'reconnecting', lastError: HOSTILE[0], containerFaults: [{ id: 'abc', name: HOSTILE[1] as string, error: HOSTILE[2] as string, since: T0, failures: 3 }] }),
  ];
  view.summary = renderSummary({
    routes: [
      routeInfo('2816', 'web', { rule: `Host(\`${HOSTILE[0]}\`)`, containers: [HOSTILE[1] as string], servers: [`http://127.0.11.2:8080/${HOSTILE[4]}`], autoRoute: true }),
      routeInfo('2880', 'api', { tls: undefined, entryPoints: ['web', HOSTILE[5] as string] }),
    ],
    diagnostics: [
      diagnostic('2816', 'label-decode', { container: HOSTILE[1] as string, label: `traefik.http.routers.${HOSTILE[2]}.rule`, message: HOSTILE[3] as string }),
      diagnostic('2816', 'host-conflict', { container: 'other', severity: 'warning' }),
      diagnostic('2880', 'render-failed', { message: HOSTILE[4] as string }),
    ],
    allocations: [{ protocol: 'tcp', port: 10001, daemon: '2816', router: 'pg', lastSeen: T0 }],
  });
  view.writerStatus = writerStatus({ files: [{ daemon: '2816', file: 'route-server-2816.yml', bytes: 120, writtenAt: T0, pending: false, lastError: null }] });
  return view;
}

/** Everything between tags, entities decoded: what a reader of the page sees as text. */
function visibleText(html: string): string {
  return html
    .replace(/<script>[\s\S]*?<\/script>|<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('status page HTML', () => {
  it('escapes the five characters that can leave text or a quoted attribute', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('shows hostile label values as text, never as markup or attributes', () => {
    const html = statusHtml(statusPage(hostileView(), NOW));
    // The page's own markup: exactly one script and one style element, no element a label could have made.
    assert.equal(html.match(/<script\b/g)?.length, 1);
    assert.equal(html.match(/<style\b/g)?.length, 1);
    assert.doesNotMatch(html, /<img|<h1>owned/i);
    // Every attribute is double-quoted and closed before the next one (no quote of a label ends one
    // early), and is one the page itself writes: no event handler came out of a label.
    const attributes = new Set<string>();
    for (const tag of html.match(/<[a-z][^>]*>/g) ?? []) {
      assert.match(tag, /^<[a-z0-9]+(\s[a-z-]+(="[^"<]*")?)*\s?>$/, tag);
      for (const [, name] of tag.matchAll(/\s([a-z-]+)(?:="[^"]*")?/g)) attributes.add(name as string);
    }
    const own = ['lang', 'charset', 'name', 'content', 'rel', 'href', 'data-now', 'id', 'class', 'role', 'method', 'action', 'for', 'type', 'value'];
    own.push('autocomplete', 'spellcheck', 'aria-labelledby', 'data-empty', 'scope', 'data-keys', 'data-label', 'datetime', 'title', 'colspan', 'hidden');
    assert.deepEqual([...attributes].filter((a) => !own.includes(a)), []);
    const text = visibleText(html);
    for (const value of HOSTILE) assert.ok(text.includes(value), `shown as text: ${value}`);
    assert.ok(text.includes(`traefik.http.routers.${HOSTILE[2]}.rule`), 'the label at fault');
  });

  it('has a table per kind of thing, with column headers, and diagnostics grouped by daemon and container', () => {
    const html = statusHtml(statusPage(hostileView(), NOW));
    for (const id of ['daemon-table', 'route-table', 'diagnostic-table', 'tcp-ports', 'udp-ports', 'port-ranges', 'sinks', 'files']) assert.match(html, new RegExp(`<table id="${id}"`), id);
    assert.match(html, /<th scope="col">Host or rule<\/th><th scope="col">Router<\/th>/);
    const groups = [...html.matchAll(/<th scope="rowgroup" colspan="4">([^<]*)<\/th>/g)].map((m) => m[1]);
    assert.deepEqual(groups, [`daemon 2816 · container ${escapeHtml(HOSTILE[1] as string)}`, 'daemon 2816 · container other', 'daemon 2880']);
    // Narrow windows label each cell with its column.
    assert.match(html, /<td data-label="Backends"><span class="line">http:\/\/127\.0\.11\.2:8080\/&lt;\/td&gt;/);
    assert.match(html, /<td data-label="State" class="tone-bad">reconnecting<\/td>/);
    assert.match(html, /<time datetime="2025-06-01T12:00:30\.000Z" title="2025-06-01T12:00:30\.000Z">30 s ago<\/time>/);
    assert.match(html, /<td data-label="Free">10: 10000, 10002–10010<\/td>/);
  });

  it('leaves out rows the filter does not match, by daemon, container or host, and says so', () => {
    const page = statusPage(hostileView(), NOW);
    const byHost = statusHtml(page, 'API-2880.EXAMPLE');
    assert.match(byHost, /api-2880<\/td>/);
    assert.doesNotMatch(byHost, /web-2816<\/td>/);
    assert.match(byHost, /<table id="route-table"[^>]*><caption>[^<]*<span class="count">\(1 of 2\)<\/span>/);
    const byContainer = statusHtml(page, 'other');
    assert.match(byContainer, /host-conflict/);
    assert.doesNotMatch(byContainer, /label-decode/);
    assert.match(statusHtml(page, 'nothing-like-this'), /<tfoot><tr><td colspan="9">Nothing matches the filter\.<\/td><\/tr><\/tfoot>/);
    // The filter comes from the URL: it is escaped like everything else.
    assert.match(statusHtml(page, '"><script>'), /value="&quot;&gt;&lt;script&gt;"/);
  });

  it('says plainly when there is nothing yet', () => {
    const html = statusHtml(statusPage(new PlainRuntimeView(), NOW));
    assert.match(html, /No daemon found yet\./);
    assert.match(html, /<dt>Last render<\/dt><dd class="tone-muted">never<\/dd>/);
  });

  it('allows exactly its own inline script and style by hash, and nothing from elsewhere', () => {
    const hash = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
    const html = statusHtml(statusPage(hostileView(), NOW));
    assert.equal(html.match(/<script>([\s\S]*?)<\/script>/)?.[1], STATUS_SCRIPT);
    assert.equal(html.match(/<style>([\s\S]*?)<\/style>/)?.[1], STATUS_STYLE);
    assert.match(STATUS_CSP, new RegExp(`script-src ${hash(STATUS_SCRIPT).replace(/[+/]/g, '\\$&')};`));
    assert.match(STATUS_CSP, new RegExp(`style-src ${hash(STATUS_STYLE).replace(/[+/]/g, '\\$&')};`));
    assert.match(STATUS_CSP, /^default-src 'none';/);
    assert.doesNotMatch(STATUS_CSP, /https?:|\*|unsafe/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    assert.doesNotMatch(STATUS_SCRIPT, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });

  it('writes free ports as spans', () => {
    assert.equal(spans([]), '');
    assert.equal(spans([5]), '5');
    assert.equal(spans([1, 2, 3, 7, 9, 10]), '1–3, 7, 9–10');
  });
});
