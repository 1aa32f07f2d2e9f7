// Parsing Traefik rules as v3 (and Go) reads them: the accepted and refused forms from Traefik's
// own tests, Go RE2 regexps, Go expression syntax, ClientIP addresses, the tree's shape, and limits.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Matcher, formatRule, parseRule } from './rules.ts';
import { parsed, runTable, type Case } from '../../test/support/rule-cases.ts';

// From pkg/muxer/http/mux_test.go, matcher_test.go and pkg/rules/parser_test.go.
describe('HTTP v3 rules', () => {
  runTable('http', undefined, [
    ['Host(`127.0.0.1`)', true],
    ['Host(`10::10`)', true],
    ['Host(`localhost`) && PathPrefix(`/css`)', true],
    ['Host(`example.com`) || Host(`example.org`)', true],
    ['Host("example.com") || (Host("example.org") && Path("/css"))', true],
    ['(Host("example.com") && Path("/js")) || ((Host("example.org")) && Path("/css"))', true],
    ['PATHPREFIX("/css")', true],
    ['pathprefix("/css")', true],
    ['Pathprefix("/css")', true],
    ['!(!(Host("example.com") && Pathprefix("/css")))', true],
    ['Host(`example.com.`)', true],
    ['Host(`xn--9t9h.com`)', true],
    ['Host(`*.example.com`)', true],
    ['Host(`*`)', true],
    ['HostRegexp(`^[a-zA-Z-]+\\.com$`)', true],
    ['HostRegexp(`{domain:[a-zA-Z-]+\\.com}`)', true],
    ['PathRegexp(`^/(css|js)`)', true],
    ['PathRegexp("/{path:(css|js)}")', true],
    ['Method(`get`)', true],
    ['Header(`x-forwarded-proto`, `https`)', true],
    ['HeaderRegexp(`X-Forwarded-Proto`, `http{secure:s?}`)', true],
    ['Query(`q`, `traefik`)', true],
    ['Query(`mobile`)', true],
    ['QueryRegexp(`q`, `^(traefik|nginx)$`)', true],
    ['QueryRegexp(`q`)', true],
    ['ClientIP(`127.0.0.1`)', true],
    ['ClientIP(`192.168.1.0/24`)', true],
    ['ClientIP(`::ffff:10.0.0.1`)', true],
    ['ClientIP(`2001:db8::/32`)', true],
    ['', 'expected a matcher, found end of rule'],
    ['rulewithnotmatcher', "expected '(' after rulewithnotmatcher"],
    ['Host(example.com)', 'must be quoted strings'],
    ['Hots(`example.com`)', 'unsupported function: Hots'],
    ['HoSt(`example.com`)', 'unsupported function: HoSt'],
    ['hostRegexp(`x`)', 'unsupported function: hostRegexp'],
    ['HostHeader(`example.com`)', 'unsupported function: HostHeader'],
    ['Headers(`a`, `b`)', 'unsupported function: Headers'],
    ['HostSNI(`example.com`)', 'unsupported function: HostSNI'],
    // Go identifiers: Unicode letters and `_`, then digits too (the scanner reads ASCII by code).
    ['Hôst(`example.com`)', 'unsupported function: Hôst'],
    ['\u{1D407}ost_2(`example.com`)', 'unsupported function: \u{1D407}ost_2'],
    ['_Host٣(`example.com`)', 'unsupported function: _Host٣'],
    ['2Host(`example.com`)', 'numbers are not matcher arguments'],
    ['Host()', 'no args for matcher Host'],
    ['Host(``)', 'empty args for matcher Host'],
    ['Host(`example.com`) && Path()', 'no args for matcher Path'],
    ['Host(`example.com`, `example.org`)', 'unexpected number of parameters; got 2, expected one of [1]'],
    ['Host(`🦭.com`)', 'non-ASCII characters are not allowed'],
    ['Host("loc\\u00e0lhost")', 'non-ASCII characters are not allowed'],
    ['HostRegexp(`🦭.com`)', 'non-ASCII'],
    ['HostRegexp(`(example.com`)', 'missing closing )'],
    ['HostRegexp(`example.com`, `example.org`)', 'expected one of [1]'],
    ['Path(`css`)', 'path "css" does not start with a \'/\''],
    ['PathPrefix(`css`)', 'does not start with a \'/\''],
    ['Path(`/css`, `/js`)', 'got 2'],
    ['PathRegexp(`/(css`)', 'missing closing )'],
    ['Method(`GET`, `POST`)', 'got 2'],
    ['Header(`X-Forwarded-Host`)', 'got 1, expected one of [2]'],
    ['Header(`X-Forwarded-Host`, ``)', 'empty args for matcher Header'],
    ['HeaderRegexp(`X-Forwarded-Host`,`(example.com`)', 'missing closing )'],
    ['Query(`q`, `traefik`, `proxy`)', 'got 3, expected one of [1 2]'],
    ['QueryRegexp(`q`, `(traefik`)', 'missing closing )'],
    ['ClientIP(`1`)', '"1" is not an IP address or a CIDR range'],
    ['ClientIP(`127.0.0.1`, `192.168.1.0/24`)', 'got 2'],
    ['ClientIP(`10.0.0.01`)', 'is not an IP address or a CIDR range'],
    ['ClientIP(`10.0.0.0/33`)', 'is not an IP address or a CIDR range'],
    ['ClientIP(`fe80::1%eth0`)', 'is not an IP address or a CIDR range'],
  ]);
});

