// Traefik v3 router rules: parsed and checked exactly as Traefik builds a router, so route-server
// never writes a router Traefik would disable, and shaped for the host-ownership checks.
import { canonicalHost } from '../model/host-name.ts';
import { formatGoString } from './go-string.ts';
import { type DaemonRegexpBudget, RegexpBudget } from './go-regexp.ts';
import {
  HTTP_MATCHERS_V3,
  type MatcherArg,
  type MatcherSet,
  TCP_MATCHERS_V3,
  checkRuleArgs,
  matcherSpellings,
} from './rules-matchers.ts';
import { type Matcher, type RuleLimit, type RuleTree, clip, parseRuleSyntax } from './rules-syntax.ts';
import { HTTP_MATCHERS_V2, TCP_MATCHERS_V2 } from './rules-v2.ts';

export type { Matcher, RuleTree } from './rules-syntax.ts';

export type RuleProtocol = 'http' | 'tcp';
export type RuleSyntax = 'v2' | 'v3';

export type RuleParse =
  | { readonly ok: true; readonly tree: RuleTree; readonly syntax: RuleSyntax }
  | { readonly ok: false; readonly error: string; readonly limit?: RuleLimit };

/** Traefik uses v2 only for exactly `v2`; any other value (empty, `v1`, `V2`) means v3. */
export function ruleSyntaxOf(syntax: string | undefined): RuleSyntax {
  return syntax === 'v2' ? 'v2' : 'v3';
}

const MATCHER_SETS: Readonly<Record<RuleProtocol, Readonly<Record<RuleSyntax, MatcherSet>>>> = {
  http: { v2: HTTP_MATCHERS_V2, v3: HTTP_MATCHERS_V3 },
  tcp: { v2: TCP_MATCHERS_V2, v3: TCP_MATCHERS_V3 },
};

/**
 * Parses and checks `rule` for an HTTP or TCP router. `syntax` is the router's `ruleSyntax`
 * (Traefik's default when absent is the static `core.defaultRuleSyntax`, normally v3).
 * `daemonBudget` bounds the regexp work of all rules of one daemon together.
 */
export function parseRule(rule: string, protocol: RuleProtocol, syntax?: string, daemonBudget?: DaemonRegexpBudget): RuleParse {
  const ruleSyntax = ruleSyntaxOf(syntax);
  const matchers = MATCHER_SETS[protocol][ruleSyntax];
  // The tree comes with canonical names: predicate resolves every name before Traefik checks any argument.
  const parsed = parseRuleSyntax(rule, matcherSpellings(matchers));
  if (!parsed.ok) return parsed;
  const budget = new RegexpBudget(daemonBudget);
  let limit: RuleLimit | undefined;
  const error = firstProblem(parsed.tree, (matcher) => {
    const notUtf8 = parsed.notUtf8?.get(matcher);
    const args = matcher.args.map((value, index): MatcherArg => ({ value, validUtf8: notUtf8?.has(index) !== true }));
    const missing = checkRuleArgs(matcher.name, args);
    if (missing !== undefined) return missing;
    const error = matchers.get(matcher.name)?.(args, budget);
    if (error === undefined) return undefined;
    if (budget.daemonExhausted) limit = 'daemon-regexp-budget';
    return clip(`${matcher.name}: ${error}`, 500);
  });
  if (error === undefined) return { ok: true, tree: parsed.tree, syntax: ruleSyntax };
  return limit === undefined ? { ok: false, error } : { ok: false, error, limit };
}

/** The first complaint `check` makes about the tree's matchers, taken left to right as Traefik builds them. */
function firstProblem(tree: RuleTree, check: (matcher: Matcher) => string | undefined): string | undefined {
  if (tree.kind === 'matcher') return check(tree.matcher);
  return firstProblem(tree.left, check) ?? firstProblem(tree.right, check);
}

/** Most alternatives ruleBranches expands a rule into before giving up. */
export const MAX_BRANCHES = 256;

/**
 * Disjunctive normal form: each branch lists matchers that must all hold; the rule matches when
 * any branch does. Refuses to expand past MAX_BRANCHES (`(a||b) && (c||d) && …` doubles each time).
 */
export function ruleBranches(tree: RuleTree): { readonly branches: Matcher[][] } | { readonly error: string } {
  const branches = expand(tree);
  return branches === undefined ? { error: `rule expands to more than ${MAX_BRANCHES} alternatives` } : { branches };
}

function expand(tree: RuleTree): Matcher[][] | undefined {
  if (tree.kind === 'matcher') return [[tree.matcher]];
  const left = expand(tree.left);
  const right = left && expand(tree.right);
  if (left === undefined || right === undefined) return undefined;
  if (tree.kind === 'or') return left.length + right.length > MAX_BRANCHES ? undefined : [...left, ...right];
  if (left.length * right.length > MAX_BRANCHES) return undefined;
  return left.flatMap((l) => right.map((r) => [...l, ...r]));
}

