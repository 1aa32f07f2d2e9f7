// A minimal Chrome DevTools Protocol client for benchmarks: talks to a child node process started
// with --inspect over the WebSocket its "Debugger listening on ws://..." line names. Needs a global
// WebSocket (Node 20: run the benchmark with --experimental-websocket).

import { framePlace, type CallFrame } from './frame-place.ts';

interface AllocationNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly AllocationNode[];
}

export class InspectorClient {
  readonly #socket: WebSocket;
  readonly #waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  #next = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiting = message.id === undefined ? undefined : this.#waiting.get(message.id);
      if (waiting === undefined) return;
      this.#waiting.delete(message.id as number);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
  }

  static async connect(url: string): Promise<InspectorClient> {
    if (typeof WebSocket === 'undefined') throw new Error('no global WebSocket: run node with --experimental-websocket');
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new InspectorClient(socket);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    this.#socket.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
  }

  /** Samples every allocation, garbage included, until the returned function is called: bytes per function then. */
  async sampleAllocations(intervalBytes = 4096): Promise<() => Promise<Map<string, number>>> {
    await this.send('HeapProfiler.enable');
    await this.send('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    return async () => {
      const { profile } = await this.send<{ profile: { head: AllocationNode } }>('HeapProfiler.stopSampling');
      const bytes = new Map<string, number>();
      // A builtin (Map, push, an iterator's next...) is named with the nearest function that has a file.
      const visit = (node: AllocationNode, caller: string) => {
        const place = framePlace(node.callFrame);
        const own = `${node.callFrame.functionName || '(anonymous)'} ${place}`;
        const name = place === '' ? `${node.callFrame.functionName || '(anonymous)'} < ${caller}` : own;
        bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
        for (const child of node.children) visit(child, place === '' ? caller : own);
      };
      visit(profile.head, '(root)');
      return bytes;
    };
  }

  close(): void {
    this.#socket.close();
  }
}
