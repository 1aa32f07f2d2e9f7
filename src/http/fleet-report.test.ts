import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FleetStatus } from '../fleet/fleet-status.ts';
import type { SinkStatus } from '../output/fragment-sink.ts';
import { fileSinkStatus } from '../output/yaml-file-sink.ts';
import { PlainRuntimeView, T0 } from '../../test/support/runtime-view.ts';
import { healthHttpStatus, healthReport } from './health.ts';
import { routesReport } from './routes.ts';

function fleet(overrides: Partial<FleetStatus> = {}): FleetStatus {
  return {
    name: 'host-b',
    redis: 'redis://10.0.0.5:6379',
    rootKey: 'traefik',
    entrypoint: 'websecure',
    address: '192.0.2.20:443',
    link: 'connected',
    linkSince: T0,
    published: ['blog.example.com'],
    refused: [{ name: 'shop.example.com', heldBy: 'host-a', heldSince: T0 - 60_000, since: T0, state: 'refused' }],
    lastSyncAt: T0,
    lastError: null,
    lastErrorAt: null,
    keys: 5,
    updates: 1,
    keysWritten: 5,
    resyncs: 1,
    version: 1,
    ...overrides,
  };
}

class FleetView extends PlainRuntimeView {
  fleetStatus = fleet();
  override sinks(): readonly SinkStatus[] {
    const failing = this.fleetStatus.lastErrorAt !== null;
    return [fileSinkStatus(this.writerStatus), { kind: 'fleet', target: this.fleetStatus.redis, failing, lastDeliveredAt: this.fleetStatus.lastSyncAt, lastError: this.fleetStatus.lastError, lastErrorAt: this.fleetStatus.lastErrorAt, delivered: 1, errors: 0, pending: [], failingDaemons: [], fleet: this.fleetStatus }];
  }
}

test('/health: a connected fleet link is ok, and the names another host holds are listed', () => {
  const view = new FleetView();
  const report = healthReport(view, T0 + 1000);
  assert.equal(report.status, 'ok');
  assert.equal(report.fleet?.link, 'connected');
  assert.deepEqual(report.fleet?.refused, [{ name: 'shop.example.com', state: 'refused', heldBy: 'host-a', heldSince: new Date(T0 - 60_000).toISOString(), since: new Date(T0).toISOString() }]);
});

test('/health: Redis unreachable degrades the host, never fails it (its files do not depend on Redis)', () => {
  const view = new FleetView();
  view.fleetStatus = fleet({ link: 'unreachable', lastError: 'connect ECONNREFUSED', lastErrorAt: T0 + 500 });
  const report = healthReport(view, T0 + 1000);
  assert.equal(report.status, 'degraded');
  assert.equal(healthHttpStatus(report.status), 200);
  assert.deepEqual(report.reasons, [`fleet redis://10.0.0.5:6379: unreachable since ${new Date(T0).toISOString()}: connect ECONNREFUSED (the edge keeps what was last published; local files are unaffected)`]);
});

test('/routes.json: the refused name says who holds it at the edge; without a fleet there is no section', () => {
  const report = routesReport(undefined, { daemons: [] }, fleet());
  assert.deepEqual(report.fleet?.published, ['blog.example.com']);
  assert.equal(report.fleet?.refused[0]?.heldBy, 'host-a');
  assert.match(report.fleet?.refused[0]?.message ?? '', /routes shop\.example\.com to host-a, whose claim is older/);
  assert.equal(routesReport(undefined).fleet, null);
});
