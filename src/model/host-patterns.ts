// Host names an operator lets tenants send traffic to (`--allow-backend auth.example.com` or
// `*.example.com`). A name is never judged by what it resolves to today (any name can be made to
// resolve into another tenant's range), only by whether the operator named it.

/** `auth.example.com` matches itself only; `*.example.com` matches any name below example.com. */
export type HostPattern =
  | { readonly kind: 'exact'; readonly name: string }
  | { readonly kind: 'below'; readonly domain: string };

/**
 * The form names are compared in: lower case, every trailing dot removed (`Auth.Example.COM..`
 * is auth.example.com to a resolver that accepts it, and one that refuses it dials nothing).
 */
export function canonicalHostName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, '');
}

// Letters, digits, `-` and `_` (Go's resolver takes `_`); labels 1–63 without edge hyphens; ≤ 253.
const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

function isPatternName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  // A numeric last label is read as part of an IPv4 address by some parsers: addresses are CIDRs.
  if (/^([0-9]+|0x[0-9a-f]*)$/.test(labels[labels.length - 1] as string)) return false;
  return labels.every((label) => LABEL.test(label));
}

/** A host name or `*.domain` pattern in canonical form; a string saying why not otherwise. */
export function parseHostPattern(text: string): HostPattern | string {
  const wildcard = text.startsWith('*.');
  const name = canonicalHostName(wildcard ? text.slice(2) : text);
  if (!isPatternName(name)) {
    return `"${text}" is not a host name (letters, digits, "-", "_"; the last label not numeric)${text.includes('*') ? ' or a *.domain pattern' : ''}`;
  }
  if (wildcard && !name.includes('.')) return `"${text}" would match every name under a top-level domain`;
  return wildcard ? { kind: 'below', domain: name } : { kind: 'exact', name };
}

/** Whether `name` (any case, trailing dots allowed) is allowed by `pattern`. */
export function matchesHostPattern(pattern: HostPattern, name: string): boolean {
  const canonical = canonicalHostName(name);
  return pattern.kind === 'exact' ? canonical === pattern.name : canonical.endsWith(`.${pattern.domain}`);
}

export function formatHostPattern(pattern: HostPattern): string {
  return pattern.kind === 'exact' ? pattern.name : `*.${pattern.domain}`;
}
