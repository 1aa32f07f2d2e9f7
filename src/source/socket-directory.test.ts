import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { waitFor } from '../../test/support/wait.ts';
import { silentLogger } from '../model/logger.ts';
import { parseSocketGlob } from './daemon-endpoints.ts';
import { SocketDirectory } from './socket-directory.ts';

function listen(path: string): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(path, () => resolve(server));
  });
}

function watchDirectory(glob: string, rescanMs?: number) {
  const scans: string[][] = [];
  const created: string[] = [];
  const directory = new SocketDirectory(
    parseSocketGlob(glob),
    { onScan: (found) => scans.push([...found.keys()]), onCreated: (id) => created.push(id) },
    silentLogger,
    rescanMs,
  );
  const latest = () => scans.at(-1);
  return { directory, scans, created, latest };
}

describe('SocketDirectory', { timeout: 60_000 }, () => {
  const roots: string[] = [];
  after(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it('a link to a socket is a daemon; a dangling link, a link to a file or a directory is not', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rs-sockdir-'));
    roots.push(root);
    const elsewhere = await listen(join(root, 'real.sock'));
    await writeFile(join(root, 'plain-file'), '');
    await symlink(join(root, 'real.sock'), join(root, 'docker-2816.sock'));
    await symlink(join(root, 'missing.sock'), join(root, 'docker-2880.sock'));
    await symlink(join(root, 'plain-file'), join(root, 'docker-2944.sock'));
    await mkdir(join(root, 'docker-3008.sock'));
    const { directory, latest } = watchDirectory(`${root}/docker-*.sock`);
    try {
      await directory.start();
      assert.deepEqual(latest(), ['2816']);
    } finally {
      elsewhere.close();
      await directory.close();
    }
  });

  it('reports sockets present at start, then ones that appear and disappear', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rs-sockdir-'));
    roots.push(root);
    const present = await listen(join(root, 'docker-2816.sock'));
    await writeFile(join(root, 'docker-9999.sock'), 'a regular file is not a daemon');
    await writeFile(join(root, 'other.sock'), '');
    const { directory, latest, created } = watchDirectory(`${root}/docker-*.sock`);
    try {
      await directory.start();
      assert.deepEqual(latest(), ['2816'], 'the initial scan is reported before start() resolves');

      const appeared = await listen(join(root, 'docker-2880.sock'));
      await waitFor(() => latest()?.join() === '2816,2880', { what: '2880 reported' });
      assert.ok(created.includes('2880'));

      present.close(); // closing a unix server unlinks its socket
      await waitFor(() => latest()?.join() === '2880', { what: '2816 gone' });
      appeared.close();
      await waitFor(() => latest()?.length === 0, { what: 'no socket left' });
    } finally {
      present.close();
      await directory.close();
    }
  });

  it('finds sockets in a directory created after start, by its periodic rescan', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rs-sockdir-'));
    roots.push(root);
    const later = join(root, 'not-yet');
    const { directory, latest } = watchDirectory(`${later}/docker-*.sock`, 50);
    let server: net.Server | null = null;
    try {
      await directory.start();
      assert.deepEqual(latest(), []);
      await mkdir(later);
      server = await listen(join(later, 'docker-3008.sock'));
      await waitFor(() => latest()?.join() === '3008', { what: '3008 found in the new directory' });
      server.close();
      await waitFor(() => latest()?.length === 0, { what: '3008 gone (the directory is watched now)' });
      await rm(later, { recursive: true });
      await waitFor(() => latest()?.length === 0, { what: 'an empty scan once the directory is gone' });
    } finally {
      server?.close();
      await directory.close();
    }
  });
});
