// Plugin configuration, Traefik's map[string]any fields (paerser addRawValue / fillRawValue):
// no field table below them, so a node's children are squashed into nested maps, and into lists
// when the keys are `[n]` indexes.

import { emptyMap, type ConfigObject, type ConfigValue } from './config.ts';
import type { LabelNode } from './label-tree.ts';

/** The map under one raw-map entry (e.g. `plugin.<name>`). */
export function fillRawMap(entry: LabelNode): ConfigObject {
  const map = emptyMap();
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
  const out = emptyMap();
  if (node.children.length === 0) {
    out[node.name] = node.value;
    return out;
  }
  for (const child of node.children) out[child.name] = squashValue(child);
  const first = node.children[0] as LabelNode;
  if (isIndexName(first.name)) {
    const list = emptyMap();
    list[node.name] = node.children.map((child) => squashValue(child));
    return list;
  }
  return out;
}

function squashValue(node: LabelNode): ConfigValue {
  if (node.children.length === 0) return node.value;
  if (isIndexName((node.children[0] as LabelNode).name)) return node.children.map((child) => squashValue(child));
  const map = emptyMap();
  for (const child of node.children) map[child.name] = squashValue(child);
  return map;
}

function isIndexName(name: string): boolean {
  return name.startsWith('[') && name.endsWith(']');
}
