// Hosts and entrypoints are owned across tenants (SPEC §3): the oldest container's router wins a
// host, a TCP catch-all or UDP router takes its entrypoint whole, and a container of unknown age
// never wins a contest. Claims are granted greedily in age order, so the result does not depend
// on the order daemons were discovered in. Claims held by files (the operator's own files, a kept
// fragment of a daemon not synced yet) come before every contest: they are never outranked.

import { isValidNetworkId } from '../model/addresses.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import { describeHolder, type HeldClaim } from './held-claims.ts';
import { listed } from '../model/diagnostics.ts';
import { describePattern, foreign, heldBy, heldIndex, wildcardOf } from './held-index.ts';
import { resourceAge } from './tenant-config.ts';
import type { RouterClaim } from './router-rules.ts';

export interface TenantClaims {
  readonly tenantId: string;
  readonly claims: readonly RouterClaim[];
}

export interface ClaimRefusal {
  readonly tenantId: string;
  readonly claim: RouterClaim;
  readonly code: 'host-reserved-operator' | 'host-conflict' | 'entrypoint-reserved-operator' | 'entrypoint-conflict';
  readonly reason: string;
}

export interface ClaimOutcome {
  readonly refusals: readonly ClaimRefusal[];
  /** Hosts each tenant owns after the contest. */
  readonly ownedHosts: ReadonlyMap<string, ReadonlySet<string>>;
}

interface Holder {
  readonly tenantId: string;
  readonly claim: RouterClaim;
  readonly age: number | undefined;
}

/**
 * Auto-route hosts are `{label}-{tenantId}.{baseDomain}` (both in canonical form, model/host-name.ts): such a host belongs to the tenants whose
 * id ends it (any valid network id, or a reserved named id, whether or not its daemon is there).
 */
export function reservedFor(host: string, baseDomain: string | undefined, tenantIds: ReadonlySet<string>): string[] {
  if (!baseDomain || !isBelow(host, baseDomain)) return [];
  const label = host.slice(0, -(baseDomain.length + 1));
  // Asked twice for every host of a full render: most labels have no `-` (then no id ends them) or a dot.
  if (label.includes('.') || !label.includes('-')) return [];
  const owners: string[] = [];
  // A numeric id ends the label after its last `-` (no match array made for every host).
  const digits = label.slice(label.lastIndexOf('-') + 1);
  if (DIGITS.test(digits) && isValidNetworkId(Number(digits)) && String(Number(digits)) === digits) owners.push(digits);
  // Every `-` could start the id: try each suffix against the known daemons (when any is configured).
  if (tenantIds.size === 0) return owners;
  for (let dash = label.indexOf('-', 1); dash > 0 && dash < label.length - 1; dash = label.indexOf('-', dash + 1)) {
    const id = label.slice(dash + 1);
    if (tenantIds.has(id) && !owners.includes(id)) owners.push(id);
  }
  return owners;
}

const DIGITS = /^[0-9]+$/;

