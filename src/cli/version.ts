// The version printed by --version, written into fragment headers and served by /health.

import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const VERSION: string = packageJson.version;
export const GENERATOR = `route-server ${VERSION}`;
