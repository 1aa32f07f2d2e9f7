// Traefik's label decoder (pkg/config/label over traefik/paerser), reimplemented over our field
// table: labels → tree of nodes (case-insensitive, first name kept, last value wins) → checked
// against the table (unknown fields, standalone elements) → filled (comma lists, indexed struct
// lists, the singular `server`, bool/int/duration parsing). Any error skips the whole container,
// as in Traefik. Fields Traefik tags `label:"-"` are checked like any other but never filled: their
// labels are accepted and ignored, each reported in a note.

import { emptyObject, type ConfigObject, type ConfigValue } from './config.ts';
import { Configuration, findField, foldCase, type FieldDef, type FieldType, type ScalarKind, type StructDef } from './fields.ts';
import { parseGoBool, parseGoDuration, parseGoInt } from './go-scalars.ts';
import { compareCodePoints } from '../model/ordering.ts';
import { MAX_LABEL_KEY_SEGMENTS } from '../model/limits.ts';

/** Prefixes Traefik decodes (case-insensitive); every other label is ignored silently. */
export const DECODED_PREFIXES = ['traefik.http', 'traefik.tcp', 'traefik.udp', 'traefik.tls.stores.default'] as const;

/**
 * Something decoded without error that the user probably did not mean: a block switched off by its
 * value (`tls=maybe`), or a label for a field Traefik never sets from labels (`label:"-"`).
 */
export interface LabelNote {
  readonly kind: 'switched-off' | 'not-settable';
  readonly label: string;
  readonly message: string;
}

export type LabelDecode =
  | { readonly ok: true; readonly config: ConfigObject; readonly notes: readonly LabelNote[] }
  | { readonly ok: false; readonly error: string; readonly label?: string };

interface LabelNode {
  readonly name: string;
  value: string;
  readonly children: LabelNode[];
  /** Children by case-folded name: labels differing only in case are one node. */
  readonly byFolded: Map<string, LabelNode>;
  /** First label (in sorted order) that passes through this node: what a diagnostic points at. */
  readonly label: string;
  /** Label whose value the node holds (the last one written). */
  valueLabel: string;
  /** Every label that ends at this node (several when they differ only in case). */
  readonly ends: string[];
  field?: FieldDef;
  disabled?: boolean;
}

class DecodeError extends Error {
  constructor(
    message: string,
    readonly label?: string,
  ) {
    super(message);
  }
}

/** Decodes a container's labels into dynamic configuration, or the first error Traefik would log. */
export function decodeLabels(labels: Readonly<Record<string, string>>): LabelDecode {
  return decodeLabelsInto(labels, Configuration, DECODED_PREFIXES);
}

/** The same decoder over another root struct and label prefixes (e.g. `traefik.enable`, `traefik.docker.`). */
export function decodeLabelsInto(
  labels: Readonly<Record<string, string>>,
  root: StructDef,
  prefixes: readonly string[],
): LabelDecode {
  try {
    const tree = buildTree(labels, prefixes);
    if (!tree) return { ok: true, config: emptyObject(), notes: [] };
    const notes: LabelNote[] = [];
    checkStruct(tree, root, notes);
    return { ok: true, config: fillStruct(tree, notes), notes };
  } catch (error) {
    if (error instanceof DecodeError) {
      return error.label === undefined ? { ok: false, error: error.message } : { ok: false, error: error.message, label: error.label };
    }
    throw error;
  }
}

/** Keys Traefik's decoder looks at, in its order (Go sorts strings bytewise, i.e. by code point). */
export function decodedLabelKeys(
  labels: Readonly<Record<string, string>>,
  prefixes: readonly string[] = DECODED_PREFIXES,
): string[] {
  const matcher = prefixMatcher(prefixes);
  return Object.keys(labels)
    .filter((key) => matcher.test(key))
    .sort(compareCodePoints);
}

const prefixMatchers = new Map<readonly string[], RegExp>();

