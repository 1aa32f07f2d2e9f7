// HTTP load for the benchmarks, in a process of its own: clients that share the benchmark's event
// loop (a thousand fake daemons, churn) would count the benchmark's own delays as route-server's.
// Reads one JSON object on stdin, { paths: string[] (one per client), base: string, each: number },
// runs one keep-alive client per path making `each` GETs in turn, and writes the latency of every
// request (ms) as a JSON array on stdout. Used by bench-scale.ts, which also runs `load` in its own
// process to show how much its event loop adds.
//
// The clients speak HTTP/1.1 on plain sockets, as wrk does: node's HTTP client costs about twice
// what route-server spends on a small reply (57 against 33 µs a request, bench-routes.ts), so with
// it the load generator's own event loop was most of the latency it reported. Each client first
// connects and makes one request that is not counted, and the measured requests start when every
// client has: the figure is route-server under 100 busy clients, not 100 connections being set up
// by a process whose code is not compiled yet.

import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive connection to `target`: `get()` sends a GET and resolves when the whole reply has
 * been read (rejects on anything but a 200 with a Content-Length, which route-server always sends).
 */
class Client {
  readonly #socket: Socket;
  readonly #request: Buffer;
  #head: Buffer = Buffer.alloc(0);
  /** Body bytes still to come, or -1 while the head is read. */
  #remaining = -1;
  #status = 0;
  #waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
  readonly #connected: Promise<void>;

  constructor(target: URL) {
    this.#request = Buffer.from(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`, 'latin1');
    this.#socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    this.#connected = new Promise((resolve, reject) => {
      this.#socket.once('connect', resolve);
      this.#socket.once('error', reject);
    });
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#socket.on('error', (error) => this.#fail(error));
    this.#socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  async get(): Promise<void> {
    await this.#connected;
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(this.#request);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    if (this.#remaining < 0) {
      this.#head = this.#head.length === 0 ? chunk : Buffer.concat([this.#head, chunk]);
      const end = this.#head.indexOf(HEAD_END);
      if (end < 0) return;
      const head = this.#head.toString('latin1', 0, end);
      chunk = this.#head.subarray(end + HEAD_END.length);
      this.#head = Buffer.alloc(0);
      this.#status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!length) return this.#fail(new Error(`no Content-Length in ${JSON.stringify(head)}`));
      this.#remaining = Number(length[1]);
    }
    this.#remaining -= chunk.length;
    if (this.#remaining > 0) return;
    // A reply ends exactly at its length: requests are not pipelined.
    this.#remaining = -1;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (this.#status === 200) waiting?.resolve();
    else waiting?.reject(new Error(`HTTP ${this.#status}`));
  }

  #fail(error: Error): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }
}

/** `clients` concurrent keep-alive loops of `each` GETs of `url(client)`; the latency of every request (ms). */
export async function load(url: (client: number) => string, clients: number, each: number): Promise<number[]> {
  const connections = Array.from({ length: clients }, (_, client) => new Client(new URL(url(client))));
  const latencies: number[] = [];
  try {
    await Promise.all(connections.map((connection) => connection.get()));
    await Promise.all(
      connections.map(async (connection) => {
        for (let i = 0; i < each; i++) {
          const started = performance.now();
          await connection.get();
          latencies.push(performance.now() - started);
        }
      }),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  return latencies;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { base, paths, each } = JSON.parse(await text(process.stdin)) as { base: string; paths: string[]; each: number };
  process.stdout.write(JSON.stringify(await load((client) => base + (paths[client] as string), paths.length, each)));
}
