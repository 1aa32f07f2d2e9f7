// What routers hold across daemons — hosts, entrypoints, ports, certificates — decided together.
// A router refused for any of them gives up all its claims and the contest runs again without
// it, so what it claimed goes to the next claimant in age order: only routers that pass every
// check hold anything. Refusals only ever remove routers, so the loop ends; one kind of refusal is
// looked for per round, because each one changes which routers the next kind should count.
// Each round is a whole contest, so there are at most MAX_OWNERSHIP_ROUNDS: past them, routers
// refused in the last round give up what they claimed to nobody (only a cascade built on purpose
// across many daemons gets there), and the cost stays a few contests whatever the labels.

import { listed } from '../model/diagnostics.ts';
import { MAX_OWNERSHIP_ROUNDS } from '../model/limits.ts';
import { own, ownObject, type ConfigObject } from '../traefik/config.ts';
import { resolveClaims, type TenantClaims } from './claims.ts';
import { overCertificateQuota, planCertificates } from './certificates.ts';
import type { RenderOptions } from './options.ts';
import type { HeldClaim } from './held-claims.ts';
import { portShortfall, portsOverQuota, type AcceptedClaim, type ClaimRefusal, type PortContext } from './port-assignment.ts';
import { tlsDomains, type RouterClaim } from './router-rules.ts';
import { liveClaims, refuseClaim, type TenantBuild } from './tenant-build.ts';

interface Round {
  readonly accepted: readonly AcceptedClaim[];
  readonly ownedHosts: ReadonlyMap<string, ReadonlySet<string>>;
}

/** How many rounds refused something, and the daemons whose routers they refused (see IncrementalRender). */
export interface OwnershipRounds {
  readonly refusing: number;
  readonly daemons: ReadonlySet<string>;
}

/** `held`: claims of files (the operator's, kept fragments), which come before every contest. */
export function resolveOwnership(builds: readonly TenantBuild[], options: RenderOptions, held: readonly HeldClaim[], ports: PortContext): OwnershipRounds {
  const byId = new Map(builds.map((b) => [b.daemon.id, b]));
  const excluded = new Map<RouterClaim, ClaimRefusal & { readonly tenantId: string }>();
  let refusing = 0;
  for (let round = 1; ; round++) {
    // Loops, not chains of filter and map: every claim of every daemon passes here each round.
    const tenants: TenantClaims[] = [];
    for (let i = 0; i < builds.length; i++) {
      const build = builds[i] as TenantBuild;
      if (!build.tenant) continue;
      const live = liveClaims(build);
      tenants.push({ tenantId: build.daemon.id, claims: excluded.size === 0 ? live : live.filter((claim) => !excluded.has(claim)) });
    }
    const outcome = resolveClaims(tenants, options.baseDomain, held, options.reservedDaemonIds);
    const refused = new Set(outcome.refusals.map((r) => r.claim));
    const accepted: AcceptedClaim[] = [];
    for (let t = 0; t < tenants.length; t++) {
      const { tenantId, claims } = tenants[t] as TenantClaims;
      for (let c = 0; c < claims.length; c++) {
        const claim = claims[c] as RouterClaim;
        if (refused.size === 0 || !refused.has(claim)) accepted.push({ tenantId, claim });
      }
    }
    const contest: Round = { accepted, ownedHosts: outcome.ownedHosts };
    const found = firstNonEmpty([
      () => foreignCertificates(contest),
      () => certificatesOverQuota(contest, options),
      () => portsOverQuota(accepted, options.maxPortsPerDaemon),
      () => portShortfall(accepted, ports, options),
    ]);
    if (found.size > 0) {
      refusing++;
      const tenantOf = new Map(accepted.map(({ tenantId, claim }) => [claim, tenantId]));
      for (const [claim, refusal] of found) excluded.set(claim, { ...refusal, tenantId: tenantOf.get(claim) as string });
      if (round < MAX_OWNERSHIP_ROUNDS) continue;
    }
    for (const refusal of outcome.refusals) refuseClaim(byId.get(refusal.tenantId) as TenantBuild, refusal.claim, refusal.code, refusal.reason);
    for (const [claim, refusal] of excluded) refuseClaim(byId.get(refusal.tenantId) as TenantBuild, claim, refusal.code, refusal.reason);
    // Planned once, for the routers that hold their hosts: no plan is kept for every router of every round.
    for (let i = 0; i < accepted.length; i++) {
      const { claim } = accepted[i] as AcceptedClaim;
      const domains = planCertificates(claim, options).domains;
      const tls = ownObject(claim.resource.value, 'tls');
      if (domains && tls) tls['domains'] = domains;
    }
    return { refusing, daemons: new Set([...excluded.values()].map((refusal) => refusal.tenantId)) };
  }
}

function firstNonEmpty(steps: readonly (() => Map<RouterClaim, ClaimRefusal>)[]): Map<RouterClaim, ClaimRefusal> {
  for (const step of steps) {
    const found = step();
    if (found.size > 0) return found;
  }
  return new Map();
}

/** Certificates (`tls.domains`) only for hosts the daemon's routers own. */
function foreignCertificates(round: Round): Map<RouterClaim, ClaimRefusal> {
  const out = new Map<RouterClaim, ClaimRefusal>();
  for (let i = 0; i < round.accepted.length; i++) {
    const { tenantId, claim } = round.accepted[i] as AcceptedClaim;
    // Most routers name no `tls.domains` (their certificate is for their rule's hosts): nothing to list.
    if (claim.section === 'udp.routers' || !namesDomains(claim.resource.value)) continue;
    const owned = round.ownedHosts.get(tenantId);
    const foreign = tlsDomains(claim.resource.value).filter((domain) => owned === undefined || !owned.has(domain));
    if (foreign.length === 0) continue;
    out.set(claim, { code: 'tls-domain-refused', reason: `it requests certificates for ${listed(foreign)}, which this daemon's routers do not own` });
  }
  return out;
}

function namesDomains(router: ConfigObject): boolean {
  const domains = own(ownObject(router, 'tls'), 'domains');
  return Array.isArray(domains) && domains.length > 0;
}

function certificatesOverQuota(round: Round, options: RenderOptions): Map<RouterClaim, ClaimRefusal> {
  const byTenant = new Map<string, RouterClaim[]>();
  for (let i = 0; i < round.accepted.length; i++) {
    const { tenantId, claim } = round.accepted[i] as AcceptedClaim;
    // Auto-routes do not count (overCertificateQuota): a daemon of auto-routes only is not grouped.
    if (claim.resource.autoRoute) continue;
    const claims = byTenant.get(tenantId);
    if (claims) claims.push(claim);
    else byTenant.set(tenantId, [claim]);
  }
  const out = new Map<RouterClaim, ClaimRefusal>();
  byTenant.forEach((claims) => {
    for (const [claim, reason] of overCertificateQuota(claims, options)) out.set(claim, { code: 'cert-quota', reason });
  });
  return out;
}
