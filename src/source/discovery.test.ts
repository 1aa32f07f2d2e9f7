// Discovery against fake daemons: a few lines of HTTP on unix sockets that answer the four
// read-only calls. Runs anywhere (no root, no Docker) and can do what a real daemon will not do on
// demand: ignore event filters, close the event stream, hang. test/integration covers real daemons.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { waitFor } from '../../test/support/wait.ts';
import { Discovery } from './discovery.ts';
import { CONTAINER_EVENT_FILTERS } from './docker-events.ts';
import { FakeDaemon } from '../../test/support/fake-daemon.ts';

const TIMINGS = {
  resyncIntervalMs: 0,
  debounceMinMs: 200,
  debounceMaxMs: 1_000,
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  requestTimeoutMs: 1_000,
  heartbeatIntervalMs: 100,
};

describe('Discovery (fake daemons)', { timeout: 60_000 }, () => {
  let root: string;
  let fake: FakeDaemon;
  let discovery: Discovery;
  const updates: string[] = [];
  /** Containers of 2816 at each of its updates: shows what an update covered. */
  const sizesAtUpdate: number[] = [];
  const detached: string[] = [];
  let changesOf2816 = 0;
  let changesOf2816AtSettle = -1;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rs-discovery-'));
    fake = new FakeDaemon(join(root, 'docker-2816.sock'));
    fake.run('old');
    await fake.start();
    discovery = new Discovery({
      sockets: `${root}/docker-*.sock`,
      dockerHosts: [{ id: 'gone', url: `unix://${root}/nothing-here.sock` }],
      ...TIMINGS,
    });
    discovery.on('update', (id) => {
      updates.push(id);
      if (id === '2816') sizesAtUpdate.push(discovery.status().find((daemon) => daemon.id === id)!.containers.length);
    });
    discovery.on('detach', (id) => detached.push(id));
    discovery.on('change', (id) => void (id === '2816' && changesOf2816++));
    await discovery.start();
    await discovery.whenSettled();
    changesOf2816AtSettle = changesOf2816;
    // The update announcing the initial sync is still in its debounce; let it out first.
    await waitFor(() => sizesAtUpdate.length > 0, { what: 'the initial update of 2816' });
  });

  after(async () => {
    await discovery.stop();
    await fake.close();
    await rm(root, { recursive: true, force: true });
  });

  it('settles with one daemon synced and one unreachable; the snapshot has only the synced one', () => {
    const [synced, gone] = discovery.status();
    assert.deepEqual([synced?.id, synced?.state, synced?.synced], ['2816', 'connected', true]);
    assert.deepEqual(
      synced?.containers.map((c) => c.name),
      ['old'],
    );
    assert.deepEqual([gone?.id, gone?.state, gone?.synced], ['gone', 'error', false]);
    assert.match(gone?.lastError ?? '', /ENOENT/);
    assert.deepEqual(
      discovery.snapshot().daemons.map((daemon) => daemon.id),
      ['2816'],
    );
    assert.deepEqual(fake.eventFilters, [CONTAINER_EVENT_FILTERS], 'events are filtered by the daemon');
    // Its containers and its state `connected` together: two changes would look like a burst and
    // hold the daemon's next change back for the longer quiet time.
    assert.equal(changesOf2816AtSettle, 1, 'coming up is one change');
  });

  it('turns a burst of starts into one update, and ignores events it did not ask for', async () => {
    const before = sizesAtUpdate.length;
    const eventsBefore = discovery.status()[0]!.eventsReceived;
    for (const id of ['a', 'b', 'c']) fake.run(id);
    fake.emit('a', 'exec_start: sh -c true');
    fake.emit('net', 'connect', 'network');
    for (const id of ['a', 'b', 'c']) fake.emit(id, 'start');
    await waitFor(() => discovery.status()[0]!.containers.length === 4, { what: 'a, b and c listed' });
    await waitFor(() => sizesAtUpdate.length > before, { what: 'the update' });
    assert.equal(sizesAtUpdate[before], 4, 'the first update after the burst already covers all of it');
    assert.equal(discovery.status()[0]!.eventsReceived - eventsBefore, 3);
  });

  it('reconnects when the daemon closes the event stream, and resyncs what changed meanwhile', async () => {
    fake.containers.delete('old'); // removed without an event reaching us
    fake.closeEvents();
    const status = await waitFor(
      () => {
        const daemon = discovery.status()[0]!;
        return daemon.reconnects === 1 && daemon.state === 'connected' && daemon.containers.length === 3 ? daemon : undefined;
      },
      { what: 'reconnected and resynced' },
    );
    assert.equal(status.lastError, 'event stream closed by the daemon');
  });

  it('notices a daemon that stops answering, and recovers when it answers again', async () => {
    fake.frozen = true;
    const stuck = await waitFor(
      () => {
        const daemon = discovery.status()[0]!;
        return daemon.state === 'error' ? daemon : undefined;
      },
      { what: 'the frozen daemon in error' },
    );
    assert.match(stuck.lastError ?? '', /timed out after 1000 ms/);
    assert.equal(stuck.containers.length, 3, 'the last known containers are kept');
    fake.frozen = false;
    await waitFor(() => discovery.status()[0]!.state === 'connected', { what: 'connected again' });
  });

  it('detaches the daemon when its socket goes away', async () => {
    await fake.close();
    await waitFor(() => detached.includes('2816'), { what: 'the detach' });
    assert.deepEqual(
      discovery.status().map((daemon) => daemon.id),
      ['gone'],
    );
    assert.deepEqual(discovery.snapshot().daemons, []);
  });
});

describe('Discovery listeners', { timeout: 30_000 }, () => {
  it('a listener that throws is logged, not taken for a daemon fault', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rs-discovery-'));
    const fake = new FakeDaemon(join(root, 'docker-2816.sock'));
    fake.run('a');
    await fake.start();
    const errors: string[] = [];
    const discovery = new Discovery({
      sockets: `${root}/docker-*.sock`,
      dockerHosts: [],
      ...TIMINGS,
      logger: { debug() {}, info() {}, warn() {}, error: (message) => errors.push(message) },
    });
    discovery.on('change', () => {
      throw new Error('listener bug');
    });
    try {
      await discovery.start();
      await discovery.whenSettled();
      const [daemon] = discovery.status();
      assert.deepEqual([daemon?.state, daemon?.lastError, daemon?.containers.length], ['connected', null, 1]);
      assert.ok(errors.includes('a discovery listener failed'));
    } finally {
      await discovery.stop();
      await fake.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
