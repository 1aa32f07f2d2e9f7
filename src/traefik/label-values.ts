// A label's value as Traefik's filler parses it into a field (paerser element_fill.go): scalars by
// their Go kind, lists split on commas and trimmed. Shared by the tree decoder (labels.ts) and the
// direct one (label-direct.ts).

import type { ConfigValue } from './config.ts';
import type { ScalarKind } from './fields/table.ts';
import { parseGoBool, parseGoDuration, parseGoInt } from './go-scalars.ts';
import { DecodeError } from './label-tree.ts';

export function parseList(text: string, scalar: ScalarKind, label: string): ConfigValue[] {
  // Most lists have one item: split only the others.
  if (!text.includes(',')) return [parseScalar(goTrimSpace(text), scalar, label)];
  const items = text.split(',');
  const values = new Array<ConfigValue>(items.length);
  for (let i = 0; i < items.length; i++) values[i] = parseScalar(goTrimSpace(items[i] as string), scalar, label);
  return values;
}

/**
 * Go's unicode.IsSpace, what strings.TrimSpace trims from a list item: JavaScript's white space
 * without U+FEFF (a BOM is not a space to Go), and with U+0085 (NEL, which JavaScript keeps).
 */
const GO_SPACE_EDGES = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** `text` without the spaces Go's strings.TrimSpace removes from its ends. */
export function goTrimSpace(text: string): string {
  // Most items start and end with a printable ASCII character: nothing to trim.
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) return text;
  return text.replace(GO_SPACE_EDGES, '');
}

export function parseScalar(text: string, scalar: ScalarKind, label: string): ConfigValue {
  switch (scalar) {
    case 'string':
      return text;
    case 'bool': {
      const parsed = parseGoBool(text);
      if (!parsed.ok) throw new DecodeError(parsed.error, label);
      return parsed.value;
    }
    case 'int': {
      const parsed = parseGoInt(text);
      if (!parsed.ok) throw new DecodeError(parsed.error, label);
      return parsed.value;
    }
    case 'duration': {
      const parsed = parseGoDuration(text);
      if (!parsed.ok) throw new DecodeError(parsed.error, label);
      // Kept as written ("10" is seconds, "1m30s" Go syntax): Traefik's file decoder reads the
      // text with the same rule, and its published schema types durations as strings.
      return text;
    }
  }
}
