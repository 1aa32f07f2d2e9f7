// The bundle `npm start` runs: src/cli/main.ts and everything it imports, in one ES module built by
// esbuild, run by plain node. tsx's loader (a thread of its own with its own V8 isolate, esbuild's
// transform, the kept source maps) cost route-server about 40 MB of RSS at run time.
//
// It lives in node_modules/.cache/route-server/, inside the project, so that its bare imports
// (dockerode, yaml, ...) resolve to the project's node_modules. Its first line names every file it
// was built from with that file's mtime and size: a start stats them (a millisecond) and builds
// again when one differs, so an edit to src shows at the next `npm start`. A build is written to a
// temporary file and renamed into place: route-servers started together (the tests start many)
// may each build, and none sees half a file. A source map is written beside it, used only when
// node runs with --enable-source-maps (NODE_OPTIONS=--enable-source-maps: stack traces name the
// TypeScript sources).
//
// `node bin/bundle.js` builds it (the Docker image does, at build time) and fails loudly.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'src/cli/main.ts';
// Inputs esbuild does not list: the build's own options (this file) and the compiler options it
// reads (absent is recorded as null: a checkout may have no tsconfig.json).
const ALSO_INPUTS = ['bin/bundle.js', 'tsconfig.json'];
const MANIFEST_PREFIX = '// route-server bundle of ';

/**
 * Where the bundle of this checkout goes. The name carries the checkout's path: git worktrees that
 * share one node_modules through a link must not overwrite each other's bundle.
 */
export function bundlePath() {
  const tag = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
  return join(ROOT, 'node_modules', '.cache', 'route-server', `main-${tag}.mjs`);
}

/** The bundle's path if it exists and was built from the files as they are now, else null. */
export function freshBundle() {
  const path = bundlePath();
  const manifest = readManifest(path);
  if (manifest === null) return null;
  const inputs = Object.entries(manifest);
  if (inputs.length === 0) return null;
  for (const [file, recorded] of inputs) {
    const stats = statSync(join(ROOT, file), { throwIfNoEntry: false });
    if (stats === undefined ? recorded !== null : recorded === null || stats.mtimeMs !== recorded[0] || stats.size !== recorded[1]) return null;
  }
  return path;
}

/** Builds the bundle and its source map, each written whole (temp file, then rename); returns its path. */
export async function buildBundle() {
  const path = bundlePath();
  const esbuild = await import('esbuild');
  const started = Date.now();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: path,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'silent',
  }).finally(() => esbuild.stop()); // ends esbuild's service process
  // A file changed since the build began may have been read before or after: its entry is made
  // not to match (mtime -1), so the next start builds again (50 ms for file systems whose
  // timestamps are coarser than the clock).
  const manifest = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...ALSO_INPUTS]) {
    const stats = statSync(join(ROOT, file), { throwIfNoEntry: false });
    manifest[file] = stats === undefined ? null : [stats.mtimeMs > started - 50 ? -1 : stats.mtimeMs, stats.size];
  }
  const code = result.outputFiles.find((file) => file.path === path);
  const map = result.outputFiles.find((file) => file.path === `${path}.map`);
  if (code === undefined || map === undefined) throw new Error(`esbuild wrote ${result.outputFiles.map((file) => file.path).join(', ')}, not ${path} and its map`);
  mkdirSync(dirname(path), { recursive: true });
  // The map first: a bundle is never in place before its map. The manifest line shifts the code
  // down a line, which a leading ';' in the mappings says; sources become absolute URLs, right
  // even when node_modules is a link into another checkout.
  const sourceMap = JSON.parse(map.text);
  sourceMap.mappings = `;${sourceMap.mappings}`;
  sourceMap.sources = sourceMap.sources.map((source) => pathToFileURL(resolve(dirname(path), source)).href);
  writeWhole(`${path}.map`, JSON.stringify(sourceMap));
  writeWhole(path, `${MANIFEST_PREFIX}${JSON.stringify(manifest)}\n${code.text}`);
  return path;
}

/**
 * The bundle to run: the fresh one, or one built now by a node of its own (esbuild's module and
 * the build's output would otherwise stay in route-server's memory, about 5 MB). Throws when it
 * cannot be built or written.
 */
export function currentBundle() {
  const fresh = freshBundle();
  if (fresh !== null) return fresh;
  const build = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (build.status !== 0) throw new Error(build.stderr.trim() || `node bin/bundle.js ended with ${build.status ?? build.signal}`);
  return bundlePath();
}

function writeWhole(path, text) {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    throw error;
  }
}

/** The manifest on the bundle's first line: {file: [mtimeMs, size] or null if absent}, or null if there is none. */
function readManifest(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const chunks = [];
    for (let position = 0; ; ) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) return null;
      chunks.push(chunk.subarray(0, read));
      position += read;
      const newline = chunk.subarray(0, read).indexOf(10);
      if (newline >= 0) {
        const line = Buffer.concat(chunks).toString('utf8', 0, position - read + newline);
        return line.startsWith(MANIFEST_PREFIX) ? JSON.parse(line.slice(MANIFEST_PREFIX.length)) : null;
      }
    }
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${relative(process.cwd(), await buildBundle())}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
