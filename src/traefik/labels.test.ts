import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toJsonValue, type ConfigObject } from './config.ts';
import { decodeLabels } from './labels.ts';

function decoded(labels: Record<string, string>): unknown {
  const result = decodeLabels(labels);
  assert.ok(result.ok, `expected labels to decode, got ${result.ok ? '' : result.error}`);
  return toJsonValue(result.config);
}

function failure(labels: Record<string, string>): { error: string; label?: string } {
  const result = decodeLabels(labels);
  assert.ok(!result.ok, `expected a decode error, got ${JSON.stringify(result.ok && toJsonValue(result.config))}`);
  return result;
}

test('field names match case-insensitively and come out in canonical camelCase', () => {
  assert.deepEqual(
    decoded({
      'traefik.http.services.web.LoadBalancer.Server.Port': '8080',
      'traefik.HTTP.routers.web.EntryPoints': 'websecure',
      'traefik.http.middlewares.m.headers.CUSTOMREQUESTHEADERS.X-Foo': 'bar',
    }),
    {
      http: {
        middlewares: { m: { headers: { customRequestHeaders: { 'X-Foo': 'bar' } } } },
        routers: { web: { entryPoints: ['websecure'] } },
        services: { web: { loadBalancer: { servers: [{ port: '8080' }] } } },
      },
    },
  );
});

test('labels differing only in case merge: name of the first in sorted order, value of the last', () => {
  assert.deepEqual(decoded({ 'traefik.http.routers.Foo.rule': 'Host(`a`)', 'traefik.http.routers.foo.rule': 'Host(`b`)' }), {
    http: { routers: { Foo: { rule: 'Host(`b`)' } } },
  });
});

test('comma lists are split and trimmed; an empty value leaves the list unset', () => {
  assert.deepEqual(decoded({ 'traefik.http.routers.r.entrypoints': ' web , websecure,', 'traefik.http.routers.r.middlewares': '' }), {
    http: { routers: { r: { entryPoints: ['web', 'websecure', ''] } } },
  });
});

test("list items are trimmed as Go's strings.TrimSpace trims them: NEL and no-break spaces go, a BOM stays", () => {
  // Both decoders: an index sends the second label set to the tree, the first takes the direct pass.
  const direct = { 'traefik.http.routers.r.entrypoints': '\u0085web\u00a0,\u3000websecure\u2028, \ufeffbom\ufeff' };
  const tree = { ...direct, 'traefik.http.routers.r.tls.domains[0].main': 'a.example.com' };
  assert.deepEqual(decoded(direct), { http: { routers: { r: { entryPoints: ['web', 'websecure', '\ufeffbom\ufeff'] } } } });
  const viaTree = decoded(tree) as { http: { routers: Record<string, { entryPoints?: unknown }> } };
  assert.deepEqual(viaTree.http.routers['r']?.entryPoints, ['web', 'websecure', '\ufeffbom\ufeff']);
});

test('indexed struct lists follow the sorted label order, not the index values', () => {
  // Sorted keys put domains[10] between domains[0] and domains[1], as Go's sort does.
  assert.deepEqual(
    decoded({
      'traefik.http.routers.r.tls.domains[0].main': 'a.example.com',
      'traefik.http.routers.r.tls.domains[1].main': 'b.example.com',
      'traefik.http.routers.r.tls.domains[1].sans': 'c.example.com,d.example.com',
      'traefik.http.routers.r.tls.domains[10].main': 'e.example.com',
    }),
    {
      http: {
        routers: {
          r: {
            tls: {
              domains: [{ main: 'a.example.com' }, { main: 'e.example.com' }, { main: 'b.example.com', sans: ['c.example.com', 'd.example.com'] }],
            },
          },
        },
      },
    },
  );
});

test('the load balancer takes the singular `server`; `servers[0]` is an unknown field', () => {
  assert.deepEqual(decoded({ 'traefik.http.services.s.loadbalancer.server.scheme': 'https', 'traefik.http.services.s.loadbalancer.server.port': '8443' }), {
    http: { services: { s: { loadBalancer: { servers: [{ port: '8443', scheme: 'https' }] } } } },
  });
  const error = failure({ 'traefik.http.services.s.loadbalancer.servers[0].url': 'http://x' });
  assert.equal(error.error, 'field not found, node: servers');
  assert.equal(error.label, 'traefik.http.services.s.loadbalancer.servers[0].url');
});

