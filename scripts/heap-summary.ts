// What a V8 heap snapshot (.heapsnapshot, from --heapsnapshot-signal or the inspector) is made of:
// self size by node type and by constructor, and retained size (dominator tree) of the biggest
// groups, each with the retainer path of one of its members, so that a figure names its owner.
// Usage: node --import tsx scripts/heap-summary.ts FILE [--top 40] [--paths NAME,NAME...]
// The snapshot format: node and edge fields are listed in snapshot.meta (the same as Chrome's).

import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapSummary {
  readonly totalBytes: number;
  readonly nodeCount: number;
  /** Self size per group ("type" or "object:Constructor"), biggest first. */
  readonly bySelf: readonly [string, { bytes: number; count: number }][];
  /** Retained size per group, counting a node only when its dominator is not of the same group. */
  readonly byRetained: readonly [string, { bytes: number; count: number; path: string }][];
  /** With --paths: the retained size of each instance of those constructors, by field. */
  readonly fields: readonly string[];
  /** Per constructor: what its instances hold in the shortest-path tree (an instance inside another of the same constructor counted once). */
  readonly byHolder: readonly [string, { bytes: number; count: number }][];
  /** The single objects holding the most in the shortest-path tree (modules' and V8's own left out). */
  readonly biggest: readonly { bytes: number; name: string; path: string }[];
}