// Go regexp (RE2) as Traefik compiles it, not JavaScript's RegExp.
describe('regexps are Go RE2', () => {
  const regexp = (pattern: string, expected: true | string): Case => [`PathRegexp(${JSON.stringify(pattern)})`, expected];
  runTable('http', undefined, [
    regexp('(?P<name>x)', true),
    regexp('(?<name>x)', true),
    regexp('(?P<n>a)(?P<n>b)', true), // Go allows a name twice; RE2J does not
    regexp('\\pL\\p{Greek}\\PN', true),
    regexp('[[:alpha:]][[:^digit:]]', true),
    regexp('\\Qa.b\\E', true),
    regexp('(?U)a*(?i:b)', true),
    regexp('a{1000}', true),
    regexp('(?=a)', 'invalid or unsupported Perl syntax'),
    regexp('(?!a)', 'invalid or unsupported Perl syntax'),
    regexp('(?<=a)b', 'invalid named capture'),
    regexp('(a)\\1', 'invalid escape sequence'),
    regexp('a{1001}', 'invalid repeat count'),
    regexp('a**', 'invalid nested repetition operator'),
    regexp('[[:foo:]]', 'invalid character class range'),
    regexp('(?P<a-b>x)', 'invalid named capture'),
    regexp('\\xff', true),
    // Go 1.26 looks class names up loosely and has Unicode 15 tables (re2js: exact names, Unicode 17).
    regexp('\\p{greek}\\p{Letter}\\p{uppercase letter}\\pl\\P{ASCII}\\p{Assigned}', true),
    regexp('[a-z\\p{latin}]', true),
    regexp('\\p{Garay}', 'invalid character class range: `\\p{Garay}`'),
    regexp('[\\p{Tulu_Tigalari}]', 'invalid character class range'),
    regexp('\\p{L&}', 'invalid character class range'),
    regexp('\\\\p{Garay}', true), // an escaped backslash, then literal text
    ['PathRegexp("\\xff")', 'invalid UTF-8'], // a Go byte escape, not a regexp escape
    ['PathRegexp(`' + 'x{1000}'.repeat(60) + '`)', 'too large'],
  ]);
});

