// `route-server` as its bin runs it: from a bundle of the sources, built again at the start after
// a source or package.json changed; route-servers started together each get a whole bundle; where
// the bundle cannot be written, the sources run through tsx, and stderr says so once. Run on a
// copy of the project (bin, src, package.json, tsconfig.json, links to node_modules' packages).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scratchDirectory } from '../../test/support/scratch-directory.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function projectCopy(): Promise<string> {
  const { root } = await scratchDirectory();
  for (const entry of ['bin', 'src', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, entry), join(root, entry), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(join(ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  return root;
}

function version(root: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/route-server.js'), '--version'], { env: { PATH: process.env['PATH'] } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

test('an edit to package.json or to a source shows at the next start', { timeout: 60_000 }, async () => {
  const root = await projectCopy();
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.deepEqual(await version(root), { code: 0, stdout: `${own.version}\n`, stderr: '' });
  edit(root, 'package.json', (text) => text.replace(`"version": "${own.version}"`, '"version": "7.7.7"'));
  assert.deepEqual(await version(root), { code: 0, stdout: '7.7.7\n', stderr: '' });
  edit(root, 'src/cli/version.ts', (text) => text.replace('= packageJson.version;', "= `${packageJson.version}-edited`;"));
  assert.deepEqual(await version(root), { code: 0, stdout: '7.7.7-edited\n', stderr: '' });
});

test('route-servers started together after an edit all run the edited code', { timeout: 60_000 }, async () => {
  const root = await projectCopy();
  assert.equal((await version(root)).code, 0);
  edit(root, 'package.json', (text) => text.replace(/"version": "[^"]*"/, '"version": "8.8.8"'));
  const runs = await Promise.all(Array.from({ length: 8 }, () => version(root)));
  for (const run of runs) assert.deepEqual(run, { code: 0, stdout: '8.8.8\n', stderr: '' });
  const cache = join(root, 'node_modules/.cache/route-server');
  assert.deepEqual(readdirSync(cache).filter((file) => !/\.mjs(\.map)?$/.test(file)), [], 'no temporary file is left');
});

test('where the bundle cannot be written, the sources run through tsx, said once on stderr', { timeout: 60_000 }, async () => {
  const root = await projectCopy();
  rmSync(join(root, 'node_modules/.cache'), { recursive: true, force: true });
  writeFileSync(join(root, 'node_modules/.cache'), 'not a directory');
  const run = await version(root);
  assert.equal(run.code, 0);
  assert.equal(run.stdout, `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, run.stderr);
  assert.match(run.stderr, /^route-server: running the TypeScript sources through tsx/);
});
