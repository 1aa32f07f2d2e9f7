// Plugin middlewares (`traefik.http.middlewares.<m>.plugin.<name>.*`) run code the operator
// installed with settings route-server cannot read: any of them may be an upstream URL, a JWKS
// address or a file path. So a tenant may use a plugin only when the operator allowed it by name
// (`--allow-plugin`), and then its settings pass through as written: the operator trusts it.

import { ownObject } from '../traefik/config.ts';
import type { TenantChecks } from './tenant-checks.ts';

export function enforcePlugins(checks: TenantChecks): void {
  const allowed = checks.options.allowPlugins;
  // The live map, not a copy: a refusal deletes only the entry being visited, which Map iteration allows.
  for (const [name, resource] of checks.config['http.middlewares']) {
    const plugins = ownObject(resource.value, 'plugin');
    if (plugins === undefined) continue;
    // Plugin names are map keys: Traefik looks them up exactly, case included.
    const refusedPlugin = Object.keys(plugins).sort().find((plugin) => !allowed.includes(plugin));
    if (refusedPlugin === undefined) continue;
    const hint = allowed.length === 0 ? 'no plugin is allowed' : `allowed plugins are ${allowed.join(', ')}`;
    checks.refuse('http.middlewares', name, 'plugin-refused', `plugin ${JSON.stringify(refusedPlugin)} is not allowed (${hint}; its settings cannot be checked)`, `plugin.${refusedPlugin}`);
  }
}
