// Everything route-server decides about one daemon on its own: which containers route and how
// (Tier 1 auto-routes, Tier 2 Traefik labels), the merge of its containers, and the tenant
// boundary (names, backends, references, rules). Cross-daemon claims come after, in render.ts.

import { DiagnosticSink, type DiagnosticCode } from '../model/diagnostics.ts';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { parseTenant, type Tenant } from '../model/tenant.ts';
import { contains, parseStrictIp } from '../model/addresses.ts';
import { MAX_LABEL_KEY_SEGMENTS, MAX_LABEL_VALUE_LENGTH, MAX_LABELS_PER_CONTAINER } from '../model/limits.ts';
import { compareCodePoints } from '../model/ordering.ts';
import { own, ownObject, ownString } from '../traefik/config.ts';
import { decodeLabelsInto } from '../traefik/labels.ts';
import { DockerLabels } from '../traefik/fields/configuration.ts';
import { autoRouteHost, buildAutoRoute, SERVICE_NAME_LABEL, serviceLabel } from './auto-route.ts';
import { addAutoRoutes } from './auto-route-merge.ts';
import { enforceBackends } from './backends.ts';
import { enforceBodyLimits } from './body-limits.ts';
import { SERVICE_IP_LABEL } from './container-address.ts';
import { buildLabelConfig, traefikName } from './container-build.ts';
import type { RenderOptions } from './options.ts';
import { enforceFilePaths } from './file-paths.ts';
import { enforceHealthCheckIntervals } from './health-checks.ts';
import { enforcePlugins } from './plugins.ts';
import { enforceReferences, qualify } from './references.ts';
import { checkRouters, type RouterClaim } from './router-rules.ts';
import { enforceStructure } from './structure.ts';
import { TenantChecks, type TenantBuildContext, type TenantPass } from './tenant-checks.ts';
import { emptyTenantConfig, mergeContainers, SECTIONS, type ContainerConfig, type TenantConfig } from './tenant-config.ts';

export interface TenantBuild {
  readonly daemon: DaemonSnapshot;
  /** Undefined when the daemon id is refused: such a daemon gets no fragment. */
  readonly tenant: Tenant | undefined;
  readonly config: TenantConfig;
  readonly claims: RouterClaim[];
  /** Where refusals go, and what was refused so far; undefined with the tenant. */
  readonly checks: TenantChecks | undefined;
  readonly sink: DiagnosticSink;
}

/** The claims whose router is still in the configuration: nothing has refused it so far. */
export function liveClaims(build: TenantBuild): RouterClaim[] {
  return build.claims.filter((claim) => build.config[claim.section].get(claim.name) === claim.resource);
}

const CLAIM_LABELS: Partial<Record<DiagnosticCode, string>> = {
  'host-reserved-operator': 'rule',
  'host-conflict': 'rule',
  'entrypoint-reserved-operator': 'entrypoints',
  'entrypoint-conflict': 'entrypoints',
  'tls-domain-refused': 'tls.domains',
  'cert-quota': 'tls',
};

/** Refuses a router found wanting after its tenant was built (claims, ports, certificates). */
export function refuseClaim(build: TenantBuild, claim: RouterClaim, code: DiagnosticCode, reason: string): void {
  build.checks?.refuse(claim.section, claim.name, code, reason, CLAIM_LABELS[code]);
}

/**
 * The isolation passes within one tenant, in order. Each sees only what the passes before it left,
 * so a resource refused early is gone before a later pass could judge (or blame) it.
 */
const TENANT_PASSES: readonly TenantPass[] = [
  // Names and sections no tenant may define at all: nothing else needs to look at them.
  refuseTenantWide,
  // Shapes Traefik would reject, before any pass reads fields that assume Traefik's shapes.
  enforceStructure,
  // Where traffic goes, then code the operator did not allow: before references, so that
  // whatever used a refused service or middleware is refused with it.
  enforceBackends,
  enforcePlugins,
  // Files on Traefik's host are the operator's: refused like the plugins, before references.
  enforceFilePaths,
  // Work and memory of the Traefik every tenant shares: refused before references, like the above.
  enforceHealthCheckIntervals,
  enforceBodyLimits,
  // References cascade every refusal so far to the resources that used it (routers included).
  enforceReferences,
  // Rules last: only routers that survived everything become claims in the contest across tenants.
  checkRouters,
];

export function allowedRefs(options: RenderOptions): ReadonlySet<string> {
  return new Set(options.allowRefs.map(qualify));
}

