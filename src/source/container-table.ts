// The containers of one daemon, kept current by resyncs and by events. Event work runs in one
// serial queue: an inspect that started before a `destroy` finishes before the drop is applied, so
// it cannot bring the container back. A resync (a list, then inspects; slow on a big or busy
// daemon) runs beside that queue, never in it, so no event waits behind the safety net; a
// container that had an event while the resync was under way is left to its event's inspect, which
// is at least as fresh. Work belongs to a session (one connection); when the session's signal aborts,
// its queued work is dropped and its in-flight results are discarded. The last known set survives a
// disconnect (routes stay up while the daemon is away).
//
// A full resync inspects every listed container (on connecting). A `changed` resync (the periodic
// safety net) inspects only the containers whose list entry differs from the one seen when they
// were last inspected, or that had an event since, or are at fault: the list shows everything the
// inspect reads (name, state, health, networks, ports, labels), so an idle daemon costs one list.
//
// One bad container never stops its daemon. A deadline or a socket error is the connection's fault
// (thrown: the watcher reconnects). The daemon answering one container's inspect with an HTTP error
// (ContainerInspectFailed) is that container's fault: its last known record is kept (or it stays
// unknown), the fault is listed in `faults()` for /health and /routes.json, and that container alone
// is inspected again with backoff, while every other container stays current.

import PQueue from 'p-queue';

import { backoffDelay, type BackoffOptions } from '../model/backoff.ts';
import { compareCodePoints } from '../model/ordering.ts';
import type { ContainerSnapshot } from '../model/snapshot.ts';
import { compareContainers, isListedState, sameContainer, toContainerSnapshot, type ListedContainer } from './container-record.ts';
import { ContainerInspectFailed, type DockerClient } from './docker-client.ts';
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
export type ContainerSource = Pick<DockerClient, 'listContainers' | 'inspectContainer'>;

/** `full`: inspect every listed container; `changed`: only those whose list entry changed. */
export type ResyncScope = 'full' | 'changed';

export interface ContainerTableOptions {
  /** How a container at fault is inspected again. */
  readonly retry?: BackoffOptions;
  /** Where a resync's calls wait for room (shared by every daemon of the host). */
  readonly resyncSlot?: CallSlot;
}

/** A container whose inspect keeps failing while its daemon answers everything else. */
export interface ContainerFault {
  readonly id: string;
  /** Its name as last known; null when it was never inspected successfully. */
  readonly name: string | null;
  readonly error: string;
  /** Ms epoch of the first failure in a row. */
  readonly since: number;
  readonly failures: number;
}

interface Session {
  readonly signal: AbortSignal;
  /** Containers with work queued but not started; a later event only updates what it will do. */
  readonly pending: Map<string, PendingWork>;
  /** Where a failure of work started by a retry timer goes (the connection's fault handler). */
  readonly fault: (error: unknown) => void;
}

export class ContainerTable {
  readonly #client: ContainerSource;
  readonly #onChange: () => void;
  readonly #retry: BackoffOptions;
  readonly #queue = new PQueue({ concurrency: 1 });
  #containers = new Map<string, ContainerSnapshot>();
  #sorted: readonly ContainerSnapshot[] | null = null;
  /** Per container: its list summary when its record was last read by a resync's inspect. */
  readonly #summaries = new Map<string, string>();
  readonly #faults = new Map<string, ContainerFault>();
  readonly #retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #session: Session | null = null;
  /** Per resync under way: the containers that had an event since it began. */
  readonly #resyncs = new Set<Set<string>>();

  readonly #slot: CallSlot;

  constructor(client: ContainerSource, onChange: () => void, options: ContainerTableOptions = {}) {
    this.#client = client;
    this.#onChange = onChange;
    this.#retry = options.retry ?? { initialMs: 500, maxMs: 30_000 };
    this.#slot = options.resyncSlot ?? unlimited;
  }

