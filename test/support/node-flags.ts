// The flags `npm start` gives node for `route-server run` (package.json's start script, the one
// place they are written; the Dockerfile's ENTRYPOINT carries the same, checked by a test), so
// that tests and benchmarks run route-server as operators do.

import { readFileSync } from 'node:fs';

export function runNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('bin/route-server.js'));
}
