// Rewrites the expected outputs of every golden fixture (or of the cases named on the command
// line) from the current code. Run it on purpose, then review `git diff fixtures/`.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, goldenCases, renderCase } from '../test/support/golden.ts';

const wanted = process.argv.slice(2);
const cases = wanted.length > 0 ? wanted : goldenCases();
for (const name of cases) {
  const output = renderCase(name);
  const dir = join(FIXTURES, name);
  rmSync(join(dir, 'expected'), { recursive: true, force: true });
  if (output.files.size > 0) mkdirSync(join(dir, 'expected'));
  for (const [file, text] of output.files) writeFileSync(join(dir, 'expected', file), text);
  const diagnosticsPath = join(dir, 'diagnostics.jsonl');
  rmSync(diagnosticsPath, { force: true });
  if (output.diagnostics !== '') writeFileSync(diagnosticsPath, output.diagnostics);
  process.stdout.write(`${name}: ${output.files.size} fragment(s), ${output.result.diagnostics.length} diagnostic(s)\n`);
}