export function summarizeHeap(file: string, pathsFor: ReadonlySet<string> = new Set()): HeapSummary {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const meta = snap.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type');
  const nName = meta.node_fields.indexOf('name');
  const nSize = meta.node_fields.indexOf('self_size');
  const nEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const shortcut = edgeTypes.indexOf('shortcut');
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nodeFields;

  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += nodes[i * nodeFields + nEdges]! * edgeFields;
  }
  firstEdge[count] = edges.length;

  const group = (i: number): string => {
    const type = nodeTypes[nodes[i * nodeFields + nType]!]!;
    const name = strings[nodes[i * nodeFields + nName]!]!;
    if (type === 'object' || type === 'native') return `${type}:${name}`;
    if (type === 'closure') return `closure:${name || '(anonymous)'}`;
    if (type === 'hidden' || type === 'code' || type === 'array') return `${type}:${name.slice(0, 40)}`;
    return type;
  };
  const groups = new Array<string>(count);
  for (let i = 0; i < count; i++) groups[i] = group(i);

  const bySelf = new Map<string, { bytes: number; count: number }>();
  let totalBytes = 0;
  for (let i = 0; i < count; i++) {
    const size = nodes[i * nodeFields + nSize]!;
    totalBytes += size;
    const entry = bySelf.get(groups[i]!) ?? { bytes: 0, count: 0 };
    entry.bytes += size;
    entry.count++;
    bySelf.set(groups[i]!, entry);
  }

  // Dominators (Cooper, Harvey, Kennedy: iterate over reverse postorder until stable).
  const skip = (edgeType: number) => edgeType === weak || edgeType === shortcut;
  const order = new Int32Array(count).fill(-1); // postorder number
  const post: number[] = [];
  const parentEdge = new Int32Array(count);
  const stack: number[] = [0];
  order[0] = -2;
  parentEdge[0] = firstEdge[0]!;
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!;
    let e = parentEdge[v]!;
    let pushed = false;
    for (; e < firstEdge[v + 1]!; e += edgeFields) {
      if (skip(edges[e + eType]!)) continue;
      const w = edges[e + eTo]! / nodeFields;
      if (order[w] === -1) {
        order[w] = -2;
        parentEdge[v] = e + edgeFields;
        parentEdge[w] = firstEdge[w]!;
        stack.push(w);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      order[v] = post.length;
      post.push(v);
    }
  }
  const predecessors: number[][] = Array.from({ length: count }, () => []);
  for (let v = 0; v < count; v++) {
    if (order[v]! < 0) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += edgeFields) {
      if (skip(edges[e + eType]!)) continue;
      const w = edges[e + eTo]! / nodeFields;
      if (order[w]! >= 0) predecessors[w]!.push(v);
    }
  }
  const dom = new Int32Array(count).fill(-1);
  dom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (order[a]! < order[b]!) a = dom[a]!;
      while (order[b]! < order[a]!) b = dom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = post.length - 1; k >= 0; k--) {
      const v = post[k]!;
      if (v === 0) continue;
      let idom = -1;
      for (const p of predecessors[v]!) {
        if (dom[p] === -1) continue;
        idom = idom === -1 ? p : intersect(p, idom);
      }
      if (idom !== -1 && dom[v] !== idom) {
        dom[v] = idom;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(count);
  for (let i = 0; i < count; i++) retained[i] = nodes[i * nodeFields + nSize]!;
  for (const v of post) if (v !== 0 && dom[v]! >= 0) retained[dom[v]!]! += retained[v]!;

  // Shortest retainer path from the root (breadth first over strong edges), as DevTools shows it.
  const parent = new Int32Array(count).fill(-1);
  const parentVia = new Int32Array(count).fill(-1);
  const queue = new Int32Array(count);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parent[0] = 0;
  while (head < tail) {
    const v = queue[head++]!;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += edgeFields) {
      if (skip(edges[e + eType]!)) continue;
      const w = edges[e + eTo]! / nodeFields;
      if (parent[w] !== -1) continue;
      parent[w] = v;
      parentVia[w] = e;
      queue[tail++] = w;
    }
  }
  const edgeLabel = (e: number): string => {
    const type = edgeTypes[edges[e + eType]!];
    if (type === 'element' || type === 'hidden') return '[]';
    return `.${String(strings[edges[e + eName]!]).slice(0, 40)}`;
  };
  const pathOf = (v: number): string => {
    const parts: string[] = [];
    for (let depth = 0; depth < 14 && v > 0 && parent[v]! >= 0; depth++) {
      parts.push(`${groups[parent[v]!]}${edgeLabel(parentVia[v]!)}`);
      v = parent[v]!;
    }
    return parts.reverse().join(' → ');
  };
  /** Where a group's bytes hang: self size by (holder's group, edge), biggest first. */
  const ownersOf = (name: string): string[] => {
    const owners = new Map<string, number>();
    for (let v = 1; v < count; v++) {
      if (groups[v] !== name || parent[v]! < 0) continue;
      const key = `${groups[parent[v]!]}${edgeLabel(parentVia[v]!)}`;
      owners.set(key, (owners.get(key) ?? 0) + retained[v]!);
    }
    return [...owners].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, bytes]) => `${(bytes / 1024 / 1024).toFixed(2)} MB ${k}`);
  };

  const byRetained = new Map<string, { bytes: number; count: number; path: string; biggest: number }>();
  for (let v = 1; v < count; v++) {
    if (dom[v]! < 0 || groups[dom[v]!] === groups[v]) continue;
    const entry = byRetained.get(groups[v]!) ?? { bytes: 0, count: 0, path: '', biggest: -1 };
    entry.bytes += retained[v]!;
    entry.count++;
    if (entry.biggest === -1 || retained[v]! > retained[entry.biggest]!) entry.biggest = v;
    byRetained.set(groups[v]!, entry);
  }
  for (const [name, entry] of byRetained) {
    if (entry.bytes > 1e6 || pathsFor.has(name)) entry.path = [`biggest: ${pathOf(entry.biggest)}`, ...ownersOf(name).map((o) => `held by ${o}`)].join('\n      ');
  }
  // The shortest-path tree partitions the heap (each node under the holder nearest the root): a
  // breakdown that adds up, where dominators give little for objects shared by several holders.
  const tree = new Float64Array(count);
  for (let i = 0; i < count; i++) tree[i] = nodes[i * nodeFields + nSize]!;
  for (let k = tail - 1; k > 0; k--) tree[parent[queue[k]!]!]! += tree[queue[k]!]!;
  const candidates: number[] = [];
  for (let v = 1; v < count; v++) {
    const name = groups[v]!;
    if (!name.startsWith('object:') || name.startsWith('object:system') || name === 'object:Module' || name === 'object:Object') continue;
    if (tree[v]! > 256 * 1024) candidates.push(v);
  }
  candidates.sort((a, b) => tree[b]! - tree[a]!);
  const biggest = candidates.slice(0, 40).map((v) => ({ bytes: tree[v]!, name: groups[v]!, path: pathOf(v) }));
  const byHolder = new Map<string, { bytes: number; count: number }>();
  for (let v = 1; v < count; v++) {
    const name = groups[v]!;
    if (!name.startsWith('object:') || name.startsWith('object:system') || parent[v]! < 0 || groups[parent[v]!] === name) continue;
    const entry = byHolder.get(name) ?? { bytes: 0, count: 0 };
    entry.bytes += tree[v]!;
    entry.count++;
    byHolder.set(name, entry);
  }
  // Retained size of the named constructors' instances and of what their fields point to.
  const fields: string[] = [];
  for (let v = 1; v < count; v++) {
    if (!pathsFor.has(groups[v]!)) continue;
    const parts: string[] = [];
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += edgeFields) {
      const w = edges[e + eTo]! / nodeFields;
      if (skip(edges[e + eType]!) || dom[w] !== v || retained[w]! < 1024) continue;
      parts.push(`${edgeLabel(e)} ${(retained[w]! / 1024).toFixed(0)} KB`);
    }
    fields.push(`${groups[v]} ${(retained[v]! / 1024).toFixed(0)} KB: ${parts.join(', ')}`);
  }
  return {
    fields,
    byHolder: [...byHolder].sort((a, b) => b[1].bytes - a[1].bytes),
    biggest,
    totalBytes,
    nodeCount: count,
    bySelf: [...bySelf].sort((a, b) => b[1].bytes - a[1].bytes),
    byRetained: [...byRetained].map(([k, { bytes, count: n, path }]) => [k, { bytes, count: n, path }] as [string, { bytes: number; count: number; path: string }]).sort((a, b) => b[1].bytes - a[1].bytes),
  };
}

