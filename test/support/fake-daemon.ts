// A fake Docker daemon for tests that need no root and no Docker: a few lines of HTTP on a unix
// socket that answer the four read-only calls discovery makes, and can misbehave on demand.

import http from 'node:http';
import type { DockerContainerInspect } from '../../src/source/container-record.ts';

export class FakeDaemon {
  readonly socket: string;
  readonly containers = new Map<string, DockerContainerInspect>();
  readonly eventFilters: unknown[] = [];
  frozen = false;
  readonly #streams = new Set<http.ServerResponse>();
  readonly #server = http.createServer((request, response) => this.#answer(request, response));

  constructor(socket: string) {
    this.socket = socket;
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(this.socket, resolve));
  }

  /** Stops answering and removes the socket, as a daemon shutting down does. */
  close(): Promise<void> {
    for (const stream of this.#streams) stream.destroy();
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  run(id: string, state = 'running', fields: DockerContainerInspect = {}): void {
    this.containers.set(id, { Id: id, Name: `/${id}`, State: { Status: state }, HostConfig: { NetworkMode: 'host' }, ...fields });
  }

  emit(id: string, action: string, type = 'container'): void {
    const line = JSON.stringify({ Type: type, Action: action, Actor: { ID: id, Attributes: {} }, time: 0 });
    for (const stream of this.#streams) stream.write(`${line}\n`);
  }

  closeEvents(): void {
    for (const stream of this.#streams) stream.end();
  }

  #answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    if (this.frozen) return; // accepted, never answered: what a SIGSTOPped dockerd does
    const url = new URL(request.url ?? '/', 'http://docker');
    const inspect = /^\/containers\/([^/]+)\/json$/.exec(url.pathname);
    if (url.pathname === '/_ping') {
      response.end('OK');
    } else if (url.pathname === '/containers/json') {
      const listed = [...this.containers.values()].filter((c) => c.State?.Status === 'running' || c.State?.Status === 'paused');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(listed.map((c) => ({ Id: c.Id }))));
    } else if (inspect !== null) {
      const container = this.containers.get(inspect[1]!);
      response.statusCode = container === undefined ? 404 : 200;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(container ?? { message: 'No such container' }));
    } else if (url.pathname === '/events') {
      this.eventFilters.push(JSON.parse(url.searchParams.get('filters') ?? 'null'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders();
      this.#streams.add(response);
      response.on('close', () => this.#streams.delete(response));
    } else {
      response.statusCode = 404;
      response.end();
    }
  }
}
