// Capped exponential backoff with "equal jitter": the wait doubles per failure up to the cap, and
// half of it is random so daemons that failed together (a host reboot) do not retry in lockstep.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Wait before retry number `failures` (0 for the first retry), in [base/2, base]. */
export function backoffDelay(failures: number, options: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(failures, 40));
  return Math.round(base / 2 + (random() * base) / 2);
}
