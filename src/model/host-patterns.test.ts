import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { canonicalHostName, matchesHostPattern, parseHostPattern } from './host-patterns.ts';

describe('parseHostPattern', () => {
  const cases: Array<[string, string]> = [
    ['auth.example.com', 'exact auth.example.com'],
    ['Auth.Example.COM.', 'exact auth.example.com'],
    ['*.example.com', 'below example.com'],
    ['*.Example.com..', 'below example.com'],
    ['redis', 'exact redis'],
    ['_acme.example.com', 'exact _acme.example.com'],
    ['*.com', 'error: "*.com" would match every name under a top-level domain'],
    ['*', 'error: "*" is not a host name (letters, digits, "-", "_"; the last label not numeric) or a *.domain pattern'],
    ['a.*.example.com', 'error: "a.*.example.com" is not a host name (letters, digits, "-", "_"; the last label not numeric) or a *.domain pattern'],
    ['0x7f.1', 'error: "0x7f.1" is not a host name (letters, digits, "-", "_"; the last label not numeric)'],
    ['-a.example.com', 'error: "-a.example.com" is not a host name (letters, digits, "-", "_"; the last label not numeric)'],
    ['', 'error: "" is not a host name (letters, digits, "-", "_"; the last label not numeric)'],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => {
      const parsed = parseHostPattern(text);
      const got = typeof parsed === 'string' ? `error: ${parsed}` : parsed.kind === 'exact' ? `exact ${parsed.name}` : `below ${parsed.domain}`;
      assert.equal(got, expected);
    });
  }
});

describe('matchesHostPattern', () => {
  const below = parseHostPattern('*.example.com');
  const exact = parseHostPattern('auth.example.com');
  assert.ok(typeof below !== 'string' && typeof exact !== 'string');
  const cases: Array<[string, boolean, boolean]> = [
    // name, matches *.example.com, matches auth.example.com
    ['auth.example.com', true, true],
    ['AUTH.EXAMPLE.COM...', true, true],
    ['a.b.example.com', true, false],
    ['example.com', false, false],
    ['badexample.com', false, false],
    ['auth.example.com.evil.org', false, false],
    ['example.com.', false, false],
  ];
  for (const [name, underDomain, isExact] of cases) {
    it(`${JSON.stringify(name)}: *.example.com ${underDomain}, auth.example.com ${isExact}`, () => {
      assert.equal(matchesHostPattern(below, name), underDomain);
      assert.equal(matchesHostPattern(exact, name), isExact);
    });
  }
  it('canonical form: lower case, every trailing dot removed', () => assert.equal(canonicalHostName('A.B..'), 'a.b'));
});
