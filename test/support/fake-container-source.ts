// A daemon for ContainerTable's unit tests: containers as inspect records, calls recorded, answers
// held until the test releases them, chosen inspects failing.

import type { DockerContainerInspect, ListedContainer } from '../../src/source/container-record.ts';
import type { ContainerSource, ContainerTable } from '../../src/source/container-table.ts';
import { ContainerInspectFailed } from '../../src/source/docker-client.ts';

/** A daemon whose answers the test releases one by one. */
export class FakeContainerSource implements ContainerSource {
  readonly containers = new Map<string, DockerContainerInspect>();
  readonly calls: string[] = [];
  /** Inspects of these ids fail: with an HTTP status (the container's fault) or a socket error. */
  readonly failing = new Map<string, number | 'socket'>();
  readonly #held: (() => void)[] = [];
  hold = false;

  run(id: string, state = 'running'): void {
    this.containers.set(id, { Id: id, Name: `/${id}`, State: { Status: state }, HostConfig: { NetworkMode: 'host' } });
  }

  /** Each container's summary is its whole record: it changes whenever the container does. */
  async listContainers(signal: AbortSignal): Promise<ListedContainer[]> {
    this.calls.push('list');
    const answer = [...this.containers].map(([id, info]) => ({ id, summary: JSON.stringify(info) }));
    await this.#wait(signal);
    return answer;
  }

  async inspectContainer(id: string, signal: AbortSignal): Promise<DockerContainerInspect | null> {
    this.calls.push(`inspect ${id}`);
    // The answer is what the daemon knew when the request arrived, as for a real daemon.
    const answer = this.containers.get(id) ?? null;
    const failure = this.failing.get(id);
    await this.#wait(signal);
    if (failure === 'socket') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    if (failure !== undefined) throw new ContainerInspectFailed(`inspect ${id}`, failure, new Error(`(HTTP code ${failure}) server error - boom`));
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
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function names(table: ContainerTable): string[] {
  return table.containers().map((c) => `${c.name}:${c.state}`);
}
