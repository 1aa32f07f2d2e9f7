// What the writer reports: read by /health at any time, without waiting for a write.

export interface FragmentFileStatus {
  readonly daemon: string;
  /** Absolute path of the fragment. */
  readonly file: string;
  /** Size of the file as last written or read by us; 0 when there is none. */
  readonly bytes: number;
  /** Ms epoch of our last write (or removal); null for a file inherited from a previous run. */
  readonly writtenAt: number | null;
  /** A write is queued, running or waiting for a retry, or the file differs from what is wanted. */
  readonly pending: boolean;
  /** Why the last attempt failed (code, operation and path); null once a write succeeds. */
  readonly lastError: string | null;
}

export interface WriterStatus {
  readonly dir: string;
  /** Daemons that have a file, want one, or are failing; sorted by daemon id. */
  readonly files: readonly FragmentFileStatus[];
  readonly lastWriteAt: number | null;
  /** The most recent failure anywhere (a file or the directory); kept after recovery, see `lastErrorAt`. */
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  /** Successful writes and removals. */
  readonly writes: number;
  readonly writeErrors: number;
  /** Files changed or deleted by someone else (or lost with the directory) that we put back. */
  readonly restores: number;
  /** `set` calls whose content was already on disk. */
  readonly skippedUnchanged: number;
}

export type RestoreReason = 'deleted' | 'edited' | 'created' | 'directory-lost';

export interface FragmentWriterEvents {
  /** A fragment was written or removed, and how long it took (ms). */
  write: [daemon: string, durationMs: number];
  /** Someone else's change to an owned file was undone. */
  restored: [daemon: string, reason: RestoreReason];
  /** A write or removal failed; the old file stays and a retry is scheduled. */
  failed: [daemon: string, error: string];
}
