import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entrypointProtocolProblem, httpEntrypointNames } from './entrypoint-protocol.ts';
import { DEFAULT_RENDER_OPTIONS } from './options.ts';

const http = httpEntrypointNames({ ...DEFAULT_RENDER_OPTIONS, entrypoints: ['https-internal'] });

test('each router protocol may use its own entrypoints and names of the operator', () => {
  const fits: [Parameters<typeof entrypointProtocolProblem>[0], string[]][] = [
    ['http.routers', ['web', 'websecure', 'websecure-v6', 'https-internal', 'metrics']],
    ['tcp.routers', ['tcp-5432', 'websecure', 'https-internal', 'custom']],
    ['udp.routers', ['udp-53', 'dns']],
  ];
  for (const [section, entrypoints] of fits) assert.equal(entrypointProtocolProblem(section, entrypoints, http), undefined, `${section} ${entrypoints}`);
});

test("another protocol's entrypoint is refused, in any case of its name", () => {
  const refused: [Parameters<typeof entrypointProtocolProblem>[0], string, RegExp][] = [
    ['udp.routers', 'websecure', /UDP router cannot use entrypoint websecure \(HTTP\)/],
    ['udp.routers', 'WebSecure', /entrypoint WebSecure \(HTTP\)/],
    ['udp.routers', 'https-internal', /entrypoint https-internal \(HTTP\)/],
    ['udp.routers', 'tcp-3306', /entrypoint tcp-3306 \(TCP\)/],
    ['tcp.routers', 'udp-53', /TCP router cannot use entrypoint udp-53 \(UDP\)/],
    ['tcp.routers', 'UDP-53', /entrypoint UDP-53 \(UDP\)/],
    ['http.routers', 'tcp-5432', /an HTTP router cannot use entrypoint tcp-5432 \(TCP\)/],
    ['http.routers', 'Udp-53', /entrypoint Udp-53 \(UDP\)/],
  ];
  for (const [section, entrypoint, message] of refused) {
    assert.match(entrypointProtocolProblem(section, ['fine', entrypoint], http) ?? '', message, `${section} ${entrypoint}`);
  }
});