// Go expression syntax: go/parser.ParseExpr, then vulcand/predicate.
describe('rule syntax', () => {
  runTable('http', undefined, [
    ['Host(`a`) &&\n  Path(`/b`)', true],
    ['Host(`a`)\n', true],
    ['Host(`a`)\n\n', true],
    ['  Host ( `a` )  ', true],
    ['Host(`a`) // comment', true],
    ['// comment\nHost(`a`)', true],
    ['Host(`a`) /* inline */ && Path(`/`)', true],
    ['Host(\n  `a`,\n)', true],
    ['Host(`a`,)', true],
    ['Host(`a`...)', true], // Go syntax for a spread argument; predicate ignores it
    ['\uFEFFHost(`a`)', true],
    ['!!Host(`a`)', true],
    ['Host(`a`)\n&& Path(`/`)', "expected end of rule, found '&&'"],
    ['Host(`a`) /*\n*/ && Path(`/`)', "expected end of rule, found '&&'"],
    ['Host\n(`a`)', "expected '(' after Host, found newline"],
    ['Host(\n`a`\n)', "missing ',' before newline"],
    ['(Host(`a`)\n)', "expected ')', found newline"],
    ['Host(`a`);', "found ';'"],
    ['Host(`a`) && ', 'expected a matcher, found end of rule'],
    ['Host(`a`) ||', 'found end of rule'],
    ['Host(`a`))', "expected end of rule, found ')'"],
    ['(Host(`a`)', "expected ')', found end of rule"],
    ['Host(`a)', 'raw string literal not terminated'],
    ['Host("a)', 'string literal not terminated'],
    ['Host(`a`) /* open', 'comment not terminated'],
    ['Host(`a` `b`)', "missing ','"],
    ['Host(`a`..., `b`)', "expected ')'"],
    ['Host(,)', 'expected a string argument'],
    ['Host(`a`) & Path(`/`)', 'operator & is not supported'],
    ['Host(`a`) == Path(`/`)', 'operator == is not supported'],
    ['Host(`a`) != Path(`/`)', 'operator != is not supported'],
    ['-Host(`a`)', 'operator - is not supported'],
    ['Host(`a` + `b`)', 'operator + is not supported'],
    ['Host(1)', 'numbers are not matcher arguments'],
    ["Host('a')", 'rune literal'],
    ['Host((`a`))', 'expected a string argument'],
    ['Host(Path(`/`))', 'must be quoted strings'],
    ['`a`', 'expected a matcher, found a string'],
    ['Host(`a`) && `b`', 'found a string'],
    ['Host(`a`)(`b`)', "expected end of rule, found '('"],
    ['Host(`a`).Path(`/`)', "unexpected U+002E '.'"],
    ['x.Host(`a`)', "unexpected U+002E '.'"],
    ['Host(`a`)\u00a0', 'unexpected U+00A0'],
    ['Host(`a\0`)', 'illegal character NUL'],
    ['Host(`a`)\uFEFF', 'illegal byte order mark'],
    ['Host(`\uD800`)', 'illegal UTF-8 encoding'],
    ['Host("\\q")', 'unknown escape sequence'],
    ["Path(\"/\\'\")", 'unknown escape sequence'],
    ['Path("/\\x4")', 'illegal character'],
    ['Path("/\\400")', 'invalid Unicode code point'],
    ['Path("/\\uD800")', 'invalid Unicode code point'],
    ['Path("/\\U00110000")', 'invalid Unicode code point'],
    ['Path("/a\nb")', 'string literal not terminated'],
    ['Host(`a`) &&\nPath(`/`) &&\n\nfoo', "expected '(' after foo, found end of rule"],
  ]);
});

// ClientIP takes what Go's net.ParseIP or net.ParseCIDR takes.
describe('ClientIP addresses', () => {
  const clientIP = (value: string, expected: true | string): Case => [`ClientIP(\`${value}\`)`, expected];
  const refused = 'is not an IP address or a CIDR range';
  runTable('http', undefined, [
    clientIP('0.0.0.0', true),
    clientIP('::', true),
    clientIP('::1', true),
    clientIP('1:2:3:4:5:6:7:8', true),
    clientIP('1:2:3:4:5:6:1.2.3.4', true),
    clientIP('1::1.2.3.4', true),
    clientIP('FE80::AB:0000', true),
    clientIP('10.0.0.0/008', true), // the prefix length may have leading zeros
    clientIP('::ffff:1.2.3.4/120', true), // an IPv4-mapped address is 128 bits long
    clientIP('256.0.0.1', refused),
    clientIP('1.2.3', refused),
    clientIP('1.2.3.4.5', refused),
    clientIP('1:2:3:4:5:1.2.3.4', refused),
    clientIP('1::2::3', refused),
    clientIP('12345::', refused),
    clientIP('1:2:3:4:5:6:7:8::', refused),
    clientIP('[::1]', refused),
    clientIP('10.0.0.1:80', refused),
    clientIP('::/129', refused),
    clientIP('10.0.0.0/', refused),
    clientIP('10.0.0.0/+8', refused),
    clientIP('fe80::/10%eth0', refused),
  ]);
});

describe('TCP v3 rules', () => {
  // From pkg/muxer/tcp/mux_test.go and matcher_test.go.
  runTable('tcp', undefined, [
    ['HostSNI(`example.org`)', true],
    ['!HostSNI(`example.com`)', true],
    ['hostsni(`example.org`)', true],
    ['Hostsni(`example.org`)', true],
    ['HostSNI(`example.org`) && ClientIP(`10.0.0.1`)', true],
    ['!(HostSNI(`example.com`) || ClientIP(`10.0.0.2`))', true],
    ['ALPN(`h2c`) && (!ALPN(`h2`) || HostSNI(`example.eu`))', true],
    ['HostSNI(`10::10`)', true],
    ['HostSNI(`foo_bar.example.com`)', true],
    ['HostSNI(`*.example.com`)', true],
    ['HostSNI(`example.com.`)', true],
    ['   HostSNI ( `*` )       ', true],
    ['HostSNIRegexp(`^example\\.(com|org)$`)', true],
    ['HostSNIRegexp(`example.{tld:(com|org)}`)', true],
    ['ClientIP(`20.20.20.20/24`)', true],
    ['rulewithnotmatcher', "expected '(' after rulewithnotmatcher"],
    ['HostSNI(``)', 'empty args for matcher HostSNI'],
    ['HostSNI(`example.com`, `example.org`)', 'unexpected number of parameters; got 2, expected 1'],
    ['HostSNI(`🦭.com`)', 'is not a valid hostname'],
    ['HostSNI(`*.*.example.com`)', 'is not a valid hostname'],
    ['HostSNI(`exa mple.com`)', 'is not a valid hostname'],
    ['HostSNIRegexp(`🦭.com`)', 'is not a valid hostname'],
    ['HostSNIRegexp(`(example.com`)', 'missing closing )'],
    ['ClientIP(`🦭/32`)', 'is not an IP address or a CIDR range'],
    ['ClientIP(`127.0.0.1`, `127.0.0.2`)', 'expected 1'],
    ['ALPN(`acme-tls/1`)', '"acme-tls/1" is not allowed'],
    ['ALPN(`h2`, `mqtt`)', 'expected 1'],
    ['Host(`example.com`)', 'unsupported function: Host'],
  ]);
});