export function resolveClaims(
  tenants: readonly TenantClaims[],
  baseDomain: string | undefined,
  held: readonly HeldClaim[] = [],
  reservedIds: readonly string[] = [],
): ClaimOutcome {
  // Configured ids only: a daemon's mere presence must not take hosts from older tenants.
  const tenantIds = new Set(reservedIds);
  const files = heldIndex(held, baseDomain);
  // Each entry is also its claim's holder once granted: one object per claim.
  const entries: Holder[] = [];
  for (let t = 0; t < tenants.length; t++) {
    const { tenantId, claims } = tenants[t] as TenantClaims;
    for (let c = 0; c < claims.length; c++) {
      const claim = claims[c] as RouterClaim;
      entries.push({ tenantId, claim, age: resourceAge(claim.resource) });
    }
  }
  entries.sort(
    (a, b) =>
      (a.age ?? Infinity) - (b.age ?? Infinity) ||
      compareDaemonIds(a.tenantId, b.tenantId) ||
      compareText(a.claim.section, b.claim.section) ||
      compareText(a.claim.name, b.claim.name),
  );

  // Who claims each host and entrypoint is read only for a claim whose container's age is unknown:
  // listed only when there is one (almost never: it is ten thousand sets in a full render).
  const hostClaimants = new Map<string, Set<string>>();
  const entrypointUsers = new Map<string, Set<string>>();
  if (entries.some((entry) => entry.age === undefined)) {
    for (const { tenantId, claim } of entries) {
      for (const host of claim.hosts) addTo(hostClaimants, host, tenantId);
      for (const ep of claim.entrypoints) addTo(entrypointUsers, ep, tenantId);
    }
  }

  const hostOwner = new Map<string, Holder>();
  const wholeOwner = new Map<string, Holder>();
  const users = new Map<string, Map<string, Holder>>();
  const refusals: ClaimRefusal[] = [];
  const ownedHosts = new Map<string, Set<string>>();

  const baseWildcard = `*.${baseDomain}`;
  // The current claim's reasons to be refused (one list for all: almost every claim has none).
  const found: Reason[] = [];
  // Indexed loops: this one function runs once per round, and for-of over arrays allocates
  // iterators and their results until V8 optimizes it, which may be never.
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e] as Holder;
    const { tenantId, claim, age } = entry;
    const unknownAge = age === undefined;
    found.length = 0;
    for (let h = 0; h < claim.hosts.length; h++) {
      const host = claim.hosts[h] as string;
      const literal = foreign(files.hosts.get(host), tenantId);
      // `*.{baseDomain}` names the auto-routes' own space: a file's wildcard there is a fallback, not a claim.
      // Without files' wildcards, no wildcard is made for every host (only a wildcard's match names it).
      const wildcard = files.wildcards.size === 0 ? '' : wildcardOf(host);
      const byWildcard = literal ?? (wildcard === baseWildcard ? undefined : foreign(files.wildcards.get(wildcard), tenantId));
      const byPattern = byWildcard || files.patterns.length === 0 ? undefined : files.patterns.find((p) => !heldBy(p.claim, tenantId) && p.test(host));
      const file = byWildcard ?? byPattern?.claim;
      if (file) {
        const how = literal ? '' : ` (it matches ${byPattern ? describePattern(byPattern) : wildcard})`;
        found.push([file.holder.kind === 'operator' ? OPERATOR_HOST : HOST, `host ${host} is routed by ${describeHolder(file)}${how}`]);
        continue;
      }
      // Deeper names under a site of the base domain are that site's: its cookies and its wildcard DNS reach them.
      const site = siteOf(host, baseDomain);
      if (site !== undefined) {
        const siteFile = foreign(files.hosts.get(site), tenantId);
        const siteReserved = reservedFor(site, baseDomain, tenantIds);
        const siteOwner = hostOwner.get(site);
        if (siteFile) {
          found.push([siteFile.holder.kind === 'operator' ? OPERATOR_HOST : HOST, `host ${host} is below ${site}, which is routed by ${describeHolder(siteFile)}`]);
          continue;
        }
        if (siteReserved.length > 0 && !siteReserved.includes(tenantId)) {
          found.push([HOST, `host ${host} is below ${site}, which is reserved for the auto-routes of daemon ${siteReserved.join(', ')}`]);
          continue;
        }
        if (siteOwner && siteOwner.tenantId !== tenantId) {
          found.push([HOST, `host ${host} is below ${site}, which belongs to daemon ${siteOwner.tenantId} (${describe(siteOwner)}; ${whyFirst(siteOwner, age)})`]);
          continue;
        }
      }
      const reserved = reservedFor(host, baseDomain, tenantIds);
      const owner = hostOwner.get(host);
      if (reserved.length > 0 && !reserved.includes(tenantId)) {
        found.push([HOST, `host ${host} is reserved for the auto-routes of daemon ${reserved.join(', ')}`]);
      } else if (owner && owner.tenantId !== tenantId) {
        found.push([HOST, `host ${host} belongs to daemon ${owner.tenantId} (${describe(owner)}; ${whyFirst(owner, age)})`]);
      } else if (unknownAge && hasOther(hostClaimants.get(host), tenantId)) {
        found.push([HOST, `host ${host} is also claimed by daemon ${listed(othersIn(hostClaimants.get(host), tenantId))} and this container's creation time is unknown`]);
      }
    }
    for (let p = 0; p < claim.entrypoints.length; p++) {
      const ep = claim.entrypoints[p] as string;
      const file = foreign(files.whole.get(ep), tenantId) ?? (claim.whole ? foreign(files.users.get(ep), tenantId) : undefined);
      if (file) {
        const what = file.whole ? `entrypoint ${ep} is taken whole by` : `it would take entrypoint ${ep} whole, but it is used by`;
        found.push([file.holder.kind === 'operator' ? OPERATOR_ENTRYPOINT : ENTRYPOINT, `${what} ${describeHolder(file)}`]);
        continue;
      }
      const whole = wholeOwner.get(ep);
      if (whole && whole.tenantId !== tenantId) {
        found.push([ENTRYPOINT, `entrypoint ${ep} is taken whole by daemon ${whole.tenantId} (${describe(whole)}; ${whyFirst(whole, age)})`]);
        continue;
      }
      if (!claim.whole) continue;
      const other = otherUser(users.get(ep), tenantId);
      if (other) {
        found.push([ENTRYPOINT, `it would take entrypoint ${ep} whole, but daemon ${other.tenantId} uses it (${describe(other)}; ${whyFirst(other, age)})`]);
      } else if (unknownAge && hasOther(entrypointUsers.get(ep), tenantId)) {
        found.push([ENTRYPOINT, `entrypoint ${ep} is contested and this container's creation time is unknown`]);
      }
    }
    if (found.length > 0) {
      // Listed kind by kind (the sort is stable), and the first kind names the refusal.
      found.sort((a, b) => a[0] - b[0]);
      refusals.push({ tenantId, claim, code: REFUSAL_CODES[(found[0] as Reason)[0]], reason: found.map((reason) => reason[1]).join('; ') });
      continue;
    }
    let owned = ownedHosts.get(tenantId);
    for (let h = 0; h < claim.hosts.length; h++) {
      const host = claim.hosts[h] as string;
      if (!hostOwner.has(host)) hostOwner.set(host, entry);
      if (owned === undefined) ownedHosts.set(tenantId, (owned = new Set<string>()));
      owned.add(host);
    }
    for (let p = 0; p < claim.entrypoints.length; p++) {
      const ep = claim.entrypoints[p] as string;
      let map = users.get(ep);
      if (map === undefined) users.set(ep, (map = new Map<string, Holder>()));
      if (!map.has(tenantId)) map.set(tenantId, entry);
      if (claim.whole && !wholeOwner.has(ep)) wholeOwner.set(ep, entry);
    }
  }
  return { refusals, ownedHosts };
}

