// Golden fixtures of the render stage: fixtures/render/<case>/ holds `snapshot.json`, optional
// `args.json` (render flags), optional `allocations.json` (the port table persisted by an earlier
// run, as in the state directory's ports.json), and the expected outputs: one file per fragment
// under `expected/` exactly as route-server writes it, and `diagnostics.jsonl`. An optional `files/`
// directory is what else the output directory holds: the operator's files, and `rs-*.yml` fragments
// kept for daemons that have not synced yet; their claims are held as `run` holds them. `npm run fixtures:update` rewrites
// the expected outputs on purpose; the diff is then reviewed.

import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from '../../src/cli/parse-args.ts';
import { renderOptionsFrom, withSnapshotDaemons } from '../../src/cli/render-config.ts';
import { parseSnapshot, type Snapshot } from '../../src/model/snapshot.ts';
import type { PortAllocation } from '../../src/render/ports.ts';
import type { RenderOptions } from '../../src/render/options.ts';
import { renderSnapshot, type RenderResult, type RenderState } from '../../src/render/render.ts';
import { serializeFragment } from '../../src/render/yaml.ts';
import type { HeldClaim } from '../../src/render/held-claims.ts';
import { isDynamicFileName } from '../../src/traefik/dynamic-file.ts';
import { readingOf } from '../../src/write/held-files.ts';
import { fragmentFileName } from '../../src/write/fragment-name.ts';

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

/** A case's inputs: what `render` is given. */
export function loadCase(name: string): { snapshot: Snapshot; options: RenderOptions; state: RenderState } {
  const dir = join(FIXTURES, name);
  const parsed = parseSnapshot(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')));
  if (!parsed.ok) throw new Error(`${name}/snapshot.json: ${parsed.error}`);
  const argv = existsSync(join(dir, 'args.json')) ? (JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as string[]) : [];
  const args = parseArgs('render', argv, { env: {}, readFile: (path) => readFileSync(join(dir, path), 'utf8') });
  const allocationsPath = join(dir, 'allocations.json');
  const allocations = existsSync(allocationsPath) ? (JSON.parse(readFileSync(allocationsPath, 'utf8')) as { allocations: PortAllocation[] }).allocations : [];
  const heldClaims = heldClaimsOf(join(dir, 'files'));
  return { snapshot: parsed.snapshot, options: withSnapshotDaemons(renderOptionsFrom(args), parsed.snapshot), state: { allocations, now: 0, heldClaims } };
}

export function renderCase(name: string): GoldenOutput {
  const { snapshot, options, state } = loadCase(name);
  const result = renderSnapshot(snapshot, options, state);
  const files = new Map<string, string>();
  for (const fragment of result.fragments) {
    files.set(fragmentFileName('rs-', fragment.daemon), serializeFragment(fragment.config, { daemon: fragment.daemon, socket: fragment.socket, generator: GOLDEN_GENERATOR }));
  }
  const diagnostics = result.diagnostics.map((d) => JSON.stringify(d)).join('\n');
  return { files, diagnostics: diagnostics === '' ? '' : `${diagnostics}\n`, result };
}

function heldClaimsOf(filesDir: string): HeldClaim[] {
  if (!existsSync(filesDir)) return [];
  const names = (readdirSync(filesDir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile() && isDynamicFileName(entry.name))
    .map((entry) => relative(filesDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
  return names.flatMap((file) => {
    const reading = readingOf(file, readFileSync(join(filesDir, file), 'utf8'), 'rs-');
    if (reading.claims === null) throw new Error(`files/${file}: ${reading.error}`);
    return reading.claims;
  });
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
