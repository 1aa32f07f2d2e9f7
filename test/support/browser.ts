// A real browser for the status page test: Debian's `chromium`, driven by playwright-core (which
// brings no browser of its own). ROUTE_SERVER_CHROMIUM names another binary.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CANDIDATES = ['chromium', 'chromium-browser'];

/** The chromium binary to launch, or undefined when there is none. */
export function chromiumPath(): string | undefined {
  const named = process.env['ROUTE_SERVER_CHROMIUM'];
  if (named) return existsSync(named) ? named : undefined;
  const dirs = (process.env['PATH'] ?? '').split(':').filter((dir) => dir !== '').concat(['/usr/bin']);
  for (const name of CANDIDATES) for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** Why the browser test cannot run, or null when it can. */
export function browserUnavailableReason(): string | null {
  const named = process.env['ROUTE_SERVER_CHROMIUM'];
  if (chromiumPath() === undefined) return named ? `ROUTE_SERVER_CHROMIUM=${named} does not exist` : '`chromium` is not installed (apt-get install chromium)';
  return null;
}