export function formatMatcher(matcher: Matcher): string {
  return `${matcher.negated ? '!' : ''}${matcher.name}(${matcher.args.map(formatGoString).join(', ')})`;
}

/**
 * The tree back as rule text, for messages. Parsing it again yields the same tree, except for
 * arguments that held non-UTF-8 bytes (printed with U+FFFD).
 */
export function formatRule(tree: RuleTree): string {
  if (tree.kind === 'matcher') return formatMatcher(tree.matcher);
  // `&&` binds tighter than `||`; a same-operator right operand needs parentheses to keep its shape.
  const operand = (side: RuleTree, isRight: boolean): string =>
    side.kind !== 'matcher' && (side.kind === 'or' && tree.kind === 'and' || (isRight && side.kind === tree.kind))
      ? `(${formatRule(side)})`
      : formatRule(side);
  return `${operand(tree.left, false)} ${tree.kind === 'and' ? '&&' : '||'} ${operand(tree.right, true)}`;
}

export interface RuleHosts {
  /** Literal host names over all branches, in canonical form (model/host-name.ts). */
  readonly hosts: readonly string[];
  /** Wildcard patterns (`*.example.com`) the rule claims positively, in canonical form. */
  readonly wildcards: readonly string[];
  /** Regular expressions of positive `HostRegexp` (HTTP) or `HostSNIRegexp` (TCP) matchers, as written. */
  readonly patterns: readonly string[];
  /** True when every branch has a positive literal host (not `*`, not `*.x`): the rule cannot match a host outside `hosts`. */
  readonly bounded: boolean;
  /** Why not bounded, for a diagnostic. */
  readonly reason?: string;
  /**
   * True when some branch binds no host at all (no positive Host/HostSNI other than `*`). For TCP
   * such a router takes its entrypoint whole.
   */
  readonly catchAll: boolean;
}

const HOST_MATCHERS: Readonly<Record<RuleProtocol, readonly string[]>> = { http: ['Host', 'HostHeader'], tcp: ['HostSNI'] };
const HOST_PATTERN_MATCHERS: Readonly<Record<RuleProtocol, readonly string[]>> = { http: ['HostRegexp'], tcp: ['HostSNIRegexp'] };

// Judged on the canonical form: ` *.example.com` matches no request, but Traefik's ACME client
// trims it into a wildcard certificate request.
const isWildcard = (arg: string): boolean => canonicalHost(arg).startsWith('*');

/** A positive Host/HostSNI (per protocol): the matchers that bind a router to hosts. */
const claimsHost = (m: Matcher, protocol: RuleProtocol): boolean => !m.negated && HOST_MATCHERS[protocol].includes(m.name);

/** What binds a branch, per protocol, made once (a rule is checked for every router): */
const BINDS: Readonly<Record<RuleProtocol, { readonly literal: (m: Matcher) => boolean; readonly some: (m: Matcher) => boolean }>> = {
  http: { literal: (m) => claimsHost(m, 'http') && !m.args.some(isWildcard), some: (m) => claimsHost(m, 'http') && !m.args.includes('*') },
  tcp: { literal: (m) => claimsHost(m, 'tcp') && !m.args.some(isWildcard), some: (m) => claimsHost(m, 'tcp') && !m.args.includes('*') },
};

/** The hosts a rule binds to: positive `Host` (HTTP) or `HostSNI` (TCP) literals. */
export function ruleHosts(tree: RuleTree, protocol: RuleProtocol): RuleHosts {
  const patternNames = HOST_PATTERN_MATCHERS[protocol];
  let hosts: string[] | undefined;
  let wildcards: string[] | undefined;
  let patterns: string[] | undefined;
  forEachMatcher(tree, (matcher) => {
    if (!matcher.negated && patternNames.includes(matcher.name)) for (const arg of matcher.args) patterns = append(patterns, arg);
    if (!claimsHost(matcher, protocol)) return;
    for (const arg of matcher.args) {
      const host = canonicalHost(arg);
      if (arg === '*' || host === '') continue;
      if (host.startsWith('*')) wildcards = append(wildcards, host);
      else hosts = append(hosts, host);
    }
  });
  const binds = BINDS[protocol];
  // A literal branch: every branch has a positive literal host (not `*`, not `*.x`).
  const bounded = !hasBranchWithout(tree, binds.literal);
  const found = {
    hosts: uniqueSorted(hosts),
    wildcards: uniqueSorted(wildcards),
    patterns: uniqueSorted(patterns),
    catchAll: hasBranchWithout(tree, binds.some),
    bounded,
  };
  return bounded ? found : { ...found, reason: unboundedReason(branchWithout(tree, binds.literal) ?? [], protocol) };
}

