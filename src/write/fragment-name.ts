// The file names the writer owns: `{prefix}{daemon}.yml` and nothing else. Everything else in the
// output directory (traefik.yml, another tool's fragments) is someone else's. The one exception is
// our own temp file `{prefix}{daemon}.yml.<digits>` that a killed run left behind: swept at start.

import { isDaemonId } from '../model/tenant.ts';

const PREFIX = /^[A-Za-z0-9._-]+$/;
const EXTENSION = '.yml';
/** Leaves room for a 63-character id and `.yml` under the 255-byte name limit of common filesystems. */
export const MAX_PREFIX_LENGTH = 128;

/**
 * Null when the prefix is usable, else why not. An empty prefix is refused: it would claim every
 * `<id>.yml` in the directory, `traefik.yml` included.
 */
export function prefixProblem(prefix: string): string | null {
  if (!PREFIX.test(prefix)) return 'to be a non-empty string of [A-Za-z0-9._-]';
  if (prefix.length > MAX_PREFIX_LENGTH) return `to be at most ${MAX_PREFIX_LENGTH} characters`;
  return null;
}

/** `rs-2816.yml` for daemon `2816`; throws on an id that could not come from discovery. */
export function fragmentFileName(prefix: string, daemon: string): string {
  if (!isDaemonId(daemon)) {
    throw new TypeError(`Expected a daemon id matching [a-z0-9][a-z0-9_-]{0,62}, got ${JSON.stringify(daemon)}`);
  }
  return `${prefix}${daemon}${EXTENSION}`;
}

/** The daemon a file name belongs to, or null when the file is not ours. */
export function daemonOfFileName(prefix: string, name: string): string | null {
  if (!name.startsWith(prefix) || !name.endsWith(EXTENSION)) return null;
  const daemon = name.slice(prefix.length, name.length - EXTENSION.length);
  return isDaemonId(daemon) ? daemon : null;
}

/**
 * The daemon whose write left this temp file (`rs-2816.yml.1849461462`, fragment-file.ts's
 * `<target>.<uint32>`), or null. Only a run killed mid-write leaves one.
 */
export function daemonOfTempName(prefix: string, name: string): string | null {
  const match = /^(.*\.yml)\.\d{1,10}$/.exec(name);
  return match === null ? null : daemonOfFileName(prefix, match[1]!);
}
