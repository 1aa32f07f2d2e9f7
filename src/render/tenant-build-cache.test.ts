// Keeping daemons' own builds (and their assembled fragments) between renders must never show: on
// random sequences of changes to the golden cases' daemons (fast-check), a render with the cache
// gives the bytes, diagnostics, routes and port allocations of a full render, and rebuilds only
// the daemons that changed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import type { ContainerSnapshot, DaemonSnapshot, Snapshot } from '../model/snapshot.ts';
import { goldenCases, loadCase } from '../../test/support/golden.ts';
import { renderSnapshot, type RenderResult } from './render.ts';
import { TenantBuildCache } from './tenant-build-cache.ts';
import { serializeFragment } from './yaml.ts';

/** `FC_RUNS=N` explores N random sequences per golden case (a long run); `npm test` replays 4 fixed ones. */
const LONG_RUN = Number(process.env['FC_RUNS'] ?? 0);

function visible(result: RenderResult): string {
  const fragments = result.fragments.map((f) => serializeFragment(f.config, { daemon: f.daemon, socket: f.socket, generator: 'test' }));
  const text = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 1);
  return [...fragments, text(result.diagnostics), text(result.routes), text(result.allocations), text(result.explicitEntrypoints)].join('\n');
}

/** One change to one daemon: a container goes, one comes (from anywhere in the case), or one is recreated. */
interface Change {
  readonly daemon: number;
  readonly kind: 'remove' | 'add' | 'recreate';
  readonly pick: number;
}

const changeArbitrary: fc.Arbitrary<Change> = fc.record({
  daemon: fc.nat(),
  kind: fc.constantFrom('remove' as const, 'add' as const, 'recreate' as const),
  pick: fc.nat(),
});

function change(snapshot: Snapshot, pool: readonly ContainerSnapshot[], { daemon: at, kind, pick }: Change, step: number): { snapshot: Snapshot; changed: string } {
  const daemons = [...snapshot.daemons];
  const index = at % daemons.length;
  const daemon = daemons[index] as DaemonSnapshot;
  const containers = [...daemon.containers];
  if (kind === 'remove' && containers.length > 0) {
    containers.splice(pick % containers.length, 1);
  } else if (kind === 'add' && pool.length > 0) {
    const picked = pool[pick % pool.length] as ContainerSnapshot;
    containers.push({ ...picked, id: `${picked.id.slice(0, 12)}-${step}`, created: picked.created === null ? null : picked.created + step });
  } else if (containers.length > 0) {
    // Recreated: same labels, newer, so it loses contests it used to win.
    const old = containers[pick % containers.length] as ContainerSnapshot;
    containers[pick % containers.length] = { ...old, id: `${old.id.slice(0, 12)}-r${step}`, created: (old.created ?? 0) + 1_000_000 };
  }
  daemons[index] = { ...daemon, containers };
  return { snapshot: { daemons }, changed: daemon.id };
}

/** Other daemons listing an address the changed daemon lists (before or after): its holder may change. */
function sharingAddresses(after: Snapshot, changed: string, before: Snapshot): number {
  const addressesOf = (daemon: DaemonSnapshot | undefined) => new Set(daemon?.containers.flatMap((c) => Object.values(c.networks).filter((a) => a !== '')) ?? []);
  const touched = new Set([...addressesOf(before.daemons.find((d) => d.id === changed)), ...addressesOf(after.daemons.find((d) => d.id === changed))]);
  return after.daemons.filter((d) => d.id !== changed && [...addressesOf(d)].some((a) => touched.has(a))).length;
}

describe('TenantBuildCache', () => {
  it('renders what a full render gives, on random changes of every golden case, rebuilding only changed daemons', () => {
    for (const name of goldenCases()) {
      const { snapshot: initial, options, state } = loadCase(name);
      if (initial.daemons.length === 0) continue;
      const pool = initial.daemons.flatMap((d) => d.containers);
      fc.assert(
        fc.property(fc.array(changeArbitrary, { minLength: 1, maxLength: 6 }), (changes) => {
          const cache = new TenantBuildCache();
          let snapshot = initial;
          let allocations = state.allocations;
          let affected = Infinity;
          for (let step = 0; step <= changes.length; step++) {
            const built = cache.built;
            const full = renderSnapshot(snapshot, options, { ...state, allocations });
            const cached = renderSnapshot(snapshot, options, { ...state, allocations, buildCache: cache });
            assert.equal(visible(cached), visible(full), `${name}, step ${step}`);
            assert.ok(cache.built - built <= affected, `${name}, step ${step}: only the changed daemon and those sharing an address are rebuilt`);
            if (step === changes.length) break;
            allocations = full.allocations;
            const changed = change(snapshot, pool, changes[step] as Change, step);
            affected = 1 + sharingAddresses(changed.snapshot, changed.changed, snapshot);
            snapshot = changed.snapshot;
          }
        }),
        LONG_RUN ? { numRuns: LONG_RUN } : { numRuns: 4, seed: 13 },
      );
    }
  });

  it('a second render of the same snapshot builds nothing and still gives the same result', () => {
    const { snapshot, options, state } = loadCase(goldenCases()[0] as string);
    const cache = new TenantBuildCache();
    const first = visible(renderSnapshot(snapshot, options, { ...state, buildCache: cache }));
    const built = cache.built;
    assert.equal(visible(renderSnapshot(snapshot, options, { ...state, buildCache: cache })), first);
    assert.equal(cache.built, built);
  });
});
