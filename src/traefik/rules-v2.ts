// The v2 matchers (`ruleSyntax: v2`), pkg/muxer/http/matcher_v2.go and pkg/muxer/tcp/matcher_v2.go.
// Most take several arguments and hand them to gorilla/mux (Traefik's fork, containous/mux), whose
// `{name:pattern}` templates become regexps; a template mux cannot build disables the router.
import { type RegexpBudget, checkGoRegexp, quoteGoRegexpMeta } from './go-regexp.ts';
import {
  ACME_TLS_ALPN,
  type MatcherArg,
  type MatcherCheck,
  type MatcherSet,
  checkClientIP,
  isAscii,
  quote,
} from './rules-matchers.ts';

type TemplateKind = 'host' | 'path' | 'prefix' | 'query';

interface TemplateOptions {
  readonly kind: TemplateKind;
  /** mux compiles each variable's pattern on its own too; Traefik's HostSNIRegexp copy does not. */
  readonly compileVariables: boolean;
}

const DEFAULT_VARIABLE_PATTERN: Readonly<Record<TemplateKind, string>> = {
  host: '[^.]+',
  path: '[^/]+',
  prefix: '[^/]+',
  query: '.*',
};

/** mux's braceIndices: start and end of every top-level `{…}`, or undefined when unbalanced. */
function braceIndices(template: string): number[] | undefined {
  const indices: number[] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '{' && ++level === 1) start = i;
    if (template[i] === '}') {
      if (--level === 0) indices.push(start, i + 1);
      else if (level < 0) return undefined;
    }
  }
  return level === 0 ? indices : undefined;
}

/** mux's newRouteRegexp: builds the template's regexp; returns its variable names or the error. */
function checkTemplate(
  template: MatcherArg,
  options: TemplateOptions,
  budget: RegexpBudget,
): { error: string } | { variables: string[] } {
  const text = template.value;
  const indices = braceIndices(text);
  if (indices === undefined) return { error: `mux: unbalanced braces in ${quote(text)}` };
  const variables: string[] = [];
  let pattern = options.kind === 'host' ? '(?i)^' : '^';
  let end = 0;
  for (let i = 0; i < indices.length; i += 2) {
    const open = indices[i] as number;
    const raw = text.slice(end, open);
    end = indices[i + 1] as number;
    const inner = text.slice(open + 1, end - 1);
    const colon = inner.indexOf(':');
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const variablePattern = colon < 0 ? DEFAULT_VARIABLE_PATTERN[options.kind] : inner.slice(colon + 1);
    if (name === '' || variablePattern === '') {
      return { error: `mux: missing name or pattern in ${quote(text.slice(open, end))}` };
    }
    pattern += `${quoteGoRegexpMeta(raw)}(?P<v${i / 2}>${variablePattern})`;
    variables.push(name);
    if (options.compileVariables) {
      const error = checkGoRegexp(`^${variablePattern}$`, template.validUtf8, budget);
      if (error !== undefined) return { error };
    }
  }
  pattern += quoteGoRegexpMeta(text.slice(end));
  // A query template with an empty value matches any value.
  if (options.kind === 'query' && text.slice(text.indexOf('=') + 1) === '') pattern += DEFAULT_VARIABLE_PATTERN.query;
  if (options.kind !== 'prefix') pattern += '$';
  const error = checkGoRegexp(pattern, template.validUtf8, budget);
  return error === undefined ? { variables } : { error };
}

function checkTemplates(args: readonly MatcherArg[], kind: 'path' | 'prefix', budget: RegexpBudget): string | undefined {
  for (const arg of args) {
    if (!arg.value.startsWith('/')) return `mux: path must start with a slash, got ${quote(arg.value)}`;
    const built = checkTemplate(arg, { kind, compileVariables: true }, budget);
    if ('error' in built) return built.error;
  }
  return undefined;
}

function checkPairs(args: readonly MatcherArg[]): string | undefined {
  if (args.length % 2 === 0) return undefined;
  return `mux: number of parameters must be multiple of 2, got [${args.map((arg) => arg.value).join(' ')}]`;
}

