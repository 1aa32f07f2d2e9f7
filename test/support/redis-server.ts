// A real redis-server for tests and benchmarks: its own loopback port and temp data directory,
// started and signalled by pid only. Keyspace notifications are on, as the edge Traefik needs.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { onPath } from './daemons.ts';
import { waitFor } from './wait.ts';

export const REDIS_SERVER = 'redis-server';

/** Why no redis-server can run here, or null. */
export function redisUnavailableReason(): string | null {
  return onPath(REDIS_SERVER) ? null : '`redis-server` is not installed (apt-get install redis-server)';
}

export class RedisServer {
  readonly port: number;
  readonly dir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'rs-redis-')));
    await server.#spawn();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child && this.#child.exitCode === null && this.#child.signalCode === null ? this.#child.pid : undefined;
  }

  client(): Redis {
    const client = new Redis({ host: '127.0.0.1', port: this.port, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    client.on('error', () => {}); // a test that stops the server expects refused connections
    return client;
  }

  /** SIGSTOP: the port stays open, nothing answers. */
  freeze(): void {
    if (this.pid) process.kill(this.pid, 'SIGSTOP');
  }

  thaw(): void {
    if (this.pid) process.kill(this.pid, 'SIGCONT');
  }

  /** Stops the server; it saves nothing, so a restart comes back empty. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || this.pid === undefined) return;
    this.thaw();
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async restartEmpty(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #spawn(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no', '--notify-keyspace-events', 'KEA', '--daemonize', 'no'];
    const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    this.#child = child;
    process.once('exit', () => child.kill('SIGKILL'));
    const probe = this.client();
    try {
      await waitFor(async () => (await probe.ping().catch(() => undefined)) === 'PONG' || undefined, { what: `redis-server on port ${this.port}`, timeoutMs: 10_000 });
    } finally {
      probe.disconnect();
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Every key under the root as Traefik's Redis provider lists it: SCAN MATCH <root>*, then values. */
export async function listTree(client: Redis, rootKey: string): Promise<Map<string, string>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${rootKey}*`, 'COUNT', 10); // kvredis's page size
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const values = keys.length === 0 ? [] : await client.mget(...keys);
  // Like kvredis: keys whose value is empty (or not a string) are dropped.
  const pairs = keys.map((key, i) => [key, values[i] ?? ''] as [string, string]).filter(([, value]) => value !== '');
  return new Map(pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
