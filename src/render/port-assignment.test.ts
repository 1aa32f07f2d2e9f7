import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { DEFAULT_RENDER_OPTIONS } from './options.ts';
import type { HeldClaim } from './held-claims.ts';
import type { PortAllocation } from './ports.ts';
import { renderSnapshot, type RenderResult } from './render.ts';

const T = 1763700000;
const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com', tcpRange: { first: 10000, last: 10001 } };

/** A container of daemon `id` with one TCP router `name` (extra labels added under the router). */
function tcpContainer(id: string, name: string, created: number, router: Record<string, string> = {}): ContainerSnapshot {
  const base = Number(id);
  const labels: Record<string, string> = {
    'rediacc.service_ip': `127.${(base >> 16) & 255}.${(base >> 8) & 255}.${(base & 255) + 2}`,
    'traefik.enable': 'true',
    [`traefik.tcp.routers.${name}.rule`]: 'HostSNI(`*`)',
    [`traefik.tcp.services.${name}.loadbalancer.server.port`]: '5432',
  };
  for (const [key, value] of Object.entries(router)) labels[`traefik.tcp.routers.${name}.${key}`] = value;
  return { id: `${name}-${id}`, name, created, labels, state: 'running', health: null, ports: [], networkMode: 'host', networks: {} };
}

function daemons(...list: [string, ContainerSnapshot[]][]): { daemons: DaemonSnapshot[] } {
  return { daemons: list.map(([id, containers]) => ({ id, socket: `/run/docker-${id}.sock`, containers })) };
}

function render(snapshot: { daemons: DaemonSnapshot[] }, allocations: readonly PortAllocation[], now: number): RenderResult {
  return renderSnapshot(snapshot, options, { allocations, now });
}

function entrypointsOf(result: RenderResult, router: string): readonly string[] | undefined {
  return result.routes.find((r) => r.name === router)?.entryPoints;
}

test('an allocated port stays with its router while a router of any age names it, running or not', () => {
  const first = render(daemons(['2816', [tcpContainer('2816', 'db', T)]]), [], 1);
  assert.deepEqual(entrypointsOf(first, 'db-2816'), ['tcp-10000']);

  const older = tcpContainer('2880', 'grab', T - 100, { entrypoints: 'tcp-10000' });
  const second = render(daemons(['2816', [tcpContainer('2816', 'db', T)]], ['2880', [older]]), first.allocations, 2);
  assert.deepEqual(entrypointsOf(second, 'db-2816'), ['tcp-10000']);
  assert.equal(entrypointsOf(second, 'grab-2880'), undefined);
  assert.match(second.diagnostics.find((d) => d.daemon === '2880')?.message ?? '', /port tcp-10000 is allocated to router db of daemon 2816/);

  // db's container is gone for a moment (a redeploy): its port is still not for the taking.
  const third = render(daemons(['2816', []], ['2880', [older]]), second.allocations, 3);
  assert.equal(entrypointsOf(third, 'grab-2880'), undefined);
  const fourth = render(daemons(['2816', [tcpContainer('2816', 'db', T + 50)]], ['2880', [older]]), third.allocations, 4);
  assert.deepEqual(entrypointsOf(fourth, 'db-2816'), ['tcp-10000']);
  assert.deepEqual(fourth.allocations, [{ protocol: 'tcp', port: 10000, daemon: '2816', router: 'db', lastSeen: 4 }]);
});

test('a refused router gets no port and keeps none free by naming it', () => {
  const owner = { ...tcpContainer('2816', 'pg', T - 100, { rule: 'HostSNI(`db.example.com`)', entrypoints: 'tcp-5432', 'tls.passthrough': 'true' }) };
  const squat = tcpContainer('2880', 'squat', T, { rule: 'HostSNI(`db.example.com`)', entrypoints: 'tcp-10000', 'tls.passthrough': 'true' });
  const hog = tcpContainer('2880', 'hog', T, { rule: 'HostSNI(`db.example.com`)', 'tls.passthrough': 'true' });
  const result = render(daemons(['2816', [owner]], ['2880', [squat, hog]], ['2944', [tcpContainer('2944', 'a', T), tcpContainer('2944', 'b', T + 1)]]), [], 1);
  assert.deepEqual(result.allocations.map((a) => [a.router, a.port]), [['a', 10000], ['b', 10001]]);
  assert.deepEqual(result.explicitEntrypoints, ['tcp-5432']);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.daemon, d.code]),
    [['2880', 'host-conflict'], ['2880', 'host-conflict']],
  );
});