describe('tree shape', () => {
  const shapes: readonly (readonly [string, string])[] = [
    // && binds tighter than ||, and both associate to the left as in Go.
    ['Host(`a`) || Host(`b`) && Path(`/c`)', 'Host(`a`) || Host(`b`) && Path(`/c`)'],
    ['(Host(`a`) || Host(`b`)) && Path(`/c`)', '(Host(`a`) || Host(`b`)) && Path(`/c`)'],
    ['Host(`a`) || (Host(`b`) || Host(`c`))', 'Host(`a`) || (Host(`b`) || Host(`c`))'],
    // Negation reaches the matchers by De Morgan, like rules/parser.go invert().
    ['!(Host(`a`) && Path(`/b`))', '!Host(`a`) || !Path(`/b`)'],
    ['!(Host(`a`) || !Path(`/b`))', '!Host(`a`) && Path(`/b`)'],
    ['!(!(Host(`a`) && PathPrefix(`/b`)))', 'Host(`a`) && PathPrefix(`/b`)'],
    ['!!!Host(`a`)', '!Host(`a`)'],
    // Canonical names, decoded arguments.
    ['HOST("a") && pathprefix(`/b`)', 'Host(`a`) && PathPrefix(`/b`)'],
    ['Path("/a\\tb")', 'Path("/a\\tb")'],
    ['Path("/caf\\u00e9\\x41\\101")', 'Path(`/caféAA`)'],
    ['Path(`/a\r\nb`)', 'Path("/a\\nb")'], // Go strips \r from raw strings
  ];
  for (const [rule, expected] of shapes) {
    test(`${JSON.stringify(rule)} reads as ${expected}`, () => assert.equal(formatRule(parsed(rule)), expected));
  }

  test('the tree holds canonical names, decoded args and negation', () => {
    const host: Matcher = { name: 'Host', args: ['a'], negated: true };
    const path: Matcher = { name: 'Path', args: ['/b'], negated: false };
    assert.deepEqual(parsed('!(host(`a`) && !Path("/b"))'), {
      kind: 'or',
      left: { kind: 'matcher', matcher: host },
      right: { kind: 'matcher', matcher: path },
    });
  });
});


describe('hostile input is refused quickly', () => {
  const refused = (rule: string, fragment: string): void => {
    const result = parseRule(rule, 'http');
    assert.equal(result.ok, false);
    if (!result.ok) assert.ok(result.error.includes(fragment), result.error);
  };
  test('nesting is capped', () => {
    assert.ok(parseRule(`${'('.repeat(100)}Host(\`a\`)${')'.repeat(100)}`, 'http').ok);
    refused(`${'('.repeat(101)}Host(\`a\`)${')'.repeat(101)}`, 'nests deeper than 100');
    refused(`${'!'.repeat(101)}Host(\`a\`)`, 'nests deeper than 100');
    refused('('.repeat(100_000), 'characters long');
  });
  test('length and matcher count are capped', () => {
    refused(`Path(\`/${'a'.repeat(40_000)}\`)`, 'at most 32768');
    const many = (n: number): string => Array.from({ length: n }, () => 'Host(`a`)').join('||');
    assert.ok(parseRule(many(1000), 'http').ok);
    refused(many(1001), 'more than 1000 matchers');
  });
  test('regexp work is budgeted per rule', () => {
    const heavy = `PathRegexp(\`${'x{1000}'.repeat(10)}\`)`;
    assert.ok(parseRule(heavy, 'http').ok);
    refused(Array.from({ length: 6 }, () => heavy).join(' || '), 'too large');
    refused(`PathRegexp(\`((((x{1000}){1000}){1000}){1000})\`)`, 'too large');
  });
});
