// One daemon, one loop: ping, subscribe to events, full resync, then follow events (pinged and
// resynced in the host's batches, rota.ts) until something fails; then back off and start over.
// Every call has a deadline and everything of one connection hangs off one AbortController, so a
// dead or frozen daemon turns into a status, never into a hang or an exception that leaves the
// loop. Daemons share nothing but the event loop and those batches: one daemon's trouble cannot
// delay another's events.

import { setMaxListeners } from 'node:events';
import type { Readable } from 'node:stream';

import type { Logger } from '../model/logger.ts';
import type { ContainerSnapshot } from '../model/snapshot.ts';
import type { DaemonState, DaemonStatus } from './daemon-status.ts';
import { backoffDelay } from '../model/backoff.ts';
import { ContainerTable, type CallSlot } from './container-table.ts';
import type { DaemonEndpoint } from './daemon-endpoints.ts';
import type { Rota } from './rota.ts';
import { DockerClient } from './docker-client.ts';
import { LineSplitter, parseContainerEvent } from './docker-events.ts';

export interface DaemonWatcherOptions {
  readonly requestTimeoutMs: number;
  /** Pings every connected daemon of the host, once per heartbeat interval. */
  readonly heartbeat: Rota;
  /** Resyncs every connected daemon of the host, once per resync interval; null: no periodic resync. */
  readonly resyncs: Rota | null;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly logger: Logger;
  /** The containers or the state changed (called synchronously, once per change). */
  /** `settling`: the change is the connection coming up (its containers and state `connected` as one). */
  readonly onChange: (settling?: boolean) => void;
  /** Shared by every daemon of the host: bounds the resync calls in flight. */
  readonly resyncSlot?: CallSlot;
}

interface ConnectionEnd {
  readonly error: string;
  /** When the connection became good, or null when the attempt failed before that. */
  readonly connectedAt: number | null;
}

export class DaemonWatcher {
  readonly endpoint: DaemonEndpoint;
  /** Settles when the first attempt has synced or failed, or the watcher stopped before that. */
  readonly firstOutcome: Promise<void>;

  readonly #options: DaemonWatcherOptions;
  readonly #client: DockerClient;
  readonly #table: ContainerTable;
  readonly #stopping = new AbortController();
  #resolveFirstOutcome: () => void = () => {};
  /** While a connection comes up, its changes (containers, then state) are reported as one. */
  #holdChanges = false;
  #heldChange = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  #state: DaemonState = 'connecting';
  #since = Date.now();
  #synced = false;
  #everConnected = false;
  #lastEventAt: number | null = null;
  #lastSyncAt: number | null = null;
  #lastError: string | null = null;
  #reconnects = 0;
  #eventsReceived = 0;

