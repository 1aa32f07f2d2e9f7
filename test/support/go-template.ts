// Test-only stand-in for the Go text/template pass Traefik runs over every file-provider file. It
// executes only what route-server may emit — text, and actions that print one string literal — and
// throws on anything else, which means "Traefik would evaluate this, or reject the file".
// Lexing follows text/template's lexer: `{{- ` and ` -}}` trim only with the space, as in Go.

export class GoTemplateError extends Error {
  override readonly name = 'GoTemplateError';
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';

/** Go's isSpace inside actions and for trim markers: space, tab, CR, LF. */
function isSpace(character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\r' || character === '\n';
}

/** What Go's template pass would print for `source`; throws GoTemplateError where Go would evaluate or fail. */
export function executeGoTemplate(source: string): string {
  let output = '';
  let position = 0;
  let trimLeadingSpace = false;
  for (;;) {
    const open = source.indexOf(LEFT_DELIM, position);
    let text = source.slice(position, open === -1 ? source.length : open);
    if (trimLeadingSpace) text = text.replace(/^[ \t\r\n]+/, '');
    if (open === -1) return output + text;

    let cursor = open + LEFT_DELIM.length;
    if (source[cursor] === '-' && isSpace(source[cursor + 1])) {
      text = text.replace(/[ \t\r\n]+$/, '');
      cursor += 2;
    }
    output += text;
    if (source.startsWith('/*', cursor)) throw new GoTemplateError(`comment at offset ${open}: Traefik would parse it, not print it`);

    const action = readStringAction(source, cursor, open);
    output += action.value;
    position = action.end;
    trimLeadingSpace = action.trimAfter;
  }
}

interface StringAction {
  readonly value: string;
  /** Offset just past the closing `}}`. */
  readonly end: number;
  readonly trimAfter: boolean;
}

/** An action printing one raw or interpreted string; `start` is just after `{{` and any trim marker. */
function readStringAction(source: string, start: number, open: number): StringAction {
  let cursor = skipSpaces(source, start);
  const literal = source[cursor] === '`' ? readRawString(source, cursor) : source[cursor] === '"' ? readQuotedString(source, cursor) : undefined;
  if (literal === undefined) {
    if (cursor >= source.length) throw new GoTemplateError(`unclosed action at offset ${open}`);
    throw new GoTemplateError(`action at offset ${open} is not a single string literal: ${JSON.stringify(source.slice(open, open + 40))}`);
  }
  cursor = literal.end;

  const afterSpaces = skipSpaces(source, cursor);
  // As in Go's lexSpace, a `-` right after a space and right before `}}` is a trim marker.
  if (afterSpaces > cursor && source.startsWith(`-${RIGHT_DELIM}`, afterSpaces)) {
    return { value: literal.value, end: afterSpaces + 1 + RIGHT_DELIM.length, trimAfter: true };
  }
  if (source.startsWith(RIGHT_DELIM, afterSpaces)) return { value: literal.value, end: afterSpaces + RIGHT_DELIM.length, trimAfter: false };
  if (afterSpaces >= source.length) throw new GoTemplateError(`unclosed action at offset ${open}`);
  throw new GoTemplateError(`action at offset ${open} is not a single string literal: ${JSON.stringify(source.slice(open, afterSpaces + 20))}`);
}

function skipSpaces(source: string, cursor: number): number {
  while (isSpace(source[cursor])) cursor += 1;
  return cursor;
}

interface Literal {
  readonly value: string;
  readonly end: number;
}

/** A raw string runs to the next backtick; like strconv.Unquote, carriage returns are dropped. */
function readRawString(source: string, start: number): Literal {
  const close = source.indexOf('`', start + 1);
  if (close === -1) throw new GoTemplateError(`unterminated raw quoted string at offset ${start}`);
  return { value: source.slice(start + 1, close).replaceAll('\r', ''), end: close + 1 };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"',
};
const CODE_ESCAPE_LENGTHS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** An interpreted string, decoded as strconv.Unquote does (byte escapes above 0x7f are not simulated). */
function readQuotedString(source: string, start: number): Literal {
  let value = '';
  let cursor = start + 1;
  for (;;) {
    const character = source[cursor];
    if (character === undefined || character === '\n') throw new GoTemplateError(`unterminated quoted string at offset ${start}`);
    if (character === '"') return { value, end: cursor + 1 };
    if (character !== '\\') {
      value += character;
      cursor += 1;
      continue;
    }
    const kind = source[cursor + 1] ?? '';
    const simple = SIMPLE_ESCAPES[kind];
    const codeLength = CODE_ESCAPE_LENGTHS[kind] ?? (/^[0-7]$/.test(kind) ? 3 : undefined);
    if (simple !== undefined) {
      value += simple;
      cursor += 2;
    } else if (codeLength !== undefined) {
      const octal = /^[0-7]$/.test(kind);
      const digits = source.slice(cursor + (octal ? 1 : 2), cursor + (octal ? 1 : 2) + codeLength);
      const valid = digits.length === codeLength && (octal ? /^[0-7]+$/ : /^[0-9A-Fa-f]+$/).test(digits);
      const code = valid ? Number.parseInt(digits, octal ? 8 : 16) : Number.NaN;
      const isByte = octal || kind === 'x';
      if (!valid || (isByte && code > 0x7f) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new GoTemplateError(`invalid or unsimulated escape ${JSON.stringify(source.slice(cursor, cursor + 10))} at offset ${cursor}`);
      }
      value += String.fromCodePoint(code);
      cursor += (octal ? 1 : 2) + codeLength;
    } else {
      throw new GoTemplateError(`unknown escape sequence \\${kind} at offset ${cursor}`);
    }
  }
}
