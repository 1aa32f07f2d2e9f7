import assert from 'node:assert/strict';
import { mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { waitFor } from '../../test/support/wait.ts';
import { FragmentWriter, type RestoreReason } from './fragment-writer.ts';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import { scratchDirectory } from '../../test/support/scratch-directory.ts';

const WEB = 'http:\n  routers:\n    web-2816:\n      rule: Host(`a.example.com`)\n';
const API = 'http:\n  routers:\n    api-2880:\n      rule: Host(`api.example.com`)\n';

async function contentOf(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

async function startedWriter(t: TestContext, dir: string) {
  const logger = recordingLogger();
  const writer = new FragmentWriter({ dir, prefix: 'rs-', logger, retryInitialMs: 10, retryMaxMs: 100 });
  const restored: Array<[string, RestoreReason]> = [];
  writer.on('restored', (daemon, reason) => restored.push([daemon, reason]));
  t.after(() => writer.stop());
  return { writer, logger, restored, inherited: await writer.start() };
}

describe('FragmentWriter: watching the directory', () => {
  it('restores a fragment deleted by hand, and logs it', async (t) => {
    const { dir } = await scratchDirectory();
    const { writer, logger, restored } = await startedWriter(t, dir);
    await writer.set('2816', WEB);
    const path = join(dir, 'rs-2816.yml');
    await unlink(path);
    await waitFor(async () => (await contentOf(path)) === WEB, { what: 'rs-2816.yml to be restored' });
    await waitFor(() => restored.length === 1, { what: 'the restored event' });
    assert.deepEqual(restored, [['2816', 'deleted']]);
    assert.equal(writer.status().restores, 1);
    const line = logger.entries.find((entry) => entry.message === 'fragment was changed by someone else; restored');
    assert.deepEqual(line?.fields, { daemon: '2816', file: path, reason: 'deleted' });
    assert.equal(line?.level, 'warn');
  });

  it('restores a fragment edited by hand, in place or by rename', async (t) => {
    const { dir } = await scratchDirectory();
    const { writer, restored } = await startedWriter(t, dir);
    await writer.set('2816', WEB);
    const path = join(dir, 'rs-2816.yml');

    await writeFile(path, 'http: {}\n');
    await waitFor(async () => restored.length === 1 && (await contentOf(path)) === WEB, { what: 'an in-place edit undone' });

    await writeFile(join(dir, 'edit.tmp'), 'tcp: {}\n');
    await rename(join(dir, 'edit.tmp'), path);
    await waitFor(async () => restored.length === 2 && (await contentOf(path)) === WEB, { what: 'an editor-style save undone' });
    assert.deepEqual(restored, [['2816', 'edited'], ['2816', 'edited']]);
    assert.equal(writer.status().restores, 2);
  });

  it('removes an owned file created by hand for a daemon that has none', async (t) => {
    const { dir } = await scratchDirectory();
    const { writer, restored } = await startedWriter(t, dir);
    await writer.set('2816', null);
    const path = join(dir, 'rs-2816.yml');
    await writeFile(path, 'http: {}\n');
    await waitFor(async () => (await contentOf(path)) === null, { what: 'the stray rs-2816.yml to be removed' });
    await waitFor(() => restored.length === 1, { what: 'the restored event' });
    assert.deepEqual(restored, [['2816', 'created']]);
  });

  it('does not count its own writes as restores', async (t) => {
    const { dir } = await scratchDirectory();
    const { writer, restored } = await startedWriter(t, dir);
    for (let index = 0; index < 30; index++) await writer.set('2816', `seq: ${index}\n`);
    // Events of the 30 writes may still be arriving; whenever they do, bytes match and nothing happens.
    await unlink(join(dir, 'rs-2816.yml'));
    await waitFor(() => restored.length > 0, { what: 'the deletion to be restored' });
    assert.equal(await contentOf(join(dir, 'rs-2816.yml')), 'seq: 29\n');
    assert.deepEqual(restored, [['2816', 'deleted']]);
    assert.equal(writer.status().writes, 31);
  });

  it('protects inherited fragments before their daemon is set, and leaves unknown ones alone', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(dir);
    await writeFile(join(dir, 'rs-2816.yml'), WEB);
    const { writer, restored, inherited } = await startedWriter(t, dir);
    assert.deepEqual(inherited, ['2816']);

    await writeFile(join(dir, 'rs-stranger.yml'), 'http: {}\n');
    await unlink(join(dir, 'rs-2816.yml'));
    await waitFor(async () => (await contentOf(join(dir, 'rs-2816.yml'))) === WEB, { what: 'the inherited file restored' });
    assert.deepEqual(restored, [['2816', 'deleted']]);
    assert.equal(await contentOf(join(dir, 'rs-stranger.yml')), 'http: {}\n');
    assert.deepEqual(writer.status().files.map((file) => file.daemon), ['2816']);
  });

  it('recreates a deleted directory and rewrites every fragment, then keeps watching', async (t) => {
    const { dir } = await scratchDirectory();
    const { writer, logger, restored } = await startedWriter(t, dir);
    await writer.set('2816', WEB);
    await writer.set('2880', API);
    await writer.set('2944', null);

    await rm(dir, { recursive: true, maxRetries: 5 });
    await waitFor(
      async () => (await contentOf(join(dir, 'rs-2816.yml'))) === WEB && (await contentOf(join(dir, 'rs-2880.yml'))) === API,
      { what: 'both fragments rewritten in a recreated directory' },
    );
    await waitFor(() => restored.length >= 2, { what: 'two restored events' });
    assert.deepEqual(new Set(restored.map(([daemon]) => daemon)), new Set(['2816', '2880']));
    assert.ok(logger.entries.some((entry) => entry.message === 'output directory is gone or unusable; recreating it'));
    assert.equal(await contentOf(join(dir, 'rs-2944.yml')), null);

    // The new watcher works: a deletion after the recovery is noticed too.
    const before = writer.status().restores;
    await unlink(join(dir, 'rs-2816.yml'));
    await waitFor(async () => writer.status().restores > before && (await contentOf(join(dir, 'rs-2816.yml'))) === WEB, {
      what: 'a deletion in the recreated directory restored',
    });
  });

  it('without watching, recreates a deleted directory on the next write', async (t) => {
    const { dir } = await scratchDirectory();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false, retryInitialMs: 10, retryMaxMs: 100 });
    t.after(() => writer.stop());
    await writer.start();
    await writer.set('2816', WEB);
    await writer.set('2880', API);
    await rm(dir, { recursive: true });

    await writer.set('2816', 'http: {}\n');
    // The failed write (ENOENT) triggers the recovery, which checks every file, 2880 included.
    await waitFor(
      async () => (await contentOf(join(dir, 'rs-2816.yml'))) === 'http: {}\n' && (await contentOf(join(dir, 'rs-2880.yml'))) === API,
      { what: 'the directory recreated and both fragments written' },
    );
    const status = writer.status();
    assert.match(status.lastError ?? '', /^ENOENT: .*rs-2816\.yml/);
    assert.ok(status.writeErrors >= 1);
    await waitFor(() => writer.status().files.every((file) => file.lastError === null && !file.pending), { what: 'all files healthy' });
    assert.ok((await stat(dir)).isDirectory());
  });
});
