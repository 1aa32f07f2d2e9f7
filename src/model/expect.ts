// Option checks shared by every constructor and the command line, so one rule has one message:
// `Expected \`name\` to be …, got …` (the p-queue style). The caller passes the name the user wrote
// (`debounceMaxMs` for the API, `--debounce-max` on the command line).

/** setTimeout fires at once for longer delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration in ms usable as a timer: finite, >= 0 (or > 0 with `minimum` 1), at most ~24.8 days. */
export function expectDuration(name: string, value: unknown, minimum: 0 | 1): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    const bound = minimum === 0 ? '>= 0' : '> 0';
    throw new TypeError(`Expected \`${name}\` to be a finite number ${bound}, got ${String(value)}`);
  }
  if (value > MAX_TIMER_MS) {
    throw new RangeError(`Expected \`${name}\` to be at most ${MAX_TIMER_MS} (about 24.8 days), got ${value}`);
  }
  return value;
}

export function expectAtLeast(name: string, value: number, otherName: string, other: number): void {
  if (value < other) throw new RangeError(`Expected \`${name}\` to be >= \`${otherName}\` (${other}), got ${value}`);
}
