// Port allocations survive restarts of route-server: a small JSON file in the state directory,
// replaced atomically. A missing or unreadable file starts an empty table (and says so). The store
// saves when an allocation changes; `lastSeen` alone is refreshed at most once a minute.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Logger } from '../model/logger.ts';
import type { PortAllocation } from '../render/ports.ts';

const FILE = 'ports.json';
/** How stale a saved `lastSeen` may get while nothing else changes. */
const LAST_SEEN_REFRESH_MS = 60_000;

export class AllocationStore {
  readonly #stateDir: string;
  readonly #logger: Logger;
  #allocations: readonly PortAllocation[] = [];
  #savedText = '[]';
  #savedAt = 0;

  constructor(stateDir: string, logger: Logger) {
    this.#stateDir = stateDir;
    this.#logger = logger;
  }

  /** Reads the file; the allocations the first render starts from. */
  load(): readonly PortAllocation[] {
    this.#allocations = loadAllocations(this.#stateDir, this.#logger);
    this.#savedText = heldText(this.#allocations);
    this.#savedAt = Date.now();
    return this.#allocations;
  }

  get allocations(): readonly PortAllocation[] {
    return this.#allocations;
  }

  /** Takes a render's allocations; saves them when they changed (or `force`). Never rejects. */
  async update(allocations: readonly PortAllocation[], force = false): Promise<void> {
    this.#allocations = allocations;
    const text = heldText(allocations);
    const due = Date.now() - this.#savedAt > LAST_SEEN_REFRESH_MS;
    if (text === this.#savedText && !due && !force) return;
    this.#savedText = text;
    this.#savedAt = Date.now();
    try {
      await saveAllocations(this.#stateDir, allocations);
    } catch (error) {
      this.#logger.error('port allocations not saved', { directory: this.#stateDir, error });
    }
  }
}

/** What is held, without `lastSeen`: a change here is worth a save at once. */
function heldText(allocations: readonly PortAllocation[]): string {
  return JSON.stringify(allocations.map(({ lastSeen: _, ...held }) => held));
}

export function loadAllocations(stateDir: string, logger: Logger): PortAllocation[] {
  const path = join(stateDir, FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn('port allocations not readable; starting empty', { path, error });
    return [];
  }
  try {
    const data = JSON.parse(text) as { allocations?: unknown };
    if (!Array.isArray(data.allocations)) throw new Error('no allocations list');
    return data.allocations.filter(isAllocation);
  } catch (error) {
    logger.warn('port allocations file is damaged; starting empty', { path, error });
    return [];
  }
}

function isAllocation(value: unknown): value is PortAllocation {
  const a = value as Record<string, unknown>;
  return (
    typeof a === 'object' &&
    a !== null &&
    (a['protocol'] === 'tcp' || a['protocol'] === 'udp') &&
    Number.isInteger(a['port']) &&
    typeof a['daemon'] === 'string' &&
    typeof a['router'] === 'string' &&
    typeof a['lastSeen'] === 'number'
  );
}

export async function saveAllocations(stateDir: string, allocations: readonly PortAllocation[]): Promise<void> {
  await writeFileAtomic(join(stateDir, FILE), `${JSON.stringify({ allocations }, null, 2)}\n`);
}
