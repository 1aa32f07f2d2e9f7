import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { ConfigObject } from '../traefik/config.ts';
import { DeliveryBodyCache } from './traefik-delivery.ts';
import { fetchJson, fetchText, PlainRuntimeView, renderSummary, serveView } from '../../test/support/runtime-view.ts';

const daemon2816: ConfigObject = {
  http: {
    routers: { 'app-2816': { rule: 'Host(`app.example.com`)', service: 'app-2816', middlewares: ['hdr-2816'] } },
    middlewares: { 'hdr-2816': { headers: { customResponseHeaders: { 'X-Template': '{{ .Secret }}' } } } },
    services: { 'app-2816': { loadBalancer: { servers: [{ url: 'http://127.0.11.2:3000' }] } } },
  },
};
const daemon2880: ConfigObject = {
  http: { routers: { 'web-2880': { rule: 'Host(`web.example.com`)', service: 'web-2880' } }, services: { 'web-2880': { loadBalancer: { servers: [{ url: 'http://127.0.12.2:80' }] } } } },
  tcp: { routers: { 'db-2880': { rule: 'HostSNI(`*`)', entryPoints: ['tcp-5432'], service: 'db-2880' } }, services: { 'db-2880': { loadBalancer: { servers: [{ address: '127.0.12.3:5432' }] } } } },
};

function view(): PlainRuntimeView {
  const v = new PlainRuntimeView();
  v.summary = renderSummary({
    fragments: [
      { daemon: '2816', socket: '/var/run/rediacc/docker-2816.sock', config: daemon2816 },
      { daemon: '2880', socket: '/var/run/rediacc/docker-2880.sock', config: daemon2880 },
    ],
  });
  return v;
}

const union = {
  http: {
    routers: { ...(daemon2816['http'] as any).routers, ...(daemon2880['http'] as any).routers },
    middlewares: (daemon2816['http'] as any).middlewares,
    services: { ...(daemon2816['http'] as any).services, ...(daemon2880['http'] as any).services },
  },
  tcp: daemon2880['tcp'],
};

describe('GET /traefik.yml and /traefik.json (HTTP provider delivery)', () => {
  it('serves the union of every fragment, read as plain YAML with no template pass: {{ stays {{', async (t) => {
    const port = await serveView(t, view());
    const yaml = await fetchText(port, '/traefik.yml');
    assert.equal(yaml.status, 200);
    assert.equal(yaml.headers['content-type'], 'application/yaml; charset=utf-8');
    assert.match(yaml.text, /X-Template: "\{\{ \.Secret \}\}"/);
    assert.deepEqual(parseYaml(yaml.text), union);
    const json = await fetchJson(port, '/traefik.json');
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(json.json, union);
  });

  it('answers 503 before the first render, so Traefik keeps what it has', async (t) => {
    const v = new PlainRuntimeView();
    const port = await serveView(t, v);
    const { status, json } = await fetchJson(port, '/traefik.yml');
    assert.equal(status, 503);
    assert.match(json.error, /no render yet/);
  });

  it('serializes once per render', () => {
    const cache = new DeliveryBodyCache('route-server test');
    const first = view().summary!;
    assert.equal(cache.body(first, 'yaml'), cache.body(first, 'yaml'));
    const next = { ...first };
    assert.notEqual(cache.body(next, 'yaml'), cache.body(first, 'yaml'));
  });
});

describe('GET /ports: entrypoints', () => {
  it('lists the entrypoints the host has, or null when the infra options are not set', async (t) => {
    const known = view();
    known.settings = { ...known.settings, hostEntrypoints: ['web', 'websecure', 'tcp-25'] };
    assert.deepEqual((await fetchJson(await serveView(t, known), '/ports')).json.entrypoints, ['web', 'websecure', 'tcp-25']);
    assert.equal((await fetchJson(await serveView(t, view()), '/ports')).json.entrypoints, null);
  });
});
