// Hosts and entrypoints are owned across tenants (SPEC §3): the oldest container's router wins a
// host, a TCP catch-all or UDP router takes its entrypoint whole, and a container of unknown age
// never wins a contest. Claims are granted greedily in age order, so the result does not depend
// on the order daemons were discovered in.

import { compareTenantIds } from '../model/tenant.ts';
import { resourceAge } from './tenant-config.ts';
import type { RouterClaim } from './router-rules.ts';

export interface TenantClaims {
  readonly tenantId: string;
  readonly claims: readonly RouterClaim[];
}

export interface ClaimRefusal {
  readonly tenantId: string;
  readonly claim: RouterClaim;
  readonly code: 'host-conflict' | 'entrypoint-conflict';
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
}

/** A host of the form `{label}-{networkId}.{baseDomain}` belongs to that network's auto-routes. */
export function reservedFor(host: string, baseDomain: string | undefined): string | undefined {
  if (!baseDomain || !host.endsWith(`.${baseDomain}`)) return undefined;
  const label = host.slice(0, -(baseDomain.length + 1));
  const match = /^[^.]+-([0-9]+)$/.exec(label);
  return match ? match[1] : undefined;
}

export function resolveClaims(tenants: readonly TenantClaims[], baseDomain: string | undefined): ClaimOutcome {
  const entries = tenants.flatMap((t) => t.claims.map((claim) => ({ tenantId: t.tenantId, claim, age: resourceAge(claim.resource) })));
  entries.sort(
    (a, b) =>
      (a.age ?? Infinity) - (b.age ?? Infinity) ||
      compareTenantIds(a.tenantId, b.tenantId) ||
      compareText(a.claim.section, b.claim.section) ||
      compareText(a.claim.name, b.claim.name),
  );

  const hostClaimants = new Map<string, Set<string>>();
  const entrypointUsers = new Map<string, Set<string>>();
  for (const { tenantId, claim } of entries) {
    for (const host of claim.hosts) addTo(hostClaimants, host, tenantId);
    for (const ep of claim.entrypoints) addTo(entrypointUsers, ep, tenantId);
  }

  const hostOwner = new Map<string, Holder>();
  const wholeOwner = new Map<string, Holder>();
  const users = new Map<string, Map<string, Holder>>();
  const refusals: ClaimRefusal[] = [];
  const ownedHosts = new Map<string, Set<string>>();

  for (const { tenantId, claim, age } of entries) {
    const unknownAge = age === undefined;
    const hostReasons: string[] = [];
    for (const host of claim.hosts) {
      const reserved = reservedFor(host, baseDomain);
      const owner = hostOwner.get(host);
      if (reserved !== undefined && reserved !== tenantId) {
        hostReasons.push(`host ${host} is reserved for the auto-routes of network ${reserved}`);
      } else if (owner && owner.tenantId !== tenantId) {
        hostReasons.push(`host ${host} belongs to daemon ${owner.tenantId} (${describe(owner)}, older)`);
      } else if (unknownAge && othersIn(hostClaimants.get(host), tenantId).length > 0) {
        hostReasons.push(
          `host ${host} is also claimed by daemon ${othersIn(hostClaimants.get(host), tenantId).join(', ')} and this container's creation time is unknown`,
        );
      }
    }
    const entrypointReasons: string[] = [];
    for (const ep of claim.entrypoints) {
      const whole = wholeOwner.get(ep);
      const others = [...(users.get(ep)?.values() ?? [])].filter((holder) => holder.tenantId !== tenantId);
      if (whole && whole.tenantId !== tenantId) {
        entrypointReasons.push(`entrypoint ${ep} is taken whole by daemon ${whole.tenantId} (${describe(whole)})`);
      } else if (claim.whole && others.length > 0) {
        entrypointReasons.push(`it would take entrypoint ${ep} whole, but daemon ${others[0]!.tenantId} uses it (${describe(others[0]!)})`);
      } else if (claim.whole && unknownAge && othersIn(entrypointUsers.get(ep), tenantId).length > 0) {
        entrypointReasons.push(`entrypoint ${ep} is contested and this container's creation time is unknown`);
      }
    }
    if (hostReasons.length > 0 || entrypointReasons.length > 0) {
      refusals.push({
        tenantId,
        claim,
        code: hostReasons.length > 0 ? 'host-conflict' : 'entrypoint-conflict',
        reason: [...hostReasons, ...entrypointReasons].join('; '),
      });
      continue;
    }
    const holder = { tenantId, claim };
    for (const host of claim.hosts) {
      if (!hostOwner.has(host)) hostOwner.set(host, holder);
      addTo(ownedHosts, tenantId, host);
    }
    for (const ep of claim.entrypoints) {
      const map = users.get(ep) ?? new Map<string, Holder>();
      if (!map.has(tenantId)) map.set(tenantId, holder);
      users.set(ep, map);
      if (claim.whole && !wholeOwner.has(ep)) wholeOwner.set(ep, holder);
    }
  }
  return { refusals, ownedHosts };
}

function describe(holder: Holder): string {
  const containers = [...new Set(holder.claim.resource.origins.map((c) => c.name))].sort().join(', ');
  return `router ${holder.claim.name} of container ${containers}`;
}

function othersIn(set: Set<string> | undefined, self: string): string[] {
  return [...(set ?? [])].filter((id) => id !== self).sort(compareTenantIds);
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
