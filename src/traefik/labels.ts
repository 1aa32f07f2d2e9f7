// Traefik's label decoder (pkg/config/label over traefik/paerser), reimplemented over our field
// table: labels → tree of nodes (label-tree.ts) → checked
// against the table (unknown fields, standalone elements) → filled (comma lists, indexed struct
// lists, the singular `server`, bool/int/duration parsing). Any error skips the whole container,
// as in Traefik. Fields Traefik tags `label:"-"` are checked like any other but never filled: their
// labels are accepted and ignored, each reported in a note. Most label sets (no case twins, no
// indexes, no error, no note) are filled straight from their sorted keys (label-direct.ts), to
// the result the tree gives.

import { emptyMap, emptyObject, type ConfigObject, type ConfigValue } from './config.ts';
import { Configuration } from './fields/configuration.ts';
import { findFoldedField, foldCase, type FieldDef, type FieldType, type ScalarKind, type StructDef } from './fields/table.ts';
import { parseList, parseScalar } from './label-values.ts';
import { fillRawMap } from './label-raw-map.ts';
import { decodeDirect } from './label-direct.ts';
import { buildTree, DecodeError, decodedLabelKeys, valueLabel, type LabelNode } from './label-tree.ts';
import { compareCodePoints } from '../model/ordering.ts';

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

/** Decodes a container's labels into dynamic configuration, or the first error Traefik would log. */
export function decodeLabels(labels: Readonly<Record<string, string>>): LabelDecode {
  return decodeLabelsInto(labels, Configuration, DECODED_PREFIXES);
}

/**
 * The same decoder over another root struct and label prefixes (e.g. `traefik.enable`, `traefik.docker.`).
 * `keys` are the labels' own keys, when the caller has them already.
 */
export function decodeLabelsInto(
  labels: Readonly<Record<string, string>>,
  root: StructDef,
  prefixes: readonly string[],
  keys?: readonly string[],
): LabelDecode {
  return decodeWith(labels, root, prefixes, keys, true);
}

/** The decoder through the node tree alone: the reference the direct pass (label-direct.ts) is tested against. */
export function decodeLabelsWithTree(labels: Readonly<Record<string, string>>, root: StructDef, prefixes: readonly string[]): LabelDecode {
  return decodeWith(labels, root, prefixes, undefined, false);
}

/** Most decodes note nothing: they share one empty list. */
const NO_NOTES: readonly LabelNote[] = Object.freeze([]);

function decodeWith(
  labels: Readonly<Record<string, string>>,
  root: StructDef,
  prefixes: readonly string[],
  keys: readonly string[] | undefined,
  direct: boolean,
): LabelDecode {
  try {
    const decoded = decodedLabelKeys(labels, prefixes, keys);
    // Most label sets need no tree; the others (and every error) go through it.
    const config = direct && decoded.length > 0 ? decodeDirect(labels, decoded, root) : undefined;
    if (config) return { ok: true, config, notes: NO_NOTES };
    const tree = buildTree(labels, decoded);
    if (!tree) return { ok: true, config: emptyObject(), notes: NO_NOTES };
    const notes: LabelNote[] = [];
    checkStruct(tree, root, notes);
    return { ok: true, config: fillStruct(tree, root, notes), notes };
  } catch (error) {
    if (error instanceof DecodeError) {
      return error.label === undefined ? { ok: false, error: error.message } : { ok: false, error: error.message, label: error.label };
    }
    throw error;
  }
}

// ---- pass 1: the node tree against the table (paerser nodes_metadata.go) ------------------

function checkStruct(node: LabelNode, struct: StructDef, notes: LabelNote[]): void {
  for (let child = node.first; child; child = child.next) checkField(child, struct, notes);
}

function checkField(node: LabelNode, struct: StructDef, notes: LabelNote[]): void {
  const field = findFoldedField(struct, node.folded);
  if (!field) throw new DecodeError(`field not found, node: ${node.name}`, node.label);
  const type = field.type;
  if (type.kind === 'struct' || type.kind === 'map') {
    if (!node.first && field.label === 'normal') {
      throw new DecodeError(`${node.name} cannot be a standalone element`, node.label);
    }
    if (switchedOff(node, field) && foldCase(node.value) !== 'false') {
      notes.push({ kind: 'switched-off', label: valueLabel(node), message: `${node.name}=${JSON.stringify(node.value)} is not "true", so Traefik switches ${node.name} off` });
    }
  }
  if (!node.first) return;
  checkChildren(node, type, notes);
}

/** A struct or map that may stand alone (`tls=true`) is switched off by any other value. */
function switchedOff(node: LabelNode, field: FieldDef): boolean {
  return field.label === 'allowEmpty' && node.value !== '' && foldCase(node.value) !== 'true';
}

function checkChildren(node: LabelNode, type: FieldType, notes: LabelNote[]): void {
  switch (type.kind) {
    case 'struct':
      checkStruct(node, type.struct, notes);
      return;
    case 'structList':
      if (type.singular) checkStruct(node, type.struct, notes);
      else for (let element = node.first; element; element = element.next) checkStruct(element, type.struct, notes);
      return;
    case 'map':
      if (type.value.kind === 'struct') {
        const struct = type.value.struct;
        for (let entry = node.first; entry; entry = entry.next) checkStruct(entry, struct, notes);
      }
      return;
    case 'list':
      // Elements of a scalar list have no fields: `entrypoints[0].x` is an unknown field.
      for (let element = node.first; element; element = element.next) {
        const grandchild = element.first;
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

/** Fills a struct node the check pass accepted: its children's fields are looked up again, not kept on every node. */
function fillStruct(node: LabelNode, struct: StructDef, notes: LabelNote[]): ConfigObject {
  const object = emptyObject();
  for (let child = node.first; child; child = child.next) {
    const field = findFoldedField(struct, child.folded);
    if (!field) continue;
    if (field.label === 'ignore') {
      noteNotSettable(child, field, notes);
      continue;
    }
    if ((field.type.kind === 'struct' || field.type.kind === 'map') && switchedOff(child, field)) continue;
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
    if (typeof next.ends === 'string') labels.push(next.ends);
    else if (next.ends) labels.push(...next.ends);
    for (let child = next.first; child; child = child.next) stack.push(child);
  }
  for (const label of labels.sort(compareCodePoints)) notes.push({ kind: 'not-settable', label, message });
}

function fillValue(node: LabelNode, type: FieldType, notes: LabelNote[]): ConfigValue | undefined {
  switch (type.kind) {
    case 'scalar':
      return parseScalar(node.value, type.scalar, valueLabel(node));
    case 'list':
      // An empty value leaves the list unset; items are trimmed.
      if (node.value === '') return undefined;
      return parseList(node.value, type.scalar, valueLabel(node));
    case 'struct':
      return fillStruct(node, type.struct, notes);
    case 'structList': {
      if (type.singular) {
        if (!node.first) throw new DecodeError(`invalid slice: node ${node.name}`, node.label);
        return [fillStruct(node, type.struct, notes)];
      }
      const list: ConfigValue[] = [];
      for (let element = node.first; element; element = element.next) list.push(fillStruct(element, type.struct, notes));
      return list;
    }
    case 'map': {
      const map = emptyMap();
      for (let entry = node.first; entry; entry = entry.next) {
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