export function buildTenant(daemon: DaemonSnapshot, context: TenantBuildContext): TenantBuild {
  const sink = new DiagnosticSink(daemon.id);
  const parsed = parseTenant(daemon.id);
  if (!parsed.ok) {
    sink.error('daemon-id-invalid', `daemon at ${JSON.stringify(daemon.socket)} refused: ${parsed.error}`);
    return { daemon, tenant: undefined, config: emptyTenantConfig(), claims: [], checks: undefined, sink };
  }
  const tenant = parsed.tenant;
  const labelled: ContainerConfig[] = [];
  const autoRoutes: ContainerConfig[] = [];
  // One closure per daemon, not per container: tsx names each named closure as it is made.
  const defaultRule = (container: ContainerSnapshot, name: string) => defaultRuleFor(container, name, tenant, context);
  for (const container of daemon.containers) {
    const item = routeContainer(container, tenant, daemon, context, sink, defaultRule);
    if (item) (item.autoRoute ? autoRoutes : labelled).push(item);
  }
  const checks = new TenantChecks(daemon, tenant, emptyTenantConfig(), sink, context);
  mergeContainers(labelled, checks);
  addAutoRoutes(checks, autoRoutes);
  for (const pass of TENANT_PASSES) pass(checks);
  return { daemon, tenant, config: checks.config, claims: checks.claims, checks, sink };
}

/** The labels of Traefik's Docker provider itself; one array, so that the decoder compiles its matcher once. */
const DOCKER_PREFIXES: readonly string[] = ['traefik.docker.', 'traefik.enable'];

/** Decides a container's tier and builds its configuration; undefined when it does not route. */
function routeContainer(
  container: ContainerSnapshot,
  tenant: Tenant,
  daemon: DaemonSnapshot,
  context: TenantBuildContext,
  sink: DiagnosticSink,
  defaultRule: (container: ContainerSnapshot, name: string) => string,
): ContainerConfig | undefined {
  const { options } = context;
  const labels = container.labels;
  const serviceName = labels[SERVICE_NAME_LABEL];
  const enableText = labels['traefik.enable'];
  const routable = serviceName !== undefined || enableText !== undefined || options.exposedByDefault;
  if (!routable) return undefined;

  if (container.state !== 'running') {
    sink.info('container-not-running', `not routed: container is ${container.state}`, { container: container.name });
    return undefined;
  }
  if (container.health !== null && container.health !== 'healthy') {
    sink.info('container-unhealthy', `not routed: health is ${container.health}`, { container: container.name });
    return undefined;
  }
  // The labels' keys, listed once for the limits, the Docker labels and the auto-route check.
  const keys = Object.keys(labels);
  if (!withinLabelLimits(container, keys, sink)) return undefined;
  const docker = decodeLabelsInto(labels, DockerLabels, DOCKER_PREFIXES, keys);
  if (!docker.ok) {
    sink.error('label-decode', `container skipped: ${docker.error}`, docker.label === undefined ? { container: container.name } : { container: container.name, label: docker.label });
    return undefined;
  }
  const enable = own(docker.config, 'enable');
  if (enable === false) return undefined;
  if (!checkServiceIp(container, tenant, sink)) return undefined;
  reportBadPortLists(container, sink);

  const key = `${traefikName(container)}-${container.id}`;
  if (serviceName !== undefined && enable !== true) {
    if (!options.autoRoutes) {
      sink.info('auto-routes-off', 'not routed: auto-routes are switched off and traefik.enable is not true', { container: container.name });
      return undefined;
    }
    if (keys.some(isTraefikLabel)) {
      sink.warning('traefik-labels-ignored', 'traefik.* labels are ignored without traefik.enable=true; the container gets an auto-route', { container: container.name });
    }
    const config = buildAutoRoute(container, tenant.id, options, sink);
    return config ? { container, key, config, autoRoute: true } : undefined;
  }
  if (enable !== true && !options.exposedByDefault) return undefined;
  const network = ownString(ownObject(docker.config, 'docker'), 'network');
  const config = buildLabelConfig(container, {
    daemon,
    sink,
    dockerNetwork: network,
    defaultRule,
  });
  return config ? { container, key, config, autoRoute: false } : undefined;
}

const TRAEFIK_LABEL = /^traefik\.(?:http|tcp|udp)\./i;

/** A label that configures Traefik (a function of its own: no arrow or regexp made per container). */
function isTraefikLabel(label: string): boolean {
  return TRAEFIK_LABEL.test(label);
}

const READ_LABEL = /^(?:traefik|rediacc)\./i;

/** The bounds of model/limits.ts on the labels route-server reads; beyond them the container is skipped. */
function withinLabelLimits(container: ContainerSnapshot, keys: readonly string[], sink: DiagnosticSink): boolean {
  let read = 0;
  let fits = true;
  for (const key of keys) {
    if (!READ_LABEL.test(key)) continue;
    read++;
    if (fits && !withinBounds(key, container.labels[key] as string)) fits = false;
  }
  // Almost every container is within bounds: only then are the labels read listed, sorted, to name the first offender.
  if (fits && read <= MAX_LABELS_PER_CONTAINER) return true;
  const skip = (code: DiagnosticCode, message: string, label?: string) => {
    sink.error(code, `container skipped: ${message}`, label === undefined ? { container: container.name } : { container: container.name, label });
    return false;
  };
  if (read > MAX_LABELS_PER_CONTAINER) {
    return skip('labels-too-many', `it has ${read} traefik.*/rediacc.* labels, route-server accepts at most ${MAX_LABELS_PER_CONTAINER}`);
  }
  for (const key of keys.filter((label) => READ_LABEL.test(label)).sort(compareCodePoints)) {
    const segments = key.split('.').length;
    if (segments > MAX_LABEL_KEY_SEGMENTS) {
      return skip('label-key-too-deep', `the label key has ${segments} segments, route-server accepts at most ${MAX_LABEL_KEY_SEGMENTS}`, clipLabel(key));
    }
    const length = (container.labels[key] as string).length;
    if (length > MAX_LABEL_VALUE_LENGTH) {
      return skip('label-value-too-large', `the label value is ${length} characters long, route-server accepts at most ${MAX_LABEL_VALUE_LENGTH}`, clipLabel(key));
    }
  }
  return true;
}

