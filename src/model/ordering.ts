// Orders that output depends on, defined once: Go's byte order for strings, and daemon ids with
// numeric network ids first (numerically, so 2816 comes before 10000), then names.

/**
 * Code point order, which is UTF-8 byte order (Go's sort.Strings). UTF-16 order differs only
 * between a surrogate pair and U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate && !ySurrogate && y >= 0xe000) return 1;
    if (ySurrogate && !xSurrogate && x >= 0xe000) return -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Numeric ids numerically (any length), then names in code point order. */
export function compareDaemonIds(a: string, b: string): number {
  const numericA = /^[0-9]+$/.test(a);
  const numericB = /^[0-9]+$/.test(b);
  if (numericA && numericB) {
    const x = a.replace(/^0+(?=.)/, '');
    const y = b.replace(/^0+(?=.)/, '');
    return x.length - y.length || compareCodePoints(x, y);
  }
  if (numericA !== numericB) return numericA ? -1 : 1;
  return compareCodePoints(a, b);
}
