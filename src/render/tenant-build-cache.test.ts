// Keeping daemons' own builds between renders must never show: on random sequences of changes to
// the golden cases' daemons, a render with the cache gives the bytes, diagnostics, routes and port
// allocations of a full render, and rebuilds only the daemons that changed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ContainerSnapshot, DaemonSnapshot, Snapshot } from '../model/snapshot.ts';
import { goldenCases, loadCase } from '../../test/support/golden.ts';
import { renderSnapshot, type RenderResult } from './render.ts';
import { TenantBuildCache } from './tenant-build-cache.ts';
import { serializeFragment } from './yaml.ts';

/** Deterministic: a failure names its case and step and happens again. */
function random(seedText: string): () => number {
  let seed = [...seedText].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function visible(result: RenderResult): string {
  const fragments = result.fragments.map((f) => serializeFragment(f.config, { daemon: f.daemon, socket: f.socket, generator: 'test' }));
  const text = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 1);
  return [...fragments, text(result.diagnostics), text(result.routes), text(result.allocations), text(result.explicitEntrypoints)].join('\n');
}

/** One daemon changes: a container goes, comes (from anywhere in the case), or is recreated. */
function change(snapshot: Snapshot, pool: readonly ContainerSnapshot[], next: () => number, step: number): { snapshot: Snapshot; changed: string } {
  const daemons = [...snapshot.daemons];
  const index = Math.floor(next() * daemons.length);
  const daemon = daemons[index] as DaemonSnapshot;
  let containers = [...daemon.containers];
  const roll = next();
  if (roll < 0.35 && containers.length > 0) {
    containers.splice(Math.floor(next() * containers.length), 1);
  } else if (roll < 0.75 && pool.length > 0) {
    const picked = pool[Math.floor(next() * pool.length)] as ContainerSnapshot;
    containers.push({ ...picked, id: `${picked.id.slice(0, 12)}-${step}`, created: picked.created === null ? null : picked.created + step });
  } else if (containers.length > 0) {
    // Recreated: same labels, newer, so it loses contests it used to win.
    const at = Math.floor(next() * containers.length);
    const old = containers[at] as ContainerSnapshot;
    containers[at] = { ...old, id: `${old.id.slice(0, 12)}-r${step}`, created: (old.created ?? 0) + 1_000_000 };
  } else {
    containers = [];
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
      const pool = initial.daemons.flatMap((d) => d.containers);
      const next = random(name);
      const cache = new TenantBuildCache();
      let snapshot = initial;
      let allocations = state.allocations;
      let affected = 0;
      for (let step = 0; step < 8; step++) {
        const built = cache.built;
        const full = renderSnapshot(snapshot, options, { ...state, allocations });
        const cached = renderSnapshot(snapshot, options, { ...state, allocations, buildCache: cache });
        assert.equal(visible(cached), visible(full), `${name}, step ${step}`);
        if (step > 0) assert.ok(cache.built - built <= affected, `${name}, step ${step}: only the changed daemon and those sharing an address are rebuilt`);
        allocations = full.allocations;
        const changed = change(snapshot, pool, next, step);
        affected = 1 + sharingAddresses(changed.snapshot, changed.changed, snapshot);
        snapshot = changed.snapshot;
      }
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
