// Go string literals as go/scanner and strconv.Unquote read them. Traefik parses a router rule as a
// Go expression, so matcher arguments are Go strings: raw (`...`) or interpreted ("..." with escapes).

export type GoStringScan =
  | {
      readonly ok: true;
      /** Index just past the closing quote. */
      readonly end: number;
      readonly value: string;
      /** False when escapes (`\xff`, `\377`) produced bytes that are not UTF-8; `value` then holds U+FFFD. */
      readonly validUtf8: boolean;
    }
  | { readonly ok: false; readonly at: number; readonly error: string };

/**
 * Scans the literal that starts at `source[start]` (a backtick or a double quote). The caller has
 * already refused what Go refuses anywhere in a source file (NUL, lone surrogates, a late BOM).
 */
export function scanGoString(source: string, start: number): GoStringScan {
  return source[start] === '`' ? scanRaw(source, start) : scanInterpreted(source, start);
}

function scanRaw(source: string, start: number): GoStringScan {
  const close = source.indexOf('`', start + 1);
  if (close < 0) return { ok: false, at: start, error: 'raw string literal not terminated' };
  // Go drops carriage returns from raw strings so that CRLF sources mean the same as LF ones.
  const value = source.slice(start + 1, close).replaceAll('\r', '');
  return { ok: true, end: close + 1, value, validUtf8: true };
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, '\\': 0x5c, '"': 0x22,
};

/** Digits, base and maximum of the numeric escapes, as go/scanner's scanEscape defines them. */
const NUMERIC_ESCAPES: Readonly<Record<string, { digits: number; base: number; max: number; isByte: boolean }>> = {
  x: { digits: 2, base: 16, max: 0xff, isByte: true },
  u: { digits: 4, base: 16, max: 0x10ffff, isByte: false },
  U: { digits: 8, base: 16, max: 0x10ffff, isByte: false },
};
const OCTAL = { digits: 3, base: 8, max: 0xff, isByte: true };

function scanInterpreted(source: string, start: number): GoStringScan {
  // Go strings are bytes: `\xff` is one byte, not U+00FF, so the value is assembled as UTF-8.
  const bytes: number[] = [];
  let i = start + 1;
  for (;;) {
    const code = source.codePointAt(i);
    if (code === undefined || code === 0x0a) return { ok: false, at: start, error: 'string literal not terminated' };
    if (code === 0x22) break;
    if (code !== 0x5c) {
      pushUtf8(bytes, code);
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    const escapeAt = i;
    const letter = source[i + 1];
    if (letter === undefined) return { ok: false, at: escapeAt, error: 'escape sequence not terminated' };
    const simple = SIMPLE_ESCAPES[letter];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    const numeric = letter >= '0' && letter <= '7' ? OCTAL : NUMERIC_ESCAPES[letter];
    if (numeric === undefined) return { ok: false, at: escapeAt, error: 'unknown escape sequence' };
    let digitsAt = numeric === OCTAL ? i + 1 : i + 2;
    let value = 0;
    for (let n = 0; n < numeric.digits; n++, digitsAt++) {
      const digit = source[digitsAt];
      const digitValue = digit === undefined ? NaN : parseInt(digit, numeric.base);
      if (Number.isNaN(digitValue)) {
        if (digit === undefined) return { ok: false, at: digitsAt, error: 'escape sequence not terminated' };
        return { ok: false, at: digitsAt, error: `illegal character ${describeRune(digit)} in escape sequence` };
      }
      value = value * numeric.base + digitValue;
    }
    if (value > numeric.max || (value >= 0xd800 && value < 0xe000)) {
      return { ok: false, at: escapeAt, error: 'escape sequence is invalid Unicode code point' };
    }
    if (numeric.isByte) bytes.push(value);
    else pushUtf8(bytes, value);
    i = digitsAt;
  }
  const decoded = decodeUtf8(Uint8Array.from(bytes));
  return { ok: true, end: i + 1, value: decoded.value, validUtf8: decoded.valid };
}

function pushUtf8(bytes: number[], code: number): void {
  if (code < 0x80) bytes.push(code);
  else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
  else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): { value: string; valid: boolean } {
  try {
    return { value: strictUtf8.decode(bytes), valid: true };
  } catch {
    return { value: lenientUtf8.decode(bytes), valid: false };
  }
}

/** Go's %#U for a character: `U+0047 'G'`. */
export function describeRune(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(character) ? `U+${hex} '${character}'` : `U+${hex}`;
}

/**
 * Writes `value` back as a Go string literal: a raw string when it can be one, else an
 * interpreted string (JSON escapes are all valid Go escapes).
 */
export function formatGoString(value: string): string {
  return /^[^`\r\n\p{Cc}]*$/u.test(value) ? `\`${value}\`` : JSON.stringify(value);
}
