// The only file system operations on fragments. A write goes to a temp file `<name>.yml.<uint32>`
// in the same directory (never a name Traefik loads), is flushed to disk (fsync) and renamed over
// the fragment, and the directory is flushed; so a reader, Traefik included, sees the old bytes or
// the new ones, never a torn file, and a crash keeps one of them. This is what write-file-atomic
// did, in fewer calls: it also resolved the path component by component, installed and removed
// exit handlers for every signal, and chown'ed and chmod'ed by path on every write, which made the
// write a good part of a container change's CPU. A run killed mid-write leaves its temp file;
// the next start sweeps it (owned-files.ts).

import { randomInt } from 'node:crypto';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';

/** The file's text, or null when there is no file. Other errors (EISDIR, EACCES…) are thrown. */
export async function readFragment(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

export async function writeFragment(dir: string, path: string, content: string): Promise<void> {
  // A fragment someone replaced with a link is written through it, as write-file-atomic did.
  const target = await realpath(path).catch(() => path);
  const existing = await stat(target).catch(() => undefined);
  const temp = tempName(target);
  // 'wx': the temp name must be new (nothing planted there is followed or overwritten).
  const handle = await open(temp, 'wx', 0o666);
  try {
    try {
      // The file we replace keeps its mode and, where we may set it, its owner (flushed with the bytes).
      if (existing !== undefined) {
        await handle.chmod(existing.mode & 0o7777);
        if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) await handle.chown(existing.uid, existing.gid).catch(ignoreChownRefusal);
      }
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** `<target>.<uint32>`: digits, never an extension Traefik loads. */
export function tempName(target: string): string {
  return `${target}.${randomInt(0x1_0000_0000)}`;
}

/** Not root, or no chown on this file system: the file keeps our owner (write-file-atomic's rule). */
function ignoreChownRefusal(error: unknown): void {
  const code = errorCode(error);
  if (code === 'ENOSYS') return;
  if (process.getuid?.() !== 0 && (code === 'EINVAL' || code === 'EPERM')) return;
  throw error;
}

/** Removing a file that is already gone is success: the wanted state is "no file". */
export async function removeFragment(dir: string, path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  await syncDirectory(dir);
}

/**
 * Persists a rename or unlink across a crash. Best effort: some platforms and file systems refuse
 * fsync on a directory, and the rename itself already happened, so a failure here changes nothing.
 */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Nothing to do: see above.
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
