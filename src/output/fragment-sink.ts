// Where rendered fragments go. `run` and `render --out` hand fragments to a sink and never see how
// they are delivered: files in Traefik's directory today; an HTTP body or Redis keys are further
// sinks behind the same three calls. /health and /metrics read `status()`, never a sink's internals.

import type { Fragment } from '../render/render.ts';
import type { WriterStatus } from '../write/writer-status.ts';

export interface FragmentSink {
  /**
   * Opens the sink and returns the daemons whose fragment a previous run left there: they stay as
   * they are until `set` is called for them. Never rejects; a fault shows in `status()`.
   */
  start(): Promise<string[]>;
  /**
   * Wants `fragment` delivered for the daemon (null: no fragment). Resolves once it is delivered,
   * found there already, or failed and is being retried. Never rejects.
   */
  set(daemon: string, fragment: Fragment | null): Promise<void>;
  status(): SinkStatus;
  /** Finishes the delivery in flight, stops retrying. What was delivered stays. */
  stop(): Promise<void>;
  on<K extends keyof SinkEvents>(event: K, listener: (...args: SinkEvents[K]) => void): this;
}

export interface SinkEvents {
  /** A daemon's fragment was delivered (or removed). */
  delivered: [daemon: string];
  /** A delivery failed; what was there before stays, and it is retried. */
  failed: [daemon: string, error: string];
}

export interface SinkStatus {
  /** What kind of sink: `files`. */
  readonly kind: string;
  /** Where it delivers: a directory, a URL. */
  readonly target: string;
  /** The last failure is more recent than the last success: nothing could be delivered since. */
  readonly failing: boolean;
  readonly lastDeliveredAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  readonly delivered: number;
  readonly errors: number;
  /** Daemons whose fragment is not yet as wanted (queued, retrying). */
  readonly pending: readonly string[];
  /** Daemons whose last delivery failed, with why. */
  readonly failingDaemons: readonly { readonly daemon: string; readonly error: string }[];
  /** The file writer's own report, for the file sink (the `output` of /health). */
  readonly files?: WriterStatus;
}

/**
 * Failing: the last failure is more recent than the last success, i.e. nothing could be delivered
 * since. A later success of another daemon clears it; one daemon still failing then shows in
 * `failingDaemons` (degraded, not error).
 */
export function isFailing(lastDeliveredAt: number | null, lastErrorAt: number | null): boolean {
  return lastErrorAt !== null && (lastDeliveredAt === null || lastErrorAt > lastDeliveredAt);
}
