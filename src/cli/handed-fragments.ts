// What the sinks were last handed, per daemon. Renders hand out the same object for an unchanged
// fragment, so a thousand daemons are not handed over again after one changed; and the sorted list
// that /traefik.yml and /routes.json read is sorted again only when a daemon comes or goes.

import { compareDaemonIds } from '../model/ordering.ts';
import type { Fragment } from '../render/render.ts';

export class HandedFragments {
  /** The last fragment handed per daemon (null: the sinks were told to remove it). */
  readonly #handed = new Map<string, Fragment | null>();
  /** The daemons that have a fragment now. */
  readonly #delivered = new Map<string, Fragment>();
  #sorted: readonly Fragment[] | undefined;
  /** Each daemon's place in #sorted. */
  #positions = new Map<string, number>();

  /** What the sinks were last handed for the daemon; undefined when nothing. */
  last(daemon: string): Fragment | null | undefined {
    return this.#handed.get(daemon);
  }

  hand(daemon: string, fragment: Fragment | null): void {
    this.#handed.set(daemon, fragment);
    const replaced = fragment !== null && this.#delivered.has(daemon);
    if (fragment === null) this.#delivered.delete(daemon);
    else this.#delivered.set(daemon, fragment);
    // A daemon's new fragment takes its old one's place; only a daemon coming or going sorts again.
    const sorted = this.#sorted;
    const position = this.#positions.get(daemon);
    if (replaced && sorted && position !== undefined) {
      // A copy (the last list may be in use), with the one new fragment in place.
      const next = sorted.slice();
      next[position] = fragment as Fragment;
      this.#sorted = next;
    } else this.#sorted = undefined;
  }

  /** Forgets what was handed to daemons for which `keep` is false (gone, and no file of ours left). */
  forget(keep: (daemon: string) => boolean): void {
    // forEach: no iterator result per daemon (this runs over every daemon on every change).
    this.#handed.forEach((_, daemon) => {
      if (!keep(daemon)) this.#handed.delete(daemon);
    });
  }

  delivered(daemon: string): Fragment | undefined {
    return this.#delivered.get(daemon);
  }

  sorted(): readonly Fragment[] {
    if (this.#sorted === undefined) {
      const sorted = [...this.#delivered.values()].sort((a, b) => compareDaemonIds(a.daemon, b.daemon));
      this.#positions = new Map(sorted.map((f, i) => [f.daemon, i]));
      this.#sorted = sorted;
    }
    return this.#sorted;
  }
}
