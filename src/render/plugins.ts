// Plugin middlewares (`traefik.http.middlewares.<m>.plugin.<name>.*`) run code the operator
// installed with settings route-server cannot read: any of them may be an upstream URL, a JWKS
// address or a file path. So a tenant may use a plugin only when the operator allowed it by name
// (`--allow-plugin`), and then its settings pass through as written: the operator trusts it.

import type { DiagnosticSink } from '../model/diagnostics.ts';
import { ownObject } from '../traefik/config.ts';
import { refuse, type TenantConfig } from './tenant-config.ts';

export function enforcePlugins(config: TenantConfig, allowed: readonly string[], refused: Set<string>, sink: DiagnosticSink): void {
  for (const [name, resource] of [...config['http.middlewares']]) {
    const plugins = ownObject(resource.value, 'plugin');
    if (plugins === undefined) continue;
    // Plugin names are map keys: Traefik looks them up exactly, case included.
    const refusedPlugin = Object.keys(plugins).sort().find((plugin) => !allowed.includes(plugin));
    if (refusedPlugin === undefined) continue;
    const hint = allowed.length === 0 ? 'no plugin is allowed' : `allowed plugins are ${allowed.join(', ')}`;
    refuse(config, 'http.middlewares', name, sink, 'plugin-refused', `plugin ${JSON.stringify(refusedPlugin)} is not allowed (${hint}; its settings cannot be checked)`, `plugin.${refusedPlugin}`);
    refused.add(`http.middlewares\u0000${name}`);
  }
}
