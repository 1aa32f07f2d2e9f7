// Traefik reads fragments whenever it likes. Readers racing real writes must only ever see whole
// files: this runs readers and writers together for real and checks every read.

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { FragmentWriter } from './fragment-writer.ts';
import { errorCode } from './fragment-file.ts';
import { scratchDirectory } from '../../test/support/scratch-directory.ts';

/** `count` comes first, so a torn file parses with fewer routers than it announces. */
function fragment(daemon: string, seq: number): string {
  const count = 1 + ((seq * 37) % 80); // up to ~5 KB, a different size each time
  const lines = [`# daemon ${daemon}`, `count: ${count}`, `seq: ${seq}`, 'http:', '  routers:'];
  for (let index = 0; index < count; index++) lines.push(`    r${index}-${daemon}:`, `      rule: Host(\`r${index}.example.com\`)`);
  return lines.join('\n') + '\n';
}

function problemWith(name: string, text: string): string | null {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return `${name}: does not parse (${(error as Error).message.split('\n')[0]})`;
  }
  if (typeof document !== 'object' || document === null) return `${name}: empty or not a map (${text.length} bytes)`;
  const { count, http } = document as { count?: number; http?: { routers?: object } };
  const routers = Object.keys(http?.routers ?? {}).length;
  return routers === count ? null : `${name}: ${routers} routers of ${String(count)} (${text.length} bytes)`;
}

describe('FragmentWriter: concurrent readers', () => {
  it('never shows a reader a partial or empty file during 200 rapid sets', async (t) => {
    const { dir } = await scratchDirectory();
    const writer = new FragmentWriter({ dir, prefix: 'rs-' });
    t.after(() => writer.stop());
    await writer.start();

    let writing = true;
    let reads = 0;
    const problems: string[] = [];
    const readLoop = async (): Promise<void> => {
      while (writing) {
        for (const name of await readdir(dir)) {
          if (!name.endsWith('.yml')) continue;
          let text: string;
          try {
            text = await readFile(join(dir, name), 'utf8');
          } catch (error) {
            if (errorCode(error) === 'ENOENT') continue;
            throw error;
          }
          reads += 1;
          const problem = problemWith(name, text);
          if (problem !== null) problems.push(problem);
        }
        // Let the writers' callbacks in, or a reader with nothing to await would starve them.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const writeLoop = async (daemon: string): Promise<void> => {
      for (let seq = 0; seq < 100; seq++) await writer.set(daemon, fragment(daemon, seq));
    };

    const readers = [readLoop(), readLoop()];
    try {
      await Promise.all([writeLoop('2816'), writeLoop('2880')]);
    } finally {
      writing = false;
      await Promise.all(readers);
    }

    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} bad reads of ${reads}`);
    assert.ok(reads >= 200, `the readers actually raced the writers (${reads} reads)`);
    const status = writer.status();
    assert.equal(status.writes, 200);
    assert.equal(status.writeErrors, 0);
    assert.equal(await readFile(join(dir, 'rs-2816.yml'), 'utf8'), fragment('2816', 99));
    assert.equal(await readFile(join(dir, 'rs-2880.yml'), 'utf8'), fragment('2880', 99));
  });
});
