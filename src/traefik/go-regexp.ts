// Whether Go's regexp.Compile accepts a pattern. re2js is a port of RE2J, Go's regexp parser in Java
// form: it refuses lookaround and backreferences and takes Go-only syntax (`(?P<n>x)`, `\pL`,
// `[[:alpha:]]`). Three gaps are bridged before re2js sees the pattern: Go allows a group name twice
// (re2js does not); `\p{…}` names follow Go 1.26, not re2js (go-regexp-unicode.ts); and re2js is
// slow to compile large programs, so hostile patterns are priced first and refused past a budget.
import { RE2JS } from 're2js';
import { isGoUnicodeClassName } from './go-regexp-unicode.ts';
import { MAX_DAEMON_REGEXP_INSTRUCTIONS, MAX_RULE_REGEXP_INSTRUCTIONS } from '../model/limits.ts';

/** How much regexp work one daemon's rules may still cause together. Create one per daemon and render. */
export class DaemonRegexpBudget {
  remaining = MAX_DAEMON_REGEXP_INSTRUCTIONS;
}

/** How much regexp work one rule may still cause. Create one per rule. */
export class RegexpBudget {
  remaining = MAX_RULE_REGEXP_INSTRUCTIONS;
  /** Set when a regexp was refused because the daemon's budget ran out (not the rule's). */
  daemonExhausted = false;

  constructor(readonly daemon?: DaemonRegexpBudget) {}
}

