// A daemon's own build (decode, defaults, isolation within the tenant) depends on its containers
// and the render options only, so it is redone only when those change: a change on one daemon of a
// thousand rebuilds one. The key is the daemon snapshot object (discovery hands out a new one when
// the daemon's containers change); a new options object empties the cache. The cross-tenant passes
// of a render refuse and rewrite what they find in a build, so every render gets a copy and the
// kept build stays as buildTenant made it: the output is the one a full rebuild gives.

import { DiagnosticSink } from '../model/diagnostics.ts';
import type { DaemonSnapshot } from '../model/snapshot.ts';
import { copyConfig } from '../traefik/config.ts';
import { buildTenant, type TenantBuild, type TenantBuildContext } from './tenant-build.ts';
import { SECTIONS, type Resource, type TenantConfig } from './tenant-config.ts';
import type { RenderOptions } from './options.ts';

export class TenantBuildCache {
  #builds = new WeakMap<DaemonSnapshot, TenantBuild>();
  #options: RenderOptions | undefined;
  /** Builds made (not copied) since the cache was created: what a change cost. */
  built = 0;

  build(daemon: DaemonSnapshot, context: TenantBuildContext): TenantBuild {
    if (context.options !== this.#options) {
      this.#builds = new WeakMap();
      this.#options = context.options;
    }
    let kept = this.#builds.get(daemon);
    if (kept === undefined) {
      kept = buildTenant(daemon, context);
      this.#builds.set(daemon, kept);
      this.built++;
    }
    return copyBuild(kept);
  }
}

/** Everything a later pass may change is copied; containers and diagnostics are never changed. */
function copyBuild(build: TenantBuild): TenantBuild {
  const copies = new Map<Resource, Resource>();
  const config = {} as TenantConfig;
  for (const section of SECTIONS) {
    const resources = new Map<string, Resource>();
    for (const [name, resource] of build.config[section]) {
      const copy: Resource = { ...resource, value: copyConfig(resource.value) };
      copies.set(resource, copy);
      resources.set(name, copy);
    }
    config[section] = resources;
  }
  return {
    daemon: build.daemon,
    tenant: build.tenant,
    config,
    claims: build.claims.map((claim) => ({ ...claim, resource: copies.get(claim.resource) ?? claim.resource, entrypoints: [...claim.entrypoints] })),
    refused: new Set(build.refused),
    sink: new DiagnosticSink(build.sink.daemon, [...build.sink.items]),
  };
}
