// The snapshot is route-server's own picture of the world: daemons and their containers, as plain
// data. Discovery produces it, the renderer consumes it, `route-server snapshot` prints it and
// `route-server render --snapshot` reads it back. Nothing here knows about dockerode.

export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | null;

export interface PortSpec {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
}

export interface ContainerSnapshot {
  readonly id: string;
  /** Container name without Docker's leading slash. */
  readonly name: string;
  /** Creation time in Unix seconds; null when unknown (an unknown age never wins a claim). */
  readonly created: number | null;
  readonly labels: Readonly<Record<string, string>>;
  /** Docker state: running, paused, exited, created, restarting, removing, dead. */
  readonly state: string;
  readonly health: ContainerHealth;
  /** Exposed ports (image EXPOSE and published ports), as Traefik sees them. */
  readonly ports: readonly PortSpec[];
  /** HostConfig.NetworkMode: host, bridge, none, container:<id>, or a network name. */
  readonly networkMode: string;
  /** Network name to IPv4 (or IPv6 when no IPv4) address. */
  readonly networks: Readonly<Record<string, string>>;
}

export interface DaemonSnapshot {
  /** Network id (2816, 2880, …) or a short lowercase name for explicitly configured daemons. */
  readonly id: string;
  /** Where the daemon is reached: a socket path or a URL. */
  readonly socket: string;
  readonly containers: readonly ContainerSnapshot[];
}

export interface Snapshot {
  readonly daemons: readonly DaemonSnapshot[];
}

export type SnapshotParse =
  | { readonly ok: true; readonly snapshot: Snapshot }
  | { readonly ok: false; readonly error: string };

const HEALTH = new Set(['healthy', 'unhealthy', 'starting']);
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** Validates untrusted JSON (a file given to `render --snapshot`) into a Snapshot, with a path in every error. */
export function parseSnapshot(input: unknown): SnapshotParse {
  try {
    const daemons = readArray(input, 'daemons', 'snapshot').map(readDaemon);
    refuseRepeatedIds(daemons);
    return { ok: true, snapshot: { daemons } };
  } catch (error) {
    if (error instanceof SnapshotError) return { ok: false, error: error.message };
    throw error;
  }
}

class SnapshotError extends Error {}

function fail(path: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60) ?? String(got);
  throw new SnapshotError(`${path}: expected ${expected}, got ${shown}`);
}

function readObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Record<string, unknown>;
}

function readArray(owner: unknown, key: string, path: string): unknown[] {
  const value = readObject(owner, path)[key];
  if (!Array.isArray(value)) fail(`${path}.${key}`, 'an array', value);
  return value;
}

function readString(owner: Record<string, unknown>, key: string, path: string): string {
  const value = owner[key];
  if (typeof value !== 'string') fail(`${path}.${key}`, 'a string', value);
  return value;
}

function readDaemon(value: unknown, index: number): DaemonSnapshot {
  const path = `daemons[${index}]`;
  const daemon = readObject(value, path);
  const id = daemon['id'];
  if (typeof id !== 'string' && typeof id !== 'number') fail(`${path}.id`, 'a string', id);
  return {
    id: String(id),
    socket: typeof daemon['socket'] === 'string' ? daemon['socket'] : '',
    containers: readArray(daemon, 'containers', path).map((c, i) => readContainer(c, `${path}.containers[${i}]`)),
  };
}

/**
 * One id is one tenant: its names, its addresses and its file. Two daemons with one id cannot both
 * be served, and picking one would depend on the order they are listed in, so the snapshot is refused.
 */
function refuseRepeatedIds(daemons: readonly DaemonSnapshot[]): void {
  const first = new Map<string, number>();
  daemons.forEach((daemon, index) => {
    const earlier = first.get(daemon.id);
    if (earlier !== undefined) fail(`daemons[${index}].id`, `an id no other daemon has (daemons[${earlier}] has it)`, daemon.id);
    first.set(daemon.id, index);
  });
}

function readContainer(value: unknown, path: string): ContainerSnapshot {
  const c = readObject(value, path);
  const created = c['created'];
  if (created !== undefined && created !== null && (typeof created !== 'number' || !Number.isFinite(created))) {
    fail(`${path}.created`, 'Unix seconds or null', created);
  }
  const health = c['health'] ?? null;
  if (health !== null && !(typeof health === 'string' && HEALTH.has(health))) {
    fail(`${path}.health`, 'healthy, unhealthy, starting or null', health);
  }
  return {
    id: readString(c, 'id', path),
    name: (typeof c['name'] === 'string' ? c['name'] : '').replace(/^\//, ''),
    created: typeof created === 'number' ? created : null,
    labels: readStringMap(c['labels'] ?? {}, `${path}.labels`),
    state: typeof c['state'] === 'string' ? c['state'] : 'running',
    health: health as ContainerHealth,
    ports: readPorts(c['ports'] ?? [], `${path}.ports`),
    networkMode: typeof c['networkMode'] === 'string' ? c['networkMode'] : 'host',
    networks: readStringMap(c['networks'] ?? {}, `${path}.networks`),
  };
}

function readStringMap(value: unknown, path: string): Record<string, string> {
  const object = readObject(value, path);
  const out: Record<string, string> = Object.create(null);
  for (const [key, item] of Object.entries(object)) {
    if (typeof item !== 'string') fail(`${path}.${key}`, 'a string', item);
    out[key] = item;
  }
  return out;
}

function readPorts(value: unknown, path: string): PortSpec[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value.map((item, i) => {
    const port = readObject(item, `${path}[${i}]`);
    const number = port['port'];
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
      fail(`${path}[${i}].port`, 'a port number 1-65535', number);
    }
    const protocol = port['protocol'] ?? 'tcp';
    if (typeof protocol !== 'string' || !PROTOCOLS.has(protocol)) fail(`${path}[${i}].protocol`, 'tcp or udp', protocol);
    return { port: number, protocol: protocol as PortSpec['protocol'] };
  });
}