/** Kinds of reasons, in the order they are listed; the first kind found names the refusal. */
const OPERATOR_HOST = 0;
const HOST = 1;
const OPERATOR_ENTRYPOINT = 2;
const ENTRYPOINT = 3;
const REFUSAL_CODES = ['host-reserved-operator', 'host-conflict', 'entrypoint-reserved-operator', 'entrypoint-conflict'] as const;

type Reason = [kind: 0 | 1 | 2 | 3, text: string];

/**
 * The site of the base domain a deeper host is under (`a.b.shop-2816.example.com` → `shop-2816.example.com`),
 * or undefined for a host one label under the base domain, or outside it.
 */
export function siteOf(host: string, baseDomain: string | undefined): string | undefined {
  if (!baseDomain || !isBelow(host, baseDomain)) return undefined;
  // The last label before the base domain, with it: the host from the dot before that label on.
  const end = host.length - baseDomain.length - 1;
  const dot = end > 0 ? host.lastIndexOf('.', end - 1) : -1;
  return dot < 0 ? undefined : host.slice(dot + 1);
}

/** `host` ends with `.{baseDomain}` (asked for every host of every router: no string is made). */
function isBelow(host: string, baseDomain: string): boolean {
  const dot = host.length - baseDomain.length - 1;
  return dot >= 0 && host.charCodeAt(dot) === 0x2e && host.endsWith(baseDomain);
}

/** Why the holder was granted first: its container is older, or ties went to the lower id. */
function whyFirst(holder: Holder, age: number | undefined): string {
  if (age === undefined) return "this container's creation time is unknown";
  if (holder.age !== undefined && holder.age < age) return 'its container is older';
  return 'created at the same time; the lower daemon id wins';
}

function describe(holder: Holder): string {
  const containers = listed([...new Set(holder.claim.resource.origins.map((c) => c.name))].sort());
  return `router ${holder.claim.name} of container ${containers}`;
}

/** Some holder of another tenant, without walking every user of a busy entrypoint. */
function otherUser(holders: Map<string, Holder> | undefined, self: string): Holder | undefined {
  if (!holders || holders.size === 0 || (holders.size === 1 && holders.has(self))) return undefined;
  for (const holder of holders.values()) if (holder.tenantId !== self) return holder;
  return undefined;
}

/** Whether another tenant is in the set, in constant time (the set holds daemon ids). */
function hasOther(set: Set<string> | undefined, self: string): boolean {
  return set !== undefined && set.size > (set.has(self) ? 1 : 0);
}

function othersIn(set: Set<string> | undefined, self: string): string[] {
  return [...(set ?? [])].filter((id) => id !== self).sort(compareDaemonIds);
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set<string>();
    map.set(key, set);
  }
  set.add(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
