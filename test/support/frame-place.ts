// Names a profiled function's place as `file:line` (node_modules/… or src/…). route-server runs
// from a bundle (bin/bundle.js): its frames are mapped back to the TypeScript sources through the
// source map written beside it.

import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

const maps = new Map<string, SourceMap | null>();

function sourceMapOf(url: string): SourceMap | null {
  let map = maps.get(url);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return map;
}

/** `file:line` of the frame's function, or '' for a frame without a script (a builtin, the GC). */
export function framePlace(frame: CallFrame): string {
  let { url, lineNumber } = frame;
  if (url.startsWith('file:') && url.endsWith('.mjs')) {
    const entry = sourceMapOf(url)?.findEntry(lineNumber, frame.columnNumber);
    if (entry !== undefined && 'originalSource' in entry) {
      url = entry.originalSource;
      lineNumber = entry.originalLine;
    }
  }
  const file = url.replace(/^.*\/(node_modules\/|src\/)/, '$1');
  return file === '' ? '' : `${file}:${lineNumber + 1}`;
}
