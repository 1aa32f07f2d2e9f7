// Reads a file-provider file the way Traefik does before decoding it: Go template first, then YAML
// or TOML by extension. Only template actions that print a string literal (how route-server and
// most tools escape `{{`) are evaluated; any other action stays in the text, for the caller to
// notice as `{{` in a value.

import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

export type DynamicFileParse = { readonly ok: true; readonly config: unknown } | { readonly ok: false; readonly error: string };

/** `.yml`, `.yaml`, `.toml` in any case: the files Traefik's file provider loads. */
export function isDynamicFileName(name: string): boolean {
  return /\.(ya?ml|toml)$/i.test(name);
}

// {{`text`}} and {{"text"}}, with optional trim markers: Go prints the literal.
const RAW_STRING_ACTION = /\{\{-?\s*`([^`]*)`\s*-?\}\}/g;
const QUOTED_STRING_ACTION = /\{\{-?\s*"((?:[^"\\\n]|\\.)*)"\s*-?\}\}/g;

export function evaluateLiteralActions(text: string): string {
  return text.replace(RAW_STRING_ACTION, (_, literal: string) => literal).replace(QUOTED_STRING_ACTION, (whole, body: string) => {
    try {
      return JSON.parse(`"${body}"`) as string;
    } catch {
      return whole; // a Go escape JSON lacks: leave the action, it reads as templated
    }
  });
}

export function parseDynamicFile(name: string, text: string): DynamicFileParse {
  const evaluated = evaluateLiteralActions(text);
  try {
    const config: unknown = /\.toml$/i.test(name) ? parseToml(evaluated) : parseYaml(evaluated, { uniqueKeys: false });
    return { ok: true, config };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const templated = evaluated.includes('{{') ? ' (it holds Go template actions, which route-server does not evaluate)' : '';
    return { ok: false, error: `${why}${templated}` };
  }
}
