// Claims that come from files rather than from live containers: the operator's own files in the
// output directory reserve the hosts and whole entrypoints their routers take, and a fragment kept
// for a daemon that has not synced yet keeps that daemon's claims. Reading the files is the
// caller's business; this turns one decoded file into claims, the same way for both.

import { TEMPLATED } from '../traefik/dynamic-file.ts';
import { parseRule, ruleHosts, type RuleProtocol } from '../traefik/rules.ts';

export type ClaimHolder =
  | { readonly kind: 'operator'; readonly file: string }
  | { readonly kind: 'kept'; readonly daemon: string; readonly file: string; readonly renderFailed?: boolean };

export interface HeldClaim {
  readonly holder: ClaimHolder;
  readonly section: 'http.routers' | 'tcp.routers' | 'udp.routers';
  /** Router name as written in the file. */
  readonly router: string;
  /** Literal hosts, normalized like tenants' hosts. */
  readonly hosts: readonly string[];
  /**
   * Wildcard hosts (`*.example.com`, canonical): Traefik's Host and HostSNI match every name one
   * label below them, so those names are held too (a tenant's literal host would outrank them).
   */
  readonly wildcards?: readonly string[];
  /** `HostRegexp`/`HostSNIRegexp` expressions (v3 syntax, Go's RE2): the hosts they match are held too. */
  readonly patterns?: readonly string[];
  readonly entrypoints: readonly string[];
  /** A TCP catch-all or UDP router: it takes its entrypoints whole. */
  readonly whole: boolean;
}

export interface FileClaims {
  readonly claims: readonly HeldClaim[];
  /** Routers whose claims could not be read, in words (templated rules, rules Traefik disables). */
  readonly notes: readonly string[];
}

/** The same claims, in the same order (a render's outcome depends on them and nothing else of the files). */
export function sameHeldClaims(a: readonly HeldClaim[], b: readonly HeldClaim[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const holderKey = (claim: HeldClaim) => JSON.stringify(claim.holder);
  return a.every((claim, i) => {
    const other = b[i] as HeldClaim;
    return (
      claim === other ||
      (holderKey(claim) === holderKey(other) && claim.section === other.section && claim.router === other.router && claim.whole === other.whole &&
        sameStrings(claim.hosts, other.hosts) && sameStrings(claim.entrypoints, other.entrypoints))
    );
  });
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Who holds what, as a reason in a diagnostic. */
export function describeHolder(claim: HeldClaim): string {
  const { holder } = claim;
  if (holder.kind === 'operator') return `router ${claim.router} in the operator's file ${holder.file}`;
  const why = holder.renderFailed === true ? 'its render failed, so its last file stays' : 'the daemon has not synced yet';
  return `daemon ${holder.daemon} (router ${claim.router} in its kept file ${holder.file}; ${why})`;
}

/**
 * The routers of one decoded dynamic-configuration file. Traefik decodes field names without
 * regard to case, so `Rule` and `entrypoints` count too. A value holding the TEMPLATED mark came
 * from a template action route-server does not evaluate: that router is noted, not guessed.
 */
export function claimsOfFile(config: unknown, holder: ClaimHolder): FileClaims {
  const claims: HeldClaim[] = [];
  const notes: string[] = [];
  for (const protocol of ['http', 'tcp', 'udp'] as const) {
    const routers = field(field(config, protocol), 'routers');
    if (!isObject(routers)) continue;
    const section = `${protocol}.routers` as const;
    for (const [router, value] of Object.entries(routers)) {
      const entrypoints = strings(field(value, 'entryPoints'));
      const rule = field(value, 'rule');
      if (entrypoints.some(templated) || (typeof rule === 'string' && templated(rule))) {
        notes.push(`${section}.${router}: templated (Go template actions are not evaluated), its claims are not known`);
        continue;
      }
      if (protocol === 'udp') {
        claims.push({ holder, section, router, hosts: [], entrypoints, whole: true });
        continue;
      }
      const syntax = field(value, 'ruleSyntax');
      const parsed = parseRule(typeof rule === 'string' ? rule : '', protocol as RuleProtocol, typeof syntax === 'string' ? syntax : undefined);
      if (!parsed.ok) {
        if (protocol === 'http' || rule !== undefined) {
          notes.push(`${section}.${router}: its rule does not parse (${parsed.error}); Traefik disables it`);
          continue;
        }
        // A TCP router without a rule is refused by Traefik too; nothing to claim.
        continue;
      }
      const bounds = ruleHosts(parsed.tree, protocol);
      const whole = protocol === 'tcp' && (bounds.catchAll || !bounds.bounded);
      if (whole && entrypoints.length === 0) {
        notes.push(`${section}.${router}: a catch-all on every default entrypoint; name its entrypoints so they can be reserved`);
      }
      // v2's HostRegexp takes `{name:re}` templates, not Go expressions: only v3 patterns are read.
      const patterns = parsed.syntax === 'v3' ? bounds.patterns : [];
      claims.push({ holder, section, router, hosts: bounds.hosts, wildcards: bounds.wildcards, patterns, entrypoints, whole });
    }
  }
  return { claims, notes };
}

function templated(text: string): boolean {
  return text.includes(TEMPLATED);
}

/** Case-insensitive own field, as Traefik's decoder matches field names. */
function field(value: unknown, name: string): unknown {
  if (!isObject(value)) return undefined;
  if (Object.prototype.hasOwnProperty.call(value, name)) return value[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(value)) if (key.toLowerCase() === lower) return value[key];
  return undefined;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
