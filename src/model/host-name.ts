// The one form host names are compared in: ownership, reserved auto-route names, certificate
// domains and the base domain all go through canonicalHost, so that no second spelling of a host
// can walk around a check. Two spellings are one host when Traefik, its ACME client (lego) or a
// browser could take them for the same name:
// - Traefik lowercases rule hosts, and its Host matcher ignores a trailing dot on either side;
//   lego trims spaces, lowercases (Go's Unicode lowercase: the Kelvin sign K is `k`) and drops a
//   trailing dot before it asks for a certificate. Here every trailing dot goes.
// - lego encodes Unicode labels as Punycode (`bücher` is `xn--bcher-kva`) and decodes `xn--`
//   labels to encode them again; browsers do the same. Here both spellings become the `xn--` one.
// - Browsers decode percent escapes in a host (`app%2eexample.com`); Traefik compares them raw, but
//   counting them as the decoded host costs a legitimate tenant nothing.
// Go string escapes in rules (`"\x61pp"`) are decoded by the rule parser before any of this.

import { decodePunycode, encodePunycode } from './punycode.ts';

const ACE_PREFIX = 'xn--';
/** The longest DNS label; a longer one is not a name any certificate or resolver accepts. */
const MAX_LABEL = 63;
// Go's strings.TrimSpace trims U+0085 as well as what JavaScript calls white space.
const EDGE_SPACE = /^[\s\u0085]+|[\s\u0085]+$/gu;
const TRAILING_DOTS = /[.\s\u0085]+$/u;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const NON_ASCII = /[^\x00-\x7f]/;
/** Printable ASCII without upper case, `%`, a space or a trailing dot: every step below leaves it as it is. */
const CANONICAL_ASCII = /^[\x21-\x24\x26-\x40\x5b-\x7e]*[\x21-\x24\x26-\x2d\x2f-\x40\x5b-\x7e]$/;

/** `name` in canonical form: decoded, trimmed, lower case, no trailing dots, Unicode labels as Punycode. */
export function canonicalHost(name: string): string {
  // Most names are already canonical: lower-case ASCII, no escapes, spaces or trailing dot, no `xn--` label to check.
  if (CANONICAL_ASCII.test(name) && !name.includes(ACE_PREFIX)) return name;
  const decoded = name.includes('%') ? name.replace(PERCENT_RUN, decodePercentRun) : name;
  const lower = goLowerCase(decoded.replace(EDGE_SPACE, ''));
  return lower.replace(TRAILING_DOTS, '').split('.').map(canonicalLabel).join('.');
}

/** A run of `%XX` as UTF-8, or the run as written when it is not UTF-8 (browsers refuse such hosts). */
function decodePercentRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run;
  }
}

/**
 * Go's strings.ToLower: each code point's simple lowercase mapping. JavaScript's toLowerCase uses
 * the full mapping, which differs only for U+0130 (`İ`, Go: `i`; JavaScript: `i` + U+0307).
 */
export function goLowerCase(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const char of text) out += char === '\u0130' ? 'i' : char.toLowerCase();
  return out;
}

function canonicalLabel(label: string): string {
  if (label.length > MAX_LABEL * 2) return label; // even all surrogate pairs, over 63 code points
  if ([...label].length > MAX_LABEL) return label;
  if (label.startsWith(ACE_PREFIX)) {
    const decoded = decodePunycode(label.slice(ACE_PREFIX.length));
    // Not Punycode, or an ASCII label in disguise: lego refuses the whole name, no browser resolves it.
    if (decoded === undefined || !NON_ASCII.test(decoded)) return label;
    return asciiLabel(goLowerCase(decoded)) ?? label;
  }
  return NON_ASCII.test(label) ? (asciiLabel(label) ?? label) : label;
}

/** A lowercase label as it goes into DNS: itself when ASCII, else its `xn--` form. */
function asciiLabel(label: string): string | undefined {
  if (!NON_ASCII.test(label)) return label;
  const encoded = encodePunycode(label);
  return encoded === undefined ? undefined : `${ACE_PREFIX}${encoded}`;
}
