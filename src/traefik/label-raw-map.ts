// Plugin configuration, Traefik's map[string]any fields (paerser addRawValue / fillRawValue):
// no field table below them, so a node's children are squashed into nested maps, and into lists
// when the keys are `[n]` indexes.

import { emptyMap, type ConfigObject, type ConfigValue } from './config.ts';
import type { LabelNode } from './label-tree.ts';

/** The map under one raw-map entry (e.g. `plugin.<name>`). */
export function fillRawMap(entry: LabelNode): ConfigObject {
  const map = emptyMap();
  for (let child = entry.first; child; child = child.next) {
    const raw = squash(child);
    // paerser quirk kept on purpose: when the squashed map holds the child's own name, its entries
    // are spread into the parent (`plugin.p.a.a=1` gives {a: "1"}).
    if (!child.first || Object.prototype.hasOwnProperty.call(raw, child.name)) {
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
  if (!node.first) {
    out[node.name] = node.value;
    return out;
  }
  for (let child: LabelNode | undefined = node.first; child; child = child.next) out[child.name] = squashValue(child);
  if (isIndexName(node.first.name)) {
    const list = emptyMap();
    list[node.name] = squashedList(node);
    return list;
  }
  return out;
}

function squashValue(node: LabelNode): ConfigValue {
  if (!node.first) return node.value;
  if (isIndexName(node.first.name)) return squashedList(node);
  const map = emptyMap();
  for (let child: LabelNode | undefined = node.first; child; child = child.next) map[child.name] = squashValue(child);
  return map;
}

function squashedList(node: LabelNode): ConfigValue[] {
  const list: ConfigValue[] = [];
  for (let child = node.first; child; child = child.next) list.push(squashValue(child));
  return list;
}

function isIndexName(name: string): boolean {
  return name.startsWith('[') && name.endsWith(']');
}
