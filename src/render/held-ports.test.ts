// Ports are claims too: a kept fragment keeps its daemon's allocations, and a port the operator's
// files name is never handed to a tenant.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Snapshot } from '../model/snapshot.ts';
import type { HeldClaim } from './held-claims.ts';
import { DEFAULT_RENDER_OPTIONS } from './options.ts';
import { renderSnapshot } from './render.ts';

const snapshot: Snapshot = {
  daemons: [
    {
      id: '2816',
      socket: '/var/run/rediacc/docker-2816.sock',
      containers: [
        {
          id: 'db0000000001',
          name: 'db',
          created: 1763700100,
          labels: {
            'rediacc.service_ip': '127.0.11.2',
            'traefik.enable': 'true',
            'traefik.tcp.routers.db.rule': 'HostSNI(`*`)',
            'traefik.tcp.services.db.loadbalancer.server.port': '5432',
          },
          state: 'running',
          health: null,
          ports: [],
          networkMode: 'host',
          networks: {},
        },
      ],
    },
  ],
};
const options = { ...DEFAULT_RENDER_OPTIONS, tcpRange: { first: 10000, last: 10000 } };
const keptAllocation = { protocol: 'tcp' as const, port: 10000, daemon: '2944', router: 'pg', lastSeen: 1 };

function entrypointsOf(heldClaims: HeldClaim[], allocations = [keptAllocation]) {
  const result = renderSnapshot(snapshot, options, { allocations, now: 1000, heldClaims });
  const router = (result.fragments[0]?.config['tcp'] as any)?.routers?.['db-2816'];
  return { entryPoints: router?.entryPoints, allocations: result.allocations, diagnostics: result.diagnostics.map((d) => d.code) };
}

const kept: HeldClaim = { holder: { kind: 'kept', daemon: '2944', file: 'rs-2944.yml' }, section: 'tcp.routers', router: 'pg-2944', hosts: [], entrypoints: ['tcp-10000'], whole: true };
const operator: HeldClaim = { holder: { kind: 'operator', file: 'pg.yml' }, section: 'tcp.routers', router: 'pg', hosts: [], entrypoints: ['tcp-10000'], whole: true };

describe('held claims and port allocation', () => {
  it("keeps a kept daemon's allocation even when the range is full, instead of evicting it as dormant", () => {
    const { entryPoints, allocations, diagnostics } = entrypointsOf([kept]);
    assert.equal(entryPoints, undefined);
    assert.deepEqual(diagnostics, ['port-exhausted']);
    assert.ok(allocations.some((a) => a.daemon === '2944' && a.port === 10000 && a.lastSeen === 1000));
  });

  it('without the kept file, the dormant allocation is given away as before', () => {
    assert.deepEqual(entrypointsOf([]).entryPoints, ['tcp-10000']);
  });

  it("never allocates a port the operator's files name", () => {
    const { entryPoints, diagnostics } = entrypointsOf([operator], []);
    assert.equal(entryPoints, undefined);
    assert.deepEqual(diagnostics, ['port-exhausted']);
  });
});
