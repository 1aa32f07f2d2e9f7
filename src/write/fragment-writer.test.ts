import assert from 'node:assert/strict';
import { watch as watchFs } from 'node:fs';
import { chmod, lstat, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { describe, it } from 'node:test';
import { tempName } from './fragment-file.ts';
import { FragmentWriter } from './fragment-writer.ts';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import { scratchDirectory } from '../../test/support/scratch-directory.ts';

const FRAGMENT = '# daemon: 2816 — é\nhttp:\n  routers:\n    web-2816:\n      rule: Host(`a.example.com`)\n';

describe('FragmentWriter: writing', () => {
  it('writes the exact bytes, skips identical content, removes the file for null', async (t) => {
    const { dir } = await scratchDirectory();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false });
    t.after(() => writer.stop());
    const writes: string[] = [];
    writer.on('write', (daemon, ms) => {
      assert.equal(typeof ms, 'number');
      writes.push(daemon);
    });
    assert.deepEqual(await writer.start(), []);

    await writer.set('2816', FRAGMENT);
    const path = join(dir, 'rs-2816.yml');
    assert.deepEqual(await readFile(path), Buffer.from(FRAGMENT, 'utf8'));
    const inode = (await stat(path)).ino;
    await writer.set('2816', FRAGMENT);
    assert.equal((await stat(path)).ino, inode, 'identical content must not be rewritten');

    const written = writer.status();
    assert.equal(written.writes, 1);
    assert.equal(written.skippedUnchanged, 1);
    assert.deepEqual(
      written.files.map(({ writtenAt, ...rest }) => ({ ...rest, recent: writtenAt !== null && Date.now() - writtenAt < 60_000 })),
      [{ daemon: '2816', file: path, bytes: Buffer.byteLength(FRAGMENT), pending: false, lastError: null, recent: true }],
    );

    await writer.set('2816', null);
    await assert.rejects(stat(path), { code: 'ENOENT' });
    await writer.set('2816', null);
    const removed = writer.status();
    assert.deepEqual(removed.files, [], 'a daemon without a file is not listed');
    assert.equal(removed.writes, 2);
    assert.equal(removed.skippedUnchanged, 2);
    assert.equal(removed.lastError, null);
    assert.deepEqual(writes, ['2816', '2816']);
    assert.deepEqual(await readdir(dir), [], 'no temp file is left behind');
  });

  it('a rewrite keeps the mode an operator gave the file, and writes through a link put in its place', async (t) => {
    const { dir } = await scratchDirectory();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false });
    t.after(() => writer.stop());
    await writer.start();
    const path = join(dir, 'rs-2816.yml');
    await writer.set('2816', FRAGMENT);
    await chmod(path, 0o640);
    await writer.set('2816', `${FRAGMENT}# again\n`);
    assert.equal((await stat(path)).mode & 0o777, 0o640);
    assert.equal(await readFile(path, 'utf8'), `${FRAGMENT}# again\n`);

    const elsewhere = join(dir, 'kept', 'real.yml');
    await mkdir(join(dir, 'kept'));
    await writeFile(elsewhere, 'old: true\n');
    await rm(path);
    await symlink(elsewhere, path);
    await writer.set('2816', FRAGMENT);
    assert.equal(await readFile(elsewhere, 'utf8'), FRAGMENT, 'the link is followed, as before');
    assert.ok((await lstat(path)).isSymbolicLink());
    assert.deepEqual((await readdir(dir)).sort(), ['kept', 'rs-2816.yml'], 'no temp file is left behind');
  });

  it('never touches files it does not own, with or without the prefix', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(join(dir, 'rs-sub.yml'), { recursive: true });
    const foreign = ['traefik.yml', 'rs-notes.txt', 'other-2816.yml', 'rs-2816.yaml', 'rs-2816.yml.bak', 'rs-Bad.yml', 'RS-2816.yml'];
    for (const name of foreign) await writeFile(join(dir, name), `foreign: ${name}\n`);
    const before = await Promise.all(foreign.map((name) => stat(join(dir, name))));

    const writer = new FragmentWriter({ dir, prefix: 'rs-' });
    t.after(() => writer.stop());
    assert.deepEqual(await writer.start(), []);
    await writer.set('2816', FRAGMENT);
    await writer.set('2880', FRAGMENT);
    await writer.set('2816', null);
    await writer.stop();

    for (const [index, name] of foreign.entries()) {
      assert.equal(await readFile(join(dir, name), 'utf8'), `foreign: ${name}\n`);
      const after = await stat(join(dir, name));
      assert.equal(after.ino, before[index]?.ino, name);
      assert.equal(after.mtimeMs, before[index]?.mtimeMs, name);
    }
    assert.ok((await stat(join(dir, 'rs-sub.yml'))).isDirectory());
    assert.deepEqual((await readdir(dir)).sort(), [...foreign, 'rs-2880.yml', 'rs-sub.yml'].sort());
  });

  it('keeps and reports the fragments a previous run left until their daemon is set', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(dir);
    await writeFile(join(dir, 'rs-2816.yml'), FRAGMENT);
    await writeFile(join(dir, 'rs-web.yml'), 'old: web\n');
    const before = await stat(join(dir, 'rs-2816.yml'));

    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false });
    t.after(() => writer.stop());
    assert.deepEqual(await writer.start(), ['2816', 'web']);
    assert.deepEqual(
      writer.status().files.map((file) => [file.daemon, file.bytes, file.writtenAt, file.pending]),
      [['2816', Buffer.byteLength(FRAGMENT), null, false], ['web', 9, null, false]],
    );

    await writer.set('2816', FRAGMENT);
    assert.equal((await stat(join(dir, 'rs-2816.yml'))).ino, before.ino, 'same bytes as inherited: no write');
    assert.equal(writer.status().skippedUnchanged, 1);
    await writer.set('web', 'new: web\n');
    assert.equal(await readFile(join(dir, 'rs-web.yml'), 'utf8'), 'new: web\n');
    assert.equal(writer.status().writes, 1);
  });

  it('holds sets made before start() until it has read the directory', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(dir);
    await writeFile(join(dir, 'rs-2816.yml'), FRAGMENT);
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false });
    t.after(() => writer.stop());
    const same = writer.set('2816', FRAGMENT);
    const other = writer.set('2880', 'a: 1\n');
    await writer.start();
    await Promise.all([same, other]);
    const status = writer.status();
    assert.equal(status.writes, 1, 'only rs-2880.yml is written');
    assert.equal(status.skippedUnchanged, 1);
  });

  it('writes only the newest of many queued sets for one daemon', async (t) => {
    const { dir } = await scratchDirectory();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false });
    t.after(() => writer.stop());
    await writer.start();
    await Promise.all(Array.from({ length: 100 }, (_, index) => writer.set('2816', `seq: ${index}\n`)));
    assert.equal(await readFile(join(dir, 'rs-2816.yml'), 'utf8'), 'seq: 99\n');
    const { writes } = writer.status();
    // The first set starts a write at once; the 98 sets queued behind it collapse into one.
    assert.ok(writes <= 2, `expected at most 2 writes for 100 sets, got ${writes}`);
  });

  it('refuses invalid daemon ids and content at once, as the caller bug they are', async (t) => {
    const { dir } = await scratchDirectory();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false });
    t.after(() => writer.stop());
    assert.equal(writer.fileName('2816'), 'rs-2816.yml');
    assert.equal(writer.fileName('web_1-a'), 'rs-web_1-a.yml');
    for (const id of ['', '../etc', 'Web', '-web', 'a/b', 'a.b', 'x'.repeat(64)]) {
      assert.throws(() => writer.fileName(id), { name: 'TypeError', message: `Expected a daemon id matching [a-z0-9][a-z0-9_-]{0,62}, got ${JSON.stringify(id)}` });
      assert.throws(() => writer.set(id, 'a: 1\n'), TypeError);
    }
    assert.throws(() => writer.set('2816', 42 as unknown as string), { message: 'Expected `content` to be a string or null, got number' });
  });

  it('stop() lets the write in flight finish, leaves files in place, and ignores later sets', async (t) => {
    const { dir } = await scratchDirectory();
    const logger = recordingLogger();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', logger });
    await writer.start();
    const inFlight = writer.set('2816', FRAGMENT);
    await writer.stop();
    await inFlight;
    assert.equal(await readFile(join(dir, 'rs-2816.yml'), 'utf8'), FRAGMENT);
    await writer.set('2816', null);
    assert.equal(await readFile(join(dir, 'rs-2816.yml'), 'utf8'), FRAGMENT);
    await writer.stop();
    assert.ok(logger.entries.some((entry) => entry.message === 'fragment written' && entry.fields['daemon'] === '2816'));
  });

  it('uses temp names Traefik does not load', async (t) => {
    // A temp file is `<target>.<uint32>`: the extension is digits.
    for (let index = 0; index < 100; index++) {
      const name = tempName('/out/rs-2816.yml');
      assert.match(name, /^\/out\/rs-2816\.yml\.\d+$/);
      assert.ok(!['.yml', '.yaml', '.toml'].includes(extname(name).toLowerCase()), name);
    }
    // And what actually appears in the directory while writing.
    const { dir } = await scratchDirectory();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false });
    t.after(() => writer.stop());
    await writer.start();
    const names = new Set<string>();
    const watcher = watchFs(dir, (_event, name) => names.add(String(name)));
    t.after(() => watcher.close());
    for (let index = 0; index < 50; index++) await writer.set('2816', `seq: ${index}\n`);
    await writer.set('2816', null);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const loadable = [...names].filter((name) => ['.yml', '.yaml', '.toml'].includes(extname(name).toLowerCase()));
    assert.deepEqual(loadable, ['rs-2816.yml']);
    assert.ok([...names].some((name) => /^rs-2816\.yml\.\d+$/.test(name)), `temp files were observed: ${[...names].join(', ')}`);
  });

  it('removes at start the temp files a run killed mid-write left, and nothing else', async (t) => {
    const { dir } = await scratchDirectory();
    const leftovers = ['rs-2816.yml.1849461462', 'rs-2880.yml.7'];
    const foreign = ['rs-2816.yml.tmp', 'other-2816.yml.12', 'traefik.yml.3'];
    await mkdir(dir);
    await writeFile(join(dir, 'rs-2816.yml'), FRAGMENT);
    for (const name of [...leftovers, ...foreign]) await writeFile(join(dir, name), 'http:\n  routers: {}\n');
    const logger = recordingLogger();
    const writer = new FragmentWriter({ dir, prefix: 'rs-', watch: false, logger });
    t.after(() => writer.stop());
    assert.deepEqual(await writer.start(), ['2816'], 'a temp file is not a fragment to adopt');
    assert.deepEqual((await readdir(dir)).sort(), [...foreign, 'rs-2816.yml'].sort());
    assert.equal(await readFile(join(dir, 'rs-2816.yml'), 'utf8'), FRAGMENT, 'the fragment beside the temp file is untouched');
    const swept = logger.entries.filter((entry) => entry.message === 'removed a temp file a killed run left behind').map((entry) => entry.fields['file']);
    assert.deepEqual(swept.sort(), leftovers.map((name) => join(dir, name)).sort());
  });
});
