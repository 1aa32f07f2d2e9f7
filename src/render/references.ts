// References between resources, and the tenant boundary they may not cross (SPEC §3 "References
// out"): a reference resolves to the tenant's own definition (renamed later), to a name the
// operator allowed (`--allow-ref`), or it is refused — and so is everything that depended on it,
// because a router that silently lost its auth middleware would be open.

import type { DiagnosticSink } from '../model/diagnostics.ts';
import { own, ownObject, type ConfigObject } from '../traefik/config.ts';
import { refuseBadChains } from './chain-graph.ts';
import { refuse, sectionWords, type Section, type TenantConfig } from './tenant-config.ts';

type Target = Section | 'tls.options' | 'http.serversTransports' | 'tcp.serversTransports';

interface ReferenceField {
  readonly path: readonly string[];
  readonly list: boolean;
  readonly target: Target;
}

const ref = (path: string, target: Target, list = false): ReferenceField => ({ path: path.split('.'), list, target });

/** Every field of the label-reachable configuration that names another resource. */
export const REFERENCE_FIELDS: Partial<Record<Section, readonly ReferenceField[]>> = {
  'http.routers': [ref('service', 'http.services'), ref('middlewares', 'http.middlewares', true), ref('tls.options', 'tls.options')],
  'http.services': [ref('middlewares', 'http.middlewares', true), ref('loadBalancer.serversTransport', 'http.serversTransports')],
  'http.middlewares': [ref('chain.middlewares', 'http.middlewares', true), ref('errors.service', 'http.services')],
  'tcp.routers': [ref('service', 'tcp.services'), ref('middlewares', 'tcp.middlewares', true), ref('tls.options', 'tls.options')],
  'tcp.services': [ref('loadBalancer.serversTransport', 'tcp.serversTransports')],
  'udp.routers': [ref('service', 'udp.services')],
};

const TARGET_WORDS: Record<string, string> = {
  'tls.options': 'TLS options',
  'http.serversTransports': 'HTTP servers transport',
  'tcp.serversTransports': 'TCP servers transport',
};

