// Shared by the writer's tests: a scratch directory on the real file system, removed when the
// test file is done.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const roots: string[] = [];
// Removed when the whole file is done: a per-test hook would run before the test's own hook that
// stops its writer (hooks run in order), and the writer would recreate the directory it watches.
after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true, maxRetries: 5 }))));

/** `<tmp>/rs-write-XXXX/out`, not created yet; the parent is free for files next to it. */
export async function scratchDirectory(): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'rs-write-'));
  roots.push(root);
  return { root, dir: join(root, 'out') };
}
