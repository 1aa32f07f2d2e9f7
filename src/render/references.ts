// References between resources, and the tenant boundary they may not cross (SPEC §3 "References
// out"): a reference resolves to the tenant's own definition (renamed later), to a name the
// operator allowed (`--allow-ref`), or it is refused — and so is everything that depended on it,
// because a router that silently lost its auth middleware would be open.

import { own, ownObject, type ConfigObject, type ConfigValue } from '../traefik/config.ts';
import { refuseBadChains } from './chain-graph.ts';
import type { TenantChecks } from './tenant-checks.ts';
import { sectionWords, type Section, type TenantConfig } from './tenant-config.ts';

type Target = Section | 'tls.options' | 'http.serversTransports' | 'tcp.serversTransports';

interface ReferenceField {
  readonly path: readonly string[];
  /** The path without its last key (the objects to walk), and that key: split once, read for every resource. */
  readonly parent: readonly string[];
  readonly leaf: string;
  readonly list: boolean;
  readonly target: Target;
}

const ref = (path: string, target: Target, list = false): ReferenceField => {
  const keys = path.split('.');
  return { path: keys, parent: keys.slice(0, -1), leaf: keys[keys.length - 1] as string, list, target };
};

/** Every field of the label-reachable configuration that names another resource. */
export const REFERENCE_FIELDS: Partial<Record<Section, readonly ReferenceField[]>> = {
  'http.routers': [ref('service', 'http.services'), ref('middlewares', 'http.middlewares', true), ref('tls.options', 'tls.options')],
  'http.services': [ref('middlewares', 'http.middlewares', true), ref('loadBalancer.serversTransport', 'http.serversTransports')],
  'http.middlewares': [ref('chain.middlewares', 'http.middlewares', true), ref('errors.service', 'http.services')],
  'tcp.routers': [ref('service', 'tcp.services'), ref('middlewares', 'tcp.middlewares', true), ref('tls.options', 'tls.options')],
  'tcp.services': [ref('loadBalancer.serversTransport', 'tcp.serversTransports')],
  'udp.routers': [ref('service', 'udp.services')],
};

const REFERENCE_SECTIONS = Object.entries(REFERENCE_FIELDS) as [Section, ReferenceField[]][];

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

/**
 * The tenant's own definition a reference names (written `name` or `name@file`), or undefined. No
 * string is made for the usual reference, a bare own name: every reference of every render asks.
 */
function ownTarget(reference: string, target: Target, config: TenantConfig): string | undefined {
  const ownNames = target in config ? config[target as Section] : undefined;
  if (ownNames === undefined || ownNames.size === 0) return undefined;
  const at = reference.indexOf('@');
  if (at < 0) return reference !== '' && ownNames.has(reference) ? reference : undefined;
  if (at !== reference.length - '@file'.length || !reference.endsWith('@file')) return undefined;
  const local = reference.slice(0, at);
  return ownNames.has(local) ? local : undefined;
}

