// Punycode (RFC 3492), the encoding of Unicode labels as `xn--…` DNS labels. It follows the code
// Traefik's ACME client runs (golang.org/x/net/idna, punycode.go), including its limits: the
// arithmetic is 32-bit and overflows are errors. Both directions are quadratic in the label's
// length: callers pass DNS labels (at most 63 characters), never unbounded text.

const BASE = 36;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const SKEW = 38;
const TMAX = 26;
const TMIN = 1;
const MAX_INT32 = 0x7fffffff;
const MAX_RUNE = 0x10ffff;
/** idna refuses to decode labels longer than this many code points. */
const MAX_DECODED = 1024;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = Math.trunc(firstTime ? delta / DAMP : delta / 2);
  d += Math.trunc(d / numPoints);
  let k = 0;
  while (d > ((BASE - TMIN) * TMAX) >> 1) {
    d = Math.trunc(d / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.trunc(((BASE - TMIN + 1) * d) / (d + SKEW));
}

function threshold(k: number, bias: number): number {
  return k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
}

function encodeDigit(digit: number): string {
  return String.fromCharCode(digit < 26 ? digit + 0x61 : digit - 26 + 0x30);
}

function decodeDigit(char: string): number | undefined {
  const code = char.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  return undefined;
}

/** The Punycode of a label (without the `xn--` prefix), or undefined on overflow. */
export function encodePunycode(label: string): string | undefined {
  const codes = Array.from(label, (char) => char.codePointAt(0) as number);
  const basic = codes.filter((code) => code < 0x80);
  let output = String.fromCodePoint(...basic);
  if (basic.length > 0) output += '-';
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  let handled = basic.length;
  while (handled < codes.length) {
    const next = Math.min(...codes.filter((code) => code >= n));
    delta += (next - n) * (handled + 1);
    if (delta > MAX_INT32) return undefined;
    n = next;
    for (const code of codes) {
      if (code < n && ++delta > MAX_INT32) return undefined;
      if (code !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += encodeDigit(t + ((q - t) % (BASE - t)));
        q = Math.trunc((q - t) / (BASE - t));
      }
      output += encodeDigit(q);
      bias = adapt(delta, handled + 1, handled === basic.length);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/** The label a Punycode string (without `xn--`) stands for, or undefined when it is not valid Punycode. */
export function decodePunycode(encoded: string): string | undefined {
  if (encoded === '') return '';
  let pos = encoded.lastIndexOf('-') + 1;
  if (pos === 1) return undefined;
  if (pos === encoded.length) return encoded.slice(0, -1);
  const output = pos === 0 ? [] : Array.from(encoded.slice(0, pos - 1), (char) => char.codePointAt(0) as number);
  let i = 0;
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  while (pos < encoded.length) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos === encoded.length) return undefined;
      const digit = decodeDigit(encoded[pos] as string);
      if (digit === undefined) return undefined;
      pos++;
      i += digit * w;
      if (i > MAX_INT32) return undefined;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
      if (w > MAX_INT32) return undefined;
    }
    if (output.length >= MAX_DECODED) return undefined;
    const x = output.length + 1;
    bias = adapt(i - oldI, x, oldI === 0);
    n += Math.trunc(i / x);
    i %= x;
    if (n > MAX_RUNE) return undefined;
    output.splice(i, 0, n);
    i++;
  }
  // Surrogate code points cannot be in a Go string; idna would have produced U+FFFD for them.
  if (output.some((code) => code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(...output);
}
