// The containers of one daemon, kept current by full resyncs and by events. Event work runs in one
// serial queue: an inspect that started before a `destroy` finishes before the drop is applied, so
// it cannot bring the container back. A resync (a list and an inspect of everything, slow on a big
// or busy daemon) runs beside that queue, never in it, so no event waits behind the safety net; a
// container that had an event while the resync was under way is left to its event's inspect, which
// is at least as fresh. Work belongs to a session (one connection); when the session's signal aborts,
// its queued work is dropped and its in-flight results are discarded. The last known set survives a
// disconnect (routes stay up while the daemon is away).

import PQueue from 'p-queue';

import type { ContainerSnapshot } from '../model/snapshot.ts';
import { compareContainers, isListedState, sameContainer, toContainerSnapshot } from './container-record.ts';
import type { DockerClient } from './docker-client.ts';
import type { ContainerEvent } from './docker-events.ts';

/** Inspects in flight during a resync: fast on a big daemon, gentle on a small one. */
const RESYNC_INSPECT_CONCURRENCY = 8;

/**
 * Runs one Docker call of a resync when the host has room for it. A thousand daemons resyncing at
 * once (start-up) would otherwise put thousands of calls in flight, and those queued behind the
 * others in route-server's own event loop would pass their deadline without any daemon being slow.
 */
export type CallSlot = <T>(call: () => Promise<T>) => Promise<T>;

const unlimited: CallSlot = (call) => call();

type PendingWork = 'refresh' | 'drop';

/** What the table needs of a Docker client (a fake in unit tests). */
export type ContainerSource = Pick<DockerClient, 'listContainerIds' | 'inspectContainer'>;

interface Session {
  readonly signal: AbortSignal;
  /** Containers with work queued but not started; a later event only updates what it will do. */
  readonly pending: Map<string, PendingWork>;
}

export class ContainerTable {
  readonly #client: ContainerSource;
  readonly #onChange: () => void;
  readonly #queue = new PQueue({ concurrency: 1 });
  #containers = new Map<string, ContainerSnapshot>();
  #session: Session | null = null;
  /** Per resync under way: the containers that had an event since it began. */
  readonly #resyncs = new Set<Set<string>>();

  readonly #slot: CallSlot;

  constructor(client: ContainerSource, onChange: () => void, slot: CallSlot = unlimited) {
    this.#client = client;
    this.#onChange = onChange;
    this.#slot = slot;
  }

  /** Starts the work of a new connection; work of the previous one is dropped with its signal. */
  beginSession(signal: AbortSignal): void {
    this.#session = { signal, pending: new Map() };
  }

  containers(): ContainerSnapshot[] {
    return [...this.#containers.values()].sort(compareContainers);
  }

  get size(): number {
    return this.#containers.size;
  }

  /**
   * Lists and inspects everything, then replaces the set, except the containers that had an event
   * meanwhile. Runs at once, beside the event queue.
   */
  async resync(): Promise<void> {
    const session = this.#requireSession();
    const touched = new Set<string>();
    this.#resyncs.add(touched);
    try {
      await this.#resync(session, touched);
    } finally {
      this.#resyncs.delete(touched);
    }
  }

  /**
   * Queues what an event calls for: `destroy` drops the container, anything else re-inspects it
   * (the inspect tells the new state; a container that is gone or stopped is dropped). Events for a
   * container whose work has not started yet are merged into it: one inspect answers them all.
   */
  handleEvent(event: ContainerEvent): Promise<void> {
    const session = this.#requireSession();
    const work: PendingWork = event.action === 'destroy' ? 'drop' : 'refresh';
    for (const touched of this.#resyncs) touched.add(event.containerId);
    const alreadyQueued = session.pending.has(event.containerId);
    session.pending.set(event.containerId, work);
    if (alreadyQueued) return Promise.resolve();
    return this.#queue.add(() => this.#settle(session, event.containerId), { signal: session.signal });
  }

  async #resync(session: Session, touched: ReadonlySet<string>): Promise<void> {
    const { signal } = session;
    signal.throwIfAborted();
    const ids = await this.#slot(() => this.#client.listContainerIds(signal));
    const found = new Map<string, ContainerSnapshot>();
    let next = 0;
    const inspectNext = async (): Promise<void> => {
      while (next < ids.length && !signal.aborted) {
        const id = ids[next++]!;
        const info = await this.#slot(() => this.#client.inspectContainer(id, signal));
        if (info === null) continue; // removed between list and inspect
        const record = toContainerSnapshot(info);
        if (isListedState(record.state)) found.set(record.id, record);
      }
    };
    await Promise.all(Array.from({ length: Math.min(RESYNC_INSPECT_CONCURRENCY, ids.length) }, inspectNext));
    signal.throwIfAborted();
    this.#replaceAll(found, touched);
  }

  async #settle(session: Session, id: string): Promise<void> {
    const { signal, pending } = session;
    const work = pending.get(id) ?? 'refresh';
    pending.delete(id);
    signal.throwIfAborted();
    if (work === 'drop') {
      this.#remove(id);
      return;
    }
    const info = await this.#client.inspectContainer(id, signal);
    signal.throwIfAborted();
    const record = info === null ? null : toContainerSnapshot(info);
    if (record === null || !isListedState(record.state)) this.#remove(id);
    else this.#upsert(record);
  }

  #upsert(record: ContainerSnapshot): void {
    const known = this.#containers.get(record.id);
    if (known !== undefined && sameContainer(known, record)) return;
    this.#containers.set(record.id, record);
    this.#onChange();
  }

  #remove(id: string): void {
    if (this.#containers.delete(id)) this.#onChange();
  }

  /** The resync's view, except for `touched` containers: the event path knows those better. */
  #replaceAll(found: Map<string, ContainerSnapshot>, touched: ReadonlySet<string>): void {
    for (const id of touched) {
      const known = this.#containers.get(id);
      if (known === undefined) found.delete(id);
      else found.set(id, known);
    }
    let changed = found.size !== this.#containers.size;
    for (const [id, record] of found) {
      const known = this.#containers.get(id);
      if (known === undefined || !sameContainer(known, record)) changed = true;
    }
    this.#containers = found;
    if (changed) this.#onChange();
  }

  #requireSession(): Session {
    if (this.#session === null) throw new Error('ContainerTable: beginSession() was not called');
    return this.#session;
  }
}
