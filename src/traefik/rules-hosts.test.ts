// What a parsed rule says about hosts: its branches (DNF), the hosts bounding it, and the negated
// host matchers.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type RuleProtocol, formatMatcher, negatedHostMatchers, ruleBranches, ruleHosts } from './rules.ts';
import { parsed } from '../../test/support/rule-cases.ts';

describe('ruleBranches (DNF)', () => {
  const branches = (rule: string): string[] => {
    const result = ruleBranches(parsed(rule));
    if (!('branches' in result)) assert.fail(result.error);
    return result.branches.map((branch) => branch.map(formatMatcher).join(' && '));
  };
  test('or gives one branch per side', () => {
    assert.deepEqual(branches('Host(`a`) || (Host(`b`) && Path(`/x`))'), ['Host(`a`)', 'Host(`b`) && Path(`/x`)']);
  });
  test('and distributes over or', () => {
    assert.deepEqual(branches('(Host(`a`) || Host(`b`)) && (Path(`/x`) || Path(`/y`))'), [
      'Host(`a`) && Path(`/x`)',
      'Host(`a`) && Path(`/y`)',
      'Host(`b`) && Path(`/x`)',
      'Host(`b`) && Path(`/y`)',
    ]);
  });
  test('negation is already at the matchers', () => {
    assert.deepEqual(branches('!(Host(`a`) || Path(`/x`))'), ['!Host(`a`) && !Path(`/x`)']);
  });
  test('an exponential expansion is reported, not computed', () => {
    const rule = Array.from({ length: 12 }, (_, i) => `(Host(\`a${i}\`) || Path(\`/${i}\`))`).join(' && ');
    const result = ruleBranches(parsed(rule));
    assert.ok('error' in result && result.error.includes('more than 256'));
  });
});

describe('ruleHosts', () => {
  const hosts = (rule: string, protocol: RuleProtocol = 'http', syntax?: string) => ruleHosts(parsed(rule, protocol, syntax), protocol);

  test('a host in every branch bounds the rule', () => {
    const result = hosts('Host(`a`) || (Host(`b`) && Path(`/x`))');
    assert.deepEqual(result.hosts, ['a', 'b']);
    assert.equal(result.bounded, true);
    assert.equal(result.reason, undefined);
    assert.equal(result.catchAll, false);
  });
  test('a branch without Host is unbounded', () => {
    const result = hosts('Host(`a`) || PathPrefix(`/`)');
    assert.equal(result.bounded, false);
    assert.equal(result.reason, 'branch `PathPrefix(`/`)` has no Host');
    assert.deepEqual(result.hosts, ['a']);
  });
  test('the reason names the whole failing branch', () => {
    const result = hosts('(Path(`/a`) || Host(`x`)) && Method(`GET`)');
    assert.equal(result.reason, 'branch `Path(`/a`) && Method(`GET`)` has no Host');
  });
  test('one host in an and is enough', () => {
    assert.equal(hosts('PathPrefix(`/`) && Host(`a`) && !Host(`b`)').bounded, true);
    assert.equal(hosts('(Host(`a`) || Host(`b`)) && (Path(`/x`) || Method(`GET`))').bounded, true);
  });
  test('a negated Host binds nothing', () => {
    const result = hosts('!Host(`a`)');
    assert.equal(result.bounded, false);
    assert.equal(result.reason, 'negated Host does not bind a host');
    assert.deepEqual(result.hosts, []);
    assert.equal(hosts('!(Host(`a`) || Path(`/`))').bounded, false);
  });
  test('names are in canonical form', () => {
    assert.deepEqual(hosts('Host(`A.Example.COM.`)').hosts, ['a.example.com']);
    assert.deepEqual(hosts('Host(`b`) || host(`B.`) || Host(`a`)').hosts, ['a', 'b']);
    assert.deepEqual(hosts('Host(`app.example.com..`)').hosts, ['app.example.com']);
    assert.deepEqual(hosts('Host(`XN--BCHER-KVA.example.com`)').hosts, ['xn--bcher-kva.example.com']);
    assert.deepEqual(hosts('HostSNI(`Db.Example.com..`)', 'tcp').hosts, ['db.example.com']);
  });
  test('Go escapes are decoded before the host is compared', () => {
    const spelled = ['"\\x61pp.example.com"', '"\\u0061pp.example.com"', '"\\141pp.example.com"', '"\\U00000061pp.example.com"'];
    for (const arg of spelled) assert.deepEqual(hosts(`Host(${arg})`).hosts, ['app.example.com'], arg);
  });
  test('a host the ACME client would trim into a wildcard is a wildcard', () => {
    const result = hosts('Host(` *.example.com`)');
    assert.equal(result.bounded, false);
    assert.deepEqual(result.wildcards, ['*.example.com']);
    assert.deepEqual(hosts('Host(` app.example.com `)').hosts, ['app.example.com']);
  });
  test('catch-alls, wildcards and regexps are not literal hosts', () => {
    assert.equal(hosts('Host(`*`)').reason, 'Host(`*`) matches every host');
    assert.equal(hosts('Host(`*`)').catchAll, true);
    const wildcard = hosts('Host(`*.Example.com`)');
    assert.equal(wildcard.reason, 'Host(`*.Example.com`) is a wildcard, not a literal host');
    assert.deepEqual(wildcard.wildcards, ['*.example.com']);
    assert.deepEqual(wildcard.hosts, []);
    assert.equal(wildcard.catchAll, false);
    assert.equal(hosts('HostRegexp(`^a\\.com$`)').reason, 'HostRegexp is not a literal host');
    assert.equal(hosts('Host(`a`) && HostRegexp(`.*`)').bounded, true);
  });
  test('v2 Host and HostHeader bind all their arguments', () => {
    const result = hosts('Host(`a`, `b`) || HostHeader(`c`)', 'http', 'v2');
    assert.deepEqual(result.hosts, ['a', 'b', 'c']);
    assert.equal(result.bounded, true);
  });
  test('TCP: HostSNI literals bind, HostSNI(`*`) is a catch-all', () => {
    const literal = hosts('HostSNI(`Db.Example.com`) && ClientIP(`10.0.0.0/8`)', 'tcp');
    assert.deepEqual(literal.hosts, ['db.example.com']);
    assert.equal(literal.bounded, true);
    assert.equal(literal.catchAll, false);
    const all = hosts('HostSNI(`*`)', 'tcp');
    assert.equal(all.catchAll, true);
    assert.equal(all.bounded, false);
    assert.equal(all.reason, 'HostSNI(`*`) matches every host');
  });
  test('TCP: a branch with no HostSNI takes the entrypoint', () => {
    assert.equal(hosts('ClientIP(`10.0.0.1`)', 'tcp').catchAll, true);
    assert.equal(hosts('HostSNI(`a`) || ALPN(`h2`)', 'tcp').catchAll, true);
    assert.equal(hosts('HostSNIRegexp(`.+`)', 'tcp').catchAll, true);
    assert.equal(hosts('!HostSNI(`a`)', 'tcp').catchAll, true);
    assert.equal(hosts('HostSNI(`a`) || HostSNI(`*.b`)', 'tcp').catchAll, false);
    assert.equal(hosts('HostSNI(`a`, `*`)', 'tcp', 'v2').catchAll, true);
  });
  test('a large rule is classified without expanding it', () => {
    const rule = Array.from({ length: 20 }, (_, i) => `(Host(\`h${i}\`) || Path(\`/${i}\`))`).join(' && ');
    const result = hosts(rule);
    assert.equal(result.bounded, false);
    assert.equal(result.hosts.length, 20);
  });
});

