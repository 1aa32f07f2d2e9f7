#!/usr/bin/env node
// Runs route-server from its bundle (bin/bundle.js): the sources built by esbuild into one module
// and run by plain node, built again first when a source has changed since. Where it cannot be
// built or written (a read-only install without it), the TypeScript sources run through tsx's
// loader instead, as they did before, at about 40 MB more of memory; that is said on stderr.
import { pathToFileURL } from 'node:url';
import { currentBundle } from './bundle.js';

let bundle;
try {
  bundle = currentBundle();
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`route-server: running the TypeScript sources through tsx, without a bundle: ${reason.split('\n').join(' ')}\n`);
}
if (bundle !== undefined) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
