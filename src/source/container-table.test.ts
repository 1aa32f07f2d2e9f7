import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DockerContainerInspect } from './container-record.ts';
import { ContainerTable, type ContainerSource } from './container-table.ts';

/** A daemon whose answers the test releases one by one. */
class FakeDaemon implements ContainerSource {
  readonly containers = new Map<string, DockerContainerInspect>();
  readonly calls: string[] = [];
  readonly #held: (() => void)[] = [];
  hold = false;

  run(id: string, state = 'running'): void {
    this.containers.set(id, { Id: id, Name: `/${id}`, State: { Status: state }, HostConfig: { NetworkMode: 'host' } });
  }

  async listContainerIds(signal: AbortSignal): Promise<string[]> {
    this.calls.push('list');
    await this.#wait(signal);
    return [...this.containers.keys()];
  }

  async inspectContainer(id: string, signal: AbortSignal): Promise<DockerContainerInspect | null> {
    this.calls.push(`inspect ${id}`);
    // The answer is what the daemon knew when the request arrived, as for a real daemon.
    const answer = this.containers.get(id) ?? null;
    await this.#wait(signal);
    return answer;
  }

  /** Lets the oldest held call answer. */
  release(): void {
    this.#held.shift()?.();
  }

  get heldCalls(): number {
    return this.#held.length;
  }

  #wait(signal: AbortSignal): Promise<void> {
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#held.push(resolve);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
}

/** Lets queued promise work run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function names(table: ContainerTable): string[] {
  return table.containers().map((c) => `${c.name}:${c.state}`);
}

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
});
