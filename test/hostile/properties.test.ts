// Properties of the render over generated tenants (fast-check; RUNS per property, FC_RUNS to change):
// deterministic and blind to discovery order; every file reads back as its configuration; names
// never meet across tenants and references stay inside; and isolation: whatever a newer tenant
// adds, an older tenant's fragment stays byte for byte what it was.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Snapshot } from '../../src/model/snapshot.ts';
import { daemonArb, NAMED_IDS, NUMERIC_IDS, RUNS, shuffled, snapshotArb } from './arbitraries.ts';
import { assertReadsBack, render, renderOptions, type Rendered } from './scenario.ts';

const options = renderOptions();

function outcome(rendered: Rendered) {
  return {
    files: [...rendered.files],
    diagnostics: rendered.result.diagnostics,
    allocations: rendered.result.allocations,
    routes: rendered.result.routes,
  };
}

test('render is deterministic and independent of daemon and container order', () => {
  fc.assert(
    fc.property(snapshotArb, fc.integer(), (snapshot, seed) => {
      const first = render(snapshot, options);
      const reordered: Snapshot = {
        daemons: shuffled(snapshot.daemons, seed).map((daemon, i) => ({ ...daemon, containers: shuffled(daemon.containers, seed + i + 1) })),
      };
      assert.deepEqual(outcome(render(snapshot, options)), outcome(first), 'the same snapshot twice');
      assert.deepEqual(outcome(render(reordered, options)), outcome(first), 'the same snapshot in another order');
    }),
    { numRuns: RUNS },
  );
});

test('every fragment reads back through the template pass and YAML as its configuration', () => {
  fc.assert(
    fc.property(snapshotArb, (snapshot) => {
      assertReadsBack(render(snapshot, options));
    }),
    { numRuns: RUNS },
  );
});

const SECTIONS = [['http', 'routers'], ['http', 'services'], ['http', 'middlewares'], ['tcp', 'routers'], ['tcp', 'services'], ['tcp', 'middlewares'], ['udp', 'routers'], ['udp', 'services']] as const;

test("renamed names never meet across tenants, and references resolve inside the tenant's own fragment", () => {
  fc.assert(
    fc.property(snapshotArb, (snapshot) => {
      const rendered = render(snapshot, options);
      const owner = new Map<string, string>();
      for (const [daemon, fragment] of rendered.fragments) {
        for (const [top, section] of SECTIONS) {
          const own = fragment[top]?.[section] ?? {};
          for (const name of Object.keys(own)) {
            assert.ok(name.endsWith(`-${daemon}`), `${top}.${section}.${name} of daemon ${daemon} carries its id`);
            const key = `${top}.${section}.${name}`;
            assert.equal(owner.get(key), undefined, `${key} is in the fragments of ${owner.get(key)} and ${daemon}`);
            owner.set(key, daemon);
          }
        }
        for (const top of ['http', 'tcp', 'udp'] as const) {
          for (const [router, value] of Object.entries<any>(fragment[top]?.routers ?? {})) {
            assert.ok(value.service in (fragment[top]?.services ?? {}), `${top} router ${router} of ${daemon} uses its own service (${value.service})`);
            for (const middleware of value.middlewares ?? []) {
              assert.ok(middleware in (fragment[top]?.middlewares ?? {}), `${top} router ${router} of ${daemon} uses its own middleware ${middleware}`);
            }
          }
        }
        for (const [middleware, value] of Object.entries<any>(fragment['http']?.middlewares ?? {})) {
          for (const member of value.chain?.middlewares ?? []) {
            assert.ok(member in fragment['http'].middlewares, `chain ${middleware} of ${daemon} uses its own middleware ${member}`);
          }
        }
      }
    }),
    { numRuns: RUNS },
  );
});

// The older tenant's containers are all of known age and older than every container of the newer
// one (whose age may also be unknown, which never wins). Ports the older tenant was given in an
// earlier render are persisted, as `run` persists them.
const olderAndNewer = fc
  .tuple(fc.constantFrom(...NUMERIC_IDS, ...NAMED_IDS), fc.constantFrom(...NUMERIC_IDS, ...NAMED_IDS))
  .filter(([older, newer]) => older !== newer)
  .chain(([older, newer]) =>
    fc.tuple(
      daemonArb(older, fc.integer({ min: 1763000000, max: 1763000050 })),
      daemonArb(newer, fc.option(fc.integer({ min: 1763000100, max: 1763000150 }), { nil: null, freq: 5 }), 5),
    ),
  );

test("isolation: nothing a newer tenant adds changes an older tenant's fragment", () => {
  fc.assert(
    fc.property(olderAndNewer, fc.boolean(), ([older, newer], configured) => {
      // Named daemons configured with --docker-host, or found by socket: either way.
      const opts = configured ? { ...options, reservedDaemonIds: NAMED_IDS } : options;
      const earlier = render({ daemons: [older] }, opts);
      const alone = render({ daemons: [older] }, opts, earlier.result.allocations);
      const together = render({ daemons: [older, newer] }, opts, earlier.result.allocations);
      assert.equal(together.files.get(older.id), alone.files.get(older.id), `daemon ${older.id}'s fragment`);
      const about = (r: Rendered) => r.result.diagnostics.filter((d) => d.daemon === older.id);
      assert.deepEqual(about(together), about(alone), `daemon ${older.id}'s diagnostics`);
    }),
    { numRuns: RUNS },
  );
});
