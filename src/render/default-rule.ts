// The default rule, as in Traefik's Docker provider a Go template over the container, reduced to
// the actions that make sense for a rule: fields and `normalize`/`index`. Anything else is refused
// when the option is read, so a typo never reaches a router.

export interface DefaultRuleModel {
  /** Traefik's default name: normalized compose service_project, or container name. */
  readonly Name: string;
  readonly ContainerName: string;
  readonly Labels: Readonly<Record<string, string>>;
  /** rediacc.service_name (as a DNS label), else Name. */
  readonly Service: string;
  readonly NetworkId: string;
  readonly BaseDomain: string;
}

export type DefaultRuleTemplate = (model: DefaultRuleModel) => string;

const FIELDS = new Set(['Name', 'ContainerName', 'Service', 'NetworkId', 'BaseDomain']);

/** Compiles `Host(\`{{ normalize .Name }}.example.com\`)`; returns an error message for unsupported actions. */
export function compileDefaultRule(template: string): { ok: true; render: DefaultRuleTemplate } | { ok: false; error: string } {
  const parts: Array<string | ((model: DefaultRuleModel) => string)> = [];
  let rest = template;
  while (rest !== '') {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push(rest);
      break;
    }
    parts.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, error: `unclosed action in default rule ${JSON.stringify(template)}` };
    const action = rest
      .slice(open + 2, close)
      .replace(/^-\s/, '')
      .replace(/\s-$/, '')
      .trim();
    const compiled = compileAction(action);
    if (typeof compiled === 'string') return { ok: false, error: `${compiled} in default rule ${JSON.stringify(template)}` };
    parts.push(compiled);
    rest = rest.slice(close + 2);
  }
  return { ok: true, render: (model) => parts.map((part) => (typeof part === 'string' ? part : part(model))).join('') };
}

function compileAction(action: string): ((model: DefaultRuleModel) => string) | string {
  const field = /^\.(\w+)$/.exec(action);
  if (field) {
    const name = field[1] as string;
    if (!FIELDS.has(name)) return `unknown field .${name}`;
    return (model) => String(model[name as keyof DefaultRuleModel]);
  }
  const normalized = /^normalize\s+\.(\w+)$/.exec(action);
  if (normalized) {
    const name = normalized[1] as string;
    if (!FIELDS.has(name)) return `unknown field .${name}`;
    return (model) => normalizeName(String(model[name as keyof DefaultRuleModel]));
  }
  const label = /^index\s+\.Labels\s+"([^"\\]*)"$/.exec(action);
  if (label) {
    const key = label[1] as string;
    return (model) => (Object.prototype.hasOwnProperty.call(model.Labels, key) ? (model.Labels[key] as string) : '');
  }
  return `unsupported action {{${action}}}`;
}

/** Traefik's provider.Normalize: every run of non-letter, non-digit characters becomes one `-`. */
export function normalizeName(name: string): string {
  // ASCII names (almost all: `{service}_{project}`) by character code, a Unicode regexp for the rest.
  let out = '';
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const code = i < name.length ? name.charCodeAt(i) : 0x2d;
    if (code >= 0x80) return normalizeUnicode(name);
    const alphanumeric = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    if (alphanumeric) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out = out === '' ? name.slice(start, i) : `${out}-${name.slice(start, i)}`;
      start = -1;
    }
  }
  return out;
}

/** Runs inside become `-`, and the ones at either end (which split and filter would drop) are cut off. */
function normalizeUnicode(name: string): string {
  const joined = name.replace(NOT_LETTER_OR_DIGIT, '-');
  const start = joined.startsWith('-') ? 1 : 0;
  const end = joined.length > start && joined.endsWith('-') ? joined.length - 1 : joined.length;
  return joined.slice(start, end);
}

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;
