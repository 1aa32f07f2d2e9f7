// The version printed by --version, written into fragment headers and served by /health.
// A JSON import, not a file read beside this module: the bundle `npm start` runs (bin/bundle.js)
// lives elsewhere, and esbuild puts package.json's fields into it.

import packageJson from '../../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;
export const GENERATOR = `route-server ${VERSION}`;
