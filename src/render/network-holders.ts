// A daemon chooses its own networks' subnets, so two tenants can list the same bridge address
// (one copying the other's subnet to reach its containers). A named daemon counts such an address
// as its own only when it holds it: the oldest container listing it wins, an unknown creation
// time never wins a contest, ties go to the lower daemon id (the order hosts are decided in).
// `run` keeps the contest of every address (NetworkHolderIndex) and decides again only the
// addresses of daemons whose containers changed: a change on one daemon of a thousand looks at its
// own addresses, not at every daemon's.

import { parseStrictIp } from '../model/addresses.ts';
import { compareCodePoints, compareDaemonIds } from '../model/ordering.ts';
import type { DaemonSnapshot } from '../model/snapshot.ts';

/** Canonical address → the daemon holding it; a contested address nobody wins is absent. */
export type NetworkHolders = ReadonlyMap<string, string>;

/**
 * What one update of a NetworkHolderIndex decided again: the daemons listing an address whose
 * holder was decided again. Any other daemon's addresses have the holders they had one update before.
 */
export interface HolderChanges {
  readonly generation: number;
  readonly touched: ReadonlySet<string>;
}

/** The addresses one daemon's containers list, each with its oldest container's creation time. */
export type ListedAddresses = ReadonlyMap<string, number | undefined>;

export function listedAddresses(daemon: DaemonSnapshot): ListedAddresses {
  const byAddress = new Map<string, number | undefined>();
  for (const container of daemon.containers) {
    for (const text of Object.values(container.networks)) {
      const address = parseStrictIp(text)?.toString();
      if (address === undefined) continue;
      const age = container.created ?? undefined;
      const known = byAddress.get(address);
      if (!byAddress.has(address) || (age !== undefined && (known === undefined || age < known))) byAddress.set(address, age);
    }
  }
  return byAddress;
}

export function networkHolders(daemons: readonly DaemonSnapshot[]): NetworkHolders {
  const index = new NetworkHolderIndex();
  index.update(daemons, listedAddresses);
  return index.holders;
}

/** Who holds each address, kept between renders and decided again only where a daemon's addresses changed. */
export class NetworkHolderIndex {
  /** Canonical address → the daemon holding it (updated in place). */
  readonly holders = new Map<string, string>();
  /** Address → the daemons listing it, with their oldest container's creation time. */
  readonly #listing = new Map<string, Map<string, number | undefined>>();
  /** Daemon → what it listed last time, and the update it was last seen in. */
  readonly #daemons = new Map<string, { listed: ListedAddresses; seen: number }>();
  #generation = 0;
  #changes: HolderChanges = { generation: 0, touched: new Set() };

  /** What the last update decided again. */
  get changes(): HolderChanges {
    return this.#changes;
  }

  /**
   * Brings the holders up to date with `daemons`. `listed` should hand out the same map for a
   * daemon whose containers did not change (the caller keeps them): only changed ones cost anything.
   */
  update(daemons: readonly DaemonSnapshot[], listed: (daemon: DaemonSnapshot) => ListedAddresses): void {
    const generation = ++this.#generation;
    const contested = new Set<string>();
    // Indexed: a for-of allocates an iterator result per daemon until V8 optimizes the loop, and
    // this runs once per change over every daemon.
    for (let i = 0; i < daemons.length; i++) {
      const daemon = daemons[i] as DaemonSnapshot;
      const addresses = listed(daemon);
      const last = this.#daemons.get(daemon.id);
      if (last !== undefined) {
        last.seen = generation;
        if (last.listed === addresses) continue;
        this.#unlist(daemon.id, last.listed, contested);
        last.listed = addresses;
      } else this.#daemons.set(daemon.id, { listed: addresses, seen: generation });
      for (const [address, age] of addresses) {
        let byDaemon = this.#listing.get(address);
        if (byDaemon === undefined) this.#listing.set(address, (byDaemon = new Map()));
        byDaemon.set(daemon.id, age);
        contested.add(address);
      }
    }
    if (this.#daemons.size > daemons.length) {
      for (const [id, last] of this.#daemons) {
        if (last.seen === generation) continue;
        this.#unlist(id, last.listed, contested);
        this.#daemons.delete(id);
      }
    }
    const touched = new Set<string>();
    for (const address of contested) {
      this.#decide(address);
      for (const id of this.#listing.get(address)?.keys() ?? []) touched.add(id);
    }
    this.#changes = { generation, touched };
  }

  #unlist(id: string, listed: ListedAddresses, contested: Set<string>): void {
    for (const address of listed.keys()) {
      this.#listing.get(address)?.delete(id);
      contested.add(address);
    }
  }

  /** The oldest container wins; ties go to the lower daemon id; nobody of known age among several: nobody. */
  #decide(address: string): void {
    const byDaemon = this.#listing.get(address);
    let best: [string, number | undefined] | undefined;
    for (const entry of byDaemon ?? []) {
      const age = entry[1] ?? Infinity;
      const bestAge = best?.[1] ?? Infinity;
      if (best === undefined || age < bestAge || (age === bestAge && rankIds(entry[0], best[0]) < 0)) best = entry;
    }
    if (byDaemon === undefined || best === undefined) {
      this.#listing.delete(address);
      this.holders.delete(address);
    } else if (byDaemon.size === 1 || best[1] !== undefined) this.holders.set(address, best[0]);
    else this.holders.delete(address);
  }
}

/** Daemon ids in the order the render decides them (two spellings of one number by code points, so the order never depends on discovery's). */
function rankIds(a: string, b: string): number {
  return compareDaemonIds(a, b) || compareCodePoints(a, b);
}
