import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Histogram } from './histogram.ts';
import { EVENT_TO_WRITE_BUCKETS_SECONDS, Metrics } from './metrics-registry.ts';
import { escapeHelp, escapeLabelValue, formatFamilies } from './prometheus-text.ts';
import { daemonStatus, fetchJson, fetchText, PlainRuntimeView, renderSummary, routeInfo, serveView, T0, writerStatus } from '../../test/support/runtime-view.ts';

interface ParsedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

interface ParsedFamily {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * A strict reader of the text format, line by line: HELP then TYPE then the family's samples, each
 * family once, sample names belonging to the family, label values unescaped, values as floats.
 */
function parseExposition(text: string): Map<string, ParsedFamily> {
  assert.ok(text.endsWith('\n'), 'the body ends with a newline');
  const families = new Map<string, ParsedFamily>();
  let current: ParsedFamily | undefined;
  let pendingHelp: { name: string; help: string } | undefined;
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (help) {
      assert.match(help[1]!, NAME, where);
      assert.ok(!families.has(help[1]!), `family ${help[1]} appears once (${where})`);
      pendingHelp = { name: help[1]!, help: unescape(help[2]!, false) };
      continue;
    }
    if (type) {
      assert.equal(pendingHelp?.name, type[1], `TYPE follows its HELP (${where})`);
      current = { name: type[1]!, help: pendingHelp!.help, type: type[2]!, samples: [] };
      families.set(current.name, current);
      pendingHelp = undefined;
      continue;
    }
    assert.ok(!line.startsWith('#'), `no other comments (${where})`);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(sample, `a sample line (${where})`);
    assert.ok(current, `a sample after a TYPE (${where})`);
    const suffixes = current.type === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
    assert.ok(
      suffixes.some((s) => sample[1] === current!.name + s),
      `sample ${sample[1]} belongs to ${current.name} (${where})`,
    );
    current.samples.push({ name: sample[1]!, labels: parseLabels(sample[2] ?? '', where), value: parseValue(sample[3]!, where) });
  }
  return families;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    assert.ok(match, `labels ${JSON.stringify(rest)} (${where})`);
    assert.ok(!(match[1]! in labels), `label ${match[1]} once (${where})`);
    labels[match[1]!] = unescape(match[2]!, true);
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function unescape(text: string, quotes: boolean): string {
  return text.replace(quotes ? /\\([\\"n])/g : /\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string, where: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  assert.match(text, /^-?\d+(\.\d+)?(e[+-]?\d+)?$/, `a float value (${where})`);
  return Number(text);
}

function sampleValue(family: ParsedFamily | undefined, labels: Record<string, string> = {}, name = family?.name): number | undefined {
  return family?.samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
}

describe('GET /metrics', () => {
  it('exposes counters per daemon, zero from the first scrape, with HELP and TYPE', async (t) => {
    const view = new PlainRuntimeView();
    view.daemonList = [daemonStatus('2816', { eventsReceived: 2, reconnects: 1 }), daemonStatus('10000')];
    view.metrics.writeDone('2816');
    view.metrics.writeFailed('10000');
    view.metrics.renderDone(3);
    view.metrics.renderDone(12);
    const port = await serveView(t, view, { now: T0 + 60_000 });
    const response = await fetchText(port, '/metrics');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const families = parseExposition(response.text);
    for (const family of families.values()) {
      // route-server's own families, then the process families named as every Node service names them.
      assert.match(family.name, /^(route_server|process|nodejs)_/);
      assert.notEqual(family.help, '');
    }
    const events = families.get('route_server_events_received_total');
    assert.equal(events?.type, 'counter');
    assert.deepEqual(events?.samples, [
      { name: 'route_server_events_received_total', labels: { daemon: '2816' }, value: 2 },
      { name: 'route_server_events_received_total', labels: { daemon: '10000' }, value: 0 },
    ]);
    assert.equal(sampleValue(families.get('route_server_writes_total'), { daemon: '2816' }), 1);
    assert.equal(sampleValue(families.get('route_server_writes_total'), { daemon: '10000' }), 0);
    assert.equal(sampleValue(families.get('route_server_write_errors_total'), { daemon: '10000' }), 1);
    assert.equal(sampleValue(families.get('route_server_reconnects_total'), { daemon: '2816' }), 1);
    assert.equal(sampleValue(families.get('route_server_renders_total')), 2);
    // Read from the same daemon status as /health: the two cannot disagree.
    const health = await fetchJson(port, '/health');
    for (const daemon of health.json.daemons as { id: string; eventsReceived: number; reconnects: number }[]) {
      assert.equal(sampleValue(families.get('route_server_events_received_total'), { daemon: daemon.id }), daemon.eventsReceived);
      assert.equal(sampleValue(families.get('route_server_reconnects_total'), { daemon: daemon.id }), daemon.reconnects);
    }
    const render = families.get('route_server_render_duration_seconds');
    assert.equal(render?.type, 'histogram');
    assert.equal(sampleValue(render, {}, 'route_server_render_duration_seconds_sum'), 0.015);
    assert.equal(sampleValue(render, {}, 'route_server_render_duration_seconds_count'), 2);
    assert.equal(sampleValue(families.get('route_server_uptime_seconds')), 60);
    assert.equal(sampleValue(families.get('route_server_build_info'), { version: '9.9.9-test' }), 1);
  });

  it('has cumulative event-to-write buckets from 5 ms to 10 s, +Inf equal to the count', async (t) => {
    const view = new PlainRuntimeView();
    for (const ms of [1, 5, 7, 40, 40, 2_000, 10_000, 25_000, Number.NaN, -3]) view.metrics.eventToWrite(ms);
    const port = await serveView(t, view);
    const families = parseExposition((await fetchText(port, '/metrics')).text);
    const family = families.get('route_server_event_to_write_seconds');
    assert.equal(family?.type, 'histogram');
    const buckets = family!.samples.filter((s) => s.name.endsWith('_bucket'));
    assert.deepEqual(
      buckets.map((b) => b.labels.le),
      [...EVENT_TO_WRITE_BUCKETS_SECONDS.map(String), '+Inf'],
    );
    assert.equal(buckets[0]!.labels.le, '0.005');
    assert.equal(buckets.at(-2)!.labels.le, '10');
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, 'cumulative');
    // NaN is dropped; -3 ms counts as 0.
    const count = sampleValue(family, {}, 'route_server_event_to_write_seconds_count');
    assert.equal(count, 9);
    assert.equal(buckets.at(-1)!.value, count);
    assert.deepEqual(
      buckets.map((b) => b.value),
      [3, 4, 4, 6, 6, 6, 6, 6, 7, 7, 8, 9],
    );
    assert.equal(sampleValue(family, {}, 'route_server_event_to_write_seconds_sum'), 0.001 + 0.005 + 0.007 + 0.04 + 0.04 + 2 + 10 + 25);
  });

  it('computes gauges from the view at scrape time', async (t) => {
    const view = new PlainRuntimeView();
    view.daemonList = [
      daemonStatus('2816'),
      daemonStatus('2880', { state: 'reconnecting' }),
      daemonStatus('2944', { state: 'error' }),
      daemonStatus('3008', { state: 'error' }),
    ];
    view.stale = new Set(['2880']);
    view.summary = renderSummary({
      renderedAt: T0 + 2_500,
      routes: [routeInfo('2816', 'a'), routeInfo('2816', 'b', { protocol: 'tcp' })],
      allocations: [{ protocol: 'tcp', port: 10000, daemon: '2816', router: 'b', lastSeen: T0 }],
    });
    view.writerStatus = writerStatus({ lastWriteAt: T0 + 3_000, lastError: 'ENOSPC', lastErrorAt: T0 + 4_000, restores: 2 });
    const port = await serveView(t, view);
    const families = parseExposition((await fetchText(port, '/metrics')).text);
    const daemons = families.get('route_server_daemons');
    assert.equal(daemons?.type, 'gauge');
    assert.deepEqual(
      daemons?.samples.map((s) => [s.labels.state, s.value]),
      [
        ['connecting', 0],
        ['connected', 1],
        ['reconnecting', 1],
        ['error', 2],
      ],
    );
    assert.equal(sampleValue(families.get('route_server_daemons_stale')), 1);
    assert.equal(sampleValue(families.get('route_server_daemon_connected'), { daemon: '2816' }), 1);
    assert.equal(sampleValue(families.get('route_server_daemon_connected'), { daemon: '2880' }), 0);
    assert.equal(sampleValue(families.get('route_server_routers'), { protocol: 'tcp' }), 1);
    assert.equal(sampleValue(families.get('route_server_routers'), { protocol: 'udp' }), 0);
    assert.equal(sampleValue(families.get('route_server_last_render_timestamp_seconds')), (T0 + 2_500) / 1000);
    assert.equal(sampleValue(families.get('route_server_output_failing')), 1);
    assert.equal(sampleValue(families.get('route_server_port_allocations'), { protocol: 'tcp' }), 1);
    assert.equal(sampleValue(families.get('route_server_write_restores_total')), 2);
    assert.equal(sampleValue(families.get('route_server_sink_failing'), { sink: 'files', target: '/etc/traefik/dynamic' }), 1);
    // Writes for a daemon the view no longer lists (its file was just removed) still show.
    view.metrics.writeDone('gone');
    const again = parseExposition((await fetchText(port, '/metrics')).text);
    assert.equal(sampleValue(again.get('route_server_writes_total'), { daemon: 'gone' }), 1);
  });

  it('also carries the process metrics operators expect, after route-server\'s own', async (t) => {
    const port = await serveView(t, new PlainRuntimeView());
    const text = (await fetchText(port, '/metrics')).text;
    const families = parseExposition(text);
    const gauges = ['process_resident_memory_bytes', 'process_open_fds', 'nodejs_eventloop_lag_seconds', 'nodejs_active_handles', 'nodejs_heap_size_used_bytes'];
    for (const name of gauges) assert.equal(families.get(name)?.type, 'gauge', name);
    assert.equal(families.get('process_cpu_seconds_total')?.type, 'counter');
    assert.equal(families.get('nodejs_gc_duration_seconds')?.type, 'histogram');
    assert.ok(sampleValue(families.get('process_resident_memory_bytes'))! > 1_000_000, 'a real resident size');
    assert.ok(sampleValue(families.get('process_open_fds'))! > 0, 'a real descriptor count');
    assert.ok(text.indexOf('route_server_build_info') < text.indexOf('process_resident_memory_bytes'), 'own families first');
    // A second scrape is as well-formed as the first (the collectors are started once per process).
    assert.equal(parseExposition((await fetchText(port, '/metrics')).text).get('process_max_fds')?.type, 'gauge');
  });

  it('escapes label values and help text so any daemon name reads back exactly', async (t) => {
    const odd = 'we"ird\\id\nnext';
    const view = new PlainRuntimeView();
    view.version = 'v1 "quoted"\\';
    view.daemonList = [daemonStatus(odd, { eventsReceived: 1 })];
    const port = await serveView(t, view);
    const text = (await fetchText(port, '/metrics')).text;
    assert.ok(text.includes('daemon="we\\"ird\\\\id\\nnext"'), 'escaped on the wire');
    const families = parseExposition(text);
    assert.equal(sampleValue(families.get('route_server_events_received_total'), { daemon: odd }), 1);
    assert.equal(sampleValue(families.get('route_server_build_info'), { version: 'v1 "quoted"\\' }), 1);

    assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    assert.equal(escapeHelp('a"b\\c\nd'), 'a"b\\\\c\\nd');
    const help = formatFamilies([{ name: 'x', help: 'line\none \\ "two"', type: 'gauge', samples: [{ value: NaN }, { value: -Infinity, labels: { a: '' } }] }]);
    assert.equal(help, '# HELP x line\\none \\\\ "two"\n# TYPE x gauge\nx NaN\nx{a=""} -Inf\n');
  });
});

describe('Histogram', () => {
  it('refuses bounds that are not finite and strictly increasing', () => {
    assert.throws(() => new Histogram([0.1, 0.1]), /strictly increasing, got \[0\.1,0\.1\]/);
    assert.throws(() => new Histogram([1, Infinity]), RangeError);
    assert.deepEqual(new Histogram([]).snapshot(), { buckets: [], sum: 0, count: 0 });
  });

  it('counts an observation on a bound into that bucket (le is inclusive)', () => {
    const histogram = new Histogram([1, 2]);
    histogram.observe(1);
    histogram.observe(2.5);
    assert.deepEqual(histogram.snapshot(), {
      buckets: [
        { le: 1, count: 1 },
        { le: 2, count: 1 },
      ],
      sum: 3.5,
      count: 2,
    });
  });

  it('Metrics keeps working after odd inputs', () => {
    const metrics = new Metrics();
    metrics.renderDone(Number.POSITIVE_INFINITY);
    metrics.eventToWrite(-1);
    const text = formatFamilies(metrics.families());
    assert.ok(text.includes('route_server_renders_total 1\n'));
    assert.ok(text.includes('route_server_render_duration_seconds_count 0\n'));
    assert.ok(text.includes('route_server_event_to_write_seconds_bucket{le="0.005"} 1\n'));
  });
});
