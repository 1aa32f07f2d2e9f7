// The README's configuration reference is the program's option table: every option in
// src/cli/option-spec.ts has exactly one row (and every row an option), with its environment
// variable, its default as --help prints it, and the commands that take it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envName, OPTIONS, type OptionSpec } from '../../src/cli/option-spec.ts';
import { readReadme, tableAfter } from '../support/readme.ts';

const MARKER = '<!-- This table is checked against src/cli/option-spec.ts';

interface Row {
  readonly name: string;
  readonly env: string;
  readonly default: string;
  readonly commands: string;
}

function readRows(): Row[] {
  return tableAfter(readReadme(), MARKER).map((cells) => {
    const name = /`--([a-z0-9-]+)/.exec(cells[0] ?? '')?.[1];
    assert.ok(name, `README options table: no --option in the first cell of ${JSON.stringify(cells)}`);
    return { name, env: strip(cells[1]), default: strip(cells[2]), commands: cells[3] ?? '' };
  });
}

/** Backticks are formatting: `/etc/traefik/dynamic`, else `./out` reads as the help's text. */
function strip(cell: string | undefined): string {
  return (cell ?? '').replace(/`/g, '').trim();
}

function expectedDefault(spec: OptionSpec): string {
  return spec.defaultText ?? (spec.kind === 'boolean' ? 'off' : 'none');
}

function suggestedRow(spec: OptionSpec): string {
  const flag = `--${spec.name}${spec.kind === 'boolean' ? '' : ` ${spec.metavar ?? 'VALUE'}`}`;
  return `| \`${flag}\` | \`${envName(spec.name)}\` | ${expectedDefault(spec)} | ${spec.commands.join(', ')} | ${spec.help} |`;
}

const specs = OPTIONS as readonly OptionSpec[];

test('README options table: every option of the code has a row, and every row an option', () => {
  const rows = readRows();
  const documented = rows.map((row) => row.name);
  const missing = specs.filter((spec) => !documented.includes(spec.name));
  assert.deepEqual(missing.map(suggestedRow), [], 'options missing from the README table (add these rows under "Configuration reference")');
  const unknown = documented.filter((name) => !specs.some((spec) => spec.name === name));
  assert.deepEqual(unknown, [], 'README rows for options the code does not have');
  const repeated = documented.filter((name, index) => documented.indexOf(name) !== index);
  assert.deepEqual(repeated, [], 'options with more than one README row');
});

test('README options table: environment variable, default and commands as the code has them', () => {
  const rows = new Map(readRows().map((row) => [row.name, row]));
  for (const spec of specs) {
    const row = rows.get(spec.name);
    if (!row) continue; // reported by the test above
    assert.equal(row.env, envName(spec.name), `--${spec.name}: environment variable`);
    assert.equal(row.default, expectedDefault(spec), `--${spec.name}: default (option-spec.ts defaultText)`);
    const commands = row.commands.split(/[,\s]+/).filter(Boolean).sort();
    assert.deepEqual(commands, [...spec.commands].sort(), `--${spec.name}: commands that take it`);
  }
});
