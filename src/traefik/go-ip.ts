// What Go's net.ParseIP and net.ParseCIDR accept (Go 1.22+, both built on netip.ParseAddr).
// Traefik's ClientIP matcher takes each argument as an IP, else as a CIDR, else refuses the rule.

/** net.ParseIP: dotted-decimal IPv4 without leading zeros, or IPv6 text; no zone. */
export function isGoIP(text: string): boolean {
  return addressBits(text) !== undefined;
}

/** net.ParseCIDR: an address without zone, `/`, then decimal prefix bits within the address size. */
export function isGoCIDR(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const bits = addressBits(text.slice(0, slash));
  const mask = text.slice(slash + 1);
  // dtoi: decimal digits only (leading zeros allowed), gives up once the value reaches 0xFFFFFF.
  if (bits === undefined || !/^[0-9]+$/.test(mask)) return false;
  let value = 0;
  for (const digit of mask) {
    value = value * 10 + Number(digit);
    if (value > bits) return false;
  }
  return true;
}

/** netip.ParseAddr without zone: 32 for IPv4, 128 for IPv6 (IPv4-mapped included), else undefined. */
function addressBits(text: string): 32 | 128 | undefined {
  for (const character of text) {
    if (character === '.') return isIPv4(text) ? 32 : undefined;
    if (character === ':') return isIPv6(text) ? 128 : undefined;
    // A zone is allowed by netip but refused by net.ParseIP and net.ParseCIDR.
    if (character === '%') return undefined;
  }
  return undefined;
}

function isIPv4(text: string): boolean {
  const fields = text.split('.');
  return fields.length === 4 && fields.every((field) => /^(0|[1-9][0-9]{0,2})$/.test(field) && Number(field) <= 255);
}

/** netip's parseIPv6: hex groups of 1–4 digits, one `::`, an embedded IPv4 only in the last 32 bits. */
function isIPv6(text: string): boolean {
  if (text.includes('%')) return false;
  let at = 0;
  let filled = 0; // bytes of the 16 produced so far
  let ellipsis = -1;
  if (text.startsWith('::')) {
    ellipsis = 0;
    at = 2;
    if (at === text.length) return true;
  }
  while (filled < 16) {
    let end = at;
    while (end < text.length && /[0-9a-fA-F]/.test(text[end] ?? '')) end++;
    if (end === at || end - at > 4) return false;
    if (text[end] === '.') {
      // The dotted quad must fill exactly the last four bytes (or sit after a `::`).
      if ((ellipsis < 0 && filled !== 12) || filled + 4 > 16) return false;
      if (!isIPv4(text.slice(at))) return false;
      filled += 4;
      at = text.length;
      break;
    }
    filled += 2;
    at = end;
    if (at === text.length) break;
    if (text[at] !== ':' || at + 1 === text.length) return false;
    at++;
    if (text[at] === ':') {
      if (ellipsis >= 0) return false;
      ellipsis = filled;
      at++;
      if (at === text.length) break;
    }
  }
  if (at !== text.length) return false;
  // `::` must stand for at least one group of zeros; without it all 16 bytes must be given.
  return filled < 16 ? ellipsis >= 0 : ellipsis < 0;
}