/** One case-insensitive regexp per prefix list: labels are filtered for every container. */
function prefixMatcher(prefixes: readonly string[]): RegExp {
  let matcher = prefixMatchers.get(prefixes);
  if (!matcher) {
    matcher = new RegExp(`^(?:${prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'i');
    prefixMatchers.set(prefixes, matcher);
  }
  return matcher;
}


function buildTree(labels: Readonly<Record<string, string>>, prefixes: readonly string[]): LabelNode | undefined {
  let root: LabelNode | undefined;
  for (const key of decodedLabelKeys(labels, prefixes)) {
    const parts = splitKey(key);
    root ??= { name: parts[0] as string, value: '', children: [], byFolded: new Map(), label: key, valueLabel: key, ends: [] };
    let node = root;
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i] as string;
      const folded = foldCase(part);
      let child = node.byFolded.get(folded);
      if (!child) {
        child = { name: part, value: '', children: [], byFolded: new Map(), label: key, valueLabel: key, ends: [] };
        node.children.push(child);
        node.byFolded.set(folded, child);
      }
      node = child;
    }
    node.value = labels[key] ?? '';
    node.valueLabel = key;
    node.ends.push(key);
  }
  return root;
}

function splitKey(key: string): string[] {
  const split = key.split('.');
  // The tree is walked recursively: depth must stay bounded whatever the caller checked before.
  if (split.length > MAX_LABEL_KEY_SEGMENTS) throw new DecodeError(`label key has ${split.length} segments, route-server accepts at most ${MAX_LABEL_KEY_SEGMENTS}`, key);
  if (split[0] !== 'traefik') throw new DecodeError(`invalid label root ${split[0]}`, key);
  const parts: string[] = [];
  for (const element of split) {
    if (element === '') throw new DecodeError(`invalid element: ${key}`, key);
    if (element.startsWith('[')) {
      throw new DecodeError(`invalid leading character '[' in field name (bracket is a slice delimiter): ${element}`, key);
    }
    if (element.endsWith(']')) {
      // Traefik panics on `name]` without `[`; we report it instead.
      const open = element.indexOf('[');
      if (open < 0) throw new DecodeError(`invalid element: ${key}`, key);
      parts.push(element.slice(0, open), element.slice(open));
    } else {
      parts.push(element);
    }
  }
  return parts;
}

// ---- pass 1: the node tree against the table (paerser nodes_metadata.go) ------------------

function checkStruct(node: LabelNode, struct: StructDef, notes: LabelNote[]): void {
  for (const child of node.children) checkField(child, struct, notes);
}

function checkField(node: LabelNode, struct: StructDef, notes: LabelNote[]): void {
  const field = findField(struct, node.name);
  if (!field) throw new DecodeError(`field not found, node: ${node.name}`, node.label);
  node.field = field;
  const type = field.type;
  if (type.kind === 'struct' || type.kind === 'map') {
    if (node.children.length === 0 && field.label === 'normal') {
      throw new DecodeError(`${node.name} cannot be a standalone element`, node.label);
    }
    node.disabled = node.value !== '' && foldCase(node.value) !== 'true' && field.label === 'allowEmpty';
    if (node.disabled && foldCase(node.value) !== 'false') {
      notes.push({ kind: 'switched-off', label: node.valueLabel, message: `${node.name}=${JSON.stringify(node.value)} is not "true", so Traefik switches ${node.name} off` });
    }
  }
  node.disabled = node.disabled === true || field.label === 'ignore';
  if (node.children.length === 0) return;
  checkChildren(node, type, notes);
}

function checkChildren(node: LabelNode, type: FieldType, notes: LabelNote[]): void {
  switch (type.kind) {
    case 'struct':
      checkStruct(node, type.struct, notes);
      return;
    case 'structList':
      if (type.singular) checkStruct(node, type.struct, notes);
      else for (const element of node.children) checkStruct(element, type.struct, notes);
      return;
    case 'map':
      if (type.value.kind === 'struct') {
        const struct = type.value.struct;
        for (const entry of node.children) checkStruct(entry, struct, notes);
      }
      return;
    case 'list':
      // Elements of a scalar list have no fields: `entrypoints[0].x` is an unknown field.
      for (const element of node.children) {
        const grandchild = element.children[0];
        if (grandchild) throw new DecodeError(`field not found, node: ${grandchild.name}`, grandchild.label);
      }
      return;
    case 'scalar':
      throw new DecodeError(`invalid node ${node.name}: ${goKind(type.scalar)}`, node.label);
    case 'opaque':
      throw new DecodeError(`invalid node ${node.name}: ${type.goKind}`, node.label);
    case 'raw':
      return;
  }
}

function goKind(scalar: ScalarKind): string {
  return scalar === 'duration' ? 'int64' : scalar;
}

// ---- pass 2: filling values (paerser element_fill.go) --------------------------------------

function fillStruct(node: LabelNode, notes: LabelNote[]): ConfigObject {
  const object = emptyObject();
  for (const child of node.children) {
    const field = child.field;
    if (!field) continue;
    if (child.disabled) {
      if (field.label === 'ignore') noteNotSettable(child, field, notes);
      continue;
    }
    const value = fillValue(child, field.type, notes);
    if (value !== undefined) object[field.name] = value;
  }
  return object;
}

/** One note per label below a `label:"-"` field: Traefik accepts each and sets nothing. */
function noteNotSettable(node: LabelNode, field: FieldDef, notes: LabelNote[]): void {
  const message = `${field.name} is accepted and ignored: Traefik does not set it from labels`;
  const stack = [node];
  const labels: string[] = [];
  while (stack.length > 0) {
    const next = stack.pop() as LabelNode;
    labels.push(...next.ends);
    stack.push(...next.children);
  }
  for (const label of labels.sort(compareCodePoints)) notes.push({ kind: 'not-settable', label, message });
}

function fillValue(node: LabelNode, type: FieldType, notes: LabelNote[]): ConfigValue | undefined {
  switch (type.kind) {
    case 'scalar':
      return parseScalar(node.value, type.scalar, node.valueLabel);
    case 'list':
      // An empty value leaves the list unset; items are trimmed.
      if (node.value === '') return undefined;
      return node.value.split(',').map((item) => parseScalar(item.trim(), type.scalar, node.valueLabel));
    case 'struct':
      return fillStruct(node, notes);
    case 'structList':
      if (type.singular) {
        if (node.children.length === 0) throw new DecodeError(`invalid slice: node ${node.name}`, node.label);
        return [fillStruct(node, notes)];
      }
      return node.children.map((element) => fillStruct(element, notes));
    case 'map': {
      const map = emptyObject();
      for (const entry of node.children) {
        const value = type.value.kind === 'raw' ? fillRawMap(entry) : fillValue(entry, type.value, notes);
        if (value !== undefined) map[entry.name] = value;
      }
      return map;
    }
    case 'raw':
      return fillRawMap(node);
    case 'opaque':
      // Never filled: the only such field is tagged label:"-".
      return undefined;
  }
}

function parseScalar(text: string, scalar: ScalarKind, label: string): ConfigValue {
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

// ---- plugin configuration: map[string]any (paerser addRawValue / fillRawValue) -------------

function fillRawMap(entry: LabelNode): ConfigObject {
  const map = emptyObject();
  for (const child of entry.children) {
    const raw = squash(child);
    // paerser quirk kept on purpose: when the squashed map holds the child's own name, its entries
    // are spread into the parent (`plugin.p.a.a=1` gives {a: "1"}).
    if (child.children.length === 0 || Object.prototype.hasOwnProperty.call(raw, child.name)) {
      for (const key of Object.keys(raw)) map[key] = raw[key] as ConfigValue;
    } else {
      map[child.name] = raw;
    }
  }
  return map;
}

/** Children squashed into one map (or list for `[n]` keys); a leaf gives {name: value}. */
function squash(node: LabelNode): ConfigObject {
  const out = emptyObject();
  if (node.children.length === 0) {
    out[node.name] = node.value;
    return out;
  }
  for (const child of node.children) out[child.name] = squashValue(child);
  const first = node.children[0] as LabelNode;
  if (isIndexName(first.name)) {
    const list = emptyObject();
    list[node.name] = node.children.map((child) => squashValue(child));
    return list;
  }
  return out;
}

function squashValue(node: LabelNode): ConfigValue {
  if (node.children.length === 0) return node.value;
  if (isIndexName((node.children[0] as LabelNode).name)) return node.children.map((child) => squashValue(child));
  const map = emptyObject();
  for (const child of node.children) map[child.name] = squashValue(child);
  return map;
}

function isIndexName(name: string): boolean {
  return name.startsWith('[') && name.endsWith(']');
}
