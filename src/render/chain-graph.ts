// Chain middlewares form a graph inside a tenant. Traefik refuses a chain that reaches itself at
// runtime ("recursion detected") and builds nested chains recursively, so route-server refuses
// cycles and chains nested deeper than MAX_CHAIN_DEPTH. Both walks are iterative and visit each
// middleware and each chain entry once: a chain of thousands of chains costs linear time.

import type { DiagnosticCode } from '../model/diagnostics.ts';
import { MAX_CHAIN_DEPTH } from '../model/limits.ts';
import { own, ownObject } from '../traefik/config.ts';
import type { TenantChecks } from './tenant-checks.ts';
import type { TenantConfig } from './tenant-config.ts';

/** Refuses every middleware on a chain cycle, then every chain nested too deep. */
export function refuseBadChains(checks: TenantChecks): void {
  const { config } = checks;
  const drop = (name: string, code: DiagnosticCode, reason: string) => checks.refuse('http.middlewares', name, code, reason, 'chain.middlewares');
  const edges = chainEdges(config);
  // Most tenants have no chain at all: nothing can cycle or nest.
  if (![...edges.values()].some((list) => list !== undefined)) return;
  for (const name of cyclicMiddlewares(edges)) drop(name, 'chain-recursion', 'its chain reaches itself');
  for (const [name, depth] of chainDepths(chainEdges(config))) {
    if (depth > MAX_CHAIN_DEPTH) drop(name, 'chain-too-deep', `it nests chains ${depth} deep, route-server accepts at most ${MAX_CHAIN_DEPTH}`);
  }
}

/** Own middleware → the own middlewares its chain names (undefined for a middleware that is not a chain). */
function chainEdges(config: TenantConfig): Map<string, string[] | undefined> {
  const middlewares = config['http.middlewares'];
  const edges = new Map<string, string[] | undefined>();
  for (const [name, resource] of middlewares) {
    const chain = ownObject(resource.value, 'chain');
    const list = own(chain, 'middlewares');
    if (chain === undefined) {
      edges.set(name, undefined);
      continue;
    }
    const names = Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
    edges.set(name, names.map((item) => item.replace(/@file$/, '')).filter((item) => middlewares.has(item)));
  }
  return edges;
}

/** Middlewares on a cycle (a strongly connected component with an edge inside), by Tarjan's algorithm without recursion. */
function cyclicMiddlewares(edges: Map<string, string[] | undefined>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cyclic: string[] = [];
  let counter = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { name: string; next: number }[] = [{ name: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { name: string; next: number };
      const children = edges.get(frame.name) ?? [];
      if (frame.next < children.length) {
        const child = children[frame.next++] as string;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ name: child, next: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.name, Math.min(low.get(frame.name) as number, index.get(child) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name) as number, low.get(frame.name) as number));
      if (low.get(frame.name) !== index.get(frame.name)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.name);
      if (component.length > 1 || children.includes(frame.name)) for (const member of component) cyclic.push(member);
    }
  }
  return cyclic;
}

/** Nesting depth of every chain (0 for other middlewares), over a graph without cycles. */
function chainDepths(edges: Map<string, string[] | undefined>): Map<string, number> {
  const depth = new Map<string, number>();
  for (const root of edges.keys()) {
    if (depth.has(root)) continue;
    const work: { name: string; next: number }[] = [{ name: root, next: 0 }];
    const open = new Set<string>([root]);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { name: string; next: number };
      const children = edges.get(frame.name);
      if (children !== undefined && frame.next < children.length) {
        const child = children[frame.next++] as string;
        if (!depth.has(child) && !open.has(child)) {
          open.add(child);
          work.push({ name: child, next: 0 });
        }
        continue;
      }
      work.pop();
      open.delete(frame.name);
      let deepest = 0;
      for (const child of children ?? []) deepest = Math.max(deepest, depth.get(child) ?? 0);
      depth.set(frame.name, children === undefined ? 0 : deepest + 1);
    }
  }
  return depth;
}
