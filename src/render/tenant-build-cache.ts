// A daemon's own build (decode, defaults, isolation within the tenant) depends on its containers,
// the render options, and which daemon holds each bridge address its containers list (a named
// daemon's backends), so it is redone only when one of those changes: a change on one daemon of a
// thousand rebuilds one. The key is the daemon's list of containers (discovery hands out a new one
// when they change, and the same one when only the daemon's state changed, e.g. a reconnect); a new
// options object empties the cache. The cross-tenant passes
// of a render refuse and rewrite what they find in a build, so every render gets a copy and the
// kept build stays as buildTenant made it: the output is the one a full rebuild gives.
// Assembling a fragment is redone only when the passes decided differently for the daemon: they
// only remove resources and set a router's entrypoints and certificates, so the same kept build
// with the same removals and the same entrypoints and tls on its routers assembles the same.

import { parseStrictIp } from '../model/addresses.ts';
import { DiagnosticSink, type Diagnostic } from '../model/diagnostics.ts';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import { configEqual, copyConfig, type ConfigValue } from '../traefik/config.ts';
import type { TenantFragment } from './fragment.ts';
import { buildTenant, type TenantBuild } from './tenant-build.ts';
import type { TenantBuildContext } from './tenant-checks.ts';
import { SECTIONS, type Resource, type Section, type TenantConfig } from './tenant-config.ts';
import type { RenderOptions } from './options.ts';

export class TenantBuildCache {
  /** By the daemon's list of containers: discovery hands out the same list until one changes. */
  #builds = new WeakMap<readonly ContainerSnapshot[], Kept>();
  /** The copies handed out, to the build they copy. */
  readonly #copies = new WeakMap<TenantBuild, Kept>();
  readonly #kept = new WeakMap<TenantBuild, Kept>();
  #options: RenderOptions | undefined;
  /** Builds made (not copied) since the cache was created: what a change cost. */
  built = 0;

  build(daemon: DaemonSnapshot, context: TenantBuildContext): TenantBuild {
    return this.copy(this.kept(daemon, context), context);
  }

  /** The kept build itself, as buildTenant made it: read it, never hand it to the cross-tenant passes. */
  kept(daemon: DaemonSnapshot, context: TenantBuildContext): TenantBuild {
    if (context.options !== this.#options) {
      this.#builds = new WeakMap();
      this.#options = context.options;
    }
    let kept = this.#builds.get(daemon.containers);
    // With kept holders, a build checked one update ago whose daemon's addresses were not decided
    // again still has its holders: not every daemon's addresses are looked up on every change.
    const changes = context.holderChanges;
    const unchanged = changes !== undefined && kept?.checked === changes.generation - 1 && !changes.touched.has(daemon.id);
    if (kept === undefined || kept.build.daemon.id !== daemon.id || kept.build.daemon.socket !== daemon.socket || (!unchanged && kept.holders.some(([address, holder]) => context.networkHolders.get(address) !== holder))) {
      const addresses = listedAddresses(daemon);
      kept = { build: buildTenant(daemon, context), holders: addresses.map((address) => [address, context.networkHolders.get(address)]) };
      this.#builds.set(daemon.containers, kept);
      this.#kept.set(kept.build, kept);
      this.built++;
    }
    if (changes !== undefined) kept.checked = changes.generation;
    return kept.build;
  }

  /** A copy of a kept build for one render's cross-tenant passes, which refuse and rewrite in place. */
  copy(build: TenantBuild, context: TenantBuildContext): TenantBuild {
    const kept = this.#kept.get(build);
    if (kept === undefined) throw new TypeError('not a build this cache keeps');
    const copy = copyBuild(kept.build, context);
    this.#copies.set(copy, kept);
    return copy;
  }

  /**
   * Runs a step that reads and refuses within the copy alone (reference checks): on a copy nothing
   * has touched yet, what it did to the last untouched copy is done again instead.
   */
  withinTenant(copy: TenantBuild, step: () => void): void {
    const kept = this.#copies.get(copy);
    if (kept === undefined || !untouched(copy, kept.build)) return step();
    if (kept.withinTenant !== undefined) return replay(copy, kept.withinTenant);
    const items = copy.sink.items.length;
    step();
    const removed: [Section, string][] = [];
    for (const section of SECTIONS) {
      if (copy.config[section].size === kept.build.config[section].size) continue;
      for (const name of kept.build.config[section].keys()) if (!copy.config[section].has(name)) removed.push([section, name]);
    }
    kept.withinTenant = {
      removed,
      refused: [...refusedOf(copy)].filter((key) => !refusedOf(kept.build).has(key)),
      diagnostics: copy.sink.items.slice(items),
    };
  }

