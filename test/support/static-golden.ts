// Golden fixtures of `route-server static`: fixtures/static/<case>/ holds `args.json` (the flags)
// and `expected/traefik.yml`, the document exactly as printed. `npm run fixtures:update` rewrites
// them too; the diff is then reviewed.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../../src/cli/parse-args.ts';
import { staticConfigText } from '../../src/cli/static-command.ts';
import { GOLDEN_GENERATOR } from './golden.ts';

export const STATIC_FIXTURES = new URL('../../fixtures/static/', import.meta.url).pathname;

export function staticCases(): string[] {
  return readdirSync(STATIC_FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function staticCase(name: string): string {
  const argv = JSON.parse(readFileSync(join(STATIC_FIXTURES, name, 'args.json'), 'utf8')) as string[];
  return staticConfigText(parseArgs('static', argv, { env: {}, readFile: (path) => readFileSync(join(STATIC_FIXTURES, name, path), 'utf8') }), GOLDEN_GENERATOR);
}

export function readStaticExpected(name: string): string {
  return readFileSync(join(STATIC_FIXTURES, name, 'expected', 'traefik.yml'), 'utf8');
}
