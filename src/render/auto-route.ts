// Tier 1: a container with `rediacc.service_name` and without `traefik.enable=true` is reachable
// at `{service}-{networkId}.{baseDomain}` without any Traefik label (SPEC §2).

import type { ContainerSnapshot } from '../model/snapshot.ts';
import type { DiagnosticSink } from '../model/diagnostics.ts';
import { emptyMap, emptyObject, type ConfigObject } from '../traefik/config.ts';
import { declaredPorts, joinHostPort, SERVICE_IP_LABEL } from './container-address.ts';
import type { RenderOptions } from './options.ts';

export const SERVICE_NAME_LABEL = 'rediacc.service_name';
export const SERVICE_PORT_LABEL = 'rediacc.service_port';

/** rediacc.service_name as a DNS label: lowercase, runs of other characters become `-`. */
export function serviceLabel(serviceName: string): string {
  // Almost every service name is a DNS label already: nothing to rewrite, and no copies made.
  if (DNS_LABEL.test(serviceName)) return serviceName;
  return serviceName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function autoRouteHost(service: string, tenantId: string, baseDomain: string): string {
  return `${service}-${tenantId}.${baseDomain}`;
}

/** The auto-route's router and service, named after the service; undefined (with a diagnostic) when it cannot be built. */
export function buildAutoRoute(
  container: ContainerSnapshot,
  tenantId: string,
  options: RenderOptions,
  sink: DiagnosticSink,
): ConfigObject | undefined {
  const serviceName = container.labels[SERVICE_NAME_LABEL] ?? '';
  if (!options.baseDomain) {
    sink.info('auto-route-no-domain', 'no auto-route: no base domain is configured (--base-domain)', { container: container.name });
    return undefined;
  }
  const service = serviceLabel(serviceName);
  if (service === '') {
    sink.error('auto-route-name', `no auto-route: service name ${JSON.stringify(serviceName)} has no letter or digit`, {
      container: container.name,
      label: SERVICE_NAME_LABEL,
    });
    return undefined;
  }
  const host = autoRouteHost(service, tenantId, options.baseDomain);
  if (service !== serviceName) {
    sink.info('auto-route-name', `service name ${JSON.stringify(serviceName)} is not a DNS label; auto-route host is ${host}`, {
      container: container.name,
      label: SERVICE_NAME_LABEL,
    });
  }
  const ip = container.labels[SERVICE_IP_LABEL]?.trim();
  if (!ip) {
    sink.error('service-ip-missing', `no auto-route: ${SERVICE_IP_LABEL} is missing`, { container: container.name });
    return undefined;
  }
  const port = autoRoutePort(container, sink);

  const server = emptyObject();
  server['url'] = `http://${joinHostPort(ip, String(port))}`;
  const loadBalancer = emptyObject();
  loadBalancer['servers'] = [server];
  const serviceConfig = emptyObject();
  serviceConfig['loadBalancer'] = loadBalancer;

  const router = emptyObject();
  router['rule'] = `Host(\`${host}\`)`;
  router['service'] = service;
  if (options.entrypoints.length > 0) router['entryPoints'] = [...options.entrypoints];
  if (options.certResolver !== '') {
    const tls = emptyObject();
    tls['certResolver'] = options.certResolver;
    router['tls'] = tls;
  }

  const http = emptyObject();
  const routers = emptyMap();
  routers[service] = router;
  const services = emptyMap();
  services[service] = serviceConfig;
  http['routers'] = routers;
  http['services'] = services;
  const config = emptyObject();
  config['http'] = http;
  return config;
}

/** rediacc.service_port, else the lowest of rediacc.tcp_ports, else 80. */
function autoRoutePort(container: ContainerSnapshot, sink: DiagnosticSink): number {
  const text = container.labels[SERVICE_PORT_LABEL]?.trim();
  if (text !== undefined && text !== '') {
    if (/^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535) return Number(text);
    sink.warning('service-port-invalid', `${SERVICE_PORT_LABEL}=${JSON.stringify(text)} is not a port; using the next choice`, {
      container: container.name,
      label: SERVICE_PORT_LABEL,
    });
  }
  const ports = declaredPorts(container, 'tcp');
  return ports.length > 0 ? ports.reduce((a, b) => Math.min(a, b)) : 80;
}