test('booleans follow Go ParseBool; anything else is an error naming the label', () => {
  for (const [text, value] of [['1', true], ['t', true], ['TRUE', true], ['True', true], ['0', false], ['F', false], ['False', false]] as const) {
    assert.deepEqual(decoded({ 'traefik.http.middlewares.m.headers.framedeny': text }), { http: { middlewares: { m: { headers: { frameDeny: value } } } } });
  }
  for (const text of ['yes', 'on', 'tRuE', '', ' true']) {
    const error = failure({ 'traefik.http.middlewares.m.headers.framedeny': text });
    assert.equal(error.error, `strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
    assert.equal(error.label, 'traefik.http.middlewares.m.headers.framedeny');
  }
});

test('integers are base-10 int64: sign allowed, underscores, hex and overflow are errors', () => {
  assert.deepEqual(decoded({ 'traefik.http.routers.r.priority': '+42' }), { http: { routers: { r: { priority: 42 } } } });
  assert.deepEqual(decoded({ 'traefik.http.middlewares.b.buffering.maxrequestbodybytes': '9223372036854775807' }), {
    http: { middlewares: { b: { buffering: { maxRequestBodyBytes: '9223372036854775807' } } } },
  });
  for (const text of ['1_000', '0x10', '1e3', '9223372036854775808', '4.2']) {
    assert.match(failure({ 'traefik.http.routers.r.priority': text }).error, /^strconv\.ParseInt: parsing/);
  }
});

test('durations: a bare integer is seconds, Go syntax otherwise, both kept as written', () => {
  assert.deepEqual(
    decoded({
      'traefik.http.services.s.loadbalancer.healthcheck.interval': '10',
      'traefik.http.services.s.loadbalancer.healthcheck.timeout': '1m30s',
      'traefik.http.services.s.loadbalancer.healthcheck.unhealthyinterval': '1.5h',
    }),
    { http: { services: { s: { loadBalancer: { healthCheck: { interval: '10', timeout: '1m30s', unhealthyInterval: '1.5h' } } } } } },
  );
  assert.equal(failure({ 'traefik.http.services.s.loadbalancer.healthcheck.interval': '10 s' }).error, 'time: unknown unit " s" in duration "10 s"');
  assert.equal(failure({ 'traefik.http.services.s.loadbalancer.healthcheck.interval': '1d' }).error, 'time: unknown unit "d" in duration "1d"');
  assert.equal(failure({ 'traefik.http.services.s.loadbalancer.healthcheck.interval': '3000000h' }).error, 'time: invalid duration "3000000h"');
});

test('tls=true gives an empty TLS block; another value disables it, even with children', () => {
  assert.deepEqual(decoded({ 'traefik.http.routers.r.tls': 'true' }), { http: { routers: { r: { tls: {} } } } });
  assert.deepEqual(decoded({ 'traefik.http.routers.r.tls': 'false', 'traefik.http.routers.r.tls.certresolver': 'le', 'traefik.http.routers.r.rule': 'Host(`a`)' }), {
    http: { routers: { r: { rule: 'Host(`a`)' } } },
  });
  assert.deepEqual(decoded({ 'traefik.http.middlewares.c.compress': 'true' }), { http: { middlewares: { c: { compress: {} } } } });
});

test('a struct given a bare value is a standalone-element error; a bare map entry is an empty element', () => {
  assert.equal(failure({ 'traefik.http.middlewares.m.headers': 'true' }).error, 'headers cannot be a standalone element');
  assert.equal(failure({ 'traefik.http.routers': 'x' }).error, 'routers cannot be a standalone element');
  assert.deepEqual(decoded({ 'traefik.udp.routers.foo': 'true' }), { udp: { routers: { foo: {} } } });
  assert.deepEqual(decoded({ 'traefik.http.services.test': '' }), { http: { services: { test: {} } } });
});

test('unknown fields are errors, and so are children of a scalar', () => {
  assert.equal(failure({ 'traefik.http.routers.r.rulez': 'x' }).error, 'field not found, node: rulez');
  assert.equal(failure({ 'traefik.http.routers.r.rule.x': 'y' }).error, 'invalid node rule: string');
  assert.equal(failure({ 'traefik.http.routers.r.entrypoints[0].x': 'y' }).error, 'field not found, node: x');
  assert.equal(failure({ 'traefik.httpx': '1' }).error, 'field not found, node: httpx');
});

test('only traefik.http/tcp/udp/tls.stores.default are decoded; the root is case-sensitive', () => {
  assert.deepEqual(decoded({ 'traefik.enable': 'true', 'traefik.docker.network': 'x', 'traefik.wrong.label': 'x', 'traefik.tls.options.x.minversion': 'VersionTLS12' }), {});
  assert.equal(failure({ 'TRAEFIK.http.routers.r.rule': 'x' }).error, 'invalid label root TRAEFIK');
  assert.equal(failure({ 'traefik.http..routers': 'x' }).error, 'invalid element: traefik.http..routers');
  assert.match(failure({ 'traefik.http.routers.[0]': 'x' }).error, /invalid leading character '\['/);
  assert.equal(failure({ 'traefik.http.routers.a]': 'x' }).error, 'invalid element: traefik.http.routers.a]');
});

test('fields Traefik tags label:"-" are checked but never filled', () => {
  assert.deepEqual(decoded({ 'traefik.http.services.s.weighted.services[0].name': 'a' }), { http: { services: { s: {} } } });
  assert.equal(failure({ 'traefik.http.services.s.weighted.nope': 'a' }).error, 'field not found, node: nope');
  assert.deepEqual(decoded({ 'traefik.tcp.services.s.loadbalancer.server.address': '10.0.0.1:22', 'traefik.tcp.services.s.loadbalancer.server.port': '22' }), {
    tcp: { services: { s: { loadBalancer: { servers: [{ port: '22' }] } } } },
  });
});

test('labels for label:"-" fields are accepted and ignored, one note per label', () => {
  const result = decodeLabels({
    'traefik.http.routers.r.rule': 'Host(`a.example.com`)',
    'traefik.http.routers.r.defaultRule': 'true',
    'traefik.http.routers.r.DeniedEncodedPathCharacters.allowEncodedSlash': 'true',
    'traefik.http.services.s.loadbalancer.server.port': '80',
    'traefik.http.services.s.loadbalancer.server.fenced': 'true',
    'traefik.http.serversTransports.t.insecureSkipVerify': 'true',
    // Never filled, so never parsed: Traefik does not reject a bad duration here.
    'traefik.http.serversTransports.t.forwardingTimeouts.dialTimeout': 'soon',
    'traefik.tcp.serversTransports.t.tls': 'true',
    'traefik.http.middlewares.e.errors.nginxHeaders': 'x',
    'traefik.http.middlewares.e.errors.status': '500',
  });
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.deepEqual(toJsonValue(result.config), {
    http: {
      middlewares: { e: { errors: { status: ['500'] } } },
      routers: { r: { rule: 'Host(`a.example.com`)' } },
      services: { s: { loadBalancer: { servers: [{ port: '80' }] } } },
    },
    tcp: {},
  });
  const notes = result.notes.map((note) => `${note.kind} ${note.label}: ${note.message}`).sort();
  assert.deepEqual(notes, [
    'not-settable traefik.http.middlewares.e.errors.nginxHeaders: nginxHeaders is accepted and ignored: Traefik does not set it from labels',
    'not-settable traefik.http.routers.r.DeniedEncodedPathCharacters.allowEncodedSlash: deniedEncodedPathCharacters is accepted and ignored: Traefik does not set it from labels',
    'not-settable traefik.http.routers.r.defaultRule: defaultRule is accepted and ignored: Traefik does not set it from labels',
    'not-settable traefik.http.serversTransports.t.forwardingTimeouts.dialTimeout: serversTransports is accepted and ignored: Traefik does not set it from labels',
    'not-settable traefik.http.serversTransports.t.insecureSkipVerify: serversTransports is accepted and ignored: Traefik does not set it from labels',
    'not-settable traefik.http.services.s.loadbalancer.server.fenced: fenced is accepted and ignored: Traefik does not set it from labels',
    'not-settable traefik.tcp.serversTransports.t.tls: serversTransports is accepted and ignored: Traefik does not set it from labels',
  ]);
});

test('below a label:"-" field, names and shapes are still checked as Traefik checks them', () => {
  assert.equal(failure({ 'traefik.http.serversTransports.t.nope': 'x' }).error, 'field not found, node: nope');
  const standalone = failure({ 'traefik.http.serversTransports.t.forwardingTimeouts': '5s' });
  assert.equal(standalone.error, 'forwardingTimeouts cannot be a standalone element');
  assert.equal(standalone.label, 'traefik.http.serversTransports.t.forwardingTimeouts');
  assert.equal(failure({ 'traefik.http.routers.r.defaultRule.x': 'y' }).error, 'invalid node defaultRule: bool');
  assert.equal(failure({ 'traefik.tcp.models.m.defaultRuleSyntax.x': 'y' }).error, 'invalid node defaultRuleSyntax: string');
});

test('errors.nginxHeaders.<name> is refused: a pointer to a map that labels cannot enter', () => {
  const error = failure({ 'traefik.http.middlewares.e.errors.nginxheaders.X-Code': 'a', 'traefik.http.middlewares.e.errors.status': '500' });
  assert.equal(error.error, 'invalid node nginxheaders: ptr');
  assert.equal(error.label, 'traefik.http.middlewares.e.errors.nginxheaders.X-Code');
});

test('plugin configuration decodes into nested string maps and lists', () => {
  assert.deepEqual(
    decoded({
      'traefik.http.middlewares.p.plugin.demo.headers.X-One': '1',
      'traefik.http.middlewares.p.plugin.demo.list[0]': 'a',
      'traefik.http.middlewares.p.plugin.demo.list[1]': 'b',
      'traefik.http.middlewares.p.plugin.demo.flag': 'true',
    }),
    { http: { middlewares: { p: { plugin: { demo: { flag: 'true', headers: { 'X-One': '1' }, list: ['a', 'b'] } } } } } },
  );
});

test('a router named __proto__ is just a name', () => {
  const result = decodeLabels({ 'traefik.http.routers.__proto__.rule': 'Host(`a`)' });
  assert.ok(result.ok);
  const routers = (result.config['http'] as ConfigObject)['routers'] as ConfigObject;
  assert.deepEqual(Object.keys(routers), ['__proto__']);
  // Nothing is inherited: no name reads through to Object.prototype.
  for (const name of ['toString', 'constructor', 'hasOwnProperty']) assert.equal(routers[name], undefined, name);
  for (let prototype = Object.getPrototypeOf(routers) as object | null; prototype !== null; prototype = Object.getPrototypeOf(prototype) as object | null) {
    assert.deepEqual(Reflect.ownKeys(prototype), []);
  }
});