/** `refused`: the tenant's record of refusals, to say "which was refused"; none when renaming. */
export function resolveReference(
  reference: string,
  target: Target,
  config: TenantConfig,
  allowRefs: ReadonlySet<string>,
  refused: TenantChecks | undefined,
): Resolution {
  if (reference === '') return { kind: 'refused', reason: 'an empty reference' };
  const name = ownTarget(reference, target, config);
  if (name !== undefined) return { kind: 'own', name };
  const at = reference.indexOf('@');
  const local = at < 0 ? reference : reference.slice(0, at);
  const provider = at < 0 ? 'file' : reference.slice(at + 1);
  // Traefik's default TLS options are everyone's.
  if (target === 'tls.options' && reference === 'default') return { kind: 'allowed', ref: reference };
  const qualified = qualify(reference);
  if (allowRefs.has(qualified)) return { kind: 'allowed', ref: reference };
  const words = TARGET_WORDS[target] ?? sectionWords(target as Section);
  if (provider === 'file' && refused?.wasRefused(target, local)) {
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
  for (const key of field.parent) node = ownObject(node, key);
  const leaf = own(node, field.leaf);
  if (field.list) return Array.isArray(leaf) ? leaf.filter((item): item is string => typeof item === 'string') : [];
  return typeof leaf === 'string' ? [leaf] : [];
}

/**
 * Refuses every resource with a reference that does not resolve, and then everything that used a
 * refused resource (a refusal can strand a router that used the refused middleware). Each resource
 * is checked once, and again only when something it names is refused: linear in the references.
 * Chains that reach themselves or nest too deep are refused first, so their users go too.
 */
export function enforceReferences(checks: TenantChecks): void {
  const { config } = checks;
  refuseBadChains(checks);
  const sections = REFERENCE_SECTIONS;
  const pending: string[] = [];
  const check = (section: Section, name: string) => {
    const resource = config[section].get(name);
    if (!resource) return;
    const refusal = firstRefusal(resource.value, REFERENCE_FIELDS[section] ?? [], checks);
    if (refusal === undefined) return;
    checks.refuse(section, name, 'reference-refused', refusal.reason, refusal.labelPath);
    pending.push(`${section}\u0000${name}`);
  };
  for (const [section] of sections) for (const name of [...config[section].keys()]) check(section, name);
  // Almost always nothing was refused: the index of users below is only needed to cascade.
  if (pending.length === 0) return;
  // `target\0name` → resources naming that own resource, to check again when it is refused. Made
  // after the first checks: what they refused is gone, and checking it again would do nothing.
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
  for (let i = 0; i < pending.length; i++) {
    for (const user of users.get(pending[i] as string) ?? []) check(user.section, user.name);
  }
}

function firstRefusal(
  value: ConfigObject,
  fields: readonly ReferenceField[],
  checks: TenantChecks,
): { reason: string; labelPath: string } | undefined {
  for (const field of fields) {
    // The field read in place, no list of its references made: every resource passes here.
    let node: ConfigObject | undefined = value;
    for (const key of field.parent) node = ownObject(node, key);
    const leaf = own(node, field.leaf);
    let reason: string | undefined;
    if (!field.list) reason = refusalOf(leaf, field.target, checks);
    else if (Array.isArray(leaf)) for (let i = 0; i < leaf.length && reason === undefined; i++) reason = refusalOf(leaf[i], field.target, checks);
    if (reason !== undefined) return { reason, labelPath: field.path.join('.') };
  }
  return undefined;
}

/** Why a reference is refused; undefined when it resolves, or is no reference (not a string). */
function refusalOf(reference: ConfigValue | undefined, target: Target, checks: TenantChecks): string | undefined {
  if (typeof reference !== 'string' || ownTarget(reference, target, checks.config) !== undefined) return undefined;
  const resolution = resolveReference(reference, target, checks.config, checks.context.allowRefs, checks);
  return resolution.kind === 'refused' ? resolution.reason : undefined;
}

/** Rewrites own references to their final names (`name` → `name-{id}`), leaving allowed ones as written. */
export function renameReferences(
  section: Section,
  value: ConfigObject,
  config: TenantConfig,
  rename: (name: string) => string,
): void {
  for (const field of REFERENCE_FIELDS[section] ?? []) {
    let node: ConfigObject | undefined = value;
    for (const key of field.parent) node = ownObject(node, key);
    const key = field.leaf;
    if (!node || own(node, key) === undefined) continue;
    const current = node[key];
    if (field.list && Array.isArray(current)) {
      const renamed = new Array<ConfigValue>(current.length);
      for (let i = 0; i < current.length; i++) {
        const item = current[i] as ConfigValue;
        renamed[i] = typeof item === 'string' ? renamedReference(item, field.target, config, rename) : item;
      }
      node[key] = renamed;
    } else if (typeof current === 'string') node[key] = renamedReference(current, field.target, config, rename);
  }
}

function renamedReference(reference: string, target: Target, config: TenantConfig, rename: (name: string) => string): string {
  const name = ownTarget(reference, target, config);
  return name === undefined ? reference : rename(name);
}