export function printHeapSummary(summary: HeapSummary, top = 40, write = (line: string) => process.stdout.write(`${line}\n`)): void {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  write(`live heap in the snapshot: ${mb(summary.totalBytes)} in ${summary.nodeCount} nodes`);
  write('self size by group:');
  for (const [name, { bytes, count }] of summary.bySelf.slice(0, top)) write(`  ${mb(bytes).padStart(10)}  ${String(count).padStart(8)}  ${name}`);
  write('retained size by group (a node counted once per group; groups overlap), where held (retained size by holder):');
  for (const [name, { bytes, count, path }] of summary.byRetained.slice(0, top)) {
    write(`  ${mb(bytes).padStart(10)}  ${String(count).padStart(8)}  ${name}`);
    if (path !== '') write(`      ${path}`);
  }
  for (const line of summary.fields.slice(0, 20)) write(`  ${line}`);
  write('held by constructor (shortest-path tree: each byte counted under its nearest holder):');
  for (const [name, { bytes, count }] of summary.byHolder.slice(0, top)) write(`  ${mb(bytes).padStart(10)}  ${String(count).padStart(8)}  ${name}`);
  write('single objects holding the most (shortest-path tree from the root: each byte counted under its nearest holder):');
  for (const { bytes, name, path } of summary.biggest) write(`  ${mb(bytes).padStart(10)}  ${name}  ← ${path.split(' → ').slice(-4).join(' → ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: heap-summary.ts FILE [--top N] [--paths NAME,...]');
  const topAt = process.argv.indexOf('--top');
  const pathsAt = process.argv.indexOf('--paths');
  const paths = new Set(pathsAt > 0 ? (process.argv[pathsAt + 1] ?? '').split(',') : []);
  printHeapSummary(summarizeHeap(file, paths), topAt > 0 ? Number(process.argv[topAt + 1]) : 40);
}
