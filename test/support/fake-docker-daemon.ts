// A fake Docker daemon for scale benchmarks only: real HTTP on a Unix socket, the read-only calls
// route-server makes through dockerode (`/_ping`, `/version`, `/containers/json`,
// `/containers/{id}/json`, `/events`, with or without a `/v1.xx` prefix), with Docker's JSON
// shapes and filters. Containers change only on command (`start`, `stop`, `relabel`), each
// emitting the events dockerd emits for it. Real daemons stay the reference for behaviour: this
// exists so a thousand "daemons" fit in one process and the numbers measure route-server.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';

export interface FakeContainerSpec {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Defaults to running. */
  readonly running?: boolean;
}

interface FakeContainer {
  readonly id: string;
  readonly name: string;
  readonly created: Date;
  labels: Record<string, string>;
  running: boolean;
  startedAt: Date;
}

interface Subscriber {
  readonly response: http.ServerResponse;
  readonly filters: Filters;
}

type Filters = Readonly<Record<string, readonly string[]>>;

const API_VERSION = '1.43';
const IMAGE = 'rs-busybox:latest';
const VERSION_PREFIX = /^\/v\d+\.\d+(?=\/)/;

export class FakeDockerDaemon {
  readonly id: string;
  readonly socket: string;
  readonly #containers = new Map<string, FakeContainer>();
  readonly #subscribers = new Set<Subscriber>();
  readonly #connections = new Set<Socket>();
  readonly #server: http.Server;
  /** Requests served, by route (`GET /containers/json`…): what route-server asked for. */
  readonly requests = new Map<string, number>();

