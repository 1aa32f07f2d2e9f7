// The status page in a real browser (Debian's chromium via playwright-core) against a real
// `route-server run` over a real Docker daemon: a container's new route appears without a reload,
// the live feed is quiet while nothing changes, a killed daemon is marked failing, a hostile label
// stays text, and the console stays clean.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium, type Browser, type Page } from 'playwright-core';

import { browserUnavailableReason, chromiumPath } from '../support/browser.ts';
import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import { RouteServerProcess } from '../support/route-server-process.ts';
import { waitFor } from '../support/wait.ts';

const unavailable = daemonsUnavailableReason() ?? browserUnavailableReason();
if (unavailable !== null) process.stderr.write(`\n!!! test/browser/status-page.test.ts cannot run: ${unavailable}\n\n`);

const WAIT_MS = 30_000;
// A label key cannot hold `=` (docker splits there), a value can.
const HOSTILE_KEY = '<script>alert(1)</script>';
const HOSTILE_VALUE = '"><img src=x onerror=alert(document.domain)>';
let farm: DaemonFarm;
let daemon: DockerDaemon;
let server: RouteServerProcess;
let browser: Browser;
let page: Page;
/** Console errors, uncaught exceptions, dialogs and failed requests of the page: all must stay empty. */
const problems: string[] = [];

function run(name: string, labels: Record<string, string>): Promise<string> {
  const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return daemon.docker('run', '-d', '--init', '--network', 'host', '--name', name, ...flags, BUSYBOX_IMAGE, 'sleep', '1d');
}

// Browser-side code goes as strings: the project has no DOM types, and the test runner's transpiler
// would add helpers to a function's source that do not exist in the page.
const NOT_RELOADED = 'window.notReloaded === true';

