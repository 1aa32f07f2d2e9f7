// The first step of Traefik's label decoder (paerser parser): the labels under the decoded
// prefixes, sorted bytewise, become a tree of nodes, one per key segment (case-insensitive, first
// name kept, last value wins). `name[0]` segments split into the name and its index.

import { foldCase } from './fields/table.ts';
import { compareCodePoints, sortInPlace } from '../model/ordering.ts';
import { MAX_LABEL_KEY_SEGMENTS } from '../model/limits.ts';

export interface LabelNode {
  readonly name: string;
  /** The name case-folded: labels differing only in case are one node. */
  readonly folded: string;
  value: string;
  /** First label (in sorted order) that passes through this node: what a diagnostic points at. */
  readonly label: string;
  /**
   * The label that ends at this node, or the labels when several differ only in case (the last
   * wrote the value); none for a node on the way. A list only for twins: most nodes end one label.
   */
  ends: string | string[] | undefined;
  /**
   * Children in label order: the first, and each child's next sibling. A linked list, not an array
   * per node: most nodes have one or two children, and a list that grows by push reserves 17 slots.
   */
  first: LabelNode | undefined;
  next: LabelNode | undefined;
  /** Children by folded name, and the last, once there are too many to scan (most nodes have one or two). */
  index: ChildIndex | undefined;
}

interface ChildIndex {
  readonly byFolded: Map<string, LabelNode>;
  last: LabelNode;
}

/** The label whose value the node holds (the last one written), else the first passing through. */
export function valueLabel(node: LabelNode): string {
  const ends = node.ends;
  if (ends === undefined) return node.label;
  return typeof ends === 'string' ? ends : (ends[ends.length - 1] as string);
}

/** The first error Traefik would log for a container, and the label it comes from. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly label?: string,
  ) {
    super(message);
  }
}

/**
 * Keys Traefik's decoder looks at, in its order (Go sorts strings bytewise, i.e. by code point).
 * `keys` are the labels' own keys, when the caller has them already.
 */
export function decodedLabelKeys(
  labels: Readonly<Record<string, string>>,
  prefixes: readonly string[],
  keys: readonly string[] = Object.keys(labels),
): string[] {
  const matcher = prefixMatcher(prefixes);
  // Counted first, then copied into a list of that size: a list that grows by push reserves 17 slots.
  let count = 0;
  for (let i = 0; i < keys.length; i++) if (matcher.test(keys[i] as string)) count++;
  const decoded = new Array<string>(count);
  for (let i = 0, at = 0; at < count; i++) if (matcher.test(keys[i] as string)) decoded[at++] = keys[i] as string;
  return sortInPlace(decoded, compareCodePoints);
}

const prefixMatchers = new Map<string, RegExp>();
/** The same lists by identity: the decoders pass their module's constant, and joining it for every container cost more than the lookup. */
const matchersByList = new WeakMap<readonly string[], RegExp>();

/**
 * One case-insensitive regexp per prefix list: labels are filtered for every container. Keyed by
 * the list's content, not the array: a caller passing a new array each time (a literal) would add
 * an entry per container built, forever (30 KB a second at 20 changes a second). The lists seen
 * by identity are held weakly, so such a caller's arrays go with it.
 */
function prefixMatcher(prefixes: readonly string[]): RegExp {
  const known = matchersByList.get(prefixes);
  if (known) return known;
  const key = prefixes.join('\u0000');
  let matcher = prefixMatchers.get(key);
  if (!matcher) {
    matcher = new RegExp(`^(?:${prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'i');
    prefixMatchers.set(key, matcher);
  }
  matchersByList.set(prefixes, matcher);
  return matcher;
}

/** The node tree of `keys`, labels Traefik decodes in its order (decodedLabelKeys); nothing when there are none. */
export function buildTree(labels: Readonly<Record<string, string>>, keys: readonly string[]): LabelNode | undefined {
  let root: LabelNode | undefined;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string;
    const { parts, folded } = keyPath(key);
    root ??= newNode(parts[0] as string, folded[0] as string, key);
    let node = root;
    for (let i = 1; i < parts.length; i++) node = childNamed(node, parts[i] as string, folded[i] as string, key);
    node.value = labels[key] ?? '';
    const ends = node.ends;
    if (ends === undefined) node.ends = key;
    else if (typeof ends === 'string') node.ends = [ends, key];
    else ends.push(key);
  }
  return root;
}

function newNode(name: string, folded: string, label: string): LabelNode {
  // Every field set here, in one order: later writes keep one object shape.
  return { name, folded, value: '', label, ends: undefined, first: undefined, next: undefined, index: undefined };
}

/** Past this many children a node indexes them: a hostile container's thousand siblings cost no quadratic scan. */
const MAX_SCANNED_CHILDREN = 8;

/** The child of this folded name, added after the others (as `label`'s) when there is none yet. */
function childNamed(node: LabelNode, name: string, folded: string, label: string): LabelNode {
  const index = node.index;
  if (index) {
    const found = index.byFolded.get(folded);
    if (found) return found;
    const added = newNode(name, folded, label);
    index.byFolded.set(folded, added);
    index.last.next = added;
    index.last = added;
    return added;
  }
  let last: LabelNode | undefined;
  let count = 0;
  for (let child = node.first; child; child = child.next) {
    if (child.folded === folded) return child;
    last = child;
    count++;
  }
  const added = newNode(name, folded, label);
  if (last) last.next = added;
  else node.first = added;
  if (count >= MAX_SCANNED_CHILDREN) {
    const byFolded = new Map<string, LabelNode>();
    for (let child = node.first; child; child = child.next) byFolded.set(child.folded, child);
    node.index = { byFolded, last: added };
  }
  return added;
}

/** A key's segments as written and case-folded. */
export interface KeyPath {
  readonly parts: readonly string[];
  readonly folded: readonly string[];
}

// The same keys come back on thousands of containers (compose files share them), and a render
// decodes every container's labels twice: each key is split and folded once. Bounded, so hostile
// keys cost memory only up to the bound; keys that do not split are not kept (they throw).
const MAX_KEPT_PATHS = 20_000;
const MAX_KEPT_KEY_LENGTH = 512;
const keptPaths = new Map<string, KeyPath>();

/** The key's segments; a key Traefik would refuse throws its DecodeError. */
export function keyPath(key: string): KeyPath {
  const kept = keptPaths.get(key);
  if (kept) return kept;
  const parts = splitKey(key);
  const path = { parts, folded: parts.map(foldCase) };
  if (key.length <= MAX_KEPT_KEY_LENGTH) {
    if (keptPaths.size >= MAX_KEPT_PATHS) keptPaths.clear();
    keptPaths.set(key, path);
  }
  return path;
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
