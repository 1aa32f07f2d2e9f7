// The README's troubleshooting table quotes diagnostics as /routes.json shows them. Each quoted
// message must be one the renderer really gives, with that code: a golden case's diagnostics.jsonl
// holds it (fixtures/render/readme-troubleshooting is the snapshot the table was written from).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readReadme, tableAfter } from '../support/readme.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/render/', import.meta.url));

function goldenDiagnostics(): Set<string> {
  const seen = new Set<string>();
  for (const name of readdirSync(FIXTURES)) {
    const path = join(FIXTURES, name, 'diagnostics.jsonl');
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
      const { code, message } = JSON.parse(line) as { code: string; message: string };
      seen.add(`${code}: ${message}`);
    }
  }
  return seen;
}

test('README troubleshooting: every quoted diagnostic is one the renderer gives', () => {
  const rows = tableAfter(readReadme(), '| problem | cause | what `/routes.json` says |');
  const quoted = rows.flatMap((cells) => {
    const cell = cells[2] ?? '';
    const match = /^`([a-z0-9-]+)` \([^)]*\)[^"]*: "(.*)"$/.exec(cell);
    // Markdown escapes (\* and \") are not part of the message.
    return match ? [`${match[1]}: ${(match[2] as string).replace(/\\([*"|])/g, '$1')}`] : [];
  });
  assert.ok(quoted.length >= 8, `the table quotes its diagnostics (found ${quoted.length})`);
  const known = goldenDiagnostics();
  assert.deepEqual(quoted.filter((line) => !known.has(line)), [], 'quoted in README but given by no golden case (fixtures/render/*/diagnostics.jsonl)');
});
