// A reader that polls Traefik's directory the whole time a fault runs, as Traefik's file provider
// would see it: every `*.yml` read and parsed completely (Go template pass, then YAML), any name it
// does not expect flagged, and the files of daemons the fault must not touch compared, by inode,
// mtime and bytes, on every pass.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { executeGoTemplate } from './go-template.ts';

export interface FileIdentity {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly text: string;
}

export class DirectoryReader {
  /** Everything wrong a reader saw: unparsable or unexpected files, watched files that changed. */
  readonly problems: string[] = [];
  passes = 0;
  reads = 0;
  readonly #dir: string;
  readonly #fileName: RegExp;
  readonly #allowed: ReadonlySet<string>;
  #watched = new Map<string, FileIdentity>();
  #timer: NodeJS.Timeout | null = null;
  #running = false;

  /** `fileName` matches the fragments (and their temp files); `allowed` names anything else expected there. */
  constructor(dir: string, fileName: RegExp, allowed: readonly string[] = []) {
    this.#dir = dir;
    this.#fileName = fileName;
    this.#allowed = new Set(allowed);
  }

  start(intervalMs = 5): void {
    this.#running = true;
    const tick = () => {
      if (!this.#running) return;
      this.pass();
      this.#timer = setTimeout(tick, intervalMs);
    };
    tick();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
  }

  /** From now on, these files must keep their inode, mtime and bytes (undefined: must stay absent). */
  watch(files: readonly string[]): void {
    this.#watched = new Map();
    for (const file of files) {
      const identity = identify(join(this.#dir, file));
      if (identity !== undefined) this.#watched.set(file, identity);
      else this.#watched.set(file, { ino: -1, mtimeMs: -1, text: '' });
    }
  }

  pass(): void {
    this.passes++;
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch (error) {
      // The directory itself is gone during the "deleted" fault: a reader sees nothing, which is fine.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') names = [];
      else throw error;
    }
    for (const name of names) {
      if (this.#allowed.has(name)) continue;
      if (!this.#fileName.test(name)) {
        this.#flag(`unexpected name ${name}`);
        continue;
      }
      if (!/\.(ya?ml|toml)$/.test(name)) continue; // a temp file: Traefik does not load it
      let text: string;
      try {
        text = readFileSync(join(this.#dir, name), 'utf8');
      } catch {
        continue; // replaced or removed between readdir and read
      }
      this.reads++;
      try {
        const parsed = parseYaml(executeGoTemplate(text)) as unknown;
        if (typeof parsed !== 'object' || parsed === null || !('http' in parsed)) this.#flag(`${name}: parsed, but has no http section: ${text.slice(0, 80)}`);
      } catch (error) {
        this.#flag(`${name}: does not parse (${(error as Error).message.split('\n')[0]})`);
      }
    }
    for (const [file, before] of this.#watched) {
      const now = identify(join(this.#dir, file)) ?? { ino: -1, mtimeMs: -1, text: '' };
      if (now.ino !== before.ino || now.mtimeMs !== before.mtimeMs || now.text !== before.text) {
        this.#flag(`${file} changed though its daemon was not affected`);
        this.#watched.set(file, now);
      }
    }
  }

  #flag(problem: string): void {
    if (this.problems.length < 50 && !this.problems.includes(problem)) this.problems.push(problem);
  }
}

function identify(path: string): FileIdentity | undefined {
  try {
    const stat = statSync(path);
    return { ino: stat.ino, mtimeMs: stat.mtimeMs, text: readFileSync(path, 'utf8') };
  } catch {
    return undefined;
  }
}