/** Returns Go's error for `pattern` (`error parsing regexp: …`), or undefined when it compiles. */
export function checkGoRegexp(pattern: string, validUtf8: boolean, budget: RegexpBudget): string | undefined {
  if (!validUtf8) return 'error parsing regexp: invalid UTF-8';
  const { size, compilable, error: nameError } = inspectPattern(pattern);
  if (nameError !== undefined) return nameError;
  if (size > budget.remaining) {
    return `regexp too large to check: about ${size} instructions, route-server allows ${MAX_RULE_REGEXP_INSTRUCTIONS} per rule`;
  }
  if (budget.daemon && size > budget.daemon.remaining) {
    budget.daemonExhausted = true;
    return `regexp not checked: this daemon's rules already use about ${MAX_DAEMON_REGEXP_INSTRUCTIONS - budget.daemon.remaining} of the ${MAX_DAEMON_REGEXP_INSTRUCTIONS} regexp instructions route-server checks per daemon, and this one needs about ${size}`;
  }
  budget.remaining -= size;
  if (budget.daemon) budget.daemon.remaining -= size;
  try {
    // The message may show the stand-ins (`(?P<g1>`, `\pL`) where the pattern was rewritten.
    RE2JS.compile(compilable);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * `pattern` as Go's MatchString runs it (a match anywhere in the text), or undefined when Go would
 * not compile it or it is larger than one rule's regexps may be.
 */
export function goRegexpTester(pattern: string): ((text: string) => boolean) | undefined {
  const { size, compilable, error } = inspectPattern(pattern);
  if (error !== undefined || size > MAX_RULE_REGEXP_INSTRUCTIONS) return undefined;
  try {
    const compiled = RE2JS.compile(compilable);
    return (text) => compiled.test(text);
  } catch {
    return undefined;
  }
}

/** Go's regexp.QuoteMeta. */
export function quoteGoRegexpMeta(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

interface Frame {
  total: number;
  last: number;
}

interface Inspection {
  readonly size: number;
  readonly compilable: string;
  readonly error?: string;
}

/** A piece of the pattern as re2js should see it, or the error Go would report for it. */
type Piece = { readonly end: number; readonly text: string; readonly weight: number } | { readonly error: string };

/**
 * One pass over the pattern's syntax: an upper estimate of the compiled size (like Go's calcSize,
 * `x{n}` costs n copies of x), and the pattern as re2js must see it to judge it like Go: every
 * group name unique, every `\p{…}` Go knows replaced by one re2js knows.
 */
function inspectPattern(pattern: string): Inspection {
  const stack: Frame[] = [{ total: 0, last: 0 }];
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const atom = (size: number): void => {
    top().total += size;
    top().last = size;
  };
  let compilable = '';
  let groups = 0;
  let i = 0;
  while (i < pattern.length) {
    const start = i;
    const c = pattern[i] as string;
    let text: string | undefined;
    if (c === '\\' && pattern[i + 1] === 'Q') {
      const close = pattern.indexOf('\\E', i + 2);
      i = close < 0 ? pattern.length : close + 2;
      atom(i - start);
    } else if (c === '\\' || c === '[') {
      const piece = c === '[' ? scanClass(pattern, i) : scanEscape(pattern, i);
      if ('error' in piece) return { size: 0, compilable, error: piece.error };
      ({ end: i, text } = piece);
      atom(piece.weight);
    } else if (c === '(') {
      stack.push({ total: 0, last: 0 });
      const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(pattern.slice(i, i + 300));
      i += named ? named[0].length : 1;
      if (named) text = `(?P<g${++groups}>`;
    } else if (c === ')') {
      const closed = stack.length > 1 ? (stack.pop() as Frame) : { total: 0, last: 0 };
      atom(closed.total + 2);
      i++;
    } else if (c === '|') {
      top().total += 1;
      top().last = 0;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      top().total += 2;
      i++;
    } else {
      const repeat = c === '{' ? /^\{([0-9]{1,9})(,([0-9]{0,9}))?\}/.exec(pattern.slice(i, i + 24)) : null;
      if (repeat) {
        const count = Math.max(1, Number(repeat[3] || repeat[1]));
        const before = top().last;
        top().total += before * (count - 1) + count;
        top().last = before * count;
        i += repeat[0].length;
      } else {
        i += c.length;
        atom(1);
      }
    }
    compilable += text ?? pattern.slice(start, i);
  }
  const size = stack.reduce((sum, frame) => sum + frame.total, 0);
  return { size: Math.min(size, Number.MAX_SAFE_INTEGER), compilable };
}

/** The escape at `i`: `\p{…}`/`\pX` classes (checked against Go's names), `\x{…}`, single characters. */
function scanEscape(pattern: string, i: number): Piece {
  const letter = pattern[i + 1];
  if (letter === 'p' || letter === 'P') return scanUnicodeClass(pattern, i, letter);
  let end: number;
  if (letter === 'x' && pattern[i + 2] === '{') {
    const close = pattern.indexOf('}', i + 3);
    end = close < 0 ? pattern.length : close + 1;
  } else {
    const next = pattern.codePointAt(i + 1);
    end = next === undefined ? pattern.length : i + 1 + (next > 0xffff ? 2 : 1);
  }
  return { end, text: pattern.slice(i, end), weight: 1 };
}

function scanUnicodeClass(pattern: string, i: number, letter: 'p' | 'P'): Piece {
  let end: number;
  let name: string;
  if (pattern[i + 2] === '{') {
    const close = pattern.indexOf('}', i + 3);
    // Unterminated: leave it to re2js, which refuses it as Go does.
    if (close < 0) return { end: pattern.length, text: pattern.slice(i), weight: 10 };
    end = close + 1;
    name = pattern.slice(i + 3, close);
  } else {
    const code = pattern.codePointAt(i + 2);
    if (code === undefined) return { end: pattern.length, text: pattern.slice(i), weight: 10 };
    end = i + 2 + (code > 0xffff ? 2 : 1);
    name = String.fromCodePoint(code);
  }
  if (!isGoUnicodeClassName(name)) {
    return { error: `error parsing regexp: invalid character class range: \`${pattern.slice(i, end)}\`` };
  }
  // Any class stands in for another when only validity is judged.
  return { end, text: `\\${letter}L`, weight: 10 };
}

/** The character class at `i`: a leading `]` is literal, `[:name:]` and escapes are kept whole. */
function scanClass(pattern: string, i: number): Piece {
  let at = i + 1;
  if (pattern[at] === '^') at++;
  if (pattern[at] === ']') at++;
  let text = pattern.slice(i, at);
  let weight = 1;
  while (at < pattern.length && pattern[at] !== ']') {
    const named = pattern.startsWith('[:', at) ? pattern.indexOf(':]', at + 2) : -1;
    const piece: Piece =
      named >= 0
        ? { end: named + 2, text: pattern.slice(at, named + 2), weight: 10 }
        : pattern[at] === '\\'
          ? scanEscape(pattern, at)
          : { end: at + 1, text: pattern[at] as string, weight: 1 };
    if ('error' in piece) return piece;
    ({ end: at } = piece);
    text += piece.text;
    weight = Math.max(weight, piece.weight);
  }
  const end = Math.min(pattern.length, at + 1);
  return { end, text: text + pattern.slice(at, end), weight };
}
