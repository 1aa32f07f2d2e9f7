// Traefik v3 router rules: parsed and checked exactly as Traefik builds a router, so route-server
// never writes a router Traefik would disable, and shaped for the host-ownership checks.
import { canonicalHost } from '../model/host-name.ts';
import { formatGoString } from './go-string.ts';
import { type DaemonRegexpBudget, RegexpBudget } from './go-regexp.ts';
import {
  HTTP_MATCHERS_V3,
  type MatcherSet,
  TCP_MATCHERS_V3,
  canonicalMatcherName,
  checkRuleArgs,
} from './rules-matchers.ts';
import { type RuleCallTree, type RuleLimit, parseRuleSyntax } from './rules-syntax.ts';
import { HTTP_MATCHERS_V2, TCP_MATCHERS_V2 } from './rules-v2.ts';

export type RuleProtocol = 'http' | 'tcp';
export type RuleSyntax = 'v2' | 'v3';

export interface Matcher {
  /** Canonical name (`Host`, whatever case the rule used). */
  readonly name: string;
  /** Decoded Go string arguments. */
  readonly args: readonly string[];
  readonly negated: boolean;
}

/** The rule with every `!` pushed down to the matchers, as Traefik's rules.Tree holds it. */
export type RuleTree =
  | { readonly kind: 'and' | 'or'; readonly left: RuleTree; readonly right: RuleTree }
  | { readonly kind: 'matcher'; readonly matcher: Matcher };

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
  const parsed = parseRuleSyntax(rule);
  if (!parsed.ok) return parsed;
  // predicate resolves every function name while parsing, before Traefik checks any argument.
  const names = new Map<string, string>();
  for (const call of parsed.calls) {
    const name = canonicalMatcherName(matchers, call.name);
    if (name === undefined) return { ok: false, error: `unsupported function: ${clip(call.name, 100)}` };
    names.set(call.name, name);
  }
  const budget = new RegexpBudget(daemonBudget);
  for (const call of parsed.calls) {
    const name = names.get(call.name) as string;
    const args = call.args.map((value, index) => ({ value, validUtf8: call.argsUtf8[index] !== false }));
    const missing = checkRuleArgs(name, args);
    if (missing !== undefined) return { ok: false, error: missing };
    const error = matchers.get(name)?.(args, budget);
    if (error !== undefined) {
      const message = clip(`${name}: ${error}`, 500);
      return budget.daemonExhausted ? { ok: false, error: message, limit: 'daemon-regexp-budget' } : { ok: false, error: message };
    }
  }
  return { ok: true, tree: toRuleTree(parsed.tree, names), syntax: ruleSyntax };
}

/** Hostile rules must not make huge diagnostics. */
function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function toRuleTree(tree: RuleCallTree, names: ReadonlyMap<string, string>): RuleTree {
  if (tree.kind !== 'call') {
    return { kind: tree.kind, left: toRuleTree(tree.left, names), right: toRuleTree(tree.right, names) };
  }
  const { call } = tree;
  return { kind: 'matcher', matcher: { name: names.get(call.name) ?? call.name, args: call.args, negated: call.negated } };
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
  const hosts = new Set<string>();
  // Made when a rule has one (few do): this runs for every router.
  let wildcards: Set<string> | undefined;
  let patterns: Set<string> | undefined;
  for (const matcher of leaves(tree)) {
    if (!matcher.negated && patternNames.includes(matcher.name)) for (const arg of matcher.args) (patterns ??= new Set()).add(arg);
    if (!claimsHost(matcher, protocol)) continue;
    for (const arg of matcher.args) {
      const host = canonicalHost(arg);
      if (arg !== '*' && host !== '') (host.startsWith('*') ? (wildcards ??= new Set()) : hosts).add(host);
    }
  }
  // A literal branch: every branch has a positive literal host (not `*`, not `*.x`).
  const unbounded = branchWithout(tree, BINDS[protocol].literal);
  const unbound = branchWithout(tree, BINDS[protocol].some);
  return {
    hosts: sorted(hosts),
    wildcards: sorted(wildcards),
    patterns: sorted(patterns),
    catchAll: unbound !== undefined,
    bounded: unbounded === undefined,
    ...(unbounded === undefined ? {} : { reason: unboundedReason(unbounded, protocol) }),
  };
}

/** A set's items in UTF-16 order (most sets here hold one host or none). */
function sorted(set: ReadonlySet<string> | undefined): string[] {
  return set === undefined || set.size === 0 ? [] : [...set].sort();
}

/** The matcher whose hosts Traefik collects from a rule for certificates and TLS options. */
const CERTIFICATE_HOST_MATCHER: Readonly<Record<RuleProtocol, string>> = { http: 'Host', tcp: 'HostSNI' };

/**
 * `Host` (HTTP) or `HostSNI` (TCP) matchers under a `!`. Traefik's ACME provider and its per-host
 * choice of TLS options collect hosts from the rule without looking at `!` (muxer ParseDomains and
 * ParseHostSNI, rules.Tree.ParseMatchers), so a negated host still asks for a certificate.
 */
export function negatedHostMatchers(tree: RuleTree, protocol: RuleProtocol): Matcher[] {
  return leaves(tree).filter((m) => m.negated && m.name === CERTIFICATE_HOST_MATCHER[protocol]);
}

function leaves(tree: RuleTree, into: Matcher[] = []): Matcher[] {
  if (tree.kind === 'matcher') into.push(tree.matcher);
  else leaves(tree.right, leaves(tree.left, into));
  return into;
}

/**
 * A DNF branch none of whose matchers satisfies `binds`, or undefined when every branch has one.
 * Computed on the tree (an `and` is covered when either side is), so it never expands the DNF;
 * matchers are collected in one list, so a long `&&` chain costs linear time.
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
