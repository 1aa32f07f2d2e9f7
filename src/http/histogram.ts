// A fixed-bucket histogram in seconds, the Prometheus way: observations are counted into the first
// bucket whose upper bound holds them; the snapshot turns the counts cumulative.

import type { HistogramSnapshot } from './prometheus-text.ts';

export class Histogram {
  readonly #bounds: readonly number[];
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  /** `bounds`: upper bounds in seconds, strictly increasing and finite (+Inf is implied). */
  constructor(bounds: readonly number[]) {
    for (let i = 0; i < bounds.length; i++) {
      const bound = bounds[i] as number;
      if (!Number.isFinite(bound) || (i > 0 && bound <= (bounds[i - 1] as number))) {
        throw new RangeError(`Expected bucket bounds to be finite and strictly increasing, got ${JSON.stringify(bounds)}`);
      }
    }
    this.#bounds = [...bounds];
    this.#counts = bounds.map(() => 0);
  }

  /** Non-finite observations are dropped, negative ones count as 0: a clock step must not poison the sum. */
  observe(seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    const value = Math.max(0, seconds);
    this.#sum += value;
    this.#count++;
    const index = this.#bounds.findIndex((bound) => value <= bound);
    if (index >= 0) this.#counts[index] = (this.#counts[index] as number) + 1;
  }

  snapshot(): HistogramSnapshot {
    let running = 0;
    const buckets = this.#bounds.map((le, i) => {
      running += this.#counts[i] as number;
      return { le, count: running };
    });
    return { buckets, sum: this.#sum, count: this.#count };
  }
}