  constructor(id: string, socket: string, containers: readonly FakeContainerSpec[] = []) {
    this.id = id;
    this.socket = socket;
    for (const spec of containers) this.#create(spec);
    this.#server = http.createServer((request, response) => this.#handle(request, response));
    this.#server.keepAliveTimeout = 0; // route-server keeps its sockets; never close them under it
    this.#server.on('connection', (socket) => {
      this.#connections.add(socket);
      socket.on('close', () => this.#connections.delete(socket));
    });
  }

  async listen(): Promise<void> {
    await rm(this.socket, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.socket, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const { response } of this.#subscribers) response.end();
    this.#subscribers.clear();
    for (const socket of this.#connections) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await rm(this.socket, { force: true });
  }

  /** The id of the container named `name` (running or not). */
  idOf(name: string): string {
    for (const container of this.#containers.values()) if (container.name === name) return container.id;
    throw new Error(`fake daemon ${this.id}: no container named ${name}`);
  }

  names(): string[] {
    return [...this.#containers.values()].map((container) => container.name);
  }

  /** `docker create` (not started): returns its id. */
  create(spec: FakeContainerSpec): string {
    const container = this.#create({ ...spec, running: false });
    this.#emit(container, 'create');
    return container.id;
  }

  /** `docker start NAME`: the container runs; `start` is emitted. */
  start(name: string): void {
    const container = this.#byName(name);
    if (container.running) return;
    container.running = true;
    container.startedAt = new Date();
    this.#emit(container, 'start');
  }

  /** `docker stop NAME`: `kill`, `die`, `stop` are emitted, as dockerd does. */
  stop(name: string): void {
    const container = this.#byName(name);
    if (!container.running) return;
    this.#emit(container, 'kill');
    container.running = false;
    this.#emit(container, 'die');
    this.#emit(container, 'stop');
  }

  /**
   * New labels: Docker cannot change a container's labels, so a redeploy recreates it (same name,
   * new id): the old one is stopped and destroyed, the new one created and started.
   */
  relabel(name: string, labels: Readonly<Record<string, string>>): string {
    const old = this.#byName(name);
    this.stop(name);
    this.#containers.delete(old.id);
    this.#emit(old, 'destroy');
    const id = this.create({ name, labels });
    this.start(name);
    return id;
  }

  #create(spec: FakeContainerSpec): FakeContainer {
    const now = new Date();
    const container: FakeContainer = {
      id: randomBytes(32).toString('hex'),
      name: spec.name,
      created: now,
      labels: { ...spec.labels },
      running: spec.running ?? true,
      startedAt: now,
    };
    this.#containers.set(container.id, container);
    return container;
  }

  #byName(name: string): FakeContainer {
    return this.#containers.get(this.idOf(name)) as FakeContainer;
  }

  #handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://docker');
    const path = url.pathname.replace(VERSION_PREFIX, '');
    const method = request.method ?? 'GET';
    const inspect = /^\/containers\/([^/]+)\/json$/.exec(path);
    const route = inspect ? `${method} /containers/{id}/json` : `${method} ${path}`;
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
    response.setHeader('Api-Version', API_VERSION);
    response.setHeader('Ostype', 'linux');
    if ((method === 'GET' || method === 'HEAD') && path === '/_ping') return text(response, 200, 'OK');
    if (method !== 'GET') return json(response, 405, { message: `fake daemon: ${method} is not served (read-only)` });
    const filters = parseFilters(url.searchParams.get('filters'));
    if (filters === null) return json(response, 400, { message: 'invalid filter' });
    if (path === '/version') return json(response, 200, versionBody());
    if (path === '/containers/json') return json(response, 200, this.#list(truthy(url.searchParams.get('all')), filters));
    if (inspect) {
      const container = this.#find(decodeURIComponent(inspect[1] as string));
      if (!container) return json(response, 404, { message: `No such container: ${inspect[1]}` });
      return json(response, 200, inspectBody(container));
    }
    if (path === '/events') return this.#subscribe(response, filters);
    json(response, 404, { message: 'page not found' });
  }

  /** By full id, unique id prefix or name, as dockerd resolves a reference. */
  #find(reference: string): FakeContainer | undefined {
    const name = reference.replace(/^\//, '');
    const matches = [...this.#containers.values()].filter((c) => c.id.startsWith(reference) || c.name === name);
    return matches.length === 1 ? matches[0] : this.#containers.get(reference);
  }

  #list(all: boolean, filters: Filters): unknown[] {
    return [...this.#containers.values()]
      .filter((container) => (all || container.running) && matchesList(container, filters))
      .sort((a, b) => b.created.getTime() - a.created.getTime())
      .map(listEntry);
  }

  #subscribe(response: http.ServerResponse, filters: Filters): void {
    const subscriber: Subscriber = { response, filters };
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.flushHeaders(); // headers mean "subscribed": route-server resyncs only after them
    this.#subscribers.add(subscriber);
    response.on('close', () => this.#subscribers.delete(subscriber));
  }

  #emit(container: FakeContainer, action: string): void {
    const nanos = BigInt(Date.now()) * 1_000_000n;
    const attributes = { ...container.labels, image: IMAGE, name: container.name };
    const event = {
      status: action,
      id: container.id,
      from: IMAGE,
      Type: 'container',
      Action: action,
      Actor: { ID: container.id, Attributes: attributes },
      scope: 'local',
      time: Number(nanos / 1_000_000_000n),
      timeNano: Number(nanos),
    };
    const line = `${JSON.stringify(event)}\n`;
    for (const { response, filters } of this.#subscribers) {
      if (matchesEvent(event.Type, action, container, filters)) response.write(line);
    }
  }
}

function parseFilters(raw: string | null): Filters | null {
  if (raw === null || raw === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  // Docker accepts both {"key": ["a"]} and the older {"key": {"a": true}}.
  const out: Record<string, string[]> = {};
  for (const [key, entry] of Object.entries(value)) {
    out[key] = Array.isArray(entry) ? entry.map(String) : Object.keys(entry as object);
  }
  return out;
}

function labelMatches(labels: Readonly<Record<string, string>>, wanted: readonly string[] | undefined): boolean {
  return (wanted ?? []).every((filter) => {
    const eq = filter.indexOf('=');
    return eq < 0 ? filter in labels : labels[filter.slice(0, eq)] === filter.slice(eq + 1);
  });
}

function anyOf(wanted: readonly string[] | undefined, test: (value: string) => boolean): boolean {
  return wanted === undefined || wanted.length === 0 || wanted.some(test);
}

function matchesList(container: FakeContainer, filters: Filters): boolean {
  return (
    anyOf(filters['status'], (status) => status === (container.running ? 'running' : 'exited')) &&
    anyOf(filters['id'], (id) => container.id.startsWith(id)) &&
    anyOf(filters['name'], (name) => container.name.includes(name.replace(/^\//, ''))) &&
    labelMatches(container.labels, filters['label'])
  );
}

function matchesEvent(type: string, action: string, container: FakeContainer, filters: Filters): boolean {
  return (
    anyOf(filters['type'], (wanted) => wanted === type) &&
    anyOf(filters['event'], (wanted) => wanted === action) &&
    anyOf(filters['container'], (wanted) => container.id.startsWith(wanted) || wanted === container.name) &&
    labelMatches(container.labels, filters['label'])
  );
}

function listEntry(container: FakeContainer): unknown {
  return {
    Id: container.id,
    Names: [`/${container.name}`],
    Image: IMAGE,
    Command: 'sleep 1d',
    Created: Math.floor(container.created.getTime() / 1000),
    Ports: [],
    Labels: container.labels,
    State: container.running ? 'running' : 'exited',
    Status: container.running ? 'Up' : 'Exited (0)',
    HostConfig: { NetworkMode: 'host' },
    NetworkSettings: { Networks: { host: { IPAddress: '' } } },
  };
}

function inspectBody(container: FakeContainer): unknown {
  return {
    Id: container.id,
    Created: container.created.toISOString(),
    Name: `/${container.name}`,
    State: {
      Status: container.running ? 'running' : 'exited',
      Running: container.running,
      Paused: false,
      Restarting: false,
      ExitCode: 0,
      StartedAt: container.startedAt.toISOString(),
    },
    Config: { Image: IMAGE, Labels: container.labels, ExposedPorts: null },
    HostConfig: { NetworkMode: 'host' },
    NetworkSettings: { Ports: {}, Networks: { host: { IPAddress: '', GlobalIPv6Address: '' } } },
  };
}

function versionBody(): unknown {
  return { Version: '24.0.0-fake', ApiVersion: API_VERSION, MinAPIVersion: '1.12', Os: 'linux', Arch: process.arch };
}

function truthy(value: string | null): boolean {
  return value === '1' || value === 'true' || value === 'True';
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function text(response: http.ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
