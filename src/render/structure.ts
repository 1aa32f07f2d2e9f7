// Shapes Traefik's file provider rejects, found before a byte is written (SPEC §4): an empty map
// or list where the file decoder wants children ("cannot be a standalone element" fails the whole
// directory), a service without servers, a middleware with no type or two, list items holding the
// file decoder's own separator. The resource at fault is refused; the rest of the file survives.

import type { DiagnosticSink } from '../model/diagnostics.ts';
import { hasKeys, isConfigObject, own, type ConfigObject, type ConfigValue } from '../traefik/config.ts';
import { SECTION_STRUCTS } from '../traefik/fields/configuration.ts';
import { fieldNamed, type FieldType, type StructDef } from '../traefik/fields/table.ts';
import { resourceLabel } from './label-lookup.ts';
import type { TenantChecks } from './tenant-checks.ts';
import { SECTIONS, sectionWords, type Resource, type Section } from './tenant-config.ts';

/** paerser's file decoder joins list items with this rune; an item containing it would split. */
const FILE_LIST_SEPARATOR = '\u2551';

export function enforceStructure(checks: TenantChecks): void {
  const { config, sink } = checks;
  for (const section of SECTIONS) {
    const struct = SECTION_STRUCTS[section];
    // The live map, not a copy: a refusal deletes only the entry being visited, which Map iteration allows.
    for (const [name, resource] of config[section]) {
      repairHarmless(section, name, resource, sink);
      const problem = shapeProblem(resource.value, struct) ?? semanticProblem(section, resource.value);
      if (problem === undefined) continue;
      const labelPath = problem.match(/^[\w.]+/)?.[0]?.replace(/\.servers$/, '.server');
      checks.refuse(section, name, 'structure-invalid', problem, labelPath);
    }
  }
}

/**
 * What Traefik shrugs off, dropped with a warning instead of refusing the router: `tls.domains`
 * without an index decodes to an empty list, and an empty entrypoint name (a trailing comma) is a
 * non-critical error in Traefik that leaves the other entrypoints working.
 */
function repairHarmless(section: Section, name: string, resource: Resource, sink: DiagnosticSink): void {
  if (!section.endsWith('.routers')) return;
  const tls = own(resource.value, 'tls');
  if (isConfigObject(tls) && Array.isArray(tls['domains']) && tls['domains'].length === 0) {
    delete tls['domains'];
    warnRepaired(section, name, resource, sink, 'tls.domains has no entries (use tls.domains[0].main); ignored', 'tls.domains');
  }
  const entrypoints = own(resource.value, 'entryPoints');
  if (Array.isArray(entrypoints) && entrypoints.some(isEmptyName)) {
    const kept = entrypoints.filter((ep) => ep !== '');
    warnRepaired(section, name, resource, sink, 'an empty entrypoint name (a stray comma?) is ignored', 'entrypoints');
    if (kept.length > 0) resource.value['entryPoints'] = kept;
  }
}

// A function of its own, not a closure in repairHarmless: tsx names every named closure as it is
// made (a property definition), and repairHarmless runs for every router of every render.
function warnRepaired(section: Section, name: string, resource: Resource, sink: DiagnosticSink, message: string, labelPath: string): void {
  for (const container of new Map(resource.origins.map((c) => [c.name, c])).values()) {
    const label = resourceLabel(container, section, name, labelPath);
    sink.warning('label-ignored', `${sectionWords(section)} ${name}: ${message}`, label === undefined ? { container: container.name } : { container: container.name, label });
  }
}

/**
 * The first shape problem of a resource, with the path to it. Looked for first without spelling any
 * path (`at` undefined: what such a pass says is thrown away), since almost every resource has none
 * and the paths of its nested fields would be garbage; spelled again for the resource at fault.
 */
function shapeProblem(value: ConfigObject, struct: StructDef): string | undefined {
  return structProblem(value, struct, undefined) === undefined ? undefined : structProblem(value, struct, '');
}

function structProblem(value: ConfigObject, struct: StructDef, path: string | undefined): string | undefined {
  // for-in, not Object.keys: no list of keys for every object of every resource; own keys only.
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const field = fieldNamed(struct, key);
    if (field && !field.labelOnly && field.file !== 'ignore' && field.type.kind === 'scalar') continue; // most fields: nothing to check
    const at = path === undefined ? undefined : path === '' ? key : `${path}.${key}`;
    if (!field || field.labelOnly || field.file === 'ignore') return `${at} cannot be written to a file`;
    const problem = valueProblem(value[key] as ConfigValue, field.type, at, field.file === 'allowEmpty');
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function valueProblem(value: ConfigValue, type: FieldType, at: string | undefined, allowEmpty: boolean): string | undefined {
  switch (type.kind) {
    case 'scalar':
      return undefined;
    case 'list': {
      if (!Array.isArray(value) || value.length === 0) return `${at} is an empty list`;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === 'string' && item.includes(FILE_LIST_SEPARATOR)) return `${at} has an item containing U+2551, which Traefik's file decoder splits on`;
      }
      return undefined;
    }
    case 'struct':
      if (!isConfigObject(value)) return `${at} is not an object`;
      if (!allowEmpty && !hasKeys(value)) return `${at} is empty`;
      return structProblem(value, type.struct, at);
    case 'structList': {
      if (!Array.isArray(value) || value.length === 0) return `${at} is an empty list`;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (!isConfigObject(item)) return `${at}[${i}] is not an object`;
        if (!hasKeys(item)) return `${at}[${i}] is empty`;
        const problem = structProblem(item, type.struct, at === undefined ? undefined : `${at}[${i}]`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'map': {
      if (!isConfigObject(value) || !hasKeys(value)) return `${at} is empty`;
      if (type.value.kind === 'scalar') return undefined; // scalars have nothing to check
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const problem = valueProblem(value[key] as ConfigValue, type.value, at === undefined ? undefined : `${at}.${key}`, type.value.kind === 'raw');
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case 'raw':
      return isConfigObject(value) ? undefined : `${at} is not an object`;
    case 'opaque':
      return `${at} cannot be written to a file`;
  }
}

function semanticProblem(section: Section, value: ConfigObject): string | undefined {
  if (section === 'http.middlewares' || section === 'tcp.middlewares') {
    // Counted up to two without a list of keys: one type is what every valid middleware has.
    let count = 0;
    for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key) && ++count > 1) break;
    if (count === 0) return 'it has no middleware type';
    if (count > 1) return `it has several middleware types (${Object.keys(value).sort().join(', ')}); Traefik supports one per middleware`;
  }
  if (section.endsWith('.services')) {
    const loadBalancer = own(value, 'loadBalancer');
    if (!isConfigObject(loadBalancer)) return 'it has no load balancer';
    const servers = own(loadBalancer, 'servers');
    if (!Array.isArray(servers) || !servers.some(isConfigObject)) return 'it has no servers';
  }
  if (section.endsWith('.routers')) {
    const entrypoints = own(value, 'entryPoints');
    if (Array.isArray(entrypoints) && entrypoints.every(isEmptyName)) return 'entryPoints names no entrypoint';
    if (typeof own(value, 'service') !== 'string') return 'it has no service';
  }
  return undefined;
}

/** A predicate of its own, not an arrow at each call: every router is asked. */
function isEmptyName(entrypoint: ConfigValue): boolean {
  return entrypoint === '';
}
