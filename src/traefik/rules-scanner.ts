// The tokens of a Traefik rule, as go/scanner reads them: identifiers, string literals, the
// punctuation the predicate subset uses, comments, and the semicolons Go inserts at line ends.
import { describeRune, scanGoString } from './go-string.ts';
import type { RuleLimit } from './rules-syntax.ts';

/** A rule Go or predicate refuses, at an offset of the rule; or a rule past one of route-server's bounds. */
export class RuleSyntaxError extends Error {
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
export function checkSourceText(source: string): void {
  // Almost every rule has none of these characters: one test, no match list.
  if (!MAYBE_ILLEGAL.test(source)) return;
  const bad = /[\0\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  for (const match of source.matchAll(bad)) {
    if (match[0] === '\uFEFF' && match.index === 0) continue; // a leading BOM is skipped
    throw new RuleSyntaxError(match.index, ILLEGAL_CHARACTERS[match[0]] ?? 'illegal UTF-8 encoding');
  }
}

export type TokenType = 'ident' | 'string' | '(' | ')' | ',' | '...' | '!' | '&&' | '||' | ';' | 'eof';

const OPERATOR = /^(?:&\^=?|<<=?|>>=?|<-|[-+*/%&|^<>=!:]=?|\+\+|--|~)/;

/**
 * go/scanner, limited to the tokens a rule can hold. Other tokens are reported right away. The
 * scanner stands at one token at a time and holds it in its fields: every rule of every router is
 * scanned, and a token is read once, so no token objects are made.
 */
export class RuleScanner {
  /** The current token. */
  type: TokenType = 'eof';
  /** Where the current token starts. */
  at = 0;
  /** Identifier name, string value, punctuation, or `\n` for a semicolon inserted at a line end. */
  text = '';
  /** False when a string's Go escapes made bytes that are not UTF-8. */
  validUtf8 = true;
  /** A semicolon Go inserts at the end of the input rather than at a newline. */
  atEnd = false;
  private position = 0;
  // Go ends a line with a semicolon after an identifier, a literal or `)`.
  private insertSemicolon = false;

  constructor(private readonly source: string) {
    if (source.startsWith('\uFEFF')) this.position = 1;
    this.next();
  }

  next(): void {
    const src = this.source;
    this.validUtf8 = true;
    this.atEnd = false;
    for (;;) {
      for (let code = src.charCodeAt(this.position); code === 0x20 || code === 0x09 || code === 0x0d || (code === 0x0a && !this.insertSemicolon); code = src.charCodeAt(this.position)) this.position++;
      if (this.position >= src.length || src[this.position] === '\n') {
        const at = this.position;
        if (this.insertSemicolon) {
          this.insertSemicolon = false;
          if (at < src.length) this.position++;
          this.atEnd = at >= src.length;
          return this.found(';', at, '\n');
        }
        return this.found('eof', at, '');
      }
      if (src.startsWith('//', this.position)) {
        const newline = src.indexOf('\n', this.position);
        this.position = newline < 0 ? src.length : newline; // the newline itself ends the line as usual
        continue;
      }
      if (src.startsWith('/*', this.position)) {
        const start = this.position;
        const close = src.indexOf('*/', start + 2);
        if (close < 0) throw new RuleSyntaxError(start, 'comment not terminated');
        this.position = close + 2;
        const newline = src.indexOf('\n', start);
        if (this.insertSemicolon && newline >= 0 && newline < close) {
          this.insertSemicolon = false;
          return this.found(';', start, '\n');
        }
        continue;
      }
      break;
    }
    this.scanToken();
    this.insertSemicolon = this.type === 'ident' || this.type === 'string' || this.type === ')';
  }

  private found(type: TokenType, at: number, text: string): void {
    this.type = type;
    this.at = at;
    this.text = text;
  }

  /** Punctuation is its own text. */
  private punctuation(type: TokenType, at: number): void {
    this.position = at + type.length;
    this.found(type, at, type);
  }

  private scanToken(): void {
    const src = this.source;
    const at = this.position;
    const first = src.codePointAt(at);
    if (first !== undefined && identifierRune(first, false)) {
      let end = at;
      for (let code: number | undefined = first; code !== undefined && identifierRune(code, true); code = src.codePointAt(end)) end += code > 0xffff ? 2 : 1;
      this.position = end;
      return this.found('ident', at, src.slice(at, end));
    }
    const code = src.charCodeAt(at);
    if (code === 0x60 || code === 0x22) {
      const scanned = scanGoString(src, at);
      if (!scanned.ok) throw new RuleSyntaxError(scanned.at, scanned.error);
      this.position = scanned.end;
      this.validUtf8 = scanned.validUtf8;
      return this.found('string', at, scanned.value);
    }
    const next = src.charCodeAt(at + 1);
    if (code === 0x28) return this.punctuation('(', at);
    if (code === 0x29) return this.punctuation(')', at);
    if (code === 0x2c) return this.punctuation(',', at);
    if (code === 0x3b) return this.punctuation(';', at);
    if (code === 0x26 && next === 0x26) return this.punctuation('&&', at);
    if (code === 0x7c && next === 0x7c) return this.punctuation('||', at);
    if (src.startsWith('...', at)) return this.punctuation('...', at);
    if (code === 0x21 && next !== 0x3d) return this.punctuation('!', at); // `!`, not `!=`
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

/** A token as Go's parser names it in a message. */
export function describe(token: RuleScanner): string {
  if (token.type === 'eof') return 'end of rule';
  if (token.type === ';') return token.atEnd ? 'end of rule' : token.text === '\n' ? 'newline' : "';'";
  if (token.type === 'string') return 'a string';
  if (token.type === 'ident') return token.text;
  return `'${token.type}'`;
}