  /** Starts the work of a new connection; work of the previous one is dropped with its signal. */
  beginSession(signal: AbortSignal, fault: (error: unknown) => void = () => {}): void {
    this.#session = { signal, pending: new Map(), fault };
    signal.addEventListener('abort', () => this.#cancelRetries(), { once: true });
  }

  /** Sorted by name; the same array until the set changes (a daemon's status is read on every render). */
  containers(): readonly ContainerSnapshot[] {
    this.#sorted ??= [...this.#containers.values()].sort(compareContainers);
    return this.#sorted;
  }

  /** Containers whose inspect fails with an HTTP error, by id. */
  faults(): ContainerFault[] {
    return [...this.#faults.values()].sort((a, b) => compareCodePoints(a.id, b.id));
  }

  /** True when some container's inspect fails (what faults() would list), without listing them. */
  get faulty(): boolean {
    return this.#faults.size > 0;
  }

  get size(): number {
    return this.#containers.size;
  }

  /**
   * Lists and inspects (everything, or what changed), then replaces the set, except the containers
   * that had an event meanwhile. Runs at once, beside the event queue.
   */
  async resync(scope: ResyncScope = 'full'): Promise<void> {
    const session = this.#requireSession();
    const touched = new Set<string>();
    this.#resyncs.add(touched);
    try {
      await this.#resync(session, touched, scope);
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
    return this.#enqueue(this.#requireSession(), event.containerId, event.action === 'destroy' ? 'drop' : 'refresh');
  }

  #enqueue(session: Session, id: string, work: PendingWork): Promise<void> {
    for (const touched of this.#resyncs) touched.add(id);
    // The event's inspect may see what the last list did not: the next resync reads it again.
    this.#summaries.delete(id);
    const alreadyQueued = session.pending.has(id);
    session.pending.set(id, work);
    if (alreadyQueued) return Promise.resolve();
    return this.#queue.add(() => this.#settle(session, id), { signal: session.signal });
  }

  async #resync(session: Session, touched: ReadonlySet<string>, scope: ResyncScope): Promise<void> {
    const { signal } = session;
    signal.throwIfAborted();
    const listed = await this.#slot(() => this.#client.listContainers(signal));
    const found = new Map<string, ContainerSnapshot>();
    const toInspect: ListedContainer[] = [];
    for (const entry of listed) {
      const known = this.#containers.get(entry.id);
      const unchanged = scope === 'changed' && known !== undefined && !this.#faults.has(entry.id) && this.#summaries.get(entry.id) === entry.summary;
      if (unchanged) found.set(known.id, known);
      else toInspect.push(entry);
    }
    let next = 0;
    const inspectNext = async (): Promise<void> => {
      while (next < toInspect.length && !signal.aborted) {
        const { id, summary } = toInspect[next++]!;
        const record = await this.#inspect(session, id, this.#slot);
        if (record !== undefined && !touched.has(id)) this.#summaries.set(id, summary);
        // A container at fault keeps its last known record until it can be read again.
        const kept = record === undefined ? this.#containers.get(id) : record;
        if (kept && isListedState(kept.state)) found.set(kept.id, kept);
      }
    };
    await Promise.all(Array.from({ length: Math.min(RESYNC_INSPECT_CONCURRENCY, toInspect.length) }, inspectNext));
    signal.throwIfAborted();
    const ids = new Set(listed.map((entry) => entry.id));
    for (const id of [...this.#faults.keys()]) if (!ids.has(id) && !touched.has(id)) this.#clearFault(id);
    for (const id of [...this.#summaries.keys()]) if (!ids.has(id) || touched.has(id)) this.#summaries.delete(id);
    this.#replaceAll(found, touched);
  }

  async #settle(session: Session, id: string): Promise<void> {
    const { signal, pending } = session;
    const work = pending.get(id) ?? 'refresh';
    pending.delete(id);
    signal.throwIfAborted();
    if (work === 'drop') {
      this.#clearFault(id);
      this.#remove(id);
      return;
    }
    const record = await this.#inspect(session, id);
    signal.throwIfAborted();
    if (record === undefined) return; // at fault: what we knew stays
    if (record === null || !isListedState(record.state)) this.#remove(id);
    else this.#upsert(record);
  }

  /** The container's record, null when it is gone, undefined when its inspect failed (its fault). */
  async #inspect(session: Session, id: string, slot: CallSlot = unlimited): Promise<ContainerSnapshot | null | undefined> {
    try {
      const info = await slot(() => this.#client.inspectContainer(id, session.signal));
      if (session.signal.aborted) return undefined;
      this.#clearFault(id);
      return info === null ? null : toContainerSnapshot(info);
    } catch (error) {
      if (!(error instanceof ContainerInspectFailed) || session.signal.aborted) throw error;
      this.#recordFault(session, id, error.message);
      return undefined;
    }
  }

  #recordFault(session: Session, id: string, error: string): void {
    const previous = this.#faults.get(id);
    const failures = (previous?.failures ?? 0) + 1;
    const name = this.#containers.get(id)?.name ?? previous?.name ?? null;
    this.#faults.set(id, { id, name, error, since: previous?.since ?? Date.now(), failures });
    const timer = setTimeout(() => {
      this.#retryTimers.delete(id);
      if (!session.signal.aborted) this.#enqueue(session, id, 'refresh').catch(session.fault);
    }, backoffDelay(failures - 1, this.#retry));
    timer.unref();
    clearTimeout(this.#retryTimers.get(id));
    this.#retryTimers.set(id, timer);
    if (previous?.error !== error) this.#onChange();
  }

  #clearFault(id: string): void {
    clearTimeout(this.#retryTimers.get(id));
    this.#retryTimers.delete(id);
    if (this.#faults.delete(id)) this.#onChange();
  }

  #cancelRetries(): void {
    for (const timer of this.#retryTimers.values()) clearTimeout(timer);
    this.#retryTimers.clear();
  }

  #upsert(record: ContainerSnapshot): void {
    const known = this.#containers.get(record.id);
    if (known !== undefined && sameContainer(known, record)) return;
    this.#containers.set(record.id, record);
    this.#sorted = null;
    this.#onChange();
  }

  #remove(id: string): void {
    if (!this.#containers.delete(id)) return;
    this.#sorted = null;
    this.#onChange();
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
      if (known !== record && (known === undefined || !sameContainer(known, record))) changed = true;
    }
    this.#containers = found;
    this.#sorted = null;
    if (changed) this.#onChange();
  }

  #requireSession(): Session {
    if (this.#session === null) throw new Error('ContainerTable: beginSession() was not called');
    return this.#session;
  }
}
