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

/** UTF-16 order, as Array.prototype.sort orders strings without a comparator. */
export function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Past this length a list goes to Array.prototype.sort. */
const INSERTION_SORT_MAX = 16;

/**
 * Sorts `list` in place, stably, and returns it. Short lists (most: a map's few keys, a
 * container's labels) are sorted by insertion, since Array.prototype.sort copies every list it
 * sorts, and the render sorts tens of thousands of them.
 */
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > INSERTION_SORT_MAX) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const item = list[i] as T;
    let j = i - 1;
    for (; j >= 0 && compare(list[j] as T, item) > 0; j--) list[j + 1] = list[j] as T;
    list[j + 1] = item;
  }
  return list;
}

/** Numeric ids numerically (any length), then names in code point order. */
export function compareDaemonIds(a: string, b: string): number {
  // Called by every sort of daemons, thousands of times a render: no regexps, no copies.
  const numericA = isDigits(a);
  const numericB = isDigits(b);
  if (numericA && numericB) {
    const startA = significantFrom(a);
    const startB = significantFrom(b);
    const lengthA = a.length - startA;
    if (lengthA !== b.length - startB) return lengthA - (b.length - startB);
    for (let i = 0; i < lengthA; i++) {
      const difference = a.charCodeAt(startA + i) - b.charCodeAt(startB + i);
      if (difference !== 0) return difference;
    }
    return 0;
  }
  if (numericA !== numericB) return numericA ? -1 : 1;
  return compareCodePoints(a, b);
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Where the number starts without its leading zeros (the last digit stays: `000` is `0`). */
function significantFrom(digits: string): number {
  let start = 0;
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++;
  return start;
}
