// The context every isolation pass of one tenant works on: its configuration, its diagnostics,
// what the operator allows, and the record of what was refused. A refusal is one call that removes
// the resource, names it in a diagnostic against every container that defined it, and remembers
// it, so that a later message can say "which was refused" rather than "which it does not define".

import type { DiagnosticCode, DiagnosticSink } from '../model/diagnostics.ts';
import type { ContainerSnapshot, DaemonSnapshot } from '../model/snapshot.ts';
import type { Tenant } from '../model/tenant.ts';
import type { DefaultRuleTemplate } from './default-rule.ts';
import { resourceLabel } from './label-lookup.ts';
import type { HolderChanges, NetworkHolders } from './network-holders.ts';
import type { RenderOptions } from './options.ts';
import type { RouterClaim } from './router-rules.ts';
import { sectionWords, type Section, type TenantConfig } from './tenant-config.ts';

/** What every tenant's build shares: the operator's options, read once per render. */
export interface TenantBuildContext {
  readonly options: RenderOptions;
  readonly defaultRule: DefaultRuleTemplate | undefined;
  readonly allowRefs: ReadonlySet<string>;
  readonly networkHolders: NetworkHolders;
  /** When the holders are kept between renders (run): which daemons' addresses were decided again. */
  readonly holderChanges?: HolderChanges;
}

/** One isolation pass: it reads and refuses through the context, and returns nothing. */
export type TenantPass = (checks: TenantChecks) => void;

export class TenantChecks {
  /** What the surviving routers claim across tenants (hosts, entrypoints, ports): filled by checkRouters. */
  readonly claims: RouterClaim[] = [];
  readonly #refused = new Set<string>();

  constructor(
    readonly daemon: DaemonSnapshot,
    readonly tenant: Tenant,
    readonly config: TenantConfig,
    readonly sink: DiagnosticSink,
    readonly context: TenantBuildContext,
  ) {}

  get options(): RenderOptions {
    return this.context.options;
  }

  /**
   * Removes a resource and reports why, once, against every container that defined it, naming the
   * label at `labelPath` (below the resource, e.g. `rule` or `loadbalancer.server.url`) when the
   * container has one.
   */
  refuse(section: Section, name: string, code: DiagnosticCode, reason: string, labelPath?: string): void {
    this.#drop(this.config, section, name, code, `${sectionWords(section)} ${name} refused: ${reason}`, labelPath);
  }

  /**
   * Same-named definitions that differ, found while merging containers into `from` (the tenant's
   * configuration, or its auto-routes before they join it): Traefik's own merge drops them too.
   */
  refuseConflict(from: TenantConfig, section: Section, name: string): void {
    const containers = [...new Set(from[section].get(name)?.origins.map((c) => c.name))].sort();
    const message = `${sectionWords(section)} ${name} defined multiple times with different configurations (containers ${containers.join(', ')}); dropped`;
    this.#drop(from, section, name, 'defined-multiple-times', message, undefined);
  }

  /** The same checks over a copy of the configuration (the build cache gives each render its own). */
  copyOnto(config: TenantConfig, sink: DiagnosticSink, context: TenantBuildContext): TenantChecks {
    const copy = new TenantChecks(this.daemon, this.tenant, config, sink, context);
    for (const key of this.#refused) copy.#refused.add(key);
    return copy;
  }

  /** What was refused so far, as section and name keys: what the build cache compares and replays. */
  get refusedKeys(): ReadonlySet<string> {
    return this.#refused;
  }

  /** Records again a refusal an identical earlier run made (the build cache's replay). */
  replayRefused(key: string): void {
    this.#refused.add(key);
  }

  wasRefused(section: string, name: string): boolean {
    return this.#refused.has(`${section}\u0000${name}`);
  }

  #drop(from: TenantConfig, section: Section, name: string, code: DiagnosticCode, message: string, labelPath: string | undefined): void {
    this.#refused.add(`${section}\u0000${name}`);
    const resource = from[section].get(name);
    if (!resource) return;
    from[section].delete(name);
    const containers = new Map(resource.origins.map((c) => [c.name, c]));
    for (const container of [...containers.keys()].sort()) {
      const label = resourceLabel(containers.get(container) as ContainerSnapshot, section, name, labelPath);
      this.sink.error(code, message, label === undefined ? { container } : { container, label });
    }
  }
}
