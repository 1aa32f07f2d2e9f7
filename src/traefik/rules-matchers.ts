// The v3 matchers of Traefik's HTTP and TCP muxers (pkg/muxer/http/matcher.go,
// pkg/muxer/tcp/matcher.go) and the checks they make when a router is built. A failing check makes
// Traefik disable the router, so each check here refuses exactly what Traefik refuses.
import { isGoCIDR, isGoIP } from './go-ip.ts';
import { checkGoRegexp, type RegexpBudget } from './go-regexp.ts';

export interface MatcherArg {
  readonly value: string;
  readonly validUtf8: boolean;
}

/** Checks a call's arguments; returns Traefik's complaint, or undefined when the matcher builds. */
export type MatcherCheck = (args: readonly MatcherArg[], budget: RegexpBudget) => string | undefined;

/** Canonical matcher name → its check. */
export type MatcherSet = ReadonlyMap<string, MatcherCheck>;

// Every call of every rule is resolved: the spellings of a set are listed once (the first matcher
// that registers a spelling keeps it, as the scan in registration order did).
const spellings = new WeakMap<MatcherSet, ReadonlyMap<string, string>>();

/**
 * Each spelling of the set's matcher names → the canonical name. rules.NewParser registers each
 * matcher under its canonical name, all-lowercase, all-uppercase and Title-case of the lowercase
 * (`HostSNI`, `hostsni`, `HOSTSNI`, `Hostsni`); nothing else resolves.
 */
export function matcherSpellings(matchers: MatcherSet): ReadonlyMap<string, string> {
  let known = spellings.get(matchers);
  if (!known) {
    const built = new Map<string, string>();
    for (const name of matchers.keys()) {
      const lower = name.toLowerCase();
      for (const spelling of [name, lower, name.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)]) {
        if (!built.has(spelling)) built.set(spelling, name);
      }
    }
    known = built;
    spellings.set(matchers, known);
  }
  return known;
}

/** rules.CheckRule, run before any matcher-specific check. */
export function checkRuleArgs(name: string, args: readonly MatcherArg[]): string | undefined {
  if (args.length === 0) return `no args for matcher ${name}`;
  if (args.some((arg) => arg.value === '')) return `empty args for matcher ${name}`;
  return undefined;
}

/** Go's %q, clipped so that a hostile argument cannot bloat a diagnostic. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

const ASCII = /^[\x00-\x7f]*$/;

/** muxer.IsASCII works on bytes; a non-UTF-8 byte decodes to U+FFFD, which is not ASCII either. */
export function isAscii(arg: MatcherArg): boolean {
  return ASCII.test(arg.value);
}

/** ip.NewChecker: each value is tried as net.ParseIP, then as net.ParseCIDR. */
export function checkClientIP(arg: MatcherArg): string | undefined {
  return isGoIP(arg.value) || isGoCIDR(arg.value) ? undefined : `${quote(arg.value)} is not an IP address or a CIDR range`;
}

export function checkRegexp(arg: MatcherArg, budget: RegexpBudget): string | undefined {
  return checkGoRegexp(arg.value, arg.validUtf8, budget);
}

/** The argument count check of the HTTP muxer (`expectNParameters`). */
function httpArity(counts: readonly number[], check: MatcherCheck): MatcherCheck {
  return (args, budget) =>
    counts.includes(args.length)
      ? check(args, budget)
      : `unexpected number of parameters; got ${args.length}, expected one of [${counts.join(' ')}]`;
}

/** The argument count check of the TCP muxer (`expect1Parameter`). */
function tcpSingle(check: (arg: MatcherArg, budget: RegexpBudget) => string | undefined): MatcherCheck {
  return (args, budget) =>
    args.length === 1 && args[0] !== undefined
      ? check(args[0], budget)
      : `unexpected number of parameters; got ${args.length}, expected 1`;
}

const first = (args: readonly MatcherArg[]): MatcherArg => args[0] as MatcherArg;
const second = (args: readonly MatcherArg[]): MatcherArg => args[1] as MatcherArg;

function checkPathStart(arg: MatcherArg): string | undefined {
  return arg.value.startsWith('/') ? undefined : `path ${quote(arg.value)} does not start with a '/'`;
}

const accept: MatcherCheck = () => undefined;

export const HTTP_MATCHERS_V3: MatcherSet = new Map<string, MatcherCheck>([
  ['ClientIP', httpArity([1], (args) => checkClientIP(first(args)))],
  ['Method', httpArity([1], accept)],
  [
    'Host',
    httpArity([1], (args) =>
      first(args).value === '*' || isAscii(first(args))
        ? undefined
        : `invalid value ${quote(first(args).value)} for Host matcher, non-ASCII characters are not allowed`,
    ),
  ],
  [
    'HostRegexp',
    httpArity([1], (args, budget) =>
      isAscii(first(args))
        ? checkRegexp(first(args), budget)
        : `invalid value ${quote(first(args).value)} for HostRegexp matcher, non-ASCII characters are not allowed`,
    ),
  ],
  ['Path', httpArity([1], (args) => checkPathStart(first(args)))],
  ['PathRegexp', httpArity([1], (args, budget) => checkRegexp(first(args), budget))],
  ['PathPrefix', httpArity([1], (args) => checkPathStart(first(args)))],
  ['Header', httpArity([2], accept)],
  ['HeaderRegexp', httpArity([2], (args, budget) => checkRegexp(second(args), budget))],
  ['Query', httpArity([1, 2], accept)],
  [
    'QueryRegexp',
    // With one argument QueryRegexp is Query: the key alone, no regexp.
    httpArity([1, 2], (args, budget) => (args.length === 2 ? checkRegexp(second(args), budget) : undefined)),
  ],
]);

/** The TLS-ALPN-01 challenge protocol: Traefik keeps it for its ACME client. */
export const ACME_TLS_ALPN = 'acme-tls/1';

// [[:word:]] is ASCII [0-9A-Za-z_]; Go's `$` without (?m) is the end of the text, like JavaScript's.
const HOST_SNI = /^(\*\.)?[0-9A-Za-z_.\-:]+$/;

export const TCP_MATCHERS_V3: MatcherSet = new Map<string, MatcherCheck>([
  [
    'ALPN',
    tcpSingle((arg) =>
      arg.value === ACME_TLS_ALPN ? `invalid protocol value for ALPN matcher, ${quote(arg.value)} is not allowed` : undefined,
    ),
  ],
  ['ClientIP', tcpSingle((arg) => checkClientIP(arg))],
  [
    'HostSNI',
    tcpSingle((arg) =>
      arg.value === '*' || HOST_SNI.test(arg.value)
        ? undefined
        : `invalid value for HostSNI matcher, ${quote(arg.value)} is not a valid hostname`,
    ),
  ],
  [
    'HostSNIRegexp',
    tcpSingle((arg, budget) =>
      isAscii(arg)
        ? checkRegexp(arg, budget)
        : `invalid value for HostSNIRegexp matcher, ${quote(arg.value)} is not a valid hostname`,
    ),
  ],
]);