/** `text|class` of one column in the row whose first cell is `first`, as the page shows it now. */
function cellText(table: string, first: string, column: string): Promise<string | null> {
  return page.evaluate(`(() => {
    const row = [...document.querySelectorAll(${JSON.stringify(`#${table} tbody tr`)})].find((tr) => tr.querySelector('td')?.textContent === ${JSON.stringify(first)});
    const cell = row?.querySelector(${JSON.stringify(`td[data-label="${column}"]`)});
    return cell ? (cell.textContent ?? '') + '|' + cell.className : null;
  })()`);
}

/** A second reader of /events, outside the browser, that sees the raw stream (comments included). */
function openFeed(url: string): { raw(): string; statusEvents(): number; close(): void } {
  let text = '';
  const request = http.get(url, (response) => {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
  });
  request.on('error', () => {});
  return {
    raw: () => text,
    statusEvents: () => text.split('\nevent: status\n').length - 1 + (text.startsWith('event: status\n') ? 1 : 0),
    close: () => request.destroy(),
  };
}

describe('status page in a real browser', { concurrency: false }, () => {
  before(async () => {
    farm = await startDaemons(1);
    daemon = farm.daemons[0] as DockerDaemon;
    const work = join(farm.root, 'status');
    mkdirSync(work, { recursive: true });
    server = await RouteServerProcess.start([
      '--sockets', join(farm.root, 'docker-*.sock'),
      '--out', join(work, 'out'),
      '--state-dir', join(work, 'state'),
      '--base-domain', 'example.com',
    ]);
    await waitFor(async () => (await server.getJson('/health')).body.lastRenderAt, { what: 'a first render', timeoutMs: WAIT_MS });
    browser = await chromium.launch({ executablePath: chromiumPath() as string });
    // A phone-sized window: the page must fit it without sideways scrolling.
    page = await browser.newPage({ viewport: { width: 380, height: 800 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('requestfailed', (request) => {
      // The live stream is cut when the page closes; anything else failing is a problem.
      if (!request.url().endsWith('/events')) problems.push(`request failed: ${request.url()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await farm?.stop();
  });

  it('shows a route a container just got, without a reload', async () => {
    await page.goto(server.url('/'));
    await page.waitForFunction("document.getElementById('live').textContent.startsWith('Live:')", undefined, { timeout: WAIT_MS });
    // Set after load: a reload or navigation would lose it.
    await page.evaluate('window.notReloaded = true');
    assert.equal(await page.locator('#route-table').getByText('web-2816.example.com').count(), 0);
    assert.match((await cellText('daemon-table', '2816', 'State')) ?? '', /^connected\|tone-ok$/);

    await run('web', { 'rediacc.service_name': 'web', 'rediacc.service_ip': '127.0.11.2', 'rediacc.tcp_ports': '8080' });
    await page.locator('#route-table td', { hasText: 'Host(`web-2816.example.com`)' }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.evaluate(NOT_RELOADED), true);
    assert.match((await cellText('route-table', 'Host(`web-2816.example.com`)', 'Backends')) ?? '', /^http:\/\/127\.0\.11\.2:8080\|/);
    assert.match((await cellText('route-table', 'Host(`web-2816.example.com`)', 'From')) ?? '', /^auto-route\|/);
  });

  it('is complete without JavaScript, and filters by the form', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await context.newPage();
      await plain.goto(server.url('/'));
      assert.equal(await plain.locator('#route-table td', { hasText: 'Host(`web-2816.example.com`)' }).count(), 1);
      assert.match((await plain.locator('#live').textContent()) ?? '', /live updates need JavaScript/);
      await plain.fill('#q', 'no-such-daemon');
      await plain.click('form button');
      await plain.waitForURL(/\?q=no-such-daemon$/);
      assert.equal(await plain.locator('#route-table td', { hasText: 'web-2816' }).count(), 0);
      assert.ok(await plain.getByText('Nothing matches the filter.').first().isVisible());
    } finally {
      await context.close();
    }
  });

  it('shows a hostile label as text, grouped under its daemon and container', async () => {
    await run('evil', { 'traefik.enable': 'true', 'rediacc.service_ip': '127.0.11.3', [`traefik.http.routers.${HOSTILE_KEY}.rulez`]: HOSTILE_VALUE });
    const group = page.locator('#diagnostic-table th[scope="rowgroup"]', { hasText: 'daemon 2816 · container evil' });
    await group.waitFor({ timeout: WAIT_MS });
    // The undecodable label, named in the Label column exactly as the tenant wrote it.
    await page.locator('#diagnostic-table td[data-label="Label"]', { hasText: `traefik.http.routers.${HOSTILE_KEY}.rulez` }).waitFor({ timeout: WAIT_MS });
    assert.equal(await page.locator('main img, main script').count(), 0, 'no element came out of a label');
  });

  it('filters by host, daemon or container as one types', async () => {
    await page.fill('#q', 'evil');
    await page.waitForFunction(`document.querySelector('#route-table caption .count').textContent === '(0 of 1)'`);
    assert.ok(await page.locator('#diagnostic-table th', { hasText: 'container evil' }).isVisible());
    assert.match(page.url(), /\?q=evil$/);
    await page.fill('#q', '');
    await page.waitForFunction(`document.querySelector('#route-table caption .count').textContent === '(1)'`);
  });

  it('sends nothing while nothing changes, and a change on the daemon at once', async () => {
    const feed = openFeed(server.url('/events'));
    try {
      await waitFor(() => feed.statusEvents() >= 1, { what: 'the first status event', timeoutMs: WAIT_MS });
      // Whatever the earlier tests started may still be settling: wait for a quiet spell first.
      await waitFor(async () => {
        const seen = feed.statusEvents();
        await sleep(2_000);
        return feed.statusEvents() === seen;
      }, { what: 'a quiet feed', timeoutMs: WAIT_MS });
      const quiet = feed.statusEvents();
      await sleep(3_000);
      assert.equal(feed.statusEvents(), quiet, 'no status event while nothing changed');

      await run('late', { 'rediacc.service_name': 'late', 'rediacc.service_ip': '127.0.11.4', 'rediacc.tcp_ports': '8080' });
      await waitFor(() => feed.raw().includes('late-2816.example.com'), { what: 'the new route in the feed', timeoutMs: WAIT_MS });
      await page.locator('#route-table td', { hasText: 'Host(`late-2816.example.com`)' }).waitFor({ timeout: WAIT_MS });
      assert.equal(await page.evaluate(NOT_RELOADED), true);
    } finally {
      feed.close();
    }
  });

  it('fits a narrow window', async () => {
    const [scrollWidth, innerWidth] = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
    assert.ok(scrollWidth <= innerWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`);
  });

  it('marks the daemon failing when it is killed, still without a reload', async () => {
    daemon.kill('SIGKILL');
    await waitFor(async () => /^(reconnecting|error)(, stale)?\|tone-bad$/.test((await cellText('daemon-table', '2816', 'State')) ?? ''), {
      what: 'daemon 2816 marked failing',
      timeoutMs: WAIT_MS,
    });
    assert.equal(await page.locator('#status').textContent(), 'degraded');
    assert.notEqual(await page.locator('#reasons li', { hasText: 'daemon 2816' }).count(), 0);
    assert.match((await cellText('daemon-table', '2816', 'Last error')) ?? '', /\|tone-bad$/);
    // Its last good routes stay served, and shown.
    assert.equal(await page.locator('#route-table td', { hasText: 'Host(`web-2816.example.com`)' }).count(), 1);
    assert.equal(await page.evaluate(NOT_RELOADED), true);
    assert.deepEqual(problems, []);
  });
});
