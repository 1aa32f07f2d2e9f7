// Scalar parsing exactly as Traefik's label filler does it (Go strconv and time.ParseDuration), so
// a value Traefik rejects is rejected here with the same words, and a value it accepts means the
// same thing in the file we write.

export type ScalarParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool. */
export function parseGoBool(text: string): ScalarParse<boolean> {
  if (TRUE.has(text)) return { ok: true, value: true };
  if (FALSE.has(text)) return { ok: true, value: false };
  return { ok: false, error: `strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax` };
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** strconv.ParseInt(text, 10, 64): optional sign, decimal digits, no underscores. */
export function parseGoInt(text: string): ScalarParse<bigint> {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    return { ok: false, error: `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax` };
  }
  const value = BigInt(text);
  if (value > INT64_MAX || value < INT64_MIN) {
    return { ok: false, error: `strconv.ParseInt: parsing ${goQuote(text)}: value out of range` };
  }
  return { ok: true, value };
}

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 micro sign
  ['μs', 1_000n], // U+03BC Greek mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/**
 * paerser's Duration: a bare base-10 integer means seconds; otherwise Go's time.ParseDuration
 * (`1m30s`, `1.5h`, `-100ms`). Returns nanoseconds; the caller keeps the original text for output.
 */
export function parseGoDuration(text: string): ScalarParse<bigint> {
  const seconds = parseGoInt(text);
  if (seconds.ok) return { ok: true, value: seconds.value * 1_000_000_000n };
  return parseTimeDuration(text);
}

function parseTimeDuration(original: string): ScalarParse<bigint> {
  const invalid = { ok: false as const, error: `time: invalid duration ${goQuote(original)}` };
  let rest = original;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, value: 0n };
  if (rest === '') return invalid;
  let total = 0n;
  while (rest !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) return invalid;
    rest = rest.slice(number?.[0].length ?? 0);
    const unitMatch = /^[^0-9.]+/.exec(rest);
    if (!unitMatch) return { ok: false, error: `time: missing unit in duration ${goQuote(original)}` };
    const unitText = unitMatch[0];
    const unit = UNITS.get(unitText);
    if (unit === undefined) {
      return { ok: false, error: `time: unknown unit ${goQuote(unitText)} in duration ${goQuote(original)}` };
    }
    rest = rest.slice(unitText.length);
    let value = BigInt(whole === '' ? '0' : whole) * unit;
    if (fraction) value += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    total += value;
    if (total > (negative ? -INT64_MIN : INT64_MAX)) return invalid;
  }
  return { ok: true, value: negative ? -total : total };
}

/** Go's %q for messages: double quotes with Go escapes, close enough for diagnostics. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
