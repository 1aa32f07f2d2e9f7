// A daemon's own build (decode, defaults, isolation within the tenant) depends on its containers,
// the render options, and which daemon holds each bridge address its containers list (a named
// daemon's backends), so it is redone only when one of those changes: a change on one daemon of a
// thousand rebuilds one. The key is the daemon snapshot object (discovery hands out a new one when
// the daemon's containers change); a new options object empties the cache. The cross-tenant passes
// of a render refuse and rewrite what they find in a build, so every render gets a copy and the
// kept build stays as buildTenant made it: the output is the one a full rebuild gives.
// Assembling a fragment is redone only when the passes decided differently for the daemon: they
// only remove resources and set a router's entrypoints and certificates, so the same kept build
// with the same removals and the same entrypoints and tls on its routers assembles the same.

import { parseStrictIp } from '../model/addresses.ts';
import { DiagnosticSink } from '../model/diagnostics.ts';
import type { DaemonSnapshot } from '../model/snapshot.ts';
import { configEqual, copyConfig, type ConfigValue } from '../traefik/config.ts';
import type { TenantFragment } from './fragment.ts';
import { buildTenant, type TenantBuild, type TenantBuildContext } from './tenant-build.ts';
import { SECTIONS, type Resource, type TenantConfig } from './tenant-config.ts';
import type { RenderOptions } from './options.ts';

export class TenantBuildCache {
  #builds = new WeakMap<DaemonSnapshot, Kept>();
  /** The copies handed out, to the build they copy. */
  readonly #copies = new WeakMap<TenantBuild, Kept>();
  #options: RenderOptions | undefined;
  /** Builds made (not copied) since the cache was created: what a change cost. */
  built = 0;

  build(daemon: DaemonSnapshot, context: TenantBuildContext): TenantBuild {
    if (context.options !== this.#options) {
      this.#builds = new WeakMap();
      this.#options = context.options;
    }
    let kept = this.#builds.get(daemon);
    if (kept === undefined || kept.holders.some(([address, holder]) => context.networkHolders.get(address) !== holder)) {
      const addresses = listedAddresses(daemon);
      kept = { build: buildTenant(daemon, context), holders: addresses.map((address) => [address, context.networkHolders.get(address)]) };
      this.#builds.set(daemon, kept);
      this.built++;
    }
    const copy = copyBuild(kept.build);
    this.#copies.set(copy, kept);
    return copy;
  }

  /** The fragment of a copy after the passes: the last one assembled when they decided the same. */
  assemble(copy: TenantBuild, assemble: () => TenantFragment): TenantFragment {
    const kept = this.#copies.get(copy);
    if (kept === undefined) return assemble();
    const decided = decisions(copy, kept.build);
    if (kept.assembled !== undefined && sameDecisions(kept.assembled.decided, decided)) return kept.assembled.fragment;
    // Taken before assembling: it renames references inside the routers in place.
    const frozen = { removed: decided.removed, routers: decided.routers.map((value) => (value === undefined ? undefined : copyConfig(value))) };
    const fragment = assemble();
    kept.assembled = { decided: frozen, fragment };
    return fragment;
  }
}

interface Kept {
  readonly build: TenantBuild;
  /** The holder of each address the daemon's containers list, as the build saw it. */
  readonly holders: readonly (readonly [string, string | undefined])[];
  /** The last fragment assembled from a copy of this build, and what the passes had decided for it. */
  assembled?: { readonly decided: Decisions; readonly fragment: TenantFragment };
}

/** What the cross-tenant passes did to a copy: resources removed; entryPoints and tls of each live router. */
interface Decisions {
  readonly removed: readonly string[];
  readonly routers: readonly (ConfigValue | undefined)[];
}

function decisions(copy: TenantBuild, kept: TenantBuild): Decisions {
  const removed: string[] = [];
  for (const section of SECTIONS) {
    const now = copy.config[section];
    // The passes only ever remove: the same size is the same resources.
    if (now.size === kept.config[section].size) continue;
    for (const name of kept.config[section].keys()) if (!now.has(name)) removed.push(`${section}\u0000${name}`);
  }
  const routers: (ConfigValue | undefined)[] = [];
  for (const claim of copy.claims) {
    if (copy.config[claim.section].get(claim.name) !== claim.resource) continue;
    routers.push(claim.resource.value['entryPoints'], claim.resource.value['tls']);
  }
  return { removed, routers };
}

function sameDecisions(a: Decisions, b: Decisions): boolean {
  if (a.removed.length !== b.removed.length || a.routers.length !== b.routers.length) return false;
  return a.removed.every((key, i) => key === b.removed[i]) && a.routers.every((value, i) => configEqual(value, b.routers[i]));
}

/** Every address the daemon's containers list, in the form networkHolders keys them by. */
function listedAddresses(daemon: DaemonSnapshot): string[] {
  const addresses = new Set<string>();
  for (const container of daemon.containers) {
    for (const text of Object.values(container.networks)) {
      const address = parseStrictIp(text)?.toString();
      if (address !== undefined) addresses.add(address);
    }
  }
  return [...addresses];
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