describe('negatedHostMatchers', () => {
  const negated = (rule: string, protocol: RuleProtocol = 'http', syntax?: string) =>
    negatedHostMatchers(parsed(rule, protocol, syntax), protocol).map(formatMatcher);

  test('a negated Host at any depth', () => {
    assert.deepEqual(negated('Host(`evil`) && !Host(`app`) && !Host(`*.example.com`)'), ['!Host(`app`)', '!Host(`*.example.com`)']);
    assert.deepEqual(negated('Host(`evil`) && !(Host(`a`) || Path(`/x`))'), ['!Host(`a`)']);
    assert.deepEqual(negated('Host(`evil`) && !(Path(`/x`) && !(Method(`GET`) || !host(`b`)))'), ['!Host(`b`)']);
    assert.deepEqual(negated('Host(`evil`) && !!Host(`a`)'), []);
  });
  test('only the matchers Traefik collects certificate domains from', () => {
    assert.deepEqual(negated('Host(`evil`) && !HostRegexp(`^a$`) && !Path(`/x`)'), []);
    assert.deepEqual(negated('Host(`evil`) && !HostHeader(`a`)', 'http', 'v2'), []);
    assert.deepEqual(negated('Host(`evil`) && !Host(`a`, `b`)', 'http', 'v2'), ['!Host(`a`, `b`)']);
  });
  test('TCP: a negated HostSNI', () => {
    assert.deepEqual(negated('HostSNI(`evil`) && !HostSNI(`db`)', 'tcp'), ['!HostSNI(`db`)']);
    assert.deepEqual(negated('HostSNI(`evil`) && !ClientIP(`10.0.0.0/8`)', 'tcp'), []);
    assert.deepEqual(negated('HostSNI(`evil`) && !HostSNIRegexp(`^d`)', 'tcp'), []);
  });
});
