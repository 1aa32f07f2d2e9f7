// One container's configuration, built the way Traefik's Docker provider builds it
// (pkg/provider/docker/config.go, pkg/provider/configuration.go): decode the labels, add the
// default service and router, put the container in every service as a server, link routers to the
// only service. A decode or server error skips the whole container, as in Traefik.

import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import type { DiagnosticSink } from '../model/diagnostics.ts';
import { emptyObject, ensureMap, ensureObject, hasKeys, ownObject, ownString, type ConfigObject } from '../traefik/config.ts';
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
  const decoded = decodeLabels(container.labels);
  if (!decoded.ok) {
    sink.error('label-decode', `labels not decoded, container skipped: ${decoded.error}`, where(container, decoded.label));
    return undefined;
  }
  for (const note of decoded.notes) {
    if (note.kind === 'not-settable') sink.info('label-not-settable', note.message, where(container, note.label));
    else sink.warning('label-ignored', note.message, where(container, note.label));
  }
  if (context.dockerNetwork !== undefined && !Object.prototype.hasOwnProperty.call(container.networks, context.dockerNetwork)) {
    const networks = Object.keys(container.networks).sort().join(', ') || 'none';
    const label = findLabel(container, 'traefik.docker.network');
    sink.warning('docker-network-missing', `network ${JSON.stringify(context.dockerNetwork)} not found (the container is on ${networks}); using its first network`, where(container, label));
  }
  const config = decoded.config;
  const name = traefikName(container);

  const tcp = ownObject(config, 'tcp');
  const udp = ownObject(config, 'udp');
  const http = ownObject(config, 'http');
  const hasTcp = hasEntries(tcp, 'routers') || hasEntries(tcp, 'services');
  const hasUdp = hasEntries(udp, 'routers') || hasEntries(udp, 'services');

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
  const hasHttp = hasEntries(http, 'routers') || hasEntries(http, 'middlewares') || hasEntries(http, 'services');
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

function hasEntries(section: ConfigObject | undefined, key: string): boolean {
  const map = ownObject(section, key);
  return map !== undefined && hasKeys(map);
}

/** An object's keys in order, with no list made for the usual single key (sorting one key is keeping it). */
function sortedKeys(object: ConfigObject): readonly string[] {
  const only = onlyKey(object);
  return only !== undefined ? [only] : Object.keys(object).sort();
}

/** The object's one key; undefined when it has none or several. */
function onlyKey(object: ConfigObject): string | undefined {
  let only: string | undefined;
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    if (only !== undefined) return undefined;
    only = key;
  }
  return only;
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
  if (!hasKeys(services)) {
    const service = emptyObject();
    service['loadBalancer'] = emptyObject();
    services[name] = service;
  }
  for (const serviceName of sortedKeys(services)) {
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
  if (hasKeys(routers)) return;
  const services = ownObject(http, 'services');
  if (services !== undefined && hasKeys(services) && onlyKey(services) === undefined) {
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
  const services = ownObject(section, 'services');
  // The service a router without one is linked to: the container's only one (none with several).
  const onlyService = services === undefined ? undefined : onlyKey(services);
  for (const routerName of sortedKeys(routers)) {
    const router = routers[routerName] as ConfigObject;
    if (protocol === 'tcp' && !ownString(router, 'rule')) {
      delete routers[routerName];
      const label = findLabel(container, `traefik.tcp.routers.${routerName}`);
      context.sink.error('rule-empty', `TCP router ${routerName} dropped: it has no rule (TCP routers need one, e.g. HostSNI(\`*\`))`, where(container, label));
      continue;
    }
    if (protocol === 'http' && !ownString(router, 'rule')) {
      const rule = context.defaultRule(container, traefikName(container));
      if (rule === '') {
        delete routers[routerName];
        context.sink.error('rule-undefined', `router ${routerName}: no rule and no default rule (set --base-domain or a rule label), router dropped`, where(container, undefined));
        continue;
      }
      router['rule'] = rule;
    }
    if (!ownString(router, 'service')) {
      if (onlyService === undefined && services !== undefined && hasKeys(services)) {
        delete routers[routerName];
        const label = findLabel(container, `traefik.${protocol}.routers.${routerName}`);
        context.sink.error(
          'router-unlinked',
          `router ${routerName} dropped: it names no service and the container has several (${Object.keys(services).sort().join(', ')}); set traefik.${protocol}.routers.${routerName}.service`,
          where(container, label),
        );
        continue;
      }
      if (onlyService !== undefined) router['service'] = onlyService;
    }
  }
  if (!hasKeys(routers)) delete section['routers'];
}

/** Where a diagnostic points: made only for a diagnostic, not for every container. */
function where(container: ContainerSnapshot, label: string | undefined): { container: string; label?: string } {
  return label === undefined ? { container: container.name } : { container: container.name, label };
}
