// A daemon chooses its own networks' subnets, so two tenants can list the same bridge address
// (one copying the other's subnet to reach its containers). A named daemon counts such an address
// as its own only when it holds it: the oldest container listing it wins, an unknown creation
// time never wins a contest, ties go to the lower daemon id (the order hosts are decided in).

import { parseStrictIp } from '../model/addresses.ts';
import { compareDaemonIds } from '../model/ordering.ts';
import type { DaemonSnapshot } from '../model/snapshot.ts';

/** Canonical address → the daemon holding it; a contested address nobody wins is absent. */
export type NetworkHolders = ReadonlyMap<string, string>;

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

/** `listed` may keep each daemon's addresses between renders (they change only with its containers). */
export function networkHolders(daemons: readonly DaemonSnapshot[], listed: (daemon: DaemonSnapshot) => ListedAddresses = listedAddresses): NetworkHolders {
  const byAddress = new Map<string, Map<string, number | undefined>>();
  for (const daemon of daemons) {
    for (const [address, age] of listed(daemon)) {
      const byDaemon = byAddress.get(address) ?? new Map<string, number | undefined>();
      byAddress.set(address, byDaemon);
      byDaemon.set(daemon.id, age);
    }
  }
  const holders = new Map<string, string>();
  for (const [address, byDaemon] of byAddress) {
    const ranked = [...byDaemon].sort(([a, ageA], [b, ageB]) => (ageA ?? Infinity) - (ageB ?? Infinity) || compareDaemonIds(a, b));
    const [first] = ranked;
    if (first === undefined) continue;
    if (ranked.length === 1 || first[1] !== undefined) holders.set(address, first[0]);
  }
  return holders;
}
