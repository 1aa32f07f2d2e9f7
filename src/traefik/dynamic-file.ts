// Reads a file-provider file the way Traefik does before decoding it: Go template first, then YAML
// or TOML by extension. Only template actions that print a string literal (how route-server and
// most tools escape `{{`) are evaluated; any other action is replaced by a mark, for the caller to
// notice in a value.

import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

export type DynamicFileParse = { readonly ok: true; readonly config: unknown } | { readonly ok: false; readonly error: string };

/** `.yml`, `.yaml`, `.toml` in any case: the files Traefik's file provider loads. */
export function isDynamicFileName(name: string): boolean {
  return /\.(ya?ml|toml)$/i.test(name);
}

/**
 * Stands for the output of a template action that is not evaluated. A private-use character: it
 * never comes from a literal, so a value holding it is known to be templated.
 */
export const TEMPLATED = '\uE000';

const ACTION = /\{\{(.*?)\}\}/gs;
// {{`text`}} and {{"text"}}, with optional trim markers: Go prints the literal.
const RAW_STRING = /^-?\s*`([^`]*)`\s*-?$/s;
const QUOTED_STRING = /^-?\s*("(?:[^"\\\n]|\\.)*")\s*-?$/s;
const COMMENT = /^-?\s*\/\*.*\*\/\s*-?$/s;

/** Go's template pass, for the actions that print a literal; every other action becomes {@link TEMPLATED}. */
export function evaluateLiteralActions(text: string): string {
  return text.replace(ACTION, (_, body: string) => {
    const raw = RAW_STRING.exec(body);
    if (raw) return raw[1] as string;
    if (COMMENT.test(body)) return '';
    const quoted = QUOTED_STRING.exec(body);
    if (quoted) {
      try {
        return JSON.parse(quoted[1] as string) as string;
      } catch {
        // a Go escape JSON lacks: treat as templated
      }
    }
    return TEMPLATED;
  });
}

export function parseDynamicFile(name: string, text: string): DynamicFileParse {
  const evaluated = evaluateLiteralActions(text);
  try {
    const config: unknown = /\.toml$/i.test(name) ? parseToml(evaluated) : parseYaml(evaluated, { uniqueKeys: false });
    return { ok: true, config };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const templated = evaluated.includes(TEMPLATED) ? ' (it holds Go template actions, which route-server does not evaluate)' : '';
    return { ok: false, error: `${why}${templated}` };
  }
}
