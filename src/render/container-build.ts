// One container's configuration, built the way Traefik's Docker provider builds it
// (pkg/provider/docker/config.go, pkg/provider/configuration.go): decode the labels, add the
// default service and router, put the container in every service as a server, link routers to the
// only service. A decode or server error skips the whole container, as in Traefik.

import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import type { DiagnosticSink } from '../model/diagnostics.ts';
import { emptyObject, ensureMap, ensureObject, ownObject, ownString, type ConfigObject } from '../traefik/config.ts';
import { decodeLabels } from '../traefik/labels.ts';
import { normalizeName } from './default-rule.ts';
import { containerAddress, defaultPort, joinHostPort } from './container-address.ts';
import { findLabel } from './label-lookup.ts';

interface ServerError {
  readonly message: string;
  /** Label prefix at fault, when a label is. */
  readonly labelPath?: string;
}

export interface ContainerBuildContext {
  readonly daemon: DaemonSnapshot;
  readonly sink: DiagnosticSink;
  /** Renders the default rule for this container; '' when there is none. */
  readonly defaultRule: (container: ContainerSnapshot, name: string) => string;
  /** traefik.docker.network for this container (label, else none). */
  readonly dockerNetwork: string | undefined;
}

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';

/** Traefik's getServiceName: normalized `<compose service>_<compose project>`, else the container name. */
export function traefikName(container: ContainerSnapshot): string {
  const project = container.labels[COMPOSE_PROJECT];
  const service = container.labels[COMPOSE_SERVICE];
  return normalizeName(project && service ? `${service}_${project}` : container.name);
}

/** Tier 2: the container's `traefik.*` labels as Traefik would turn them into configuration. */
export function buildLabelConfig(container: ContainerSnapshot, context: ContainerBuildContext): ConfigObject | undefined {
  const { sink } = context;
  const where = { container: container.name };
  const decoded = decodeLabels(container.labels);
  if (!decoded.ok) {
    sink.error('label-decode', `labels not decoded, container skipped: ${decoded.error}`, {
      ...where,
      ...(decoded.label === undefined ? {} : { label: decoded.label }),
    });
    return undefined;
  }
  for (const note of decoded.notes) {
    if (note.kind === 'not-settable') sink.info('label-not-settable', note.message, { ...where, label: note.label });
    else sink.warning('label-ignored', note.message, { ...where, label: note.label });
  }
  if (context.dockerNetwork !== undefined && !Object.prototype.hasOwnProperty.call(container.networks, context.dockerNetwork)) {
    const networks = Object.keys(container.networks).sort().join(', ') || 'none';
    const label = findLabel(container, 'traefik.docker.network');
    sink.warning('docker-network-missing', `network ${JSON.stringify(context.dockerNetwork)} not found (the container is on ${networks}); using its first network`, label === undefined ? where : { ...where, label });
  }
  const config = decoded.config;
  const name = traefikName(container);

  const tcp = ownObject(config, 'tcp');
  const udp = ownObject(config, 'udp');
  const http = ownObject(config, 'http');
  const hasTcp = sectionSize(tcp, 'routers') > 0 || sectionSize(tcp, 'services') > 0;
  const hasUdp = sectionSize(udp, 'routers') > 0 || sectionSize(udp, 'services') > 0;

  if (hasTcp && tcp) {
    const error = addServers(tcp, name, 'tcp', container, context);
    if (error) return skipContainer(container, sink, error);
    linkRouters(tcp, 'tcp', container, context);
  }
  if (hasUdp && udp) {
    const error = addServers(udp, name, 'udp', container, context);
    if (error) return skipContainer(container, sink, error);
    linkRouters(udp, 'udp', container, context);
  }
  const hasHttp =
    sectionSize(http, 'routers') > 0 || sectionSize(http, 'middlewares') > 0 || sectionSize(http, 'services') > 0;
  if ((hasTcp || hasUdp) && !hasHttp) {
    delete config['http'];
    return config;
  }
  const httpConfig = ensureObject(config, 'http');
  const error = addServers(httpConfig, name, 'http', container, context);
  if (error) return skipContainer(container, sink, error);
  addDefaultRouter(httpConfig, name, container, context);
  linkRouters(httpConfig, 'http', container, context);
  return config;
}

/** A server error skips the container. (Not a closure in buildLabelConfig: tsx names each closure as it is made, for every container.) */
function skipContainer(container: ContainerSnapshot, sink: DiagnosticSink, error: ServerError): undefined {
  const where = { container: container.name };
  const label = error.labelPath === undefined ? undefined : findLabel(container, error.labelPath);
  const code = error.message.includes('port is missing') ? 'port-missing' : 'server-error';
  sink.error(code, `container skipped: ${error.message}`, label === undefined ? where : { ...where, label });
  return undefined;
}

function sectionSize(section: ConfigObject | undefined, key: string): number {
  const map = ownObject(section, key);
  return map ? Object.keys(map).length : 0;
}

type Protocol = 'http' | 'tcp' | 'udp';

