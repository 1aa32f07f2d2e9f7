// `render` without --out prints every fragment as one document; names are already unique per
// tenant, so merging is a union of the per-protocol maps.

import { emptyObject, ensureMap, ensureObject, isConfigObject, type ConfigObject } from '../traefik/config.ts';
import type { Fragment } from './render.ts';

export function mergeFragments(fragments: readonly Fragment[]): ConfigObject {
  const merged = emptyObject();
  for (const fragment of fragments) {
    for (const top of Object.keys(fragment.config)) {
      const section = fragment.config[top];
      if (!isConfigObject(section)) continue;
      for (const kind of Object.keys(section)) {
        const map = section[kind];
        if (!isConfigObject(map)) continue;
        Object.assign(ensureMap(ensureObject(merged, top), kind), map);
      }
    }
  }
  return merged;
}
