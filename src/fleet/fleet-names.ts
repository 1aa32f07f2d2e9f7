// Which names this host offers the edge: the literal hosts of HTTP routers that terminate TLS on
// the port the edge forwards to (443: `websecure`, `websecure-v6`, as `route-server static` sets
// them up). The fragments handed to the sinks are after isolation, so every name here is one this
// host's routers own. Wildcard hosts are not offered: Traefik's HostSNI takes literal names only.

import { ownObject, ownString, ownStrings } from '../traefik/config.ts';
import { parseRule, ruleHosts } from '../traefik/rules.ts';
import type { Fragment } from '../render/render.ts';

export const HTTPS_ENTRYPOINTS: ReadonlySet<string> = new Set(['websecure', 'websecure-v6']);

/** What HostSNI takes and a Redis key segment holds without surprises (see kv-keys.ts). */
const PUBLISHABLE = /^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/;

export function fragmentNames(fragment: Fragment): string[] {
  const names = new Set<string>();
  const routers = ownObject(ownObject(fragment.config, 'http'), 'routers') ?? {};
  for (const key of Object.keys(routers)) {
    const router = ownObject(routers, key);
    if (router === undefined || ownObject(router, 'tls') === undefined) continue;
    if (!(ownStrings(router, 'entryPoints') ?? []).some((entrypoint) => HTTPS_ENTRYPOINTS.has(entrypoint))) continue;
    const rule = ownString(router, 'rule');
    if (rule === undefined) continue;
    const parsed = parseRule(rule, 'http', ownString(router, 'ruleSyntax'));
    if (!parsed.ok) continue;
    for (const host of ruleHosts(parsed.tree, 'http').hosts) if (PUBLISHABLE.test(host)) names.add(host);
  }
  return [...names];
}

/** Every name of the daemons' fragments, sorted. */
export function hostNames(fragments: Iterable<Fragment>): string[] {
  const names = new Set<string>();
  for (const fragment of fragments) for (const name of fragmentNames(fragment)) names.add(name);
  return [...names].sort();
}
