// Every diagnostic code is proven by a test that produces it: a code a snapshot can cause has a
// golden case whose diagnostics.jsonl shows it, and a code only the render's own bug or the
// running server produces is named by a unit test. A new code without either fails here.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../../src/model/diagnostics.ts';
import { goldenCases, readExpected } from '../support/golden.ts';

const root = new URL('../../', import.meta.url).pathname;
const codes = Object.entries(DIAGNOSTIC_CODES) as [DiagnosticCode, (typeof DIAGNOSTIC_CODES)[DiagnosticCode]][];

function goldenCodes(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const name of goldenCases()) {
    for (const line of readExpected(name).diagnostics.split('\n')) {
      if (line === '') continue;
      const code = (JSON.parse(line) as { code: string }).code;
      seen.set(code, [...(seen.get(code) ?? []), name]);
    }
  }
  return seen;
}

function unitTestTexts(): string[] {
  return (readdirSync(join(root, 'src'), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => readFileSync(join(root, 'src', file), 'utf8'));
}

test('every code a snapshot can cause has a golden case that produces it', () => {
  const seen = goldenCodes();
  const missing = codes.filter(([code, source]) => source === 'render' && !seen.has(code)).map(([code]) => code);
  assert.deepEqual(missing, [], 'add fixtures/render/<case> producing each of these codes');
});

test('every code the golden cases produce is in the list', () => {
  const unknown = [...goldenCodes().keys()].filter((code) => !(code in DIAGNOSTIC_CODES));
  assert.deepEqual(unknown, []);
});

test('every code only a render fault or the runtime produces is named by a unit test', () => {
  const texts = unitTestTexts();
  const missing = codes.filter(([code, source]) => source !== 'render' && !texts.some((text) => text.includes(`'${code}'`))).map(([code]) => code);
  assert.deepEqual(missing, [], 'add a unit test under src/ asserting each of these codes');
});
