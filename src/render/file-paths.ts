// Fields a label can set that Traefik opens as files on its own host: a tenant naming one would
// make Traefik read the operator's files (present the operator's client certificate to a server
// the tenant runs, trust its CA, check passwords against its htpasswd). Such a middleware is
// refused unless the path lies under a directory the operator allowed (`--allow-file-dir`).
// Servers transports, TLS options and stores are out of labels' reach (refused or not settable).

import { ownObject, ownString, type ConfigObject } from '../traefik/config.ts';
import type { TenantChecks } from './tenant-checks.ts';

interface FileField {
  /** Where the value is below the middleware, as field names (and as the label path, folded). */
  readonly path: readonly string[];
  /** Traefik takes the value as file content when it is PEM text (types.ClientTLS), else a path. */
  readonly pemOrPath: boolean;
}

const CLIENT_TLS = ['ca', 'cert', 'key'];

const FILE_FIELDS: readonly (FileField & { readonly parent: readonly string[]; readonly leaf: string })[] = [
  { path: ['basicAuth', 'usersFile'], pemOrPath: false },
  { path: ['digestAuth', 'usersFile'], pemOrPath: false },
  ...CLIENT_TLS.map((key) => ({ path: ['forwardAuth', 'tls', key], pemOrPath: true })),
  ...CLIENT_TLS.map((key) => ({ path: ['rateLimit', 'redis', 'tls', key], pemOrPath: true })),
  // The objects to walk and the last key, split once: every middleware is looked at.
].map((field) => ({ ...field, parent: field.path.slice(0, -1), leaf: field.path[field.path.length - 1] as string }));

/** Refuses middlewares that name a file outside the allowed directories (`{id}` is the tenant's id). */
export function enforceFilePaths(checks: TenantChecks): void {
  const dirs = checks.options.allowFileDirs.map((dir) => dir.replaceAll('{id}', checks.tenant.id));
  // The live map, not a copy: a refusal deletes only the entry being visited, which Map iteration allows.
  for (const [name, resource] of checks.config['http.middlewares']) {
    const problem = filePathProblem(resource.value, dirs);
    if (problem === undefined) continue;
    checks.refuse('http.middlewares', name, 'file-path-refused', problem.reason, problem.labelPath);
  }
}

function filePathProblem(middleware: ConfigObject, dirs: readonly string[]): { reason: string; labelPath: string } | undefined {
  for (const field of FILE_FIELDS) {
    let parent: ConfigObject | undefined = middleware;
    for (const key of field.parent) parent = ownObject(parent, key);
    const value = ownString(parent, field.leaf);
    if (value === undefined || value === '') continue;
    // PEM text is read as content: Traefik stats the value first, and no file is named like PEM.
    if (field.pemOrPath && value.trimStart().startsWith('-----BEGIN')) continue;
    if (isUnderAllowedDir(value, dirs)) continue;
    const where = field.path.join('.');
    const hint = dirs.length === 0 ? 'no file directory is allowed' : `allowed directories are ${dirs.join(', ')}`;
    const content = field.pemOrPath ? '; give the PEM text itself' : '';
    return {
      reason: `${where} ${JSON.stringify(clip(value))} names a file on Traefik's host (${hint}${content})`,
      labelPath: where.toLowerCase(),
    };
  }
  return undefined;
}

/** Absolute, no `..` segment (symlinks make lexical `..` unsafe to resolve), inside one of `dirs`. */
export function isUnderAllowedDir(path: string, dirs: readonly string[]): boolean {
  if (!path.startsWith('/') || path.includes('\u0000')) return false;
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return false;
  return dirs.some((dir) => {
    const base = dir.split('/').filter((segment) => segment !== '' && segment !== '.');
    return segments.length > base.length && base.every((segment, i) => segments[i] === segment);
  });
}

function clip(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}
