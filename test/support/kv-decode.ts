// Traefik's KV decoding (pkg/config/kv + paerser Fill), rebuilt for tests from the rules in the
// design notes (KV-FACTS) and typed by Traefik's published dynamic-configuration schema:
//   - only <root>/http, tcp, udp, tls (case-insensitive prefix) are read; a key with a prefix
//     like <root>/httpx passes the filter and then fails as an unknown field;
//   - keys split on `/`, empty segments dropped; an all-digit segment is the list index [N];
//   - siblings that differ only in case merge (the first in sort order names a map entry);
//   - a list of scalars is its values joined with `,` in key string order, then split on `,`;
//   - a list of structs takes its elements in key string order;
//   - field names match case-insensitively; an unknown field, a bad bool/int, or a struct with no
//     children (except allowEmpty fields given `true`) rejects the WHOLE configuration.
// Returns the decoded configuration or throws with the reason Traefik would log.

import { readFileSync } from 'node:fs';
import { SCHEMA_PATH } from './traefik-schema.ts';

type Json = Record<string, any>;
interface Node {
  name: string;
  /** The segment as written: lists are ordered by it (`…/10` before `…/2`). */
  raw: string;
  value?: string;
  children: Node[];
}

/** Fields tagged kv:"allowEmpty" in Traefik's dynamic configuration (KV-FACTS §1). */
const ALLOW_EMPTY = new Set(['tls', 'sticky', 'compress', 'contenttype', 'ipstrategy', 'proxyprotocol', 'healthcheck']);
const SECTIONS = ['http', 'tcp', 'udp', 'tls'];

let schema: Json | undefined;
function root(): Json {
  schema ??= JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Json;
  return schema;
}

export function decodeKv(pairs: ReadonlyMap<string, string>, rootKey: string): Json {
  const keys = [...pairs.keys()].filter((key) => SECTIONS.some((section) => key.toLowerCase().startsWith(`${rootKey}/${section}`.toLowerCase()))).sort();
  const tree: Node = { name: rootKey, raw: rootKey, children: [] };
  for (const key of keys) {
    if (!key.startsWith(`${rootKey}/`)) throw new Error(`decode: key ${key} does not start with ${rootKey}/`);
    const value = pairs.get(key) as string;
    if (value === '') continue;
    const segments = key.slice(rootKey.length + 1).split('/').filter((s) => s !== '');
    let node = tree;
    for (const raw of segments) {
      const segment = /^\d+$/.test(raw) ? `[${raw}]` : raw;
      let child = node.children.find((c) => c.name.toLowerCase() === segment.toLowerCase());
      if (!child) node.children.push((child = { name: segment, raw, children: [] }));
      node = child;
    }
    node.value = value;
  }
  // Traefik never decodes an empty listing (and keeps its last routes): the view is empty.
  return tree.children.length === 0 ? {} : (fill(tree, root(), 'root') as Json);
}

function resolve(s: Json): Json {
  let out = s;
  while (out['$ref']) out = root()['definitions'][(out['$ref'] as string).replace('#/definitions/', '')];
  if (out['oneOf'] || out['anyOf']) {
    // A middleware or service is one of several shapes: the fields of all of them are known.
    const variants = ((out['oneOf'] ?? out['anyOf']) as Json[]).map(resolve);
    const properties = Object.assign({}, out['properties'] ?? {}, ...variants.map((v) => v['properties'] ?? {}));
    return { ...out, type: 'object', properties, oneOf: undefined, anyOf: undefined };
  }
  return out;
}

function fill(node: Node, s: Json, path: string): unknown {
  const type = resolve(s);
  if (type['type'] === 'array') {
    const items = resolve(type['items'] ?? {});
    if (node.children.length > 0 && node.children.every((c) => /^\[\d+\]$/.test(c.name))) {
      const ordered = [...node.children].sort((a, b) => (a.raw < b.raw ? -1 : 1));
      if (items['type'] === 'object') return ordered.map((c, i) => fill(c, items, `${path}[${i}]`));
      return ordered.map((c) => scalarOf(c, path)).join(',').split(',').map((v) => v.trim()).map((v) => convert(v, items, path));
    }
    if (node.value !== undefined && items['type'] !== 'object') return node.value.split(',').map((v) => convert(v.trim(), items, path));
    throw new Error(`decode: ${path}: not a list`);
  }
  if (type['type'] === 'object' || type['properties'] || type['additionalProperties']) {
    if (node.children.length === 0) {
      const field = path.split('.').pop()?.toLowerCase() ?? '';
      if (ALLOW_EMPTY.has(field) && node.value?.toLowerCase() === 'true') return {};
      throw new Error(`decode: ${path} cannot be a standalone element`);
    }
    const out: Json = {};
    const properties = (type['properties'] ?? {}) as Json;
    for (const child of node.children) {
      const field = Object.keys(properties).find((p) => p.toLowerCase() === child.name.toLowerCase());
      if (field !== undefined) out[field] = fill(child, properties[field], `${path}.${field}`);
      else if (typeof type['additionalProperties'] === 'object') out[child.name] = fill(child, type['additionalProperties'], `${path}.${child.name}`);
      else throw new Error(`decode: field not found, node: ${child.name} (at ${path})`);
    }
    return out;
  }
  return convert(scalarOf(node, path), type, path);
}

function scalarOf(node: Node, path: string): string {
  if (node.children.length > 0 || node.value === undefined) throw new Error(`decode: ${path}: expected a value`);
  return node.value;
}

function convert(value: string, type: Json, path: string): unknown {
  const t = type['type'];
  if (t === 'boolean') {
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
    throw new Error(`decode: ${path}: invalid bool ${JSON.stringify(value)}`);
  }
  if (t === 'integer') {
    if (!/^[+-]?\d+$/.test(value)) throw new Error(`decode: ${path}: invalid int ${JSON.stringify(value)}`);
    return Number(value);
  }
  return value;
}
