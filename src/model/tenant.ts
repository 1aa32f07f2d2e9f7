// A tenant is one daemon's repository: its network id decides its names (`{name}-{id}`) and, when
// numeric, the /26 of loopback addresses its services may use (SPEC §2, §3).

import { isValidNetworkId, networkRange, serviceRange, type Cidr, type IpRange } from './addresses.ts';

export type Tenant =
  | { readonly id: string; readonly kind: 'network'; readonly networkId: number; readonly range: Cidr; readonly services: IpRange }
  | { readonly id: string; readonly kind: 'named' };

export type TenantParse = { readonly ok: true; readonly tenant: Tenant } | { readonly ok: false; readonly error: string };

/** Every daemon id (numeric or named) fits this: it is also safe in a file name and a YAML key. */
const DAEMON_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function isDaemonId(value: string): boolean {
  return DAEMON_ID.test(value);
}

/** Validates a daemon id: 2816 + 64·k below 2^24, or a short lowercase name. */
export function parseTenant(id: string): TenantParse {
  if (/^[0-9]+$/.test(id)) {
    const networkId = Number(id);
    if (!isValidNetworkId(networkId) || String(networkId) !== id) {
      return { ok: false, error: `network id ${id} is not 2816 + 64·k below 2^24, so its /26 would overlap another's` };
    }
    return { ok: true, tenant: { id, kind: 'network', networkId, range: networkRange(networkId), services: serviceRange(networkId) } };
  }
  if (!isDaemonId(id)) {
    return { ok: false, error: `daemon id ${JSON.stringify(id)} is neither a network id nor a short lowercase name ([a-z0-9][a-z0-9_-]{0,62})` };
  }
  return { ok: true, tenant: { id, kind: 'named' } };
}
