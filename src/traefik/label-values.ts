// A label's value as Traefik's filler parses it into a field (paerser element_fill.go): scalars by
// their Go kind, lists split on commas and trimmed. Shared by the tree decoder (labels.ts) and the
// direct one (label-direct.ts).

import type { ConfigValue } from './config.ts';
import type { ScalarKind } from './fields/table.ts';
import { parseGoBool, parseGoDuration, parseGoInt } from './go-scalars.ts';
import { DecodeError } from './label-tree.ts';

export function parseList(text: string, scalar: ScalarKind, label: string): ConfigValue[] {
  // Most lists have one item: split only the others.
  if (!text.includes(',')) return [parseScalar(text.trim(), scalar, label)];
  const items = text.split(',');
  const values = new Array<ConfigValue>(items.length);
  for (let i = 0; i < items.length; i++) values[i] = parseScalar((items[i] as string).trim(), scalar, label);
  return values;
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
