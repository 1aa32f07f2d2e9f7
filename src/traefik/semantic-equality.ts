// "Are these two the same configuration?" as Traefik answers it when it merges replicas: after
// its SetDefaults (`passhostheader=true` equals leaving it out) and after parsing (`0.1s` equals
// `100ms`). Used only for comparison; what is written keeps the user's own text.

import { configEqual, emptyMap, emptyObject, isConfigObject, type ConfigObject, type ConfigValue } from './config.ts';
import type { FieldType, ScalarKind, StructDef } from './fields/table.ts';
import { parseGoBool, parseGoDuration, parseGoInt } from './go-scalars.ts';

export function semanticallyEqual(a: ConfigObject, b: ConfigObject, struct: StructDef): boolean {
  return configEqual(semanticForm(a, struct), semanticForm(b, struct));
}

/** The struct as Traefik holds it after decoding: defaults filled in, durations in nanoseconds. */
export function semanticForm(value: ConfigObject, struct: StructDef): ConfigObject {
  const out = emptyObject();
  for (const [name, preset] of Object.entries(struct.defaults ?? {})) {
    const field = struct.fields.find((f) => f.name === name);
    if (!field) continue;
    out[name] = normalize(presetValue(preset, field.type), field.type);
  }
  for (const key of Object.keys(value)) {
    const field = struct.fields.find((f) => f.name === key);
    out[key] = field ? normalize(value[key] as ConfigValue, field.type) : (value[key] as ConfigValue);
  }
  return out;
}

function presetValue(preset: string | readonly string[] | Record<string, never>, type: FieldType): ConfigValue {
  if (typeof preset === 'string') return type.kind === 'scalar' ? parsed(preset, type.scalar) : preset;
  if (Array.isArray(preset)) return [...preset];
  return emptyObject();
}

function normalize(value: ConfigValue, type: FieldType): ConfigValue {
  switch (type.kind) {
    case 'scalar':
      return type.scalar === 'duration' && typeof value === 'string' ? parsed(value, 'duration') : value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => normalize(item, { kind: 'scalar', scalar: type.scalar })) : value;
    case 'struct':
      return isConfigObject(value) ? semanticForm(value, type.struct) : value;
    case 'structList':
      return Array.isArray(value) ? value.map((item) => (isConfigObject(item) ? semanticForm(item, type.struct) : item)) : value;
    case 'map': {
      if (!isConfigObject(value)) return value;
      const out = emptyMap();
      for (const key of Object.keys(value)) out[key] = normalize(value[key] as ConfigValue, type.value);
      return out;
    }
    case 'raw':
    case 'opaque':
      return value;
  }
}

function parsed(text: string, scalar: ScalarKind): ConfigValue {
  const result = scalar === 'bool' ? parseGoBool(text) : scalar === 'int' ? parseGoInt(text) : scalar === 'duration' ? parseGoDuration(text) : { ok: true as const, value: text };
  return result.ok ? result.value : text;
}
