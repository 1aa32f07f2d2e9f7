// One daemon id is one tenant: its names, its address range, its file. Two endpoints that claim
// one id cannot both be served, and which one would be must not come down to how sockets sort or
// which was found first. So: at start, route-server refuses to run with two (exit 2); a socket that
// appears later with an id already served is refused itself, reported in /health, and the daemon
// already served keeps its id. The same socket named twice (glob and `--docker-host`) is one daemon.

import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { socketEndpoint, socketIdOf, type DaemonEndpoint, type SocketPattern } from './daemon-endpoints.ts';

/** A socket not attached because its id is taken. */
export interface RefusedDaemon {
  readonly id: string;
  readonly socket: string;
  /** Who has the id: `--docker-host ID=URL`. */
  readonly heldBy: string;
  /** Unix ms it was first refused. */
  readonly since: number;
}

/** How an endpoint is named to the user: the flag for an explicit one, the path for a socket. */
export function endpointLabel(endpoint: DaemonEndpoint, explicit: boolean): string {
  return explicit ? `--docker-host ${endpoint.id}=${endpoint.socket}` : `the socket ${endpoint.socket}`;
}

/** Both reach the daemon through the same socket file: one daemon, not two. */
export function sameSocket(a: DaemonEndpoint, b: DaemonEndpoint): boolean {
  return a.address.kind === 'unix' && b.address.kind === 'unix' && resolve(a.address.path) === resolve(b.address.path);
}

/**
 * The first id claimed twice, as the message `run` exits with, or null. Explicit endpoints are
 * checked in the order given, then the sockets found.
 */
export function duplicateIdMessage(explicit: readonly DaemonEndpoint[], sockets: ReadonlyMap<string, DaemonEndpoint>): string | null {
  const byId = new Map<string, DaemonEndpoint>();
  for (const endpoint of explicit) {
    const first = byId.get(endpoint.id);
    if (first !== undefined) return message(endpoint.id, endpointLabel(first, true), endpointLabel(endpoint, true));
    byId.set(endpoint.id, endpoint);
  }
  for (const [id, socket] of sockets) {
    const first = byId.get(id);
    if (first !== undefined && !sameSocket(first, socket)) return message(id, endpointLabel(first, true), endpointLabel(socket, false));
  }
  return null;
}

function message(id: string, first: string, second: string): string {
  return `Expected each daemon id once, got ${JSON.stringify(id)} from ${first} and from ${second}: give each daemon its own id`;
}

/** The sockets the glob matches right now (what discovery's first scan will find). */
export async function socketsPresent(pattern: SocketPattern): Promise<Map<string, DaemonEndpoint>> {
  const found = new Map<string, DaemonEndpoint>();
  let names: string[];
  try {
    names = await readdir(pattern.directory);
  } catch {
    return found; // no directory yet: discovery waits for it
  }
  for (const name of names.sort()) {
    const id = socketIdOf(pattern, name);
    if (id === null) continue;
    const endpoint = socketEndpoint(pattern, id);
    const isSocket = await stat(endpoint.socket).then((s) => s.isSocket(), () => false);
    if (isSocket) found.set(id, endpoint);
  }
  return found;
}
