// The test decoder must decode as Traefik does, or the fleet tests prove nothing: the worked
// example and the traps of the design notes (KV-FACTS), each as Traefik's decoder behaves.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeKv } from './kv-decode.ts';
import { schemaAvailable } from './traefik-schema.ts';

const skip = schemaAvailable() ? false : "Traefik's reference schema (../shared/reference) is absent";
const decode = (pairs: Record<string, string>) => decodeKv(new Map(Object.entries(pairs)), 'traefik');

test('kv-decode: the worked example decodes field by field', { skip }, () => {
  const config = decode({
    'traefik/http/routers/webapp-2816/entryPoints/0': 'websecure',
    'traefik/http/routers/webapp-2816/entryPoints/1': 'websecure-v6',
    'traefik/http/routers/webapp-2816/middlewares/0': 'webapp-hsts-2816',
    'traefik/http/routers/webapp-2816/rule': 'Host(`app.example.com`)',
    'traefik/http/routers/webapp-2816/service': 'webapp-2816',
    'traefik/http/routers/webapp-2816/tls/certResolver': 'letsencrypt',
    'traefik/http/middlewares/webapp-hsts-2816/headers/stsSeconds': '15768000',
    'traefik/http/middlewares/webapp-hsts-2816/headers/stsIncludeSubdomains': 'true',
    'traefik/http/middlewares/webapp-hsts-2816/headers/customRequestHeaders/X-Env': 'prod',
    'traefik/http/services/webapp-2816/loadBalancer/servers/0/url': 'http://127.0.11.2:3000',
    'traefik/tcp/routers/mail-2880/entryPoints/0': 'tcp-25',
    'traefik/tcp/routers/mail-2880/rule': 'HostSNI(`*`)',
    'traefik/tcp/routers/mail-2880/service': 'mail-2880',
    'traefik/tcp/services/mail-2880/loadBalancer/servers/0/address': '127.0.11.66:25',
  });
  assert.deepEqual(config, {
    http: {
      routers: { 'webapp-2816': { entryPoints: ['websecure', 'websecure-v6'], middlewares: ['webapp-hsts-2816'], rule: 'Host(`app.example.com`)', service: 'webapp-2816', tls: { certResolver: 'letsencrypt' } } },
      middlewares: { 'webapp-hsts-2816': { headers: { stsSeconds: 15768000, stsIncludeSubdomains: true, customRequestHeaders: { 'X-Env': 'prod' } } } },
      services: { 'webapp-2816': { loadBalancer: { servers: [{ url: 'http://127.0.11.2:3000' }] } } },
    },
    tcp: {
      routers: { 'mail-2880': { entryPoints: ['tcp-25'], rule: 'HostSNI(`*`)', service: 'mail-2880' } },
      services: { 'mail-2880': { loadBalancer: { servers: [{ address: '127.0.11.66:25' }] } } },
    },
  });
});

test('kv-decode: list order is string order of the indexes, and a value with a comma is two elements', { skip }, () => {
  const config = decode(Object.fromEntries(['0', '1', '2', '10'].map((i) => [`traefik/http/routers/r/entryPoints/${i}`, `e${i}`]).concat([['traefik/http/routers/r/middlewares/0', 'a,b']])));
  assert.deepEqual(config.http.routers.r.entryPoints, ['e0', 'e1', 'e10', 'e2']);
  assert.deepEqual(config.http.routers.r.middlewares, ['a', 'b']);
});

test('kv-decode: an unknown field, the singular server form, a bad bool or a bare struct rejects everything', { skip }, () => {
  assert.throws(() => decode({ 'traefik/http/routers/r/rulez': 'x' }), /field not found/);
  assert.throws(() => decode({ 'traefik/httpx/routers/r/rule': 'x' }), /field not found/);
  assert.throws(() => decode({ 'traefik/http/services/s/loadBalancer/server/port': '80' }), /field not found/);
  assert.throws(() => decode({ 'traefik/tcp/routers/r/tls/passthrough': 'yes' }), /invalid bool/);
  assert.throws(() => decode({ 'traefik/http/middlewares/m/stripPrefix': 'true' }), /standalone/);
});

test('kv-decode: an allowEmpty field set to true, case-insensitive fields and merged siblings, other roots ignored', { skip }, () => {
  const config = decode({
    'traefik/tcp/routers/r/tls': 'true',
    'traefik/TCP/Routers/r/RULE': 'HostSNI(`a`)',
    'traefik/meta': 'ignored',
    'traefik-other/http/routers/x/rule': 'ignored',
  });
  assert.deepEqual(config, { tcp: { routers: { r: { tls: {}, rule: 'HostSNI(`a`)' } } } });
});
