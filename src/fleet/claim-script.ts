// Ownership of names across hosts, decided inside Redis in one script so that every host sees the
// same answer (Redis runs a script atomically, and its clock is the only one used for leases).
//
//   - Each run renews this host's lease (`lease:<host>`, expires after the lease time).
//   - A host whose lease has expired is reaped: its claims, its published marker and every edge
//     key it wrote are removed, so a dead or cut-off host blocks no name longer than its lease.
//   - This host's claims are set to exactly the names it routes now; a new claim is dated now on
//     Redis's clock, unless this host remembers an older date for it (Redis lost its data).
//   - For each name, the winner is the live claimant with the oldest date (then the smaller host
//     name): the router that has served the name longest. A younger claim waits as the next one.
//   - `published` says which host has edge keys for a name: a winner waits until the previous
//     holder removed its keys, so the edge never has two routers for one name.
// Any change is announced on the `changed` channel, so other hosts decide again at once.

export const CLAIM_SCRIPT = `
local prefix, me, lease = ARGV[1], ARGV[2], tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leaseKey = prefix .. 'lease/' .. me
local alive = redis.call('EXISTS', leaseKey)
redis.call('SET', leaseKey, now, 'PX', lease)
redis.call('SADD', prefix .. 'hosts', me)
local changed = 0
local function isLive(h) return redis.call('EXISTS', prefix .. 'lease/' .. h) == 1 end
for _, h in ipairs(redis.call('SMEMBERS', prefix .. 'hosts')) do
  if not isLive(h) then
    for _, n in ipairs(redis.call('SMEMBERS', prefix .. 'names/' .. h)) do
      redis.call('HDEL', prefix .. 'claims/' .. n, h)
      if redis.call('HGET', prefix .. 'published', n) == h then redis.call('HDEL', prefix .. 'published', n) end
    end
    local keys = redis.call('SMEMBERS', prefix .. 'keys/' .. h)
    for i = 1, #keys, 500 do redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys))) end
    redis.call('DEL', prefix .. 'names/' .. h, prefix .. 'keys/' .. h)
    redis.call('SREM', prefix .. 'hosts', h)
    changed = 1
  end
end
local wanted = {}
for i = 4, #ARGV, 2 do wanted[ARGV[i]] = true end
for _, n in ipairs(redis.call('SMEMBERS', prefix .. 'names/' .. me)) do
  if not wanted[n] then
    redis.call('HDEL', prefix .. 'claims/' .. n, me)
    redis.call('SREM', prefix .. 'names/' .. me, n)
    changed = 1
  end
end
local out = {}
for i = 4, #ARGV, 2 do
  local n, remembered = ARGV[i], ARGV[i + 1]
  local claimKey = prefix .. 'claims/' .. n
  local since = redis.call('HGET', claimKey, me)
  if not since then
    since = remembered ~= '' and remembered or tostring(now)
    redis.call('HSET', claimKey, me, since)
    redis.call('SADD', prefix .. 'names/' .. me, n)
    changed = 1
  end
  local all = redis.call('HGETALL', claimKey)
  local best, bestSince = me, tonumber(since)
  for j = 1, #all, 2 do
    local h, s = all[j], tonumber(all[j + 1])
    if h ~= me and s ~= nil and isLive(h) and (s < bestSince or (s == bestSince and h < best)) then best, bestSince = h, s end
  end
  out[#out + 1] = { n, since, best, tostring(bestSince), redis.call('HGET', prefix .. 'published', n) or '' }
end
if changed == 1 then redis.call('PUBLISH', prefix .. 'changed', me) end
return { alive, out }
`;

export type ClaimState = 'own' | 'waiting' | 'refused';

export interface ClaimResult {
  readonly name: string;
  /** Unix ms (Redis clock) this host's claim dates from. */
  readonly since: number;
  readonly state: ClaimState;
  /** The winner (this host when `own`), and the host holding the edge keys while `waiting`. */
  readonly heldBy: string;
  readonly heldSince: number;
}

export interface ClaimOutcome {
  /** False when this host's lease had expired or Redis lost it: what it wrote may be gone. */
  readonly leaseWasAlive: boolean;
  readonly claims: readonly ClaimResult[];
}

/** The script's arguments: prefix, host, lease, then each name with the date it remembers ('' for none). */
export function claimArguments(prefix: string, host: string, leaseMs: number, names: readonly string[], remembered: ReadonlyMap<string, number>): string[] {
  const args = [prefix, host, String(leaseMs)];
  for (const name of names) args.push(name, String(remembered.get(name) ?? ''));
  return args;
}

export function readClaimOutcome(host: string, reply: unknown): ClaimOutcome {
  const [alive, rows] = reply as [number, [string, string, string, string, string][]];
  return {
    leaseWasAlive: alive === 1,
    claims: rows.map(([name, since, winner, winnerSince, publisher]): ClaimResult => {
      const state: ClaimState = winner !== host ? 'refused' : publisher === '' || publisher === host ? 'own' : 'waiting';
      return { name, since: Number(since), state, heldBy: state === 'waiting' ? publisher : winner, heldSince: Number(winnerSince) };
    }),
  };
}

/**
 * The fleet's bookkeeping keys: outside the root key, where Traefik never lists, and without any
 * `:` — Traefik subscribes to `__keyspace*:<root>*`, and that glob also matches a key with
 * `:<root>` anywhere in it, so every lease renewal would make each edge Traefik list everything.
 */
export function bookkeeping(prefix: string) {
  return {
    prefix,
    changed: `${prefix}changed`,
    published: `${prefix}published`,
    keysOf: (host: string) => `${prefix}keys/${host}`,
    leaseOf: (host: string) => `${prefix}lease/${host}`,
  };
}
