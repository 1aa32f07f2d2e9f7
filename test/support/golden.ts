// Golden fixtures of the render stage: fixtures/render/<case>/ holds `snapshot.json`, optional
// `args.json` (render flags), and the expected outputs: one file per fragment under `expected/`
// exactly as route-server writes it, and `diagnostics.jsonl`. `npm run fixtures:update` rewrites
// the expected outputs on purpose; the diff is then reviewed.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../../src/cli/parse-args.ts';
import { renderOptionsFrom } from '../../src/cli/render-config.ts';
import { parseSnapshot } from '../../src/model/snapshot.ts';
import { renderSnapshot, type RenderResult } from '../../src/render/render.ts';
import { serializeFragment } from '../../src/render/yaml.ts';

export const FIXTURES = new URL('../../fixtures/render/', import.meta.url).pathname;
export const GOLDEN_GENERATOR = 'route-server (golden)';

export interface GoldenOutput {
  /** File name → bytes, as the writer would put them on disk. */
  readonly files: ReadonlyMap<string, string>;
  readonly diagnostics: string;
  readonly result: RenderResult;
}

export function goldenCases(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function renderCase(name: string): GoldenOutput {
  const dir = join(FIXTURES, name);
  const parsed = parseSnapshot(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')));
  if (!parsed.ok) throw new Error(`${name}/snapshot.json: ${parsed.error}`);
  const argv = existsSync(join(dir, 'args.json')) ? (JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as string[]) : [];
  const args = parseArgs('render', argv, { env: {}, readFile: (path) => readFileSync(join(dir, path), 'utf8') });
  const result = renderSnapshot(parsed.snapshot, renderOptionsFrom(args), { allocations: [], now: 0 });
  const files = new Map<string, string>();
  for (const fragment of result.fragments) {
    files.set(`rs-${fragment.daemon}.yml`, serializeFragment(fragment.config, { daemon: fragment.daemon, socket: fragment.socket, generator: GOLDEN_GENERATOR }));
  }
  const diagnostics = result.diagnostics.map((d) => JSON.stringify(d)).join('\n');
  return { files, diagnostics: diagnostics === '' ? '' : `${diagnostics}\n`, result };
}

export function readExpected(name: string): { files: Map<string, string>; diagnostics: string } {
  const dir = join(FIXTURES, name);
  const expectedDir = join(dir, 'expected');
  const files = new Map<string, string>();
  if (existsSync(expectedDir)) {
    for (const file of readdirSync(expectedDir).sort()) files.set(file, readFileSync(join(expectedDir, file), 'utf8'));
  }
  const diagnosticsPath = join(dir, 'diagnostics.jsonl');
  return { files, diagnostics: existsSync(diagnosticsPath) ? readFileSync(diagnosticsPath, 'utf8') : '' };
}
