// The containers of the scale benchmarks (bench-render, bench-scale): per daemon a mix of Tier 1
// auto-routes, Tier 2 HTTP routers with middlewares and TCP routers, as compose deploys them.

import type { ContainerSnapshot, DaemonSnapshot, Snapshot } from '../../src/model/snapshot.ts';

/** Network ids as the deploy tool hands them out: 2816, then steps of 64. */
export function benchNetworkId(index: number): number {
  return 2816 + 64 * index;
}

export function benchServiceName(index: number): string {
  return `svc${index}`;
}

export function benchContainerName(networkId: number, index: number): string {
  return `app${networkId}-${benchServiceName(index)}-1`;
}

/** The labels of container `index` of daemon `networkId`; `generation` varies a relabel. */
export function benchLabels(networkId: number, index: number, generation = 0): Record<string, string> {
  const ip = `127.${(networkId >> 16) & 255}.${(networkId >> 8) & 255}.${(networkId & 255) + 2 + index}`;
  const service = benchServiceName(index);
  const labels: Record<string, string> = {
    'com.docker.compose.project': `app${networkId}`,
    'com.docker.compose.service': service,
    'rediacc.service_name': service,
    'rediacc.service_ip': ip,
    'rediacc.network_id': String(networkId),
    'rediacc.tcp_ports': generation === 0 ? '8080,8443' : `${8080 + generation},8443`,
  };
  if (index % 3 === 1) {
    Object.assign(labels, {
      'traefik.enable': 'true',
      [`traefik.http.routers.${service}.rule`]: `Host(\`${service}.app${networkId}.example.com\`) && PathPrefix(\`/api\`)`,
      [`traefik.http.routers.${service}.entrypoints`]: 'websecure,websecure-v6',
      [`traefik.http.routers.${service}.tls.certresolver`]: 'letsencrypt',
      [`traefik.http.routers.${service}.middlewares`]: `${service}-hsts,${service}-strip`,
      [`traefik.http.middlewares.${service}-hsts.headers.stsseconds`]: '15768000',
      [`traefik.http.middlewares.${service}-hsts.headers.customrequestheaders.X-Tenant`]: String(networkId),
      [`traefik.http.middlewares.${service}-strip.stripprefix.prefixes`]: '/api',
      [`traefik.http.services.${service}.loadbalancer.server.port`]: String(8080 + generation),
    });
  } else if (index % 3 === 2) {
    Object.assign(labels, {
      'traefik.enable': 'true',
      [`traefik.tcp.routers.${service}.rule`]: `HostSNI(\`${service}.db${networkId}.example.com\`)`,
      [`traefik.tcp.routers.${service}.entrypoints`]: 'tcp-5432',
      [`traefik.tcp.routers.${service}.tls.passthrough`]: 'true',
      [`traefik.tcp.services.${service}.loadbalancer.server.port`]: String(5432 + generation),
    });
  }
  return labels;
}

/** The whole workload as discovery would see it (for renders without daemons). */
export function benchSnapshot(daemons: number, perDaemon: number): Snapshot {
  return {
    daemons: Array.from({ length: daemons }, (_, d): DaemonSnapshot => {
      const id = benchNetworkId(d);
      return { id: String(id), socket: `/var/run/rediacc/docker-${id}.sock`, containers: Array.from({ length: perDaemon }, (_, i) => benchContainer(id, i)) };
    }),
  };
}

function benchContainer(networkId: number, index: number): ContainerSnapshot {
  return {
    id: `${networkId.toString(16)}${index.toString(16).padStart(4, '0')}`.padEnd(64, 'a'),
    name: benchContainerName(networkId, index),
    created: 1_763_700_000 + index,
    labels: benchLabels(networkId, index),
    state: 'running',
    health: index % 7 === 0 ? 'healthy' : null,
    ports: [],
    networkMode: 'host',
    networks: { host: '' },
  };
}
