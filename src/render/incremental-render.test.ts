// The incremental render must never show: on random sequences of changes (containers added,
// removed, recreated and relabelled with labels from every golden case, so hosts get contested,
// ports allocated and names collide; daemons appearing, named ones too, and disappearing; the
// files' held claims coming and going), a render that keeps what it decided gives the bytes,
// diagnostics, routes, port table and /ports entrypoints of a full render after every step.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import type { ContainerSnapshot, DaemonSnapshot, Snapshot } from '../model/snapshot.ts';
import { goldenCases, loadCase } from '../../test/support/golden.ts';
import { IncrementalRender } from './incremental-render.ts';
import { DEFAULT_RENDER_OPTIONS } from './options.ts';
import { renderSnapshot, type RenderResult } from './render.ts';
import { serializeFragment } from './yaml.ts';

/** `FC_RUNS=N` explores N random sequences per golden case (a long run); `npm test` replays 4 fixed ones. */
const LONG_RUN = Number(process.env['FC_RUNS'] ?? 0);

function visible(result: RenderResult): string {
  const fragments = result.fragments.map((f) => serializeFragment(f.config, { daemon: f.daemon, socket: f.socket, generator: 'test' }));
  const text = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 1);
  return [...fragments, text(result.diagnostics), text(result.routes), text(result.allocations), text(result.explicitEntrypoints), text(result.failedDaemons)].join('\n');
}

type Kind = 'remove' | 'add' | 'recreate' | 'relabel' | 'daemon-gone' | 'daemon-new' | 'daemon-named' | 'held';

interface Change {
  readonly daemon: number;
  readonly kind: Kind;
  readonly pick: number;
}

const changeArbitrary: fc.Arbitrary<Change> = fc.record({
  daemon: fc.nat(),
  kind: fc.constantFrom<Kind>('remove', 'add', 'add', 'recreate', 'relabel', 'relabel', 'daemon-gone', 'daemon-new', 'daemon-named', 'held'),
  pick: fc.nat(),
});

/** Every container of every golden case: labels that contest hosts, take entrypoints, need ports. */
const POOL: readonly ContainerSnapshot[] = goldenCases().flatMap((name) => loadCase(name).snapshot.daemons.flatMap((d) => d.containers));
const DAEMON_POOL: readonly DaemonSnapshot[] = goldenCases().flatMap((name) => loadCase(name).snapshot.daemons);

function change(snapshot: Snapshot, { daemon: at, kind, pick }: Change, step: number): Snapshot {
  const daemons = [...snapshot.daemons];
  const picked = POOL[pick % POOL.length] as ContainerSnapshot;
  if (kind === 'daemon-new' || kind === 'daemon-named') {
    const model = DAEMON_POOL[pick % DAEMON_POOL.length] as DaemonSnapshot;
    const base = daemons[at % Math.max(1, daemons.length)]?.id ?? '2816';
    // A named id ending with `-{another id}` can collide with that daemon's final names.
    const id = kind === 'daemon-named' ? `n${step}-${base}` : daemons.some((d) => d.id === model.id) ? String(2816 + 64 * (100 + step)) : model.id;
    if (!daemons.some((d) => d.id === id)) daemons.push({ ...model, id, socket: `/run/docker-${id}.sock` });
    return { daemons };
  }
  if (daemons.length === 0) return snapshot;
  const index = at % daemons.length;
  if (kind === 'daemon-gone') {
    daemons.splice(index, 1);
    return { daemons };
  }
  const daemon = daemons[index] as DaemonSnapshot;
  const containers = [...daemon.containers];
  const slot = pick % Math.max(1, containers.length);
  const old = containers[slot];
  if (kind === 'remove' && old) containers.splice(slot, 1);
  else if (kind === 'add' || !old) containers.push({ ...picked, id: `${picked.id.slice(0, 12)}-${step}`, created: picked.created === null ? null : picked.created + step });
  else if (kind === 'recreate') containers[slot] = { ...old, id: `${old.id.slice(0, 12)}-r${step}`, created: (old.created ?? 0) + 1_000_000 };
  else containers[slot] = { ...old, labels: picked.labels };
  daemons[index] = { ...daemon, containers };
  return { daemons };
}

