// Faults of the world a write can meet. They are recorded and retried, never thrown to the caller:
// the old file stays in place (the write is atomic) until the fault goes away.

import { errorCode } from './fragment-file.ts';

/** Codes a full disk, a read-only mount, lost permissions or a removed directory produce. */
const EXPECTED_CODES: ReadonlySet<string> = new Set([
  'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST',
  'EBUSY', 'EMFILE', 'ENFILE', 'EIO', 'ESTALE', 'ETIMEDOUT',
]);

export interface WriteFault {
  readonly code: string;
  /** Code, what failed and the path, e.g. `EACCES: permission denied, open '/out/rs-2816.yml.123'`. */
  readonly message: string;
  /** False for anything not in the list above: still retried, but logged as an error (a bug is likelier). */
  readonly expected: boolean;
}

export function describeFault(error: unknown, path: string): WriteFault {
  const code = errorCode(error) ?? 'EUNKNOWN';
  const text = error instanceof Error ? error.message : String(error);
  // Node's fs errors already read `CODE: description, syscall 'path'`; others get both added.
  const message = text.startsWith(`${code}:`) && text.includes("'") ? text : `${code}: ${text} (${path})`;
  return { code, message, expected: EXPECTED_CODES.has(code) };
}
