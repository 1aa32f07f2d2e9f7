// The periodic resync (`changed`): one list, and an inspect only where the list says something
// changed since the container was last read, so a missed event is still caught.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FakeContainerSource, names } from '../../test/support/fake-container-source.ts';
import { ContainerTable } from './container-table.ts';

async function syncedTable(daemon: FakeContainerSource): Promise<ContainerTable> {
  const table = new ContainerTable(daemon, () => {});
  table.beginSession(new AbortController().signal);
  await table.resync();
  daemon.calls.length = 0;
  return table;
}

describe('ContainerTable: a resync of what changed', () => {
  it('lists and inspects nothing more when nothing changed', async () => {
    const daemon = new FakeContainerSource();
    daemon.run('a');
    daemon.run('b');
    const table = await syncedTable(daemon);
    await table.resync('changed');
    assert.deepEqual(daemon.calls, ['list']);
    assert.deepEqual(names(table), ['a:running', 'b:running']);
  });

  it('catches a change whose event was lost: the list entry differs, that container is read again', async () => {
    const daemon = new FakeContainerSource();
    daemon.run('a');
    daemon.run('b');
    daemon.run('gone');
    const table = await syncedTable(daemon);
    daemon.run('a', 'paused'); // no event for any of these
    daemon.run('new');
    daemon.containers.delete('gone');
    await table.resync('changed');
    assert.deepEqual(daemon.calls, ['list', 'inspect a', 'inspect new']);
    assert.deepEqual(names(table), ['a:paused', 'b:running', 'new:running']);
  });

  it('a container read by its event is read again by the next resync, once', async () => {
    const daemon = new FakeContainerSource();
    daemon.run('a');
    daemon.run('b');
    const table = await syncedTable(daemon);
    await table.handleEvent({ containerId: 'a', action: 'health_status' });
    daemon.calls.length = 0;
    await table.resync('changed');
    await table.resync('changed');
    assert.deepEqual(daemon.calls, ['list', 'inspect a', 'list']);
  });

  it('a container at fault is inspected by every resync until it can be read', async () => {
    const daemon = new FakeContainerSource();
    daemon.run('a');
    daemon.run('bad');
    const table = await syncedTable(daemon);
    daemon.failing.set('bad', 500);
    await table.handleEvent({ containerId: 'bad', action: 'start' });
    assert.equal(table.faults().length, 1);
    daemon.calls.length = 0;
    await table.resync('changed');
    assert.deepEqual(daemon.calls, ['list', 'inspect bad']);
    daemon.failing.delete('bad');
    await table.resync('changed');
    assert.deepEqual(table.faults(), []);
    assert.deepEqual(names(table), ['a:running', 'bad:running']);
  });

  it('a full resync still reads every container', async () => {
    const daemon = new FakeContainerSource();
    daemon.run('a');
    daemon.run('b');
    const table = await syncedTable(daemon);
    await table.resync('full');
    assert.deepEqual(daemon.calls, ['list', 'inspect a', 'inspect b']);
  });
});