  constructor(endpoint: DaemonEndpoint, options: DaemonWatcherOptions) {
    this.endpoint = endpoint;
    this.#options = options;
    this.#client = new DockerClient(endpoint.address, options.requestTimeoutMs);
    this.#table = new ContainerTable(this.#client, () => this.#changed(), {
      retry: { initialMs: options.backoffInitialMs, maxMs: options.backoffMaxMs },
      resyncSlot: options.resyncSlot,
    });
    this.firstOutcome = new Promise((resolve) => (this.#resolveFirstOutcome = resolve));
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#wake?.();
    this.#resolveFirstOutcome();
    await this.#loop;
    this.#client.close();
  }

  /** Retries now instead of at the end of the backoff (the socket was re-created: daemon restarted). */
  retryNow(): void {
    this.#wake?.();
  }

  status(): DaemonStatus {
    return {
      id: this.endpoint.id,
      socket: this.endpoint.socket,
      state: this.#state,
      since: this.#since,
      synced: this.#synced,
      containers: this.#table.containers(),
      lastEventAt: this.#lastEventAt,
      lastSyncAt: this.#lastSyncAt,
      lastError: this.#lastError,
      reconnects: this.#reconnects,
      eventsReceived: this.#eventsReceived,
      containerFaults: this.#table.faults(),
    };
  }

  get synced(): boolean {
    return this.#synced;
  }

  get state(): DaemonState {
    return this.#state;
  }

  /** Some container's inspect fails: status() lists it. */
  get faulty(): boolean {
    return this.#table.faulty;
  }

  containers(): readonly ContainerSnapshot[] {
    return this.#table.containers();
  }

  async #run(): Promise<void> {
    const { logger } = this.#options;
    const fields = { daemon: this.endpoint.id, socket: this.endpoint.socket };
    let failures = 0;
    while (!this.#stopping.signal.aborted) {
      const end = await this.#connect();
      if (this.#stopping.signal.aborted) break;
      this.#lastError = end.error;
      this.#resolveFirstOutcome();
      if (end.connectedAt !== null) {
        // A connection that held longer than the longest wait was healthy: start the backoff over.
        if (Date.now() - end.connectedAt >= this.#options.backoffMaxMs) failures = 0;
        logger.warn('daemon connection lost', { ...fields, error: end.error });
        this.#setState('reconnecting');
      } else {
        const log = this.#state === 'error' ? logger.debug : logger.warn;
        log.call(logger, 'daemon unreachable', { ...fields, error: end.error, failures: failures + 1 });
        this.#setState('error');
      }
      await this.#pause(backoffDelay(failures, { initialMs: this.#options.backoffInitialMs, maxMs: this.#options.backoffMaxMs }));
      failures++;
    }
  }

  /** One connection, from ping to its end. Never throws: the reason it ended is the result. */
  async #connect(): Promise<ConnectionEnd> {
    const connection = new AbortController();
    // Every Docker call of this connection (a burst can have dozens of inspects in flight) listens
    // for its abort; that is by design, not a leak.
    setMaxListeners(0, connection.signal);
    const { signal } = connection;
    let reason: string | null = null;
    const fault = (error: unknown) => {
      reason ??= error instanceof Error ? error.message : String(error);
      connection.abort();
    };
    const onStop = () => fault('stopped');
    this.#stopping.signal.addEventListener('abort', onStop, { once: true });
    if (this.#stopping.signal.aborted) onStop();
    const turns: (() => void)[] = [];
    let connectedAt: number | null = null;
    let events: Readable | null = null;
    try {
      await this.#client.ping(signal);
      this.#table.beginSession(signal, fault);
      events = (await this.#client.openEvents(signal)) as Readable;
      this.#follow(events, fault);
      // The synced containers and the state `connected` are one change: two would look like a burst
      // to the coalescer and hold the daemon's next change back.
      this.#holdChanges = true;
      await this.#table.resync();
      this.#markSynced();
      connectedAt = Date.now();
      if (this.#everConnected) this.#reconnects++;
      this.#everConnected = true;
      this.#options.logger.info('daemon connected', {
        daemon: this.endpoint.id,
        socket: this.endpoint.socket,
        containers: this.#table.size,
      });
      this.#setState('connected');
      this.#releaseChanges();
      this.#resolveFirstOutcome();
      turns.push(this.#options.heartbeat.join(() => this.#client.ping(signal).catch(fault)));
      if (this.#options.resyncs) turns.push(this.#options.resyncs.join(() => this.#resync().catch(fault)));
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } catch (error) {
      fault(error);
    } finally {
      this.#releaseChanges();
      connection.abort();
      events?.destroy();
      for (const leave of turns) leave();
      this.#stopping.signal.removeEventListener('abort', onStop);
    }
    return { error: reason ?? 'connection ended', connectedAt };
  }

  #follow(events: Readable, fault: (error: unknown) => void): void {
    const lines = new LineSplitter();
    events.setEncoding('utf8');
    events.on('data', (chunk: string) => {
      for (const line of lines.push(chunk)) {
        const event = parseContainerEvent(line);
        if (event === null) continue;
        this.#eventsReceived++;
        this.#lastEventAt = Date.now();
        this.#table.handleEvent(event).catch(fault);
      }
    });
    // The listeners stay after the connection ends: destroying the stream may still emit 'error'.
    events.on('error', (error: Error) => fault(new Error(`event stream failed: ${error.message}`)));
    events.on('end', () => fault(new Error('event stream closed by the daemon')));
    events.on('close', () => fault(new Error('event stream closed')));
  }

  /** The periodic safety net: one list, inspects only where it shows a change. */
  async #resync(): Promise<void> {
    await this.#table.resync('changed');
    this.#markSynced();
  }

  #markSynced(): void {
    this.#lastSyncAt = Date.now();
    this.#synced = true;
  }

  #setState(state: DaemonState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#since = Date.now();
    this.#changed();
  }

  #changed(): void {
    if (this.#holdChanges) this.#heldChange = true;
    else this.#options.onChange();
  }

  #releaseChanges(): void {
    this.#holdChanges = false;
    if (!this.#heldChange) return;
    this.#heldChange = false;
    this.#options.onChange(true);
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
      if (this.#stopping.signal.aborted) done();
    });
  }
}
