// Port allocations survive restarts of route-server: a small JSON file in the state directory,
// replaced atomically. A missing or unreadable file starts an empty table (and says so).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Logger } from '../model/logger.ts';
import type { PortAllocation } from '../render/ports.ts';

const FILE = 'ports.json';

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
