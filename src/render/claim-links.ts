// Which daemons' cross-tenant outcomes can depend on each other. Two daemons are linked when one
// could change what the steps across daemons decide for the other: they claim the same host (or
// one claims a site of the base domain and the other a name below it);
// one takes an entrypoint whole that the other names; their final names can collide (a named
// daemon's id ends with `-{other id}`, or both are named); or both take part in port allocation
// (the ranges are shared by every router that needs a port or names a range port, and by every
// daemon holding an allocation). Daemons that are not linked, directly or through others, are
// decided independently: the contest, the refusals and the ports of one never read the other.
// Links are read from a daemon's kept build (all its router claims before any cross-tenant
// refusal), so they are a superset of what any render of it can claim.

import { siteOf } from './claims.ts';
import { isRangePort } from './port-assignment.ts';
import type { RenderOptions } from './options.ts';
import type { TenantBuild } from './tenant-build.ts';

export interface ClaimLinks {
  readonly hosts: readonly string[];
  /** Entrypoints named by routers that do not take them whole. */
  readonly uses: readonly string[];
  /** Entrypoints taken whole (TCP catch-all, UDP). */
  readonly whole: readonly string[];
  /** Takes part in port allocation (needs a port, or names a port of a range). */
  readonly ports: boolean;
}

export function claimLinks(build: TenantBuild, options: RenderOptions): ClaimLinks {
  const hosts = new Set<string>();
  const uses = new Set<string>();
  const whole = new Set<string>();
  let ports = false;
  for (const claim of build.claims) {
    for (const host of claim.hosts) {
      hosts.add(host);
      // A deeper name under a site of the base domain is that site's: linked to whoever claims the site.
      const site = siteOf(host, options.baseDomain);
      if (site !== undefined) hosts.add(site);
    }
    for (const ep of claim.entrypoints) {
      (claim.whole ? whole : uses).add(ep);
      if (isRangePort(ep, options)) ports = true;
    }
    if (claim.needsPort) ports = true;
  }
  return { hosts: [...hosts], uses: [...uses], whole: [...whole], ports };
}

/** Every present daemon's links, by what links them: updated as daemons change. */
export class LinkIndex {
  readonly #hosts = new Map<string, Set<string>>();
  /** Entrypoint → daemons naming it at all (whole or not). */
  readonly #users = new Map<string, Set<string>>();
  readonly #whole = new Map<string, Set<string>>();
  readonly #ports = new Set<string>();
  readonly #ids = new Set<string>();
  /** Daemon ids with `-` (named daemons): their final names can collide. */
  readonly #named = new Set<string>();
  /** `{id}` → named daemons whose id ends with `-{id}`. */
  readonly #suffixes = new Map<string, Set<string>>();

  add(id: string, links: ClaimLinks): void {
    this.#each(id, links, (map, key) => addTo(map, key, id));
    this.#ids.add(id);
    if (links.ports) this.#ports.add(id);
    if (id.includes('-')) this.#named.add(id);
  }

  remove(id: string, links: ClaimLinks): void {
    this.#each(id, links, (map, key) => {
      const set = map.get(key);
      set?.delete(id);
      if (set?.size === 0) map.delete(key);
    });
    this.#ids.delete(id);
    this.#ports.delete(id);
    this.#named.delete(id);
  }

  /** Daemons in port allocation: they are decided again on every render (the clock refreshes their allocations). */
  portDaemons(): ReadonlySet<string> {
    return this.#ports;
  }

  /** Calls `visit` with every daemon linked directly to a daemon with these links (present or not). */
  neighbours(id: string, links: ClaimLinks, visit: (other: string) => void): void {
    const all = (set: ReadonlySet<string> | undefined) => {
      if (set) for (const other of set) visit(other);
    };
    for (const host of links.hosts) all(this.#hosts.get(host));
    for (const ep of links.uses) all(this.#whole.get(ep));
    for (const ep of links.whole) all(this.#users.get(ep));
    if (links.ports) all(this.#ports);
    all(this.#suffixes.get(id));
    if (!id.includes('-')) return;
    all(this.#named);
    for (const suffix of dashSuffixes(id)) if (this.#ids.has(suffix)) visit(suffix);
  }

  #each(id: string, links: ClaimLinks, apply: (map: Map<string, Set<string>>, key: string) => void): void {
    for (const host of links.hosts) apply(this.#hosts, host);
    for (const ep of links.uses) apply(this.#users, ep);
    for (const ep of links.whole) {
      apply(this.#users, ep);
      apply(this.#whole, ep);
    }
    if (id.includes('-')) for (const suffix of dashSuffixes(id)) apply(this.#suffixes, suffix);
  }
}

/** `a-b-c` → `b-c`, `c`: the ids another daemon would need for `{name}-{id}` to collide with this one's. */
function dashSuffixes(id: string): string[] {
  const out: string[] = [];
  for (let dash = id.indexOf('-'); dash >= 0; dash = id.indexOf('-', dash + 1)) out.push(id.slice(dash + 1));
  return out;
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}
