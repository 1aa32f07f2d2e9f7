// The expression language of a Traefik rule. Traefik hands the rule to Go's parser.ParseExpr and
// walks the result with vulcand/predicate, which only understands `&&`, `||`, `!`, parentheses and
// calls whose arguments are string literals. This reads exactly that subset of Go, with Go's tokens
// (comments, automatic semicolons at line ends); everything else is an error, as in Traefik.
import { describeRune, scanGoString } from './go-string.ts';
import { MAX_RULE_LENGTH, MAX_RULE_MATCHERS, MAX_RULE_NESTING } from '../model/limits.ts';

/** A matcher call as written, with `!` already pushed down to it (rules.Tree's `Not`). */
export interface RuleCall {
  readonly name: string;
  readonly args: readonly string[];
  /** Per argument: false when Go escapes made bytes that are not UTF-8 (Go regexps refuse those). */
  readonly argsUtf8: readonly boolean[];
  readonly negated: boolean;
}

export type RuleCallTree =
  | { readonly kind: 'and' | 'or'; readonly left: RuleCallTree; readonly right: RuleCallTree }
  | { readonly kind: 'call'; readonly call: RuleCall };

export type RuleSyntaxParse =
  | { readonly ok: true; readonly tree: RuleCallTree; readonly calls: readonly RuleCall[] }
  | { readonly ok: false; readonly error: string; readonly limit?: RuleLimit };

/** Which of route-server's bounds (model/limits.ts) a rule exceeded; Traefik itself has none. */
export type RuleLimit = 'rule-too-long' | 'rule-too-deep' | 'rule-too-many-matchers' | 'daemon-regexp-budget';

/** Parses `rule` as Traefik's predicate parser would; calls are listed in Traefik's check order. */
export function parseRuleSyntax(rule: string): RuleSyntaxParse {
  if (rule.length > MAX_RULE_LENGTH) {
    return { ok: false, error: `rule is ${rule.length} characters long, route-server accepts at most ${MAX_RULE_LENGTH}`, limit: 'rule-too-long' };
  }
  try {
    checkSourceText(rule);
    return new RuleParser(rule).parse();
  } catch (error) {
    if (error instanceof RuleSyntaxError) {
      const message = `${position(rule, error.at)}: ${error.message}`;
      return error.limit === undefined ? { ok: false, error: message } : { ok: false, error: message, limit: error.limit };
    }
    throw error;
  }
}

class RuleSyntaxError extends Error {
  constructor(
    readonly at: number,
    message: string,
    readonly limit?: RuleLimit,
  ) {
    super(message);
  }
}

const MAYBE_ILLEGAL = /[\0\uFEFF\uD800-\uDFFF]/;
const ILLEGAL_CHARACTERS: Readonly<Record<string, string>> = { '\0': 'illegal character NUL', '\uFEFF': 'illegal byte order mark' };

/** What go/scanner refuses anywhere in a file, even inside strings and comments. */
function checkSourceText(source: string): void {
  // Almost every rule has none of these characters: one test, no match list.
  if (!MAYBE_ILLEGAL.test(source)) return;
  const bad = /[\0\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  for (const match of source.matchAll(bad)) {
    if (match[0] === '\uFEFF' && match.index === 0) continue; // a leading BOM is skipped
    throw new RuleSyntaxError(match.index, ILLEGAL_CHARACTERS[match[0]] ?? 'illegal UTF-8 encoding');
  }
}

function position(source: string, at: number): string {
  const before = source.slice(0, at);
  const line = before.split('\n').length;
  return `${line}:${at - before.lastIndexOf('\n')}`;
}

type TokenType = 'ident' | 'string' | '(' | ')' | ',' | '...' | '!' | '&&' | '||' | ';' | 'eof';

interface Token {
  readonly type: TokenType;
  readonly at: number;
  /** Identifier name, string value, or `\n` for a semicolon inserted at a line end. */
  readonly text: string;
  readonly validUtf8?: boolean;
  /** A semicolon Go inserts at the end of the input rather than at a newline. */
  readonly atEnd?: boolean;
}

const PUNCTUATION: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['&&', '&&'], ['||', '||'], ['...', '...'], ['(', '('], [')', ')'], [',', ','], [';', ';'],
]);
const OPERATOR = /^(?:&\^=?|<<=?|>>=?|<-|[-+*/%&|^<>=!:]=?|\+\+|--|~)/;

