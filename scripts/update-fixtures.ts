// Rewrites the expected outputs of every golden fixture (or of the cases named on the command
// line) from the current code. Run it on purpose, then review `git diff fixtures/`.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, goldenCases, renderCase } from '../test/support/golden.ts';
import { STATIC_FIXTURES, staticCase, staticCases } from '../test/support/static-golden.ts';

// `static/<case>` names a fixture of `route-server static`; any other name a render case.
const wanted = process.argv.slice(2);
const cases = wanted.length > 0 ? wanted.filter((name) => !name.startsWith('static/')) : goldenCases();
const statics = wanted.length > 0 ? wanted.filter((name) => name.startsWith('static/')).map((name) => name.slice('static/'.length)) : staticCases();
for (const name of statics) {
  mkdirSync(join(STATIC_FIXTURES, name, 'expected'), { recursive: true });
  writeFileSync(join(STATIC_FIXTURES, name, 'expected', 'traefik.yml'), staticCase(name));
  process.stdout.write(`static/${name}: traefik.yml\n`);
}
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
