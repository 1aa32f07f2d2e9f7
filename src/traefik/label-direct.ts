// Most containers' labels decoded without the node tree (label-tree.ts), to the same result.
// When no two labels differ only in case on the way (twins) and no segment is an index, the
// tree's nodes are the keys' prefixes, and in sorted order a node's labels follow each other (a
// key ending at the node first), but for siblings named the node's name and a character sorting
// before '.' (`web`, `web-2.rule`, `web.rule`). So the tree's depth-first order is the sorted
// order, and the sorted keys are filled in one pass, keeping only the path of the current key.
// Whatever this pass is not sure of gives undefined, and the caller decodes with the tree, which
// stays the reference: an error of any kind, a note (a block switched off, a `label:"-"` field),
// an index, a twin, a node met again, a field name not written in lower case, a raw map, a
// scalar with children.

import { emptyMap, emptyObject, own, type ConfigObject } from './config.ts';
import { findFoldedField, foldCase, type FieldDef, type FieldType, type StructDef } from './fields/table.ts';
import { DecodeError, keyPath } from './label-tree.ts';
import { parseList, parseScalar } from './label-values.ts';

/** One node on the current key's path. */
interface Frame {
  /** What the node's children are: fields of `struct`, entries of type `entry`, or none allowed. */
  kind: 'struct' | 'map' | 'leaf';
  struct: StructDef | undefined;
  entry: FieldType | undefined;
  /** The object the children go in. */
  out: ConfigObject | undefined;
  /** A `normal` struct or map, or a singular struct list: without children the tree reports an error. */
  needsChildren: boolean;
  hasChildren: boolean;
  /** A map's one entry whose name changes when case-folded (its folded name): a later twin of it is found by this. */
  foldedEntry: string | undefined;
}

// One frame per depth, reused from key to key and from decode to decode (at most a key's
// segments, bounded by MAX_LABEL_KEY_SEGMENTS): the pass allocates only the configuration.
const frames: Frame[] = [];

/** The configuration of sorted `keys` (decodedLabelKeys) under `root`, or undefined: decode with the tree. */
export function decodeDirect(labels: Readonly<Record<string, string>>, keys: readonly string[], root: StructDef): ConfigObject | undefined {
  const config = emptyObject();
  const top = reset(frameAt(0));
  top.kind = 'struct';
  top.struct = root;
  top.out = config;
  let path: readonly string[] = [];
  try {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      const { parts, folded } = keyPath(key);
      let shared = 1;
      while (shared < parts.length && shared < path.length && parts[shared] === path[shared]) shared++;
      // A key ends at a node before any passes through it: sharing all its segments would be a twin.
      if (shared === parts.length) return undefined;
      for (let d = path.length - 1; d >= shared; d--) if (!complete(frameAt(d))) return undefined;
      for (let d = shared; d < parts.length; d++) {
        const last = d === parts.length - 1;
        if (!enter(frameAt(d), frameAt(d - 1), parts[d] as string, folded[d] as string, last ? (labels[key] ?? '') : undefined, key)) return undefined;
      }
      path = parts;
    }
    for (let d = path.length - 1; d >= 1; d--) if (!complete(frameAt(d))) return undefined;
    return config;
  } catch (error) {
    if (error instanceof DecodeError) return undefined;
    throw error;
  } finally {
    // The frames outlive the decode: they must not hold its objects.
    for (const frame of frames) frame.out = undefined;
  }
}

function frameAt(depth: number): Frame {
  let frame = frames[depth];
  if (!frame) {
    frame = { kind: 'leaf', struct: undefined, entry: undefined, out: undefined, needsChildren: false, hasChildren: false, foldedEntry: undefined };
    frames[depth] = frame;
  }
  return frame;
}

/** A frame as a new node finds it: a leaf, nothing filled, no children yet. */
function reset(frame: Frame): Frame {
  frame.kind = 'leaf';
  frame.struct = undefined;
  frame.entry = undefined;
  frame.out = undefined;
  frame.needsChildren = false;
  frame.hasChildren = false;
  frame.foldedEntry = undefined;
  return frame;
}

/** False when the node left needs children it did not get (a standalone element, an empty singular list). */
function complete(frame: Frame): boolean {
  return !frame.needsChildren || frame.hasChildren;
}

/**
 * Makes `frame` the node `name` under `parent`, and fills its value; `value` is set when the key
 * ends here. False when the tree should decide.
 */
function enter(frame: Frame, parent: Frame, name: string, folded: string, value: string | undefined, key: string): boolean {
  parent.hasChildren = true;
  reset(frame);
  const out = parent.out as ConfigObject;
  if (name.startsWith('[')) return false;
  if (parent.kind === 'struct') {
    // A field name in another case could have a twin, which this pass would not see.
    if (name !== folded) return false;
    const field = findFoldedField(parent.struct as StructDef, folded);
    if (!field || field.label === 'ignore' || own(out, field.name) !== undefined) return false;
    return enterField(frame, out, field, value, key);
  }
  if (parent.kind === 'leaf') return false;
  // A map entry keeps its name as written: a twin is an earlier entry of the same folded name,
  // and an entry already there is a node met again.
  if (parent.foldedEntry === folded || own(out, name) !== undefined) return false;
  if (name !== folded) {
    if (parent.foldedEntry !== undefined || own(out, folded) !== undefined) return false;
    parent.foldedEntry = folded;
  }
  const entry = parent.entry as FieldType;
  if (entry.kind === 'scalar') {
    if (value === undefined) return false;
    out[name] = parseScalar(value, entry.scalar, key);
    return true;
  }
  if (entry.kind !== 'struct') return false;
  const object = emptyObject();
  out[name] = object;
  frame.kind = 'struct';
  frame.struct = entry.struct;
  frame.out = object;
  return true;
}

function enterField(frame: Frame, out: ConfigObject, field: FieldDef, value: string | undefined, key: string): boolean {
  const type = field.type;
  switch (type.kind) {
    case 'scalar':
      if (value === undefined) return false;
      out[field.name] = parseScalar(value, type.scalar, key);
      return true;
    case 'list':
      if (value === undefined) return false;
      if (value !== '') out[field.name] = parseList(value, type.scalar, key);
      return true;
    case 'struct':
    case 'map': {
      // Another value than "true" switches an allowEmpty block off (with a note): the tree's case.
      if (field.label === 'allowEmpty' && value !== undefined && value !== '' && foldCase(value) !== 'true') return false;
      const object = type.kind === 'struct' ? emptyObject() : emptyMap();
      out[field.name] = object;
      frame.kind = type.kind;
      frame.struct = type.kind === 'struct' ? type.struct : undefined;
      frame.entry = type.kind === 'map' ? type.value : undefined;
      frame.out = object;
      frame.needsChildren = field.label === 'normal';
      return true;
    }
    case 'structList': {
      if (!type.singular) return false;
      const object = emptyObject();
      out[field.name] = [object];
      frame.kind = 'struct';
      frame.struct = type.struct;
      frame.out = object;
      frame.needsChildren = true;
      return true;
    }
    case 'raw':
    case 'opaque':
      return false;
  }
}