/** queryV2: every `key=value` argument is split at its first `=`, then paired up again. */
function checkQueries(args: readonly MatcherArg[], budget: RegexpBudget): string | undefined {
  const parts = args.flatMap((arg) => {
    const equals = arg.value.indexOf('=');
    if (equals < 0) return [arg];
    return [{ ...arg, value: arg.value.slice(0, equals) }, { ...arg, value: arg.value.slice(equals + 1) }];
  });
  const odd = checkPairs(parts);
  if (odd !== undefined) return odd;
  const seen = new Set<string>();
  for (let i = 0; i < parts.length; i += 2) {
    const key = parts[i] as MatcherArg;
    const value = parts[i + 1] as MatcherArg;
    const template = { value: `${key.value}=${value.value}`, validUtf8: key.validUtf8 && value.validUtf8 };
    const built = checkTemplate(template, { kind: 'query', compileVariables: true }, budget);
    if ('error' in built) return built.error;
    // mux refuses a variable name already used by an earlier query of the same route.
    const duplicate = built.variables.find((name) => seen.has(name));
    if (duplicate !== undefined) return `mux: duplicated route variable ${quote(duplicate)}`;
    for (const name of built.variables) seen.add(name);
  }
  return undefined;
}

function everyArg(check: (arg: MatcherArg) => string | undefined): MatcherCheck {
  return (args) => {
    for (const arg of args) {
      const error = check(arg);
      if (error !== undefined) return error;
    }
    return undefined;
  };
}

const checkHostV2 = everyArg((arg) =>
  isAscii(arg) ? undefined : `invalid value ${quote(arg.value)} for "Host" matcher, non-ASCII characters are not allowed`,
);

export const HTTP_MATCHERS_V2: MatcherSet = new Map<string, MatcherCheck>([
  ['Host', checkHostV2],
  ['HostHeader', checkHostV2],
  [
    'HostRegexp',
    (args, budget) => {
      for (const arg of args) {
        if (!isAscii(arg)) return `invalid value ${quote(arg.value)} for HostRegexp matcher, non-ASCII characters are not allowed`;
        const built = checkTemplate(arg, { kind: 'host', compileVariables: true }, budget);
        if ('error' in built) return built.error;
      }
      return undefined;
    },
  ],
  ['ClientIP', everyArg((arg) => checkClientIP(arg))],
  ['Path', (args, budget) => checkTemplates(args, 'path', budget)],
  ['PathPrefix', (args, budget) => checkTemplates(args, 'prefix', budget)],
  ['Method', () => undefined],
  ['Headers', checkPairs],
  [
    'HeadersRegexp',
    (args, budget) => {
      const odd = checkPairs(args);
      if (odd !== undefined) return odd;
      // Only the values are regexps; the keys are header names.
      for (let i = 1; i < args.length; i += 2) {
        const value = args[i] as MatcherArg;
        const error = checkGoRegexp(value.value, value.validUtf8, budget);
        if (error !== undefined) return error;
      }
      return undefined;
    },
  ],
  ['Query', checkQueries],
]);

// [[:word:]] is ASCII [0-9A-Za-z_]; v2 has no `*.` wildcard form.
const HOST_SNI_V2 = /^[0-9A-Za-z_.\-:]+$/;

export const TCP_MATCHERS_V2: MatcherSet = new Map<string, MatcherCheck>([
  [
    'ALPN',
    everyArg((arg) =>
      arg.value === ACME_TLS_ALPN ? `invalid protocol value for "ALPN" matcher, ${quote(arg.value)} is not allowed` : undefined,
    ),
  ],
  ['ClientIP', everyArg((arg) => checkClientIP(arg))],
  [
    'HostSNI',
    everyArg((arg) =>
      arg.value === '*' || HOST_SNI_V2.test(arg.value)
        ? undefined
        : `invalid value for "HostSNI" matcher, ${quote(arg.value)} is not a valid hostname or IP`,
    ),
  ],
  [
    'HostSNIRegexp',
    (args, budget) => {
      for (const arg of args) {
        const built = checkTemplate(arg, { kind: 'host', compileVariables: false }, budget);
        if ('error' in built) {
          // Template errors are wrapped by Traefik; regexp errors come as they are.
          if (!built.error.startsWith('mux:')) return built.error;
          return `invalid pattern value for "HostSNIRegexp" matcher, ${quote(arg.value)} is not a valid pattern: ${built.error}`;
        }
      }
      return undefined;
    },
  ],
]);