describe('IncrementalRender', () => {
  it('renders what a full render gives after every step of random changes, on every golden case', () => {
    for (const name of goldenCases()) {
      const { snapshot: initial, options, state } = loadCase(name);
      fc.assert(
        fc.property(fc.array(changeArbitrary, { minLength: 1, maxLength: 8 }), (changes) => {
          const incremental = new IncrementalRender();
          let snapshot = initial;
          let allocations = state.allocations;
          let heldClaims = state.heldClaims;
          for (let step = 0; step <= changes.length; step++) {
            const now = step * 1000;
            const full = renderSnapshot(snapshot, options, { allocations, now, heldClaims });
            const kept = renderSnapshot(snapshot, options, { allocations, now, heldClaims, incremental });
            assert.equal(visible(kept), visible(full), `${name}, step ${step}: ${JSON.stringify(changes.slice(0, step))}`);
            if (step === changes.length) break;
            allocations = full.allocations;
            const next = changes[step] as Change;
            if (next.kind === 'held') heldClaims = heldClaims?.length ? [] : state.heldClaims;
            else snapshot = change(snapshot, next, step);
          }
        }),
        LONG_RUN ? { numRuns: LONG_RUN } : { numRuns: 4, seed: 13 },
      );
    }
  });

  /** One container routing `{service}.example.com` on daemon `id` (a network id: its service address is in its range). */
  const host = (id: string, service: string, created: number): DaemonSnapshot => ({
    id,
    socket: `/run/docker-${id}.sock`,
    containers: [{ id: `${id}${service}`.padEnd(64, 'a'), name: service, created, labels: { 'rediacc.service_name': service, 'rediacc.service_ip': `127.0.${(Number(id) >> 8) & 255}.${(Number(id) & 255) + 2}`, 'traefik.enable': 'true', [`traefik.http.routers.${service}.rule`]: `Host(\`${service}.example.com\`)`, [`traefik.http.services.${service}.loadbalancer.server.port`]: '80' }, state: 'running', health: null, ports: [], networkMode: 'host', networks: { host: '' } }],
  });

  it('decides again only the changed daemon and those contesting its hosts', () => {
    const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' };
    const incremental = new IncrementalRender();
    const daemons = [host('2816', 'shared', 100), host('2880', 'shared', 200), host('2944', 'alone', 100), host('3008', 'other', 100)];
    renderSnapshot({ daemons }, options, { allocations: [], now: 0, incremental });
    assert.equal(incremental.redone, 4);

    // The newer claimant of a contested host goes: the older one is decided again, nobody else.
    const withoutNewer = daemons.filter((d) => d.id !== '2880');
    const result = renderSnapshot({ daemons: withoutNewer }, options, { allocations: [], now: 1, incremental });
    assert.equal(incremental.redone, 1);
    assert.equal(visible(result), visible(renderSnapshot({ daemons: withoutNewer }, options, { allocations: [], now: 1 })));

    // It comes back, older: it takes the host, so the other claimant loses its router.
    const back = [...withoutNewer, host('2880', 'shared', 50)];
    const contested = renderSnapshot({ daemons: back }, options, { allocations: [], now: 2, incremental });
    assert.equal(incremental.redone, 2);
    assert.ok(contested.diagnostics.some((d) => d.daemon === '2816' && d.code === 'host-conflict'));
    assert.equal(visible(contested), visible(renderSnapshot({ daemons: back }, options, { allocations: [], now: 2 })));

    // A daemon on its own changes: it alone is decided again.
    const alone = back.map((d) => (d.id === '2944' ? host('2944', 'alone2', 100) : d));
    renderSnapshot({ daemons: alone }, options, { allocations: [], now: 3, incremental });
    assert.equal(incremental.redone, 1);
  });
});
