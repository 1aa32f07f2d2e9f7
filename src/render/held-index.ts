// What files hold (the operator's own files, kept fragments) indexed for the host and entrypoint
// contest: by host, by wildcard, by regexp, and by entrypoint taken whole or used. The operator's
// claims come first, so a refusal names the operator's file.

import { goRegexpTester } from '../traefik/go-regexp.ts';
import type { HeldClaim } from './held-claims.ts';

/** Per host or entrypoint, the first held claim of each holder ('' for the operator). */
export type HeldBy = Map<string, Map<string, HeldClaim>>;

export interface HeldPattern {
  readonly pattern: string;
  readonly test: (host: string) => boolean;
  readonly claim: HeldClaim;
}

export interface HeldIndex {
  readonly hosts: HeldBy;
  /** Regexps of held claims that are not catch-alls (the operator's first, as for hosts). */
  readonly patterns: readonly HeldPattern[];
  /** By wildcard (`*.example.com`): a host is held when its wildcardOf is here. */
  readonly wildcards: HeldBy;
  readonly whole: HeldBy;
  readonly users: HeldBy;
}

/** Held claims by host and entrypoint; the operator's first, so a refusal names the operator's file. */
export function heldIndex(held: readonly HeldClaim[], baseDomain: string | undefined): HeldIndex {
  const patterns: HeldPattern[] = [];
  const index: HeldIndex = { hosts: new Map(), patterns, wildcards: new Map(), whole: new Map(), users: new Map() };
  const ordered = [...held].sort((a, b) => Number(a.holder.kind !== 'operator') - Number(b.holder.kind !== 'operator'));
  const add = (map: HeldBy, key: string, claim: HeldClaim) => {
    const byHolder = map.get(key) ?? new Map<string, HeldClaim>();
    const holder = claim.holder.kind === 'operator' ? '' : claim.holder.daemon;
    if (!byHolder.has(holder)) byHolder.set(holder, claim);
    map.set(key, byHolder);
  };
  for (const claim of ordered) {
    for (const host of claim.hosts) add(index.hosts, host, claim);
    for (const wildcard of claim.wildcards ?? []) add(index.wildcards, wildcard, claim);
    for (const pattern of claim.patterns ?? []) {
      const test = goRegexpTester(pattern);
      if (test && !fallbackProbes(baseDomain).some((probe) => test(probe))) patterns.push({ pattern, test, claim });
    }
    for (const ep of claim.entrypoints) {
      add(index.users, ep, claim);
      if (claim.whole) add(index.whole, ep, claim);
    }
  }
  return index;
}

/**
 * Names no one routes on purpose: a held regexp that matches one is a fallback (`.+`, any name under
 * the base domain, the auto-routes' space), not a claim on the names it matches.
 */
function fallbackProbes(baseDomain: string | undefined): string[] {
  const probe = 'route-server-fallback-probe-7q2x';
  return baseDomain === undefined ? [`${probe}.invalid`] : [`${probe}.invalid`, `${probe}.${baseDomain}`];
}

/**
 * The wildcard that matches `host` the way Traefik's Host and HostSNI match one
 * (muxer.DomainMatchHostExpression: the first label replaced by `*`); '' for a one-label host.
 */
export function wildcardOf(host: string): string {
  const dot = host.indexOf('.');
  return dot > 0 ? `*${host.slice(dot)}` : '';
}

export function describePattern(held: HeldPattern): string {
  return `${held.claim.section === 'tcp.routers' ? 'HostSNIRegexp' : 'HostRegexp'}(\`${held.pattern}\`)`;
}

/** Whether the claim is the tenant's own kept file. */
export function heldBy(claim: HeldClaim, tenantId: string): boolean {
  return claim.holder.kind === 'kept' && claim.holder.daemon === tenantId;
}

/** A held claim that is not the tenant's own kept file (at most two holders are looked at). */
export function foreign(byHolder: ReadonlyMap<string, HeldClaim> | undefined, tenantId: string): HeldClaim | undefined {
  if (byHolder === undefined) return undefined;
  for (const [holder, claim] of byHolder) if (holder !== tenantId) return claim;
  return undefined;
}