function withinBounds(key: string, value: string): boolean {
  if (value.length > MAX_LABEL_VALUE_LENGTH) return false;
  let segments = 1;
  for (let at = key.indexOf('.'); at >= 0; at = key.indexOf('.', at + 1)) if (++segments > MAX_LABEL_KEY_SEGMENTS) return false;
  return true;
}

/** A hostile key must not make a huge diagnostic: its start names it well enough. */
function clipLabel(key: string): string {
  return key.length > 200 ? `${key.slice(0, 200)}…` : key;
}

/** `rediacc.service_ip` must be an IPv4 address in the tenant's service range (numeric ids). */
function checkServiceIp(container: ContainerSnapshot, tenant: Tenant, sink: DiagnosticSink): boolean {
  const text = container.labels[SERVICE_IP_LABEL];
  if (text === undefined) return true;
  const ip = parseStrictIp(text.trim());
  if (!ip || ip.family !== 4) {
    sink.error('service-ip-invalid', `container skipped: ${SERVICE_IP_LABEL}=${JSON.stringify(text)} is not an IPv4 address`, { container: container.name, label: SERVICE_IP_LABEL });
    return false;
  }
  if (tenant.kind === 'network' && !contains(tenant.services, ip)) {
    sink.error(
      'service-ip-refused',
      `container skipped: ${SERVICE_IP_LABEL}=${ip} is outside network ${tenant.id}'s service range ${tenant.services}`,
      { container: container.name, label: SERVICE_IP_LABEL },
    );
    return false;
  }
  return true;
}

const PORT_TEXT = /^\d{1,5}$/;

/** 1-65535 written plainly: no sign, space or leading zero. */
const PLAIN_PORT = '(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
/** Ports as almost every container lists them: nothing to report, so nothing is split. */
const PLAIN_PORT_LIST = new RegExp(`^${PLAIN_PORT}(?:,${PLAIN_PORT})*$`);

const PORT_LABELS = ['rediacc.tcp_ports', 'rediacc.udp_ports'] as const;

function reportBadPortLists(container: ContainerSnapshot, sink: DiagnosticSink): void {
  for (const label of PORT_LABELS) {
    const text = container.labels[label];
    if (text === undefined || PLAIN_PORT_LIST.test(text)) continue;
    // A loop, no mapped and filtered copies: every container with ports lists them.
    const bad: string[] = [];
    for (const entry of text.split(',')) {
      const item = entry.trim();
      if (item !== '' && !(PORT_TEXT.test(item) && Number(item) >= 1 && Number(item) <= 65535)) bad.push(item);
    }
    if (bad.length > 0) {
      sink.warning('ports-invalid', `${label} has entries that are not ports (${bad.join(', ')}); they are ignored`, { container: container.name, label });
    }
  }
}

function defaultRuleFor(container: ContainerSnapshot, name: string, tenant: Tenant, context: TenantBuildContext): string {
  const baseDomain = context.options.baseDomain ?? '';
  const service = serviceLabel(container.labels[SERVICE_NAME_LABEL] ?? '') || name.toLowerCase();
  if (context.defaultRule) {
    return context.defaultRule({
      Name: name,
      ContainerName: container.name,
      Labels: container.labels,
      Service: service,
      NetworkId: tenant.id,
      BaseDomain: baseDomain,
    });
  }
  return baseDomain === '' ? '' : `Host(\`${autoRouteHost(service, tenant.id, baseDomain)}\`)`;
}

/** What no tenant may define: names with `@`, entrypoint models, TLS stores. */
function refuseTenantWide(checks: TenantChecks): void {
  for (const section of SECTIONS) {
    for (const name of [...checks.config[section].keys()]) {
      if (section === 'http.models') {
        checks.refuse(section, name, 'model-refused', 'entrypoint models belong to the static configuration');
      } else if (section === 'tls.stores') {
        checks.refuse(section, name, 'tls-store-refused', 'tenants cannot configure TLS stores (they are global)');
      } else if (name.includes('@')) {
        checks.refuse(section, name, 'name-refused', 'a name may not contain @ (Traefik splits names on it)');
      }
    }
  }
}
