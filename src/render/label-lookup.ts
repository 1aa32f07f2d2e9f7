// Diagnostics name the label at fault. Configuration keeps canonical names, users write any case
// (`traefik.http.routers.Web.TLS.domains[0].main`), so the label is looked up in the container.

import type { ContainerSnapshot } from '../model/snapshot.ts';
import { foldCase } from '../traefik/fields.ts';
import { compareCodePoints } from '../model/ordering.ts';

/** The first of the container's labels at `prefix` or below it (case-insensitive), if any. */
export function findLabel(container: ContainerSnapshot, prefix: string): string | undefined {
  const wanted = foldCase(prefix);
  let found: string | undefined;
  for (const key of Object.keys(container.labels)) {
    const folded = foldCase(key);
    const below = folded === wanted || folded.startsWith(`${wanted}.`) || folded.startsWith(`${wanted}[`);
    if (below && (found === undefined || compareCodePoints(key, found) < 0)) found = key;
  }
  return found;
}

/** `traefik.http.routers.web` + `tls.domains`, falling back to the resource's own labels. */
export function resourceLabel(container: ContainerSnapshot, section: string, name: string, path?: string): string | undefined {
  const resource = `traefik.${section}.${name}`;
  return (path ? findLabel(container, `${resource}.${path}`) : undefined) ?? findLabel(container, resource);
}