/** Default service when none is declared, then the container as the first server of every service. */
function addServers(
  section: ConfigObject,
  name: string,
  protocol: Protocol,
  container: ContainerSnapshot,
  context: ContainerBuildContext,
): ServerError | undefined {
  const services = ensureMap(section, 'services');
  if (Object.keys(services).length === 0) {
    const service = emptyObject();
    service['loadBalancer'] = emptyObject();
    services[name] = service;
  }
  for (const serviceName of Object.keys(services).sort()) {
    const service = services[serviceName] as ConfigObject;
    const error = addServer(ownObject(service, 'loadBalancer'), protocol, container, context);
    if (error) {
      const prefix = `traefik.${protocol}.services.${serviceName}`;
      return {
        message: `service ${JSON.stringify(serviceName)} error: ${error}`,
        ...(error.startsWith('defining scheme or port') ? { labelPath: `${prefix}.loadbalancer.server` } : {}),
        ...(error.startsWith('load-balancer is not defined') ? { labelPath: prefix } : {}),
      };
    }
  }
  return undefined;
}

function addServer(
  loadBalancer: ConfigObject | undefined,
  protocol: Protocol,
  container: ContainerSnapshot,
  context: ContainerBuildContext,
): string | undefined {
  if (!loadBalancer) return 'load-balancer is not defined';
  const listed = Array.isArray(loadBalancer['servers']) ? (loadBalancer['servers'] as ConfigObject[]) : [];
  // A literal holds exactly its one server; a push onto an empty list reserves 17 slots, for every service of every container.
  const servers = listed.length === 0 ? [emptyObject()] : listed;
  loadBalancer['servers'] = servers;
  const server = servers[0] as ConfigObject;
  if (protocol === 'http' && ownString(server, 'url')) {
    if (ownString(server, 'scheme') !== undefined || ownString(server, 'port') !== undefined) {
      return 'defining scheme or port is not allowed when URL is defined';
    }
    return undefined;
  }
  const labelPort = ownString(server, 'port') ?? '';
  delete server['port'];
  const address = containerAddress(container, context.daemon, context.dockerNetwork);
  if (!address.ok) return address.error;
  const port = labelPort !== '' ? labelPort : defaultPort(container, protocol === 'udp' ? 'udp' : 'tcp');
  if (port === '') return 'port is missing';
  const hostPort = joinHostPort(address.ip, port);
  if (protocol === 'http') {
    const scheme = ownString(server, 'scheme') || 'http';
    delete server['scheme'];
    server['url'] = `${scheme}://${hostPort}`;
  } else {
    server['address'] = hostPort;
  }
  return undefined;
}

/** HTTP only: a default router when there are no routers and at most one service. */
function addDefaultRouter(http: ConfigObject, name: string, container: ContainerSnapshot, context: ContainerBuildContext): void {
  const routers = ensureMap(http, 'routers');
  if (Object.keys(routers).length > 0) return;
  if (sectionSize(http, 'services') > 1) {
    context.sink.info('no-default-router', 'no router created: the container declares several services and no router', {
      container: container.name,
    });
    return;
  }
  routers[name] = emptyObject();
}

/** Empty rules (default rule for HTTP, deletion for TCP) and linking to the only service. */
function linkRouters(section: ConfigObject, protocol: Protocol, container: ContainerSnapshot, context: ContainerBuildContext): void {
  const routers = ownObject(section, 'routers');
  if (!routers) return;
  const services = Object.keys(ownObject(section, 'services') ?? {}).sort();
  const where = { container: container.name };
  for (const routerName of Object.keys(routers).sort()) {
    const router = routers[routerName] as ConfigObject;
    if (protocol === 'tcp' && !ownString(router, 'rule')) {
      delete routers[routerName];
      const label = findLabel(container, `traefik.tcp.routers.${routerName}`);
      context.sink.error('rule-empty', `TCP router ${routerName} dropped: it has no rule (TCP routers need one, e.g. HostSNI(\`*\`))`, label === undefined ? where : { ...where, label });
      continue;
    }
    if (protocol === 'http' && !ownString(router, 'rule')) {
      const rule = context.defaultRule(container, traefikName(container));
      if (rule === '') {
        delete routers[routerName];
        context.sink.error('rule-undefined', `router ${routerName}: no rule and no default rule (set --base-domain or a rule label), router dropped`, where);
        continue;
      }
      router['rule'] = rule;
    }
    if (!ownString(router, 'service')) {
      if (services.length > 1) {
        delete routers[routerName];
        const label = findLabel(container, `traefik.${protocol}.routers.${routerName}`);
        context.sink.error(
          'router-unlinked',
          `router ${routerName} dropped: it names no service and the container has several (${services.join(', ')}); set traefik.${protocol}.routers.${routerName}.service`,
          label === undefined ? where : { ...where, label },
        );
        continue;
      }
      if (services[0] !== undefined) router['service'] = services[0];
    }
  }
  if (Object.keys(routers).length === 0) delete section['routers'];
}