/** go/scanner, limited to the tokens a rule can hold. Other tokens are reported right away. */
class RuleScanner {
  private at = 0;
  // Go ends a line with a semicolon after an identifier, a literal or `)`.
  private insertSemicolon = false;

  constructor(private readonly source: string) {
    if (source.startsWith('\uFEFF')) this.at = 1;
  }

  next(): Token {
    const src = this.source;
    for (;;) {
      for (let code = src.charCodeAt(this.at); code === 0x20 || code === 0x09 || code === 0x0d || (code === 0x0a && !this.insertSemicolon); code = src.charCodeAt(this.at)) this.at++;
      if (this.at >= src.length || src[this.at] === '\n') {
        const at = this.at;
        if (this.insertSemicolon) {
          this.insertSemicolon = false;
          if (at < src.length) this.at++;
          return { type: ';', at, text: '\n', atEnd: at >= src.length };
        }
        return { type: 'eof', at, text: '' };
      }
      if (src.startsWith('//', this.at)) {
        const newline = src.indexOf('\n', this.at);
        this.at = newline < 0 ? src.length : newline; // the newline itself ends the line as usual
        continue;
      }
      if (src.startsWith('/*', this.at)) {
        const start = this.at;
        const close = src.indexOf('*/', start + 2);
        if (close < 0) throw new RuleSyntaxError(start, 'comment not terminated');
        this.at = close + 2;
        const newline = src.indexOf('\n', start);
        if (this.insertSemicolon && newline >= 0 && newline < close) {
          this.insertSemicolon = false;
          return { type: ';', at: start, text: '\n' };
        }
        continue;
      }
      break;
    }
    const token = this.scanToken();
    this.insertSemicolon = token.type === 'ident' || token.type === 'string' || token.type === ')';
    return token;
  }

  private scanToken(): Token {
    const src = this.source;
    const at = this.at;
    const first = src.codePointAt(at);
    if (first !== undefined && identifierRune(first, false)) {
      let end = at;
      for (let code: number | undefined = first; code !== undefined && identifierRune(code, true); code = src.codePointAt(end)) end += code > 0xffff ? 2 : 1;
      this.at = end;
      return { type: 'ident', at, text: src.slice(at, end) };
    }
    if (src[at] === '`' || src[at] === '"') {
      const scanned = scanGoString(src, at);
      if (!scanned.ok) throw new RuleSyntaxError(scanned.at, scanned.error);
      this.at = scanned.end;
      return { type: 'string', at, text: scanned.value, validUtf8: scanned.validUtf8 };
    }
    for (const [text, type] of PUNCTUATION) {
      if (src.startsWith(text, at)) {
        this.at += text.length;
        return { type, at, text };
      }
    }
    if (src[at] === '!' && src[at + 1] !== '=') {
      this.at++;
      return { type: '!', at, text: '!' };
    }
    const rest = src.slice(at, at + 3);
    if (/^\.?[0-9]/.test(rest)) throw new RuleSyntaxError(at, 'numbers are not matcher arguments: quote them');
    if (src[at] === "'") throw new RuleSyntaxError(at, "'…' is a rune literal, not a string: use backticks or double quotes");
    const operator = OPERATOR.exec(rest);
    if (operator) throw new RuleSyntaxError(at, `operator ${operator[0]} is not supported (use &&, || and !)`);
    throw new RuleSyntaxError(at, `unexpected ${describeRune(String.fromCodePoint(src.codePointAt(at) ?? 0))}`);
  }
}

/** A letter or `_` (Go's identifier start), or also a decimal digit after it: ASCII by code, the rest by regexp. */
function identifierRune(code: number, part: boolean): boolean {
  if (code >= 0x80) return IDENTIFIER[part ? 'part' : 'start'].test(String.fromCodePoint(code));
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || (part && code >= 0x30 && code <= 0x39);
}
const IDENTIFIER = { start: /^[\p{L}_]$/u, part: /^[\p{L}\p{Nd}_]$/u };

function describe(token: Token): string {
  if (token.type === 'eof') return 'end of rule';
  if (token.type === ';') return token.atEnd ? 'end of rule' : token.text === '\n' ? 'newline' : "';'";
  if (token.type === 'string') return 'a string';
  if (token.type === 'ident') return token.text;
  return `'${token.type}'`;
}

