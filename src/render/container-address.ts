// Where Traefik would send a container's traffic (getIPAddress/getPort in the Docker provider),
// with route-server's rule for host networking: the container's `rediacc.service_ip`, never the
// 127.0.0.1 Traefik falls back to (that is route-server's and Traefik's own loopback).

import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';

export const SERVICE_IP_LABEL = 'rediacc.service_ip';

export type AddressLookup = { readonly ok: true; readonly ip: string } | { readonly ok: false; readonly error: string };

const MAX_CONTAINER_HOPS = 5;

/** The IP Traefik would use for this container (before any isolation check). */
export function containerAddress(
  container: ContainerSnapshot,
  daemon: DaemonSnapshot,
  dockerNetwork: string | undefined,
  hops = 0,
): AddressLookup {
  if (dockerNetwork !== undefined && Object.prototype.hasOwnProperty.call(container.networks, dockerNetwork)) {
    return found(container.networks[dockerNetwork] ?? '', container);
  }
  const mode = container.networkMode;
  if (mode === 'host') {
    const ip = container.labels[SERVICE_IP_LABEL];
    if (!ip) {
      return {
        ok: false,
        error: `host-network container has no ${SERVICE_IP_LABEL}: Traefik would route to 127.0.0.1; the server is ignored`,
      };
    }
    return { ok: true, ip: ip.trim() };
  }
  if (mode.startsWith('container:')) {
    const ref = mode.slice('container:'.length);
    const peer = findPeer(ref, daemon);
    if (!peer || hops >= MAX_CONTAINER_HOPS) {
      return { ok: false, error: `unable to find the IP address for the container ${JSON.stringify(container.name)}: network container ${ref} not found` };
    }
    return containerAddress(peer, daemon, dockerNetwork, hops + 1);
  }
  // Traefik takes the first network of a Go map (random order); we take the first by name.
  const first = Object.keys(container.networks).sort()[0];
  return found(first === undefined ? '' : (container.networks[first] ?? ''), container);
}

/** The daemon's containers by id, 12-character id prefix and name, with their position: built once per snapshot. */
interface PeerIndex {
  readonly byKey: Map<string, number[]>;
}

const peerIndexes = new WeakMap<DaemonSnapshot, PeerIndex>();

function peerIndex(daemon: DaemonSnapshot): PeerIndex {
  let index = peerIndexes.get(daemon);
  if (!index) {
    const byKey = new Map<string, number[]>();
    const add = (key: string, position: number) => {
      const list = byKey.get(key);
      if (list) list.push(position);
      else byKey.set(key, [position]);
    };
    daemon.containers.forEach((c, position) => {
      add(`id\u0000${c.id}`, position);
      if (c.id.length >= 12) add(`prefix\u0000${c.id.slice(0, 12)}`, position);
      add(`name\u0000${c.name}`, position);
    });
    index = { byKey };
    peerIndexes.set(daemon, index);
  }
  return index;
}

/**
 * The first container (in the daemon's order) whose id is `ref`, whose id starts with `ref` (12
 * characters or more) or whose name is `ref`. Indexed: every container may name a peer.
 */
function findPeer(ref: string, daemon: DaemonSnapshot): ContainerSnapshot | undefined {
  const { byKey } = peerIndex(daemon);
  const candidates = [...(byKey.get(`id\u0000${ref}`) ?? []), ...(byKey.get(`name\u0000${ref}`) ?? [])];
  if (ref.length >= 12) {
    for (const position of byKey.get(`prefix\u0000${ref.slice(0, 12)}`) ?? []) {
      if (daemon.containers[position]?.id.startsWith(ref)) candidates.push(position);
    }
  }
  return candidates.length === 0 ? undefined : daemon.containers[candidates.reduce((a, b) => Math.min(a, b))];
}

/** Containers whose network stack this one shares (`container:<id>`, followed a few hops). */
export function networkPeers(container: ContainerSnapshot, daemon: DaemonSnapshot): ContainerSnapshot[] {
  const peers: ContainerSnapshot[] = [];
  let current = container;
  while (current.networkMode.startsWith('container:') && peers.length < MAX_CONTAINER_HOPS) {
    const peer = findPeer(current.networkMode.slice('container:'.length), daemon);
    if (!peer || peers.includes(peer)) break;
    peers.push(peer);
    current = peer;
  }
  return peers;
}

function found(ip: string, container: ContainerSnapshot): AddressLookup {
  if (ip === '') {
    return { ok: false, error: `unable to find the IP address for the container ${JSON.stringify(container.name)}: the server is ignored` };
  }
  return { ok: true, ip };
}

/** Lowest declared port: `rediacc.tcp_ports`/`udp_ports`, then the container's exposed ports (any protocol, as Traefik). */
export function defaultPort(container: ContainerSnapshot, protocol: 'tcp' | 'udp'): string {
  const declared = declaredPorts(container, protocol);
  // reduce, not Math.min(...): a container may expose every port, and a spread that long overflows the stack.
  if (declared.length > 0) return String(declared.reduce((a, b) => Math.min(a, b)));
  if (container.ports.length === 0) return '';
  return String(container.ports.reduce((lowest, p) => Math.min(lowest, p.port), Infinity));
}

/** Valid ports of `rediacc.tcp_ports` / `rediacc.udp_ports` (invalid items are reported by the caller). */
export function declaredPorts(container: ContainerSnapshot, protocol: 'tcp' | 'udp'): number[] {
  const text = container.labels[`rediacc.${protocol}_ports`];
  if (!text) return [];
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => /^\d{1,5}$/.test(item) && Number(item) >= 1 && Number(item) <= 65535)
    .map(Number);
}

/** Go's net.JoinHostPort: brackets around IPv6. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
