// The benches' percentile: nearest rank over sorted values (p99 of 200 samples is the 198th).

/** `sorted` ascending; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}
