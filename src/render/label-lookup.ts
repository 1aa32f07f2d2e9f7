// Diagnostics name the label at fault. Configuration keeps canonical names, users write any case
// (`traefik.http.routers.Web.TLS.domains[0].main`), so the label is looked up in the container.
// Each container's keys are case-folded and sorted once, so a lookup is a binary search over the
// labels below one prefix: refusing every router of a large container stays linear.

import type { ContainerSnapshot } from '../model/snapshot.ts';
import { foldCase } from '../traefik/fields.ts';
import { compareCodePoints } from '../model/ordering.ts';

interface LabelIndex {
  /** Case-folded keys, sorted (UTF-16 order: only prefix ranges matter). */
  readonly folded: readonly string[];
  /** The key as written, at the same position. */
  readonly keys: readonly string[];
}

const indexes = new WeakMap<ContainerSnapshot, LabelIndex>();

function labelIndex(container: ContainerSnapshot): LabelIndex {
  let index = indexes.get(container);
  if (!index) {
    const pairs = Object.keys(container.labels).map((key) => [foldCase(key), key] as const);
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    index = { folded: pairs.map(([folded]) => folded), keys: pairs.map(([, key]) => key) };
    indexes.set(container, index);
  }
  return index;
}

/** First position whose folded key is not below `text`. */
function lowerBound(folded: readonly string[], text: string): number {
  let low = 0;
  let high = folded.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((folded[middle] as string) < text) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first of the container's labels at `prefix` or below it (case-insensitive), if any. */
export function findLabel(container: ContainerSnapshot, prefix: string): string | undefined {
  const wanted = foldCase(prefix);
  const { folded, keys } = labelIndex(container);
  let found: string | undefined;
  const consider = (key: string) => {
    if (found === undefined || compareCodePoints(key, found) < 0) found = key;
  };
  // The label itself, and the two ranges below it: `prefix.…` and `prefix[…`.
  for (let i = lowerBound(folded, wanted); folded[i] === wanted; i++) consider(keys[i] as string);
  for (const below of [`${wanted}.`, `${wanted}[`]) {
    for (let i = lowerBound(folded, below); i < folded.length && (folded[i] as string).startsWith(below); i++) consider(keys[i] as string);
  }
  return found;
}

/** `traefik.http.routers.web` + `tls.domains`, falling back to the resource's own labels. */
export function resourceLabel(container: ContainerSnapshot, section: string, name: string, path?: string): string | undefined {
  const resource = `traefik.${section}.${name}`;
  return (path ? findLabel(container, `${resource}.${path}`) : undefined) ?? findLabel(container, resource);
}
