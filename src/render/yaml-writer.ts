// Block YAML for the shapes route-server writes (maps with sorted keys, lists, strings our own
// rules quote, booleans, numbers, bigints), written directly: the `yaml` package builds a document
// tree first and costs more than the render itself at ten thousand containers. The bytes are the
// package's (yaml-writer.test.ts compares both on random configurations); anything else returns
// undefined and the package writes it (keys too long for an implicit key, unusual comments).

/** A tree as yaml.ts prepares it: plain data, every map's keys sorted. */
export type YamlTree = string | number | boolean | bigint | YamlTree[] | Map<string, YamlTree>;

/** yaml.v3 and the `yaml` package read a key longer than this only in explicit `? ` form. */
const MAX_IMPLICIT_KEY = 1024;

/** A comment line the package writes as it is: no line breaks or controls, no trailing blank. */
const COMMENT_AS_IS = /^[^\p{Cc}\p{Zl}\p{Zp}]*[^\s\p{Cc}\p{Zl}\p{Zp}]$/u;

class NotWritten extends Error {}

export function writeBlockYaml(root: Map<string, YamlTree>, commentLines: readonly string[], scalar: (text: string) => string): string | undefined {
  const lines: string[] = [];
  for (const line of commentLines) {
    // The package writes `#` + ` line`, and a blank line as a bare `#`; trailing blanks are its business.
    if (line === '') lines.push('#');
    else if (COMMENT_AS_IS.test(line)) lines.push(`# ${line}`);
    else return undefined;
  }
  if (lines.length > 0) lines.push('');
  try {
    if (root.size === 0) lines.push('{}');
    else writeMap(root, '', lines, scalar);
  } catch (error) {
    if (error instanceof NotWritten) return undefined;
    throw error;
  }
  return `${lines.join('\n')}\n`;
}

function writeMap(map: Map<string, YamlTree>, indent: string, lines: string[], scalar: (text: string) => string): void {
  for (const [key, value] of map) {
    const name = scalar(key);
    if (name.length > MAX_IMPLICIT_KEY) throw new NotWritten();
    const inline = inlineValue(value, scalar);
    if (inline !== undefined) lines.push(`${indent}${name}: ${inline}`);
    else {
      lines.push(`${indent}${name}:`);
      writeCollection(value as Map<string, YamlTree> | YamlTree[], `${indent}  `, lines, scalar);
    }
  }
}

function writeList(list: readonly YamlTree[], indent: string, lines: string[], scalar: (text: string) => string): void {
  for (const item of list) {
    const inline = inlineValue(item, scalar);
    if (inline !== undefined) {
      lines.push(`${indent}- ${inline}`);
      continue;
    }
    // A collection in a list starts on the dash's line: written one level deeper, its first line's indent becomes the dash.
    const first = lines.length;
    writeCollection(item as Map<string, YamlTree> | YamlTree[], `${indent}  `, lines, scalar);
    lines[first] = `${indent}- ${(lines[first] as string).slice(indent.length + 2)}`;
  }
}

function writeCollection(value: Map<string, YamlTree> | YamlTree[], indent: string, lines: string[], scalar: (text: string) => string): void {
  if (Array.isArray(value)) writeList(value, indent, lines, scalar);
  else writeMap(value, indent, lines, scalar);
}

/** A scalar or an empty collection, as written after `key: ` or `- `; undefined for a collection with items. */
function inlineValue(value: YamlTree, scalar: (text: string) => string): string | undefined {
  switch (typeof value) {
    case 'string':
      return scalar(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // As the package's stringifyNumber: JSON's spelling, and -0 kept.
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'bigint':
      return String(value);
    default:
      if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
      return value.size === 0 ? '{}' : undefined;
  }
}
