// When the output counts as failing, decided once for /health and /metrics so they cannot disagree.

import type { RuntimeView } from './runtime-view.ts';

/** The writer's status as the view hands it out (its shape is owned by the writer). */
export type WriterStatus = ReturnType<RuntimeView['writer']>;

/**
 * Failing: the last failure is more recent than the last success, i.e. nothing could be written
 * since. A later success of another file clears it; a single file still failing then shows as
 * that file's `lastError` (degraded, not error).
 */
export function isOutputFailing(writer: WriterStatus): boolean {
  return writer.lastErrorAt !== null && (writer.lastWriteAt === null || writer.lastErrorAt > writer.lastWriteAt);
}