  /** The fragment of a copy after the passes: the last one assembled when they decided the same. */
  assemble(copy: TenantBuild, assemble: () => TenantFragment): TenantFragment {
    const kept = this.#copies.get(copy);
    if (kept === undefined) return assemble();
    const decided = decisions(copy, kept.build);
    if (kept.assembled !== undefined && sameDecisions(kept.assembled.decided, decided)) return kept.assembled.fragment;
    // Taken before assembling: it renames references inside the routers in place.
    const frozen = { removed: decided.removed, routers: decided.routers.map((value) => (value === undefined ? undefined : copyConfig(value))) };
    unshare(copy);
    const fragment = assemble();
    kept.assembled = { decided: frozen, fragment };
    return fragment;
  }
}

interface Kept {
  readonly build: TenantBuild;
  /** The holder of each address the daemon's containers list, as the build saw it. */
  readonly holders: readonly (readonly [string, string | undefined])[];
  /** The generation of the kept holders (HolderChanges) it was last checked against. */
  checked?: number;
  /** What the within-tenant step did to an untouched copy of this build. */
  withinTenant?: Outcome;
  /** The last fragment assembled from a copy of this build, and what the passes had decided for it. */
  assembled?: { readonly decided: Decisions; readonly fragment: TenantFragment };
}

interface Outcome {
  readonly removed: readonly (readonly [Section, string])[];
  readonly refused: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Nothing removed or refused since the copy was made (passes only ever remove). */
function untouched(copy: TenantBuild, kept: TenantBuild): boolean {
  return refusedOf(copy).size === refusedOf(kept).size && copy.sink.items.length === kept.sink.items.length && SECTIONS.every((section) => copy.config[section].size === kept.config[section].size);
}

function replay(copy: TenantBuild, outcome: Outcome): void {
  for (const [section, name] of outcome.removed) copy.config[section].delete(name);
  for (const key of outcome.refused) copy.checks?.replayRefused(key);
  for (const item of outcome.diagnostics) copy.sink.items.push(item);
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

const ROUTER_SECTIONS = new Set<Section>(['http.routers', 'tcp.routers', 'udp.routers']);

/** Assembling renames references in place: what copyBuild shared with the kept build is copied first. */
function unshare(copy: TenantBuild): void {
  for (const section of SECTIONS) {
    if (ROUTER_SECTIONS.has(section)) continue;
    const resources = copy.config[section];
    for (const [name, resource] of resources) resources.set(name, { ...resource, value: copyConfig(resource.value) });
  }
}

/** Everything a later pass may change is copied; containers and diagnostics are never changed. */
const NOTHING_REFUSED: ReadonlySet<string> = new Set();

function refusedOf(build: TenantBuild): ReadonlySet<string> {
  return build.checks?.refusedKeys ?? NOTHING_REFUSED;
}

function copyBuild(build: TenantBuild, context: TenantBuildContext): TenantBuild {
  const copies = new Map<Resource, Resource>();
  const config = {} as TenantConfig;
  for (const section of SECTIONS) {
    const resources = new Map<string, Resource>();
    // Only routers are written to by the cross-tenant passes (entrypoints, certificates); the
    // rest is shared until assembling renames references in it (see assemble).
    const written = ROUTER_SECTIONS.has(section);
    for (const [name, resource] of build.config[section]) {
      const copy: Resource = written ? { ...resource, value: copyConfig(resource.value) } : resource;
      copies.set(resource, copy);
      resources.set(name, copy);
    }
    config[section] = resources;
  }
  const sink = new DiagnosticSink(build.sink.daemon, [...build.sink.items]);
  const checks = build.checks?.copyOnto(config, sink, context);
  const claims = checks?.claims ?? [];
  for (const claim of build.claims) claims.push({ ...claim, resource: copies.get(claim.resource) ?? claim.resource, entrypoints: [...claim.entrypoints] });
  return { daemon: build.daemon, tenant: build.tenant, config, claims, checks, sink };
}