/** A list made on first use: most here hold one item, which a literal holds in one slot (a pushed [] reserves 17). */
function append<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}

/** A list's distinct items in UTF-16 order, sorted in place (most lists here hold one host or none). */
function uniqueSorted(list: string[] | undefined): readonly string[] {
  if (list === undefined) return NO_STRINGS;
  if (list.length < 2) return list;
  list.sort();
  let kept = 1;
  for (let i = 1; i < list.length; i++) if (list[i] !== list[kept - 1]) list[kept++] = list[i] as string;
  list.length = kept;
  return list;
}

/** The matcher whose hosts Traefik collects from a rule for certificates and TLS options. */
const CERTIFICATE_HOST_MATCHER: Readonly<Record<RuleProtocol, string>> = { http: 'Host', tcp: 'HostSNI' };

/**
 * `Host` (HTTP) or `HostSNI` (TCP) matchers under a `!`. Traefik's ACME provider and its per-host
 * choice of TLS options collect hosts from the rule without looking at `!` (muxer ParseDomains and
 * ParseHostSNI, rules.Tree.ParseMatchers), so a negated host still asks for a certificate.
 */
export function negatedHostMatchers(tree: RuleTree, protocol: RuleProtocol): readonly Matcher[] {
  return collectNegated(tree, CERTIFICATE_HOST_MATCHER[protocol], undefined) ?? NO_MATCHERS;
}

/** Adds the tree's negated `name` matchers to `into`, left to right; a list is made only for the first one. */
function collectNegated(tree: RuleTree, name: string, into: Matcher[] | undefined): Matcher[] | undefined {
  if (tree.kind !== 'matcher') return collectNegated(tree.right, name, collectNegated(tree.left, name, into));
  return tree.matcher.negated && tree.matcher.name === name ? append(into, tree.matcher) : into;
}

// What almost every rule has under a `!`, and as wildcards and patterns: one shared list each.
const NO_MATCHERS: readonly Matcher[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = Object.freeze([]);

/** The tree's matchers left to right, walked in place: every router's rule is read this way. */
function forEachMatcher(tree: RuleTree, visit: (matcher: Matcher) => void): void {
  if (tree.kind === 'matcher') return visit(tree.matcher);
  forEachMatcher(tree.left, visit);
  forEachMatcher(tree.right, visit);
}

/**
 * Whether some DNF branch has no matcher satisfying `binds`. Computed on the tree (an `and` is
 * covered when either side is, an `or` when both are), so it never expands the DNF.
 */
function hasBranchWithout(tree: RuleTree, binds: (matcher: Matcher) => boolean): boolean {
  if (tree.kind === 'matcher') return !binds(tree.matcher);
  if (tree.kind === 'or') return hasBranchWithout(tree.left, binds) || hasBranchWithout(tree.right, binds);
  return hasBranchWithout(tree.left, binds) && hasBranchWithout(tree.right, binds);
}

/**
 * A DNF branch none of whose matchers satisfies `binds` (the first hasBranchWithout finds), or
 * undefined when every branch has one. Matchers are collected in one list, so a long `&&` chain
 * costs linear time.
 */
function branchWithout(tree: RuleTree, binds: (matcher: Matcher) => boolean): Matcher[] | undefined {
  const branch: Matcher[] = [];
  return collectUnbound(tree, binds, branch) ? branch : undefined;
}

/** Appends an unbound branch's matchers to `into` and returns true, or leaves `into` as it was. */
function collectUnbound(tree: RuleTree, binds: (matcher: Matcher) => boolean, into: Matcher[]): boolean {
  if (tree.kind === 'matcher') {
    if (binds(tree.matcher)) return false;
    into.push(tree.matcher);
    return true;
  }
  if (tree.kind === 'or') return collectUnbound(tree.left, binds, into) || collectUnbound(tree.right, binds, into);
  const mark = into.length;
  if (collectUnbound(tree.left, binds, into) && collectUnbound(tree.right, binds, into)) return true;
  into.length = mark;
  return false;
}

function unboundedReason(branch: readonly Matcher[], protocol: RuleProtocol): string {
  const hostNames = HOST_MATCHERS[protocol];
  for (const matcher of branch) {
    const isPattern = HOST_PATTERN_MATCHERS[protocol].includes(matcher.name);
    if (!hostNames.includes(matcher.name) && !isPattern) continue;
    if (matcher.negated) return `negated ${matcher.name} does not bind a host`;
    if (isPattern) return `${matcher.name} is not a literal host`;
    if (matcher.args.includes('*')) return `${formatMatcher(matcher)} matches every host`;
    return `${formatMatcher(matcher)} is a wildcard, not a literal host`;
  }
  return `branch \`${branch.map(formatMatcher).join(' && ')}\` has no ${hostNames[0]}`;
}
