// Block YAML for the shapes route-server writes (maps with sorted keys, lists, strings our own
// rules quote, booleans, numbers, bigints), written directly from the configuration: the `yaml`
// package builds a document tree first and costs more than the render itself at ten thousand
// containers, and so did building a sorted tree for it. The bytes are the package's
// (yaml-writer.test.ts compares both on random configurations); anything else returns undefined
// and yaml.ts takes the long way (it names what is invalid, or lets the package write keys too
// long for an implicit key, keys with lone surrogates, unusual comments, very deep nesting).

import { compareUtf16, sortInPlace } from '../model/ordering.ts';
import { CONFIG_PROTOTYPE } from '../traefik/config.ts';

/** A tree as yaml.ts prepares it for the package: plain data, every map's keys sorted. */
export type YamlTree = string | number | boolean | bigint | YamlTree[] | Map<string, YamlTree>;

/** yaml.v3 and the `yaml` package read a key longer than this only in explicit `? ` form. */
const MAX_IMPLICIT_KEY = 1024;

/** Deeper than any configuration route-server writes; past it (or in a cycle) the long way decides. */
const MAX_DEPTH = 64;

/** A comment line the package writes as it is: no line breaks or controls, no trailing blank. */
const COMMENT_AS_IS = /^[^\p{Cc}\p{Zl}\p{Zp}]*[^\s\p{Cc}\p{Zl}\p{Zp}]$/u;

/** Keys are sorted as written: one with a surrogate may change when made well-formed, so it goes the long way. */
const SURROGATE = /[\uD800-\uDFFF]/;

class NotWritten extends Error {}

/**
 * `config` as block YAML, or undefined when it holds anything this writer leaves to yaml.ts.
 * `scalar` writes a string (well-formed first) as a plain or quoted scalar.
 */
export function writeBlockYaml(config: object, commentLines: readonly string[], scalar: (text: string) => string): string | undefined {
  const lines: string[] = [];
  for (const line of commentLines) {
    // The package writes `#` + ` line`, and a blank line as a bare `#`; trailing blanks are its business.
    if (line === '') lines.push('#');
    else if (COMMENT_AS_IS.test(line)) lines.push(`# ${line}`);
    else return undefined;
  }
  if (lines.length > 0) lines.push('');
  try {
    if (!isPlainObject(config)) return undefined;
    if (Object.keys(config).length === 0) lines.push('{}');
    else writeMap(config as Record<string, unknown>, '', lines, scalar, 0);
  } catch (error) {
    if (error instanceof NotWritten) return undefined;
    throw error;
  }
  return `${lines.join('\n')}\n`;
}

function writeMap(map: Record<string, unknown>, indent: string, lines: string[], scalar: (text: string) => string, depth: number): void {
  const keys = Object.keys(map);
  for (const key of keys) if (SURROGATE.test(key)) throw new NotWritten();
  // Code point order (Go's, and yaml.ts's): without surrogates it is UTF-16 order.
  sortInPlace(keys, compareUtf16);
  for (const key of keys) {
    const name = scalar(key);
    if (name.length > MAX_IMPLICIT_KEY) throw new NotWritten();
    const value = map[key];
    const inline = inlineValue(value, scalar);
    if (inline !== undefined) lines.push(`${indent}${name}: ${inline}`);
    else {
      lines.push(`${indent}${name}:`);
      writeCollection(value as object, `${indent}  `, lines, scalar, depth + 1);
    }
  }
}

function writeList(list: readonly unknown[], indent: string, lines: string[], scalar: (text: string) => string, depth: number): void {
  // Every index up to the length: a hole reads as undefined and goes the long way (refused there).
  for (let index = 0; index < list.length; index++) {
    const item = list[index];
    const inline = inlineValue(item, scalar);
    if (inline !== undefined) {
      lines.push(`${indent}- ${inline}`);
      continue;
    }
    // A collection in a list starts on the dash's line: written one level deeper, its first line's indent becomes the dash.
    const first = lines.length;
    writeCollection(item as object, `${indent}  `, lines, scalar, depth + 1);
    lines[first] = `${indent}- ${(lines[first] as string).slice(indent.length + 2)}`;
  }
}

function writeCollection(value: object, indent: string, lines: string[], scalar: (text: string) => string, depth: number): void {
  if (depth > MAX_DEPTH) throw new NotWritten();
  if (Array.isArray(value)) writeList(value, indent, lines, scalar, depth);
  else writeMap(value as Record<string, unknown>, indent, lines, scalar, depth);
}

/**
 * A scalar or an empty collection, as written after `key: ` or `- `; undefined for a collection
 * with items. Throws NotWritten for what is not configuration (yaml.ts names it).
 */
function inlineValue(value: unknown, scalar: (text: string) => string): string | undefined {
  switch (typeof value) {
    case 'string':
      return scalar(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new NotWritten();
      // As the package's stringifyNumber: JSON's spelling, and -0 kept.
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) throw new NotWritten();
      if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
      if (!isPlainObject(value)) throw new NotWritten();
      return Object.keys(value).length === 0 ? '{}' : undefined;
    default:
      throw new NotWritten();
  }
}

/** What yaml.ts writes as a map: an object of no class of its own. */
export function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return !Array.isArray(value) && (prototype === Object.prototype || prototype === null || prototype === CONFIG_PROTOTYPE);
}
