// Where `run` writes when the operator does not say: the system directories when they are usable,
// else directories under the working directory, so `npm start` works on any machine.

import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../model/logger.ts';

export const SYSTEM_OUT_DIR = '/etc/traefik/dynamic';
export const SYSTEM_STATE_DIR = '/var/lib/route-server';

/** The configured directory, or the first usable of `system` and `fallback` (relative to cwd). */
export function chooseDirectory(configured: string | undefined, system: string, fallback: string, what: string, logger: Logger): string {
  if (configured !== undefined && configured !== '') return resolve(configured);
  if (usable(system)) return system;
  const local = resolve(fallback);
  logger.warn(`${system} is not writable; using ${local} for the ${what} (set it explicitly to silence this)`, { directory: local });
  return local;
}

function usable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
