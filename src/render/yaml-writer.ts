// Block YAML for the shapes route-server writes (maps with sorted keys, lists, strings our own
// rules quote, booleans, numbers, bigints), written directly from the configuration: the `yaml`
// package builds a document tree first and costs more than the render itself at ten thousand
// containers, and so did building a sorted tree for it. The text goes into one buffer
// (text-buffer.ts) as pieces that already exist: keys, values, indents made once, so a line makes
// no string of its own and a quoted value no copy with its quotes. The bytes are the package's
// (yaml-writer.test.ts compares both on random configurations); anything else returns undefined
// and yaml.ts takes the long way (it names what is invalid, or lets the package write keys too
// long for an implicit key, keys with lone surrogates, unusual comments, very deep nesting).

import { compareUtf16, sortInPlace } from '../model/ordering.ts';
import { CONFIG_PROTOTYPE } from '../traefik/config.ts';
import { TextBuffer } from './text-buffer.ts';

/** A tree as yaml.ts prepares it for the package: plain data, every map's keys sorted. */
export type YamlTree = string | number | boolean | bigint | YamlTree[] | Map<string, YamlTree>;

/** How yaml.ts spells a string: as it is, or inside double quotes. */
export interface Scalars {
  /** Whether `text` is written as it is. */
  plain(text: string): boolean;
  /** What goes between the double quotes for `text` (made well-formed first). */
  quoted(text: string): string;
}

/** yaml.v3 and the `yaml` package read a key longer than this only in explicit `? ` form. */
const MAX_IMPLICIT_KEY = 1024;

/** Deeper than any configuration route-server writes; past it (or in a cycle) the long way decides. */
const MAX_DEPTH = 64;

/** A comment line the package writes as it is: no line breaks or controls, no trailing blank. */
const COMMENT_AS_IS = /^[^\p{Cc}\p{Zl}\p{Zp}]*[^\s\p{Cc}\p{Zl}\p{Zp}]$/u;

/** Keys are sorted as written: one with a surrogate may change when made well-formed, so it goes the long way. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** A line break and the indent of each depth, made once rather than for every line. */
const LINE_STARTS: readonly string[] = Array.from({ length: MAX_DEPTH + 2 }, (_, depth) => `\n${'  '.repeat(depth)}`);

class NotWritten extends Error {}

interface Output {
  readonly text: TextBuffer;
  readonly scalars: Scalars;
}

/** `config` as block YAML, or undefined when it holds anything this writer leaves to yaml.ts. */
export function writeBlockYaml(config: object, commentLines: readonly string[], scalars: Scalars): string | undefined {
  const out: Output = { text: TextBuffer.start(), scalars };
  for (const line of commentLines) {
    // The package writes `#` + ` line`, and a blank line as a bare `#`; trailing blanks are its business.
    if (line === '') out.text.put('#\n');
    else if (COMMENT_AS_IS.test(line)) {
      out.text.put('# ');
      out.text.put(line);
      out.text.put('\n');
    } else return undefined;
  }
  if (commentLines.length > 0) out.text.put('\n');
  try {
    if (!isPlainObject(config)) return undefined;
    if (!writeMap(config as Record<string, unknown>, out, 0, '')) out.text.put('{}');
  } catch (error) {
    if (error instanceof NotWritten) return undefined;
    throw error;
  }
  out.text.put('\n');
  return out.text.finish();
}

/**
 * Writes the map's entries at `depth`, the first after `firstStart` (on the line of a list's dash,
 * or at the start of the file); false, and nothing written, for an empty map.
 */
function writeMap(map: Record<string, unknown>, out: Output, depth: number, firstStart: string): boolean {
  // Code point order (Go's, and yaml.ts's): without surrogates it is UTF-16 order. Most maps
  // route-server builds have their keys in that order already: they are written as they come
  // (for-in, unlike Object.keys, makes no array of them; the prototypes isPlainObject allows have no
  // enumerable keys).
  let count = 0;
  let inOrder = true;
  let previous = '';
  for (const key in map) {
    if (SURROGATE.test(key)) throw new NotWritten();
    if (count > 0 && !(previous < key)) inOrder = false;
    previous = key;
    count++;
  }
  if (count === 0) return false;
  if (depth > MAX_DEPTH) throw new NotWritten();
  let start = firstStart;
  if (inOrder) {
    for (const key in map) {
      writeEntry(map, key, out, depth, start);
      start = LINE_STARTS[depth] as string;
    }
  } else {
    for (const key of sortInPlace(Object.keys(map), compareUtf16)) {
      writeEntry(map, key, out, depth, start);
      start = LINE_STARTS[depth] as string;
    }
  }
  return true;
}

function writeEntry(map: Record<string, unknown>, key: string, out: Output, depth: number, start: string): void {
  out.text.put(start);
  if (writeScalar(key, out) > MAX_IMPLICIT_KEY) throw new NotWritten();
  out.text.put(':');
  writeValue(map[key], out, depth, false);
}

/** Writes the list's items at `depth`, the first after `firstStart` (as writeMap). */
function writeList(list: readonly unknown[], out: Output, depth: number, firstStart: string): void {
  if (depth > MAX_DEPTH) throw new NotWritten();
  // Every index up to the length: a hole reads as undefined and goes the long way (refused there).
  for (let index = 0; index < list.length; index++) {
    out.text.put(index === 0 ? firstStart : (LINE_STARTS[depth] as string));
    out.text.put('-');
    writeValue(list[index], out, depth, true);
  }
}

/**
 * Writes what follows `key:` or `-` at `depth`: a scalar or an empty collection on the same line,
 * a map or list one level deeper (a list's item starts on the dash's line). Throws NotWritten for
 * what is not configuration (yaml.ts names it).
 */
function writeValue(value: unknown, out: Output, depth: number, inList: boolean): void {
  switch (typeof value) {
    case 'string':
      out.text.put(' ');
      writeScalar(value, out);
      return;
    case 'boolean':
      out.text.put(value ? ' true' : ' false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotWritten();
      // As the package's stringifyNumber: JSON's spelling, and -0 kept.
      out.text.put(' ');
      out.text.put(Object.is(value, -0) ? '-0' : JSON.stringify(value));
      return;
    case 'bigint':
      out.text.put(' ');
      out.text.put(String(value));
      return;
    case 'object': {
      if (value === null) throw new NotWritten();
      const start = inList ? ' ' : (LINE_STARTS[depth + 1] as string);
      if (Array.isArray(value)) {
        if (value.length === 0) out.text.put(' []');
        else writeList(value, out, depth + 1, start);
        return;
      }
      if (!isPlainObject(value)) throw new NotWritten();
      if (!writeMap(value as Record<string, unknown>, out, depth + 1, start)) out.text.put(' {}');
      return;
    }
    default:
      throw new NotWritten();
  }
}

/** Writes a string as a plain or double-quoted scalar; returns its length as written (UTF-16 units). */
function writeScalar(text: string, out: Output): number {
  if (out.scalars.plain(text)) {
    out.text.put(text);
    return text.length;
  }
  const quoted = out.scalars.quoted(text);
  out.text.put('"');
  out.text.put(quoted);
  out.text.put('"');
  return quoted.length + 2;
}

/** What yaml.ts writes as a map: an object of no class of its own. */
export function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return !Array.isArray(value) && (prototype === Object.prototype || prototype === null || prototype === CONFIG_PROTOTYPE);
}
