// The only file that talks to dockerode (loaded through ./dockerode.ts). Read-only calls (ping, list, inspect, events), each with a
// timeout: a daemon frozen with SIGSTOP still accepts connections into its backlog but never
// answers, so without a deadline a call would hang forever. dockerode's own `timeout` option is a
// socket idle timeout and would also cut a quiet event stream, hence per-call abort signals.

import http from 'node:http';
import { finished } from 'node:stream/promises';
import { inspect } from 'node:util';
import type Dockerode from 'dockerode';

import type { DaemonAddress } from './daemon-endpoints.ts';
import { toListedContainer, type DockerContainerInspect, type ListedContainer } from './container-record.ts';
import { CONTAINER_EVENT_FILTERS } from './docker-events.ts';
import { Docker } from './dockerode.ts';

export class DockerClient {
  readonly #docker: Dockerode;
  readonly #agent: http.Agent;
  readonly #target: http.RequestOptions;
  readonly #timeoutMs: number;

  constructor(address: DaemonAddress, requestTimeoutMs: number) {
    // An agent per daemon: closing one daemon's sockets cannot touch another's. One idle socket is
    // kept for the pings and lists; the others a resync's parallel inspects opened are closed
    // (a thousand daemons kept nine each, over 2 KB of heap apiece plus the native side, for one burst).
    this.#agent = new http.Agent({ keepAlive: true, maxFreeSockets: 1 });
    hideFromInspect(this.#agent, 'Agent');
    const target: Dockerode.DockerOptions =
      address.kind === 'unix' ? { socketPath: address.path } : { host: address.host, port: address.port, protocol: 'http' };
    this.#docker = new Docker({ ...target, agent: this.#agent } as Dockerode.DockerOptions);
    this.#target = address.kind === 'unix' ? { socketPath: address.path } : { host: address.host, port: address.port };
    this.#timeoutMs = requestTimeoutMs;
  }

  /**
   * `GET /_ping` as a bare request on the daemon's kept-alive sockets, not through dockerode: the
   * heartbeat pings every daemon every few seconds, and docker-modem's request building costs
   * more than the call itself (a thousand daemons idle: a hundred pings a second).
   */
  async ping(signal: AbortSignal): Promise<void> {
    await this.#call('ping', signal, async (abortSignal) => {
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const request = http.request({ ...this.#target, path: '/_ping', agent: this.#agent, signal: abortSignal }, resolve);
        request.on('error', reject);
        request.end();
      });
      response.resume();
      await finished(response);
      if (response.statusCode !== 200) throw new Error(`ping: daemon answered HTTP ${response.statusCode}`);
    });
  }

  /** The containers `docker ps` shows (running, paused, restarting), as the list describes them. */
  async listContainers(signal: AbortSignal): Promise<ListedContainer[]> {
    const list = await this.#call('list containers', signal, (abortSignal) =>
      this.#docker.listContainers({ all: false, abortSignal }),
    );
    return list.map(toListedContainer);
  }

  /**
   * The container's inspect JSON, or null when it no longer exists. The daemon answering with
   * another HTTP error is that container's fault (ContainerInspectFailed); a deadline or a socket
   * error is the connection's, thrown as it is.
   */
  async inspectContainer(id: string, signal: AbortSignal): Promise<DockerContainerInspect | null> {
    const what = `inspect ${id.slice(0, 12)}`;
    try {
      return await this.#call(what, signal, (abortSignal) => this.#docker.getContainer(id).inspect({ abortSignal }));
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (status === 404) return null;
      if (typeof status === 'number' && !(error instanceof CallTimeout)) throw new ContainerInspectFailed(what, status, error);
      throw error;
    }
  }

  /**
   * Subscribes to container events. Resolves once the daemon has answered with headers, which it
   * sends after registering the subscription: from then on no event is missed. Only the wait for
   * the headers is bounded; the stream lives until `signal` aborts or the daemon closes it.
   */
  async openEvents(signal: AbortSignal): Promise<NodeJS.ReadableStream> {
    // The link to `signal` stays: aborting the connection later must destroy the stream.
    const call = this.#deadline('subscribe to events', signal, { unlinkAfter: false });
    try {
      return await this.#docker.getEvents({ filters: CONTAINER_EVENT_FILTERS, abortSignal: call.signal } as Dockerode.GetEventsOptions);
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.done();
    }
  }

  /** Closes kept-alive sockets; calls made afterwards open new ones. */
  close(): void {
    this.#agent.destroy();
  }

  async #call<T>(what: string, signal: AbortSignal, request: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const call = this.#deadline(what, signal, { unlinkAfter: true });
    try {
      return await request(call.signal);
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.done();
    }
  }

  /** A signal that aborts with `signal` or when the deadline passes, and names a timeout as such. */
  #deadline(what: string, signal: AbortSignal, { unlinkAfter }: { unlinkAfter: boolean }) {
    const controller = new AbortController();
    hideFromInspect(controller.signal, 'AbortSignal');
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    const timer = setTimeout(() => controller.abort(new CallTimeout(what, this.#timeoutMs)), this.#timeoutMs);
    return {
      signal: controller.signal,
      failure: (error: unknown): Error =>
        controller.signal.reason instanceof CallTimeout ? controller.signal.reason : asError(error),
      done: () => {
        clearTimeout(timer);
        if (unlinkAfter) signal.removeEventListener('abort', forward);
      },
    };
  }
}

/** A Docker call that got no answer in time: the daemon is frozen, overloaded, or a proxy hangs. */
export class CallTimeout extends Error {
  override readonly name = 'CallTimeout';

  constructor(what: string, ms: number) {
    super(`${what} timed out after ${ms} ms`);
  }
}

/** The daemon answered an inspect with an HTTP error other than 404: that one container is at fault. */
export class ContainerInspectFailed extends Error {
  override readonly name = 'ContainerInspectFailed';

  constructor(
    what: string,
    readonly statusCode: number,
    cause: unknown,
  ) {
    // dockerode's message already reads `(HTTP code 500) server error - …`.
    super(`${what} failed: ${cause instanceof Error ? cause.message.trim() : `HTTP ${statusCode}`}`, { cause });
  }
}

/**
 * docker-modem formats every request's options with util.inspect (hidden fields, no depth limit)
 * even when its debug output is off. Walking the agent's sockets and the signal's listeners was
 * most of the CPU of a call, and kept a thousand daemons from syncing within their deadlines.
 */
function hideFromInspect(object: object, name: string): void {
  Object.defineProperty(object, inspect.custom, { value: () => `${name} {}` });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
