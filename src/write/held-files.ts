// Reads the files of the output directory that hold claims, read only: the operator's own files
// (every file Traefik loads there that route-server does not own, subdirectories included, as
// Traefik loads them) and route-server's own fragments, which a daemon not synced yet keeps.

import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { claimsOfFile, type ClaimHolder, type HeldClaim } from '../render/held-claims.ts';
import { isDynamicFileName, parseDynamicFile } from '../traefik/dynamic-file.ts';
import { daemonOfFileName } from './fragment-name.ts';

export interface HeldFileReading {
  /** Path relative to the output directory, `/`-separated. */
  readonly file: string;
  readonly holder: ClaimHolder;
  /** Null when the file could not be read or parsed. */
  readonly claims: readonly HeldClaim[] | null;
  readonly error: string | null;
  readonly notes: readonly string[];
}

/** Subdirectories deeper than this are not read (a symlink loop, or a mistake). */
const MAX_DEPTH = 16;

/** Every claim-holding file under `dir`, sorted by path; a file that fails is reported in its reading. */
export async function readHeldFiles(dir: string, prefix: string): Promise<HeldFileReading[]> {
  const paths: string[] = [];
  await collect(dir, 0, paths);
  const readings: HeldFileReading[] = [];
  for (const path of paths.sort()) {
    const file = relative(dir, path).split(sep).join('/');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      readings.push({ file, holder: holderOf(file, prefix), claims: null, error: errorText(error), notes: [] });
      continue;
    }
    readings.push(readingOf(file, text, prefix));
  }
  return readings;
}

/** Our own fragments sit at the top under their exact name; everything else is the operator's. */
function holderOf(file: string, prefix: string): ClaimHolder {
  const daemon = file.includes('/') ? null : daemonOfFileName(prefix, file);
  return daemon === null ? { kind: 'operator', file } : { kind: 'kept', daemon, file };
}

/** One file's claims from its text; `file` is its `/`-separated path in the output directory. */
export function readingOf(file: string, text: string, prefix: string): HeldFileReading {
  const holder = holderOf(file, prefix);
  const parsed = parseDynamicFile(file, text);
  if (!parsed.ok) return { file, holder, claims: null, error: parsed.error, notes: [] };
  const { claims, notes } = claimsOfFile(parsed.config, holder);
  return { file, holder, claims, error: null, notes };
}

/** Like Traefik: directories are entered, other entries (files, symlinks to files) read by extension. */
async function collect(dir: string, depth: number, into: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // gone or unreadable: the writer reports the output directory's own faults
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) await collect(path, depth + 1, into);
    } else if (isDynamicFileName(entry.name)) {
      into.push(path);
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
