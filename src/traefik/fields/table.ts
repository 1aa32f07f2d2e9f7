// The machinery of the field table: how a field of Traefik's dynamic configuration is described
// (type, canonical name, how labels and files treat it), the small builders the section files
// write the table with, and the case-insensitive lookup Traefik uses. The table itself is split
// the way Traefik splits pkg/config/dynamic: http.ts, middlewares.ts, tcp.ts, udp.ts, tls.ts, and
// configuration.ts for the root. The label decoder, the output validator and the replica
// comparison all read that one table, so a field is known in exactly one place.

/** Scalar kinds as Traefik's label filler parses them (paerser parser/element_fill.go). */
export type ScalarKind = 'string' | 'bool' | 'int' | 'duration';

export type FieldType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  /** Slice of scalars: a comma list in labels. */
  | { readonly kind: 'list'; readonly scalar: ScalarKind }
  /** map[string]V with V a scalar or a struct; keys keep their case. */
  | { readonly kind: 'map'; readonly value: FieldType }
  | { readonly kind: 'struct'; readonly struct: StructDef }
  /** Slice of structs: indexed in labels (`domains[0].main`), or singular (`server.port`) when `singular` is set. */
  | { readonly kind: 'structList'; readonly struct: StructDef; readonly singular?: string }
  /** map[string]any: plugin configuration, decoded as nested string maps and lists. */
  | { readonly kind: 'raw' }
  /**
   * A Go type the label decoder cannot descend into (`*http.Header`, a pointer to a map): a bare
   * label is accepted, a child is an error (`invalid node <name>: ptr`).
   */
  | { readonly kind: 'opaque'; readonly goKind: string };

/**
 * How the `label` (and `file`) struct tags treat a field:
 * - `allowEmpty`: a struct/map that may be given without children (`tls=true`, `tls: {}`);
 *   in labels, a value other than "true" disables it.
 * - `ignore`: decoded for validation only (unknown children are still errors), never filled.
 */
export type TagMode = 'normal' | 'allowEmpty' | 'ignore';

export interface FieldDef {
  /** Canonical name, as Traefik writes it (json/yaml tag). */
  readonly name: string;
  /** Lower-case name labels are matched against (Go field name, or the singular slice name). */
  readonly match: string;
  readonly type: FieldType;
  readonly label: TagMode;
  readonly file: TagMode;
  /** Label-only fields (server.port, server.scheme) that the provider consumes; never written. */
  readonly labelOnly: boolean;
}

export interface StructDef {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  /**
   * What Traefik's SetDefaults puts in a struct when a label creates it: scalar text as a label
   * would write it, a list, or `{}` for a sub-struct created with its own defaults. Never written
   * to files (Traefik applies them again); used to compare replicas as Traefik does.
   */
  readonly defaults?: Readonly<Record<string, string | readonly string[] | Record<string, never>>>;
}

export interface FieldOptions {
  readonly label?: TagMode;
  readonly file?: TagMode;
  readonly labelOnly?: boolean;
}

export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const label = options.label ?? 'normal';
  return {
    name,
    match: name.toLowerCase(),
    type,
    label,
    file: options.file ?? (label === 'ignore' ? 'normal' : label),
    labelOnly: options.labelOnly ?? false,
  };
}

export const scalar = (kind: ScalarKind): FieldType => ({ kind: 'scalar', scalar: kind });
export const str = (name: string, o?: FieldOptions) => field(name, scalar('string'), o);
export const bool = (name: string, o?: FieldOptions) => field(name, scalar('bool'), o);
export const int = (name: string, o?: FieldOptions) => field(name, scalar('int'), o);
export const dur = (name: string, o?: FieldOptions) => field(name, scalar('duration'), o);
export const strs = (name: string, o?: FieldOptions) => field(name, { kind: 'list', scalar: 'string' }, o);
export const strMap = (name: string, o?: FieldOptions) => field(name, { kind: 'map', value: scalar('string') }, o);
export const sub = (name: string, struct: StructDef, o?: FieldOptions) => field(name, { kind: 'struct', struct }, o);
export const subs = (name: string, struct: StructDef, o?: FieldOptions) => field(name, { kind: 'structList', struct }, o);
export const named = (name: string, struct: StructDef, o?: FieldOptions) =>
  field(name, { kind: 'map', value: { kind: 'struct', struct } }, o);
export const def = (name: string, ...fields: FieldDef[]): StructDef => ({ name, fields });
export const defaults = (struct: StructDef, values: NonNullable<StructDef['defaults']>): StructDef => ({ ...struct, defaults: values });

export const ignore: FieldOptions = { label: 'ignore' };
/** `label:"-" file:"-"`: set only by Traefik itself or by other providers (Kubernetes, ingress-nginx). */
export const internal: FieldOptions = { label: 'ignore', file: 'ignore' };
export const allowEmpty: FieldOptions = { label: 'allowEmpty' };

/** Finds a field by the case-insensitive rule Traefik uses (strings.EqualFold on the Go name). */
export function findField(struct: StructDef, name: string): FieldDef | undefined {
  return fieldIndex(struct).get(foldCase(name));
}

/** findField for a name already case-folded (the label decoder folds each key once). */
export function findFoldedField(struct: StructDef, folded: string): FieldDef | undefined {
  return fieldIndex(struct).get(folded);
}

/** The field of this canonical name (as files and our output spell it), if any. */
export function fieldNamed(struct: StructDef, name: string): FieldDef | undefined {
  let index = namedIndexes.get(struct);
  if (!index) {
    index = new Map();
    for (const candidate of struct.fields) if (!index.has(candidate.name)) index.set(candidate.name, candidate);
    namedIndexes.set(struct, index);
  }
  return index.get(name);
}

const namedIndexes = new WeakMap<StructDef, Map<string, FieldDef>>();

// Every label node is looked up in its struct: each struct's fields are indexed once, by the key
// labels are matched against (the first field wins, as the scan it replaces did).
const fieldIndexes = new WeakMap<StructDef, ReadonlyMap<string, FieldDef>>();

function fieldIndex(struct: StructDef): ReadonlyMap<string, FieldDef> {
  let index = fieldIndexes.get(struct);
  if (!index) {
    const built = new Map<string, FieldDef>();
    for (const candidate of struct.fields) {
      const key = candidate.type.kind === 'structList' && candidate.type.singular ? candidate.type.singular : candidate.match;
      if (!built.has(key)) built.set(key, candidate);
    }
    index = built;
    fieldIndexes.set(struct, index);
  }
  return index;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Simple Unicode case folding close to Go's strings.EqualFold (per code point, never length-changing). */
export function foldCase(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += [...lower].length === 1 ? lower : ch;
  }
  return out;
}
