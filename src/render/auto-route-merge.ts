// Auto-routes are route-server's own, so they do not share Traefik's merge namespace with labels:
// replicas of one service merge among themselves, two different service names that become the
// same DNS label are a conflict (not one load balancer over unrelated backends), and a label that
// happens to define the same name pushes the auto-route to `{service}-auto` instead of knocking it
// out.

import type { DiagnosticSink } from '../model/diagnostics.ts';
import { ownObject } from '../traefik/config.ts';
import { SERVICE_NAME_LABEL } from './auto-route.ts';
import type { TenantChecks } from './tenant-checks.ts';
import { emptyTenantConfig, mergeContainers, type ContainerConfig, type TenantConfig } from './tenant-config.ts';

export function addAutoRoutes(checks: TenantChecks, autoRoutes: readonly ContainerConfig[]): void {
  const { config, sink } = checks;
  const accepted = withoutNameClashes(autoRoutes, sink);
  const merged = emptyTenantConfig();
  mergeContainers(accepted, checks, merged);
  for (const [name, router] of merged['http.routers']) {
    const service = merged['http.services'].get(name);
    if (!service) continue;
    const target = !nameTaken(config, name) ? name : !nameTaken(config, `${name}-auto`) ? `${name}-auto` : undefined;
    const containers = [...new Set(router.origins.map((c) => c.name))].sort();
    if (target === undefined) {
      for (const container of containers) {
        sink.error('auto-route-name', `auto-route ${name} dropped: labels of this daemon define both ${name} and ${name}-auto`, { container });
      }
      continue;
    }
    if (target !== name) {
      router.value['service'] = target;
      for (const container of containers) {
        sink.warning('auto-route-name', `auto-route named ${target}: labels of this daemon already define ${name}`, { container });
      }
    }
    config['http.routers'].set(target, router);
    config['http.services'].set(target, service);
  }
}

function nameTaken(config: TenantConfig, name: string): boolean {
  return config['http.routers'].has(name) || config['http.services'].has(name);
}

/** Containers whose different `rediacc.service_name`s give one auto-route name are all dropped. */
function withoutNameClashes(items: readonly ContainerConfig[], sink: DiagnosticSink): ContainerConfig[] {
  const byName = new Map<string, ContainerConfig[]>();
  for (const item of items) {
    const name = Object.keys(ownObject(ownObject(item.config, 'http'), 'routers') ?? {})[0] ?? '';
    const group = byName.get(name);
    if (group) group.push(item);
    else byName.set(name, [item]);
  }
  const out: ContainerConfig[] = [];
  for (const [name, group] of byName) {
    const raw = new Set(group.map((item) => item.container.labels[SERVICE_NAME_LABEL]));
    if (raw.size === 1) {
      for (const item of group) out.push(item);
      continue;
    }
    const names = [...raw].map((n) => JSON.stringify(n)).sort().join(', ');
    for (const item of group) {
      sink.error('auto-route-name', `no auto-route: service names ${names} all become ${name}; rename one of them`, {
        container: item.container.name,
        label: SERVICE_NAME_LABEL,
      });
    }
  }
  return out;
}
