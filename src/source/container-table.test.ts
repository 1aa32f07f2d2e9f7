import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FakeContainerSource as FakeDaemon, names, settle } from '../../test/support/fake-container-source.ts';
import { waitFor } from '../../test/support/wait.ts';
import { ContainerTable } from './container-table.ts';

describe('ContainerTable', () => {
  it('resyncs to what the daemon lists, skipping containers that stopped in between', async () => {
    const daemon = new FakeDaemon();
    daemon.run('a');
    daemon.run('b', 'paused');
    daemon.run('c', 'exited');
    let changes = 0;
    const table = new ContainerTable(daemon, () => changes++);
    table.beginSession(new AbortController().signal);
    await table.resync();
    assert.deepEqual(names(table), ['a:running', 'b:paused']);
    assert.equal(changes, 1);
    await table.resync();
    assert.equal(changes, 1, 'an unchanged resync is not a change');
  });

  it('an inspect that started before a destroy cannot bring the container back', async () => {
    const daemon = new FakeDaemon();
    const table = new ContainerTable(daemon, () => {});
    table.beginSession(new AbortController().signal);
    daemon.run('a');
    daemon.hold = true;
    const started = table.handleEvent({ containerId: 'a', action: 'start' });
    await settle();
    assert.equal(daemon.heldCalls, 1, 'the inspect is in flight');
    daemon.containers.delete('a');
    const destroyed = table.handleEvent({ containerId: 'a', action: 'destroy' });
    daemon.release(); // the inspect answers with the container still running
    await Promise.all([started, destroyed]);
    assert.deepEqual(names(table), []);
  });

  it('merges events for a container whose work has not started into one inspect', async () => {
    const daemon = new FakeDaemon();
    const table = new ContainerTable(daemon, () => {});
    table.beginSession(new AbortController().signal);
    daemon.run('busy');
    daemon.run('x');
    daemon.hold = true;
    const work = [table.handleEvent({ containerId: 'busy', action: 'start' })];
    await settle();
    for (const action of ['start', 'health_status', 'pause', 'unpause'] as const) {
      work.push(table.handleEvent({ containerId: 'x', action }));
    }
    daemon.hold = false;
    daemon.release();
    await Promise.all(work);
    assert.deepEqual(daemon.calls, ['inspect busy', 'inspect x']);
    assert.deepEqual(names(table), ['busy:running', 'x:running']);
  });

  it('drops containers whose inspect says gone or stopped', async () => {
    const daemon = new FakeDaemon();
    const table = new ContainerTable(daemon, () => {});
    table.beginSession(new AbortController().signal);
    daemon.run('a');
    daemon.run('b');
    await table.resync();
    daemon.run('a', 'exited');
    daemon.containers.delete('b');
    await Promise.all([table.handleEvent({ containerId: 'a', action: 'die' }), table.handleEvent({ containerId: 'b', action: 'kill' })]);
    assert.deepEqual(names(table), []);
  });

  it('discards the work of an ended session and keeps the last known containers', async () => {
    const daemon = new FakeDaemon();
    const table = new ContainerTable(daemon, () => {});
    const first = new AbortController();
    table.beginSession(first.signal);
    daemon.run('a');
    await table.resync();
    daemon.hold = true;
    daemon.run('b');
    const pending = table.handleEvent({ containerId: 'b', action: 'start' });
    const queued = table.handleEvent({ containerId: 'a', action: 'stop' });
    await settle();
    first.abort(new Error('connection lost'));
    await assert.rejects(pending, /connection lost/);
    await assert.rejects(queued);
    assert.deepEqual(names(table), ['a:running'], 'nothing applied after the session ended');

    daemon.hold = false;
    table.beginSession(new AbortController().signal);
    await table.handleEvent({ containerId: 'a', action: 'stop' });
    await table.resync();
    assert.deepEqual(names(table), ['a:running', 'b:running'], 'a new session works, with no stale merge state');
  });

  it('an event during a slow resync is applied at once, not after the resync', async () => {
    const daemon = new FakeDaemon();
    daemon.run('a');
    let changes = 0;
    const table = new ContainerTable(daemon, () => changes++);
    table.beginSession(new AbortController().signal);
    await table.resync();
    daemon.hold = true;
    const resync = table.resync();
    await settle();
    assert.deepEqual(daemon.calls.slice(-1), ['list'], 'the resync waits for the daemon');
    daemon.hold = false;
    daemon.run('b');
    await table.handleEvent({ containerId: 'b', action: 'start' });
    assert.deepEqual(names(table), ['a:running', 'b:running'], 'the new container is there while the resync still waits');
    assert.equal(changes, 2);
    daemon.release(); // the list answers as of when it was asked: without b
    await resync;
    assert.deepEqual(names(table), ['a:running', 'b:running'], 'the older list does not take b away');
    assert.equal(changes, 2, 'and finds nothing new');
  });

  it('a container with an event during the resync keeps what its event found; the rest follows the resync', async () => {
    const daemon = new FakeDaemon();
    daemon.run('a');
    daemon.run('b');
    const table = new ContainerTable(daemon, () => {});
    table.beginSession(new AbortController().signal);
    await table.resync();
    daemon.containers.delete('b'); // its destroy event was lost: only a resync can notice
    daemon.hold = true;
    const resync = table.resync();
    await settle();
    daemon.release(); // list: [a]
    await settle();
    daemon.release(); // inspect a: running
    await settle();
    daemon.hold = false;
    daemon.run('a', 'exited');
    await table.handleEvent({ containerId: 'a', action: 'die' });
    await resync;
    assert.deepEqual(names(table), [], 'a stopped after the resync saw it running; b was gone');
  });

  describe('one container the daemon fails to inspect', () => {
    const retry = { initialMs: 1, maxMs: 5 };

    it('does not fail the resync: the others are current, it keeps its last known record and is named', async () => {
      const daemon = new FakeDaemon();
      const table = new ContainerTable(daemon, () => {}, { retry });
      table.beginSession(new AbortController().signal);
      daemon.run('a');
      daemon.run('bad');
      await table.resync();
      daemon.failing.set('bad', 500);
      daemon.run('c');
      daemon.run('bad', 'paused');
      await table.resync();
      assert.deepEqual(names(table), ['a:running', 'bad:running', 'c:running'], 'its last known state stays');
      assert.deepEqual(
        table.faults().map((f) => [f.id, f.name, f.error]),
        [['bad', 'bad', 'inspect bad failed: (HTTP code 500) server error - boom']],
      );
    });

    it('a container never read stays unknown, not empty, and is named by id', async () => {
      const daemon = new FakeDaemon();
      const table = new ContainerTable(daemon, () => {}, { retry });
      table.beginSession(new AbortController().signal);
      daemon.run('a');
      daemon.run('new');
      daemon.failing.set('new', 500);
      await table.resync();
      assert.deepEqual(names(table), ['a:running']);
      assert.deepEqual(table.faults().map((f) => [f.id, f.name]), [['new', null]]);
    });

    it('an event for it does not end the connection; it is retried until it reads, then its fault is gone', async () => {
      const daemon = new FakeDaemon();
      let changes = 0;
      const faults: unknown[] = [];
      const table = new ContainerTable(daemon, () => changes++, { retry });
      table.beginSession(new AbortController().signal, (error) => faults.push(error));
      daemon.run('bad');
      await table.resync();
      daemon.failing.set('bad', 409);
      daemon.run('bad', 'paused');
      await table.handleEvent({ containerId: 'bad', action: 'pause' }); // resolves: not a connection fault
      assert.equal(table.faults().length, 1);
      const before = changes;
      await waitFor(() => daemon.calls.filter((c) => c === 'inspect bad').length >= 4, { what: 'retries with backoff' });
      assert.equal(changes, before, 'the same failure again is not a change');
      daemon.failing.delete('bad');
      await waitFor(() => table.faults().length === 0, { what: 'a retry that reads it' });
      assert.deepEqual(names(table), ['bad:paused']);
      assert.deepEqual(faults, []);
    });

    it('a socket error is still the connection\'s fault', async () => {
      const daemon = new FakeDaemon();
      const table = new ContainerTable(daemon, () => {}, { retry });
      table.beginSession(new AbortController().signal);
      daemon.run('a');
      daemon.failing.set('a', 'socket');
      await assert.rejects(table.resync(), /ECONNREFUSED/);
      await assert.rejects(table.handleEvent({ containerId: 'a', action: 'start' }), /ECONNREFUSED/);
      assert.deepEqual(table.faults(), []);
    });

    it('stays reported after the connection ends (until a new session reads it)', async () => {
      const daemon = new FakeDaemon();
      const table = new ContainerTable(daemon, () => {}, { retry: { initialMs: 30_000, maxMs: 30_000 } });
      const session = new AbortController();
      table.beginSession(session.signal);
      daemon.run('bad');
      daemon.failing.set('bad', 500);
      await table.resync();
      session.abort();
      assert.equal(table.faults().length, 1);
      daemon.failing.delete('bad');
      table.beginSession(new AbortController().signal);
      await table.resync();
      assert.deepEqual(table.faults(), []);
      assert.deepEqual(names(table), ['bad:running']);
    });
  });
});
