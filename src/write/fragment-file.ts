// The only file system operations on fragments. Writes go through write-file-atomic: a temp file
// `<name>.yml.<uint32>` in the same directory (never a name Traefik loads), fsync, rename; so a
// reader, Traefik included, sees the old bytes or the new ones, never a torn file.

import { open, readFile, unlink } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';

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
  await writeFileAtomic(path, content, { encoding: 'utf8', fsync: true });
  await syncDirectory(dir);
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
