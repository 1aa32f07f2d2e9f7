// A named daemon's auto-route hosts are reserved by configuration, not by presence: a daemon that
// connects later must not take a host an older tenant already serves (found by the isolation property).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { DEFAULT_RENDER_OPTIONS } from './options.ts';
import { renderSnapshot } from './render.ts';

const container = (created: number, labels: Record<string, string>, networks: Record<string, string>): ContainerSnapshot => ({
  id: `c${created}`, name: 'web', created, labels, state: 'running', health: null, ports: [], networkMode: 'bridge', networks,
});
const older: DaemonSnapshot = {
  id: 'c-a', socket: '/run/docker-c-a.sock',
  containers: [container(1763000000, { 'traefik.enable': 'true', 'traefik.http.routers.web.rule': 'Host(`x-a.example.com`)', 'traefik.http.services.web.loadbalancer.server.port': '8080' }, { net: '172.20.0.5' })],
};
const newer: DaemonSnapshot = {
  id: 'a', socket: '/run/docker-a.sock',
  containers: [container(1763000100, { 'rediacc.service_name': 'x', 'rediacc.service_ip': '172.20.0.6' }, { net: '172.20.0.6' })],
};
const routersOf = (daemons: DaemonSnapshot[], reservedDaemonIds: string[]) => {
  const result = renderSnapshot({ daemons }, { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com', reservedDaemonIds });
  return Object.keys((result.fragments.find((f) => f.daemon === 'c-a')?.config['http'] as any)?.routers ?? {});
};

test('an unconfigured named daemon that appears does not take an older tenant\'s host', () => {
  assert.deepEqual(routersOf([older], []), ['web-c-a']);
  assert.deepEqual(routersOf([older, newer], []), ['web-c-a']);
});

test('a configured named daemon has its auto-route hosts reserved before it connects, and after', () => {
  assert.deepEqual(routersOf([older], ['a']), []);
  assert.deepEqual(routersOf([older, newer], ['a']), []);
});