test('an allocation whose router is refused is kept but not refreshed, and a full range takes it back', () => {
  const previous: PortAllocation[] = [
    { protocol: 'tcp', port: 10000, daemon: '2880', router: 'late', lastSeen: 1 },
    { protocol: 'tcp', port: 10001, daemon: '2816', router: 'db', lastSeen: 1 },
  ];
  // late now claims a host an older daemon owns: refused, so its allocation goes dormant.
  const owner = tcpContainer('2816', 'db', T - 100, { rule: 'HostSNI(`db.example.com`)', 'tls.passthrough': 'true' });
  const late = tcpContainer('2880', 'late', T, { rule: 'HostSNI(`db.example.com`)', 'tls.passthrough': 'true' });
  const refused = render(daemons(['2816', [owner]], ['2880', [late]]), previous, 5);
  assert.deepEqual(refused.allocations, [
    { protocol: 'tcp', port: 10000, daemon: '2880', router: 'late', lastSeen: 1 },
    { protocol: 'tcp', port: 10001, daemon: '2816', router: 'db', lastSeen: 5 },
  ]);
  const newcomer = render(daemons(['2816', [owner]], ['2880', [late]], ['2944', [tcpContainer('2944', 'new', T + 100)]]), refused.allocations, 6);
  assert.deepEqual(entrypointsOf(newcomer, 'new-2944'), ['tcp-10000']);
  assert.deepEqual(entrypointsOf(newcomer, 'db-2816'), ['tcp-10001']);
});

test('when the range runs short, the oldest router gets the last port', () => {
  const result = render(daemons(['2816', [tcpContainer('2816', 'young', T + 100)]], ['2880', [tcpContainer('2880', 'old', T), tcpContainer('2880', 'older', T - 1)]]), [], 1);
  assert.deepEqual(entrypointsOf(result, 'older-2880'), ['tcp-10000']);
  assert.deepEqual(entrypointsOf(result, 'old-2880'), ['tcp-10001']);
  assert.deepEqual(result.diagnostics.map((d) => [d.daemon, d.code]), [['2816', 'port-exhausted']]);
});

test("the operator's files take a port back from its router, which moves; a kept daemon's port is not for the taking", () => {
  const previous: PortAllocation[] = [
    { protocol: 'tcp', port: 10000, daemon: '2816', router: 'db', lastSeen: 1 },
    { protocol: 'tcp', port: 10001, daemon: '2944', router: 'pg', lastSeen: 1 },
  ];
  const operator: HeldClaim = { holder: { kind: 'operator', file: 'db.yml' }, section: 'tcp.routers', router: 'db', hosts: [], entrypoints: ['tcp-10000'], whole: true };
  const kept: HeldClaim = { holder: { kind: 'kept', daemon: '2944', file: 'rs-2944.yml' }, section: 'tcp.routers', router: 'pg-2944', hosts: [], entrypoints: ['tcp-10001'], whole: true };
  const snapshot = daemons(['2816', [tcpContainer('2816', 'db', T)]], ['2880', [tcpContainer('2880', 'grab', T - 100, { entrypoints: 'tcp-10001' })]]);
  const result = renderSnapshot(snapshot, { ...options, tcpRange: { first: 10000, last: 10002 } }, { allocations: previous, now: 7, heldClaims: [operator, kept] });
  assert.deepEqual(entrypointsOf(result, 'db-2816'), ['tcp-10002']);
  assert.equal(entrypointsOf(result, 'grab-2880'), undefined);
  assert.deepEqual(result.allocations, [
    { protocol: 'tcp', port: 10001, daemon: '2944', router: 'pg', lastSeen: 7 },
    { protocol: 'tcp', port: 10002, daemon: '2816', router: 'db', lastSeen: 7 },
  ]);
});
