// Write faults, provoked for real. Tests run as root, and root ignores directory permissions, so
// EACCES comes from a writer in a child process running as `nobody` (chmod 0555 then bites);
// as root we use a directory where the fragment should be (EISDIR) and a file where the output
// directory should be (ENOTDIR).

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { chmod, chown, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../test/support/wait.ts';
import { FragmentWriter, type WriterStatus } from './fragment-writer.ts';
import type { WriterReply, WriterRequest } from '../../test/support/writer-process.ts';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import { scratchDirectory } from '../../test/support/scratch-directory.ts';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<WriterRequest>;

/** A writer in a child process that becomes `nobody` once loaded, driven over IPC. */
function unprivilegedWriter(t: TestContext, dir: string) {
  const child = fork(fileURLToPath(new URL('../../test/support/writer-process.ts', import.meta.url)), [dir, String(NOBODY)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.connected) child.kill();
    await exited;
  });
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  child.on('message', (reply: WriterReply) => waiting.get(reply.id)?.(reply.result));
  const call = <T>(request: Request): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, (result) => resolve(result as T));
      child.send({ ...request, id } as WriterRequest, (error) => error && reject(error));
    });
  return { call, exited };
}

describe('FragmentWriter: write faults', () => {
  it('EACCES (read-only directory, unprivileged writer): keeps the old file, reports, retries by itself', { skip: !isRoot && 'needs root to switch to nobody' }, async (t) => {
    const { root, dir } = await scratchDirectory();
    await chmod(root, 0o755); // mkdtemp makes it 0700: nobody could not even look inside
    await mkdir(dir);
    await chown(dir, NOBODY, NOBODY);
    const { call, exited } = unprivilegedWriter(t, dir);
    assert.deepEqual(await call({ op: 'start' }), []);
    await call({ op: 'set', daemon: '2816', content: 'seq: 1\n' });
    const path = join(dir, 'rs-2816.yml');
    assert.equal((await stat(path)).uid, NOBODY, 'the child really writes as nobody');

    await chmod(dir, 0o555);
    await call({ op: 'set', daemon: '2816', content: 'seq: 2\n' }); // resolves although the write failed
    const failing = await call<WriterStatus>({ op: 'status' });
    assert.equal(await readFile(path, 'utf8'), 'seq: 1\n', 'the old file stays intact');
    assert.match(failing.lastError ?? '', /^EACCES: permission denied, open '.*rs-2816\.yml\.\d+'$/);
    assert.equal(typeof failing.lastErrorAt, 'number');
    assert.ok(failing.writeErrors >= 1);
    assert.equal(failing.files[0]?.pending, true);
    assert.match(failing.files[0]?.lastError ?? '', /^EACCES/);

    await chmod(dir, 0o755);
    await waitFor(async () => (await readFile(path, 'utf8')) === 'seq: 2\n', { what: 'the retry to write seq: 2' });
    const healed = await waitFor(async () => {
      const status = await call<WriterStatus>({ op: 'status' });
      return status.files[0]?.lastError === null && !status.files[0].pending ? status : undefined;
    }, { what: 'the file status to recover' });
    assert.equal(healed.writes, 2);
    assert.deepEqual(await readdir(dir), ['rs-2816.yml'], 'no temp file is left behind');
    await call({ op: 'stop' });
    await exited;
  });

  it('EISDIR (a directory where the fragment goes): reports, leaves it, writes once it is gone', async (t) => {
    const { dir } = await scratchDirectory();
    const logger = recordingLogger();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', logger, retryInitialMs: 10, retryMaxMs: 50 });
    t.after(() => writer.stop());
    await writer.start();
    await mkdir(join(dir, 'rs-2816.yml'));
    await writeFile(join(dir, 'rs-2816.yml', 'keep'), 'operator data\n');

    await writer.set('2816', 'seq: 1\n'); // resolves: the failure is status, not an exception
    const failing = writer.status();
    assert.match(failing.files[0]?.lastError ?? '', /^EISDIR: .*rs-2816\.yml/);
    assert.equal(failing.lastError, failing.files[0]?.lastError);
    await waitFor(() => writer.status().writeErrors >= 3, { what: 'several retries' });
    assert.equal(await readFile(join(dir, 'rs-2816.yml', 'keep'), 'utf8'), 'operator data\n');
    assert.ok(logger.entries.some((entry) => entry.level === 'warn' && entry.message === 'fragment write failed; the old file stays, retrying'));

    await rm(join(dir, 'rs-2816.yml'), { recursive: true });
    await waitFor(async () => (await readFile(join(dir, 'rs-2816.yml'), 'utf8').catch(() => null)) === 'seq: 1\n', {
      what: 'the write to succeed once the directory is gone',
    });
    await waitFor(() => writer.status().files[0]?.lastError === null, { what: 'the error to clear' });
  });

  it('ENOTDIR (a file where the output directory goes): reports, retries, recreates it when it can', async (t) => {
    const { dir } = await scratchDirectory();
    // Without a watcher, nothing recreates the directory between the two steps of the swap.
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false, retryInitialMs: 10, retryMaxMs: 50 });
    t.after(() => writer.stop());
    await writer.start();
    await writer.set('2816', 'seq: 1\n');
    await rm(dir, { recursive: true });
    await writeFile(dir, 'not a directory\n');

    await writer.set('2816', 'seq: 2\n');
    assert.match(writer.status().files[0]?.lastError ?? '', /^ENOTDIR: .*rs-2816\.yml/);
    await waitFor(() => /^EEXIST: .*, mkdir/.test(writer.status().lastError ?? ''), { what: 'the recovery to report its mkdir failure' });
    assert.equal(await readFile(dir, 'utf8'), 'not a directory\n', 'the file in the way is not touched');

    await rm(dir);
    await waitFor(async () => (await readFile(join(dir, 'rs-2816.yml'), 'utf8').catch(() => null)) === 'seq: 2\n', {
      what: 'the directory recreated and the fragment written',
    });
    assert.ok((await stat(dir)).isDirectory());
  });

  it('start() on an unusable directory does not reject, and catches up later', async (t) => {
    const { root, dir } = await scratchDirectory();
    await writeFile(dir, 'in the way\n');
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false, retryInitialMs: 10, retryMaxMs: 50 });
    t.after(() => writer.stop());
    assert.deepEqual(await writer.start(), []);
    assert.match(writer.status().lastError ?? '', /^EEXIST/);
    await writer.set('2816', 'seq: 1\n');
    // The directory appears at once with a fragment in it, as a restored backup would.
    const staging = join(root, 'staging');
    await mkdir(staging);
    await writeFile(join(staging, 'rs-2880.yml'), 'left: by someone\n');
    await rm(dir);
    await rename(staging, dir);
    await waitFor(async () => (await readFile(join(dir, 'rs-2816.yml'), 'utf8').catch(() => null)) === 'seq: 1\n', {
      what: 'the fragment written once the directory is usable',
    });
    // Found after the recovery: kept, and listed so the caller can see it.
    assert.deepEqual(writer.status().files.map((file) => file.daemon), ['2816', '2880']);
    assert.equal(await readFile(join(dir, 'rs-2880.yml'), 'utf8'), 'left: by someone\n');
  });
});
