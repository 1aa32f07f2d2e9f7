// The direct label pass (label-direct.ts) against the node tree it stands in for: whenever it
// answers, the tree gives the same configuration (key order and prototypes included) and no
// note; whatever it is unsure of, it leaves to the tree.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { snapshotArb } from '../../test/hostile/arbitraries.ts';
import type { ConfigValue } from './config.ts';
import { Configuration } from './fields/configuration.ts';
import type { FieldType, StructDef } from './fields/table.ts';
import { decodeDirect } from './label-direct.ts';
import { decodedLabelKeys } from './label-tree.ts';
import { decodeLabels, decodeLabelsWithTree, DECODED_PREFIXES, type LabelDecode } from './labels.ts';

function direct(labels: Record<string, string>): ConfigValue | undefined {
  return decodeDirect(labels, decodedLabelKeys(labels, DECODED_PREFIXES), Configuration);
}

/** A decode as text that tells key order, null-prototype maps and bigints apart. */
function shape(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return `${item}n`;
    if (item && typeof item === 'object' && !Array.isArray(item)) return [Object.getPrototypeOf(item) === null ? 'map' : 'object', Object.entries(item)];
    return item;
  });
}

function sameAsTree(labels: Record<string, string>): boolean {
  const tree: LabelDecode = decodeLabelsWithTree(labels, Configuration, DECODED_PREFIXES);
  assert.equal(shape(decodeLabels(labels)), shape(tree), 'the decoder differs from the tree');
  const config = direct(labels);
  if (config === undefined) return false;
  assert.ok(tree.ok && tree.notes.length === 0, `direct answered where the tree gives ${shape(tree)}`);
  assert.equal(shape(config), shape(tree.config));
  return true;
}

test('a usual container: routers, services, middlewares, headers in any case, decoded directly', () => {
  const labels = {
    'traefik.enable': 'true',
    'traefik.http.routers.svc1.rule': 'Host(`svc1.example.com`)',
    'traefik.http.routers.svc1.entrypoints': 'websecure,websecure-v6',
    'traefik.http.routers.svc1.tls': 'true',
    'traefik.http.routers.svc1.tls.certresolver': 'letsencrypt',
    'traefik.http.middlewares.svc1-hsts.headers.stsseconds': '15768000',
    'traefik.http.middlewares.svc1-hsts.headers.customrequestheaders.X-Tenant': '2816',
    'traefik.http.services.svc1.loadbalancer.server.port': '8080',
    'traefik.tcp.routers.db.rule': 'HostSNI(`db.example.com`)',
  };
  assert.ok(sameAsTree(labels));
});

test('twins, indexes, notes, errors and odd shapes are left to the tree', () => {
  const left: Record<string, string>[] = [
    { 'traefik.http.routers.Web.rule': 'a', 'traefik.http.routers.web.service': 'b' },
    { 'traefik.http.middlewares.m.headers.customrequestheaders.X-A': '1', 'traefik.http.middlewares.m.headers.customrequestheaders.x-a': '2' },
    { 'traefik.http.middlewares.m.headers.customrequestheaders.k': '1', 'traefik.http.middlewares.m.headers.customrequestheaders.\u212a': '2' },
    { 'traefik.http.routers.r.tls.domains[0].main': 'a.example.com' },
    { 'traefik.http.routers.r.tls': 'maybe', 'traefik.http.routers.r.rule': 'x' },
    { 'traefik.http.routers.r.entryPoints': 'web' },
    { 'traefik.http.services.s.loadbalancer.server': '1' },
    { 'traefik.http.routers.r.priority': 'high' },
    { 'traefik.http.routers.r.rule.x': 'y' },
    { 'traefik.http.middlewares.m.plugin.p.a': '1' },
    { 'traefik.http.routers': 'x' },
    { 'traefik.http.routers.web': 'x', 'traefik.http.routers.web-2.rule': 'a', 'traefik.http.routers.web.rule': 'b' },
  ];
  for (const labels of left) assert.equal(sameAsTree(labels), false, shape(labels));
});

// Keys drawn from the field table: mostly fields as labels write them, with entries named in any
// case (twins of each other), the odd index, camelCase field, value of the wrong kind or deeper key.
const ENTRY_NAMES = ['a', 'b', 'web', 'Web', 'WEB', 'x-y', 'X-Y', '__proto__', 'k', '\u212a', 'É', 'é', '0', '10'];
const VALUES = ['true', 'false', '', 'x', 'a, b', '10', '-5', '10s', 'TRUE', 'maybe'];

function labelFrom(choices: readonly number[]): [string, string] {
  let at = 0;
  const pick = (n: number) => (choices[at++ % choices.length] as number) % n;
  const segments = ['traefik'];
  let struct: StructDef | undefined = Configuration;
  let type: FieldType | undefined;
  while (struct && struct.fields.length > 0 && segments.length < 16) {
    const field = struct.fields[pick(struct.fields.length)] as (typeof struct.fields)[number];
    const singular = field.type.kind === 'structList' ? field.type.singular : undefined;
    segments.push(singular ?? (pick(20) === 0 ? field.name : field.match));
    type = field.type;
    struct = undefined;
    if (type.kind === 'struct' || type.kind === 'structList') struct = type.struct;
    if (type.kind === 'structList' && !singular) segments[segments.length - 1] += `[${pick(2)}]`;
    if (type.kind === 'map' || type.kind === 'raw') segments.push(ENTRY_NAMES[pick(ENTRY_NAMES.length)] as string);
    if (type.kind === 'map' && type.value.kind === 'struct') struct = type.value.struct;
    if (struct && pick(12) === 0) break;
  }
  if (pick(30) === 0) segments.push('deeper');
  return [segments.join('.'), VALUES[pick(VALUES.length)] as string];
}

const tableLabels = fc
  .array(fc.array(fc.nat(), { minLength: 24, maxLength: 24 }).map(labelFrom), { maxLength: 20 })
  .map((pairs) => Object.fromEntries(pairs));

test('property: wherever the direct pass answers, the tree gives the same configuration and no note', () => {
  let answered = 0;
  const runs = 600;
  fc.assert(
    fc.property(tableLabels, (labels) => {
      if (sameAsTree(labels)) answered++;
    }),
    { numRuns: runs },
  );
  // Not vacuous: the direct pass answers for a good share of these label sets.
  assert.ok(answered > runs / 10, `direct answered ${answered} of ${runs}`);
});

test('property: hostile tenants\' labels decode as the tree decodes them', () => {
  fc.assert(
    fc.property(snapshotArb, (snapshot) => {
      for (const daemon of snapshot.daemons) for (const container of daemon.containers) sameAsTree(container.labels);
    }),
    { numRuns: 200 },
  );
});