/** Recursive descent with Go's precedence (`!` > `&&` > `||`), pushing `!` down as it goes. */
class RuleParser {
  private readonly scanner: RuleScanner;
  private token: Token;
  private depth = 0;
  private readonly calls: RuleCall[] = [];

  constructor(source: string) {
    this.scanner = new RuleScanner(source);
    this.token = this.scanner.next();
  }

  parse(): RuleSyntaxParse {
    const tree = this.parseOr(false);
    // ParseExpr accepts one line end after the expression, nothing else.
    if (this.token.type === ';' && this.token.text === '\n') this.advance();
    if (this.token.type !== 'eof') this.fail(`expected end of rule, found ${describe(this.token)}`);
    return { ok: true, tree, calls: this.calls };
  }

  private advance(): void {
    this.token = this.scanner.next();
  }

  /** The current token's type; a method so narrowing does not outlive `advance()`. */
  private at(type: TokenType): boolean {
    return this.token.type === type;
  }

  private fail(message: string, at = this.token.at, limit?: RuleLimit): never {
    throw new RuleSyntaxError(at, message, limit);
  }

  // Negation swaps the operator (De Morgan, as rules/parser.go `invert` does) and reaches the calls.
  private parseOr(negated: boolean): RuleCallTree {
    let left = this.parseAnd(negated);
    while (this.token.type === '||') {
      this.advance();
      left = { kind: negated ? 'and' : 'or', left, right: this.parseAnd(negated) };
    }
    return left;
  }

  private parseAnd(negated: boolean): RuleCallTree {
    let left = this.parseUnary(negated);
    while (this.token.type === '&&') {
      this.advance();
      left = { kind: negated ? 'or' : 'and', left, right: this.parseUnary(negated) };
    }
    return left;
  }

  private parseUnary(negated: boolean): RuleCallTree {
    if (this.token.type !== '!') return this.parsePrimary(negated);
    this.enter();
    this.advance();
    const operand = this.parseUnary(!negated);
    this.depth--;
    return operand;
  }

  private parsePrimary(negated: boolean): RuleCallTree {
    const token = this.token;
    if (token.type === 'ident') return this.parseCall(negated);
    if (token.type !== '(') {
      this.fail(token.type === 'string' ? 'expected a matcher, found a string' : `expected a matcher, found ${describe(token)}`);
    }
    this.enter();
    this.advance();
    const inner = this.parseOr(negated);
    if (this.token.type !== ')') this.fail(`expected ')', found ${describe(this.token)}`);
    this.advance();
    this.depth--;
    return inner;
  }

  private enter(): void {
    if (++this.depth > MAX_RULE_NESTING) this.fail(`rule nests deeper than ${MAX_RULE_NESTING} levels`, this.token.at, 'rule-too-deep');
  }

  private parseCall(negated: boolean): RuleCallTree {
    const name = this.token.text;
    if (this.calls.length >= MAX_RULE_MATCHERS) this.fail(`rule has more than ${MAX_RULE_MATCHERS} matchers`, this.token.at, 'rule-too-many-matchers');
    this.advance();
    if (!this.at('(')) this.fail(`expected '(' after ${name}, found ${describe(this.token)}`);
    this.advance();
    const args: string[] = [];
    const argsUtf8: boolean[] = [];
    while (!this.at(')')) {
      const token = this.token;
      if (token.type !== 'string') {
        this.fail(
          token.type === 'ident'
            ? `arguments of ${name} must be quoted strings, found ${token.text}`
            : `expected a string argument to ${name}, found ${describe(token)}`,
        );
      }
      args.push(token.text);
      argsUtf8.push(token.validUtf8 !== false);
      this.advance();
      // Go accepts `f(x...)`; predicate ignores the ellipsis, so Traefik does too.
      const spread = this.at('...');
      if (spread) this.advance();
      if (this.at(',')) {
        this.advance();
        if (spread) break;
        continue;
      }
      if (this.at(')')) break;
      const newline = this.at(';') && this.token.text === '\n' ? ' before newline' : '';
      this.fail(`missing ','${newline} in argument list of ${name}, found ${describe(this.token)}`);
    }
    if (!this.at(')')) this.fail(`expected ')' after the arguments of ${name}, found ${describe(this.token)}`);
    this.advance();
    const call: RuleCall = { name, args, argsUtf8, negated };
    this.calls.push(call);
    return { kind: 'call', call };
  }
}