export type Resolution =
  | { readonly kind: 'own'; readonly name: string }
  | { readonly kind: 'allowed'; readonly ref: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** Allowed names as Traefik qualifies them: a name without `@` belongs to the file provider. */
export function qualify(name: string): string {
  return name.includes('@') ? name : `${name}@file`;
}

export function resolveReference(
  reference: string,
  target: Target,
  config: TenantConfig,
  allowRefs: ReadonlySet<string>,
  refused: ReadonlySet<string>,
): Resolution {
  if (reference === '') return { kind: 'refused', reason: 'an empty reference' };
  const ownNames = target in config ? config[target as Section] : undefined;
  const at = reference.indexOf('@');
  const local = at < 0 ? reference : reference.slice(0, at);
  const provider = at < 0 ? 'file' : reference.slice(at + 1);
  if (provider === 'file' && ownNames?.has(local)) return { kind: 'own', name: local };
  // Traefik's default TLS options are everyone's.
  if (target === 'tls.options' && reference === 'default') return { kind: 'allowed', ref: reference };
  const qualified = qualify(reference);
  if (allowRefs.has(qualified)) return { kind: 'allowed', ref: reference };
  const words = TARGET_WORDS[target] ?? sectionWords(target as Section);
  if (provider === 'file' && refused.has(`${target}\u0000${local}`)) {
    return { kind: 'refused', reason: `it uses ${words} ${local}, which was refused` };
  }
  if (provider === 'internal') {
    return { kind: 'refused', reason: `it uses ${qualified}, Traefik's own ${words}; allow it with --allow-ref ${qualified}` };
  }
  return {
    kind: 'refused',
    reason: `it uses ${words} ${reference}, which this daemon does not define; allow a shared one with --allow-ref ${qualified}`,
  };
}

/** Reads the references a resource holds for one field. */
export function referencesAt(value: ConfigObject, field: ReferenceField): string[] {
  let node: ConfigObject | undefined = value;
  for (const key of field.path.slice(0, -1)) node = ownObject(node, key);
  const leaf = own(node, field.path[field.path.length - 1] as string);
  if (field.list) return Array.isArray(leaf) ? leaf.filter((item): item is string => typeof item === 'string') : [];
  return typeof leaf === 'string' ? [leaf] : [];
}

/**
 * Refuses every resource with a reference that does not resolve, and then everything that used a
 * refused resource (a refusal can strand a router that used the refused middleware). Each resource
 * is checked once, and again only when something it names is refused: linear in the references.
 * `refused` collects `section\0name` of everything refused so far, for clearer messages.
 */
export function enforceReferences(
  config: TenantConfig,
  allowRefs: ReadonlySet<string>,
  refused: Set<string>,
  sink: DiagnosticSink,
): void {
  refuseBadChains(config, refused, sink);
  const sections = Object.entries(REFERENCE_FIELDS) as [Section, ReferenceField[]][];
  // `target\0name` → resources naming that own resource, to check again when it is refused.
  const users = new Map<string, { section: Section; name: string }[]>();
  for (const [section, fields] of sections) {
    for (const [name, resource] of config[section]) {
      for (const field of fields) {
        for (const reference of referencesAt(resource.value, field)) {
          const local = reference.endsWith('@file') ? reference.slice(0, -'@file'.length) : reference;
          if (local.includes('@')) continue;
          const key = `${field.target}\u0000${local}`;
          const list = users.get(key);
          if (list) list.push({ section, name });
          else users.set(key, [{ section, name }]);
        }
      }
    }
  }
  const pending: string[] = [];
  const check = (section: Section, name: string) => {
    const resource = config[section].get(name);
    if (!resource) return;
    const refusal = firstRefusal(resource.value, REFERENCE_FIELDS[section] ?? [], config, allowRefs, refused);
    if (refusal === undefined) return;
    refuse(config, section, name, sink, 'reference-refused', refusal.reason, refusal.labelPath);
    refused.add(`${section}\u0000${name}`);
    pending.push(`${section}\u0000${name}`);
  };
  for (const [section] of sections) for (const name of [...config[section].keys()]) check(section, name);
  for (let i = 0; i < pending.length; i++) {
    for (const user of users.get(pending[i] as string) ?? []) check(user.section, user.name);
  }
}

function firstRefusal(
  value: ConfigObject,
  fields: readonly ReferenceField[],
  config: TenantConfig,
  allowRefs: ReadonlySet<string>,
  refused: ReadonlySet<string>,
): { reason: string; labelPath: string } | undefined {
  for (const field of fields) {
    for (const reference of referencesAt(value, field)) {
      const resolution = resolveReference(reference, field.target, config, allowRefs, refused);
      if (resolution.kind === 'refused') return { reason: resolution.reason, labelPath: field.path.join('.') };
    }
  }
  return undefined;
}

/** Rewrites own references to their final names (`name` → `name-{id}`), leaving allowed ones as written. */
export function renameReferences(
  section: Section,
  value: ConfigObject,
  config: TenantConfig,
  allowRefs: ReadonlySet<string>,
  rename: (name: string) => string,
): void {
  for (const field of REFERENCE_FIELDS[section] ?? []) {
    let node: ConfigObject | undefined = value;
    for (const key of field.path.slice(0, -1)) node = ownObject(node, key);
    const key = field.path[field.path.length - 1] as string;
    if (!node || own(node, key) === undefined) continue;
    const mapOne = (reference: string): string => {
      const resolution = resolveReference(reference, field.target, config, allowRefs, new Set());
      return resolution.kind === 'own' ? rename(resolution.name) : reference;
    };
    const current = node[key];
    if (field.list && Array.isArray(current)) node[key] = current.map((item) => (typeof item === 'string' ? mapOne(item) : item));
    else if (typeof current === 'string') node[key] = mapOne(current);
  }
}
