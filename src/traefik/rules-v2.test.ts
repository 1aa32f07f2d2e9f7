// ruleSyntax v2: the matchers and argument lists Traefik's v2 muxer accepts (rules-v2.ts).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRule } from './rules.ts';
import { runTable } from '../../test/support/rule-cases.ts';

// ruleSyntax: v2, from matcher_v2_test.go (HTTP and TCP).
describe('HTTP v2 rules', () => {
  runTable('http', 'v2', [
    ['Host(`example.com`, `example.org`)', true],
    ['HostHeader(`localhost`)', true],
    ['Host(`nope`,`localhost`) && PathPrefix(`/foo`)', true],
    ['HostRegexp(`{subdomain:(foo\\.)?bar\\.com}`)', true],
    ['HostRegexp(`example.com`, `example.org`)', true],
    ['Path(`/css{path:(/.*)?}`)', true],
    ['PathPrefix(`/css-{name:[0-9]?}`)', true],
    ['Path(`/css`, `/js`)', true],
    ['Method(`GET`, `POST`)', true],
    ['Headers(`Content-Type`,`application/json`)', true],
    ['HeadersRegexp(`Content-Type`, `application/(text|json)`)', true],
    ['Query(`foo=bar`, `bar=baz`)', true],
    ['Query(`foo=b=ar`)', true],
    ['Query(`foo`, `bar`)', true], // split pieces pair up across arguments
    ['ClientIP(`10.0.0.1`, `10.0.0.0/16`)', true],
    ['!(Host("tchouk","pouet") && Path("/powpow", "/titi"))', true],
    ['Host(`locàlhost`)', 'non-ASCII characters are not allowed'],
    ['HostRegexp(`locàlhost`)', 'non-ASCII characters are not allowed'],
    ['HostRegexp("{test")', 'mux: unbalanced braces in "{test"'],
    ['HostRegexp(`{:a}`)', 'mux: missing name or pattern in "{:a}"'],
    ['HostRegexp(`{sub:(a}.com`)', 'missing closing )'],
    ['Path("titi")', 'mux: path must start with a slash, got "titi"'],
    ['PathPrefix("titi")', 'path must start with a slash'],
    ['Path(`/{id:}`)', 'missing name or pattern'],
    ['Host("tchouk") && Path("", "/titi")', 'empty args for matcher Path'],
    ['Headers("titi")', 'mux: number of parameters must be multiple of 2'],
    ['Headers(`X-Forwarded-Host`, `example.com`, `example.org`)', 'multiple of 2'],
    ['HeadersRegexp(`X-Forwarded-Host`,`(example.com`)', 'missing closing )'],
    ['Query("titi")', 'multiple of 2'],
    ['Query("titi={test")', 'unbalanced braces'],
    ['Query(`a={x}`, `b={x}`)', 'duplicated route variable "x"'],
    ['ClientIP(`invalid`)', '"invalid" is not an IP address'],
    ['HeaderRegexp(`a`, `b`)', 'unsupported function: HeaderRegexp'],
    ['PathRegexp(`/a`)', 'unsupported function: PathRegexp'],
  ]);
});

describe('TCP v2 rules', () => {
  runTable('tcp', 'v2', [
    ['HostSNI(`foobar`, `foo-bar.baz`)', true],
    ['HostSNI(`foo`, `*`)', true],
    ['HostSNIRegexp(`{subdomain:[a-z]+}.foobar`)', true],
    ['ALPN(`h2`, `h2c`, `mqtt`)', true],
    ['ClientIP(`10.0.0.0/8`, `20.0.0.0/8`)', true],
    ['HostSNI(`héhé`)', 'is not a valid hostname or IP'],
    ['HostSNI(`*.bar`)', 'is not a valid hostname or IP'],
    ['HostSNIRegexp(`subdomain:(foo\\.)?bar\\.com}`)', 'unbalanced braces'],
    ['HostSNIRegexp(`{:(foo\\.)?bar\\.com}`)', 'missing name or pattern'],
    ['HostSNIRegexp(`{subdomain:}`)', 'missing name or pattern'],
    ['HostSNIRegexp(`{subdomain:(foo\\.?bar\\.com}`)', 'missing closing )'],
    ['ALPN(`h2`, `acme-tls/1`)', 'is not allowed'],
    ['ClientIP(`héhé`)', 'is not an IP address or a CIDR range'],
  ]);
});

test('any ruleSyntax other than exactly v2 means v3', () => {
  for (const syntax of [undefined, '', 'v3', 'V2', 'v1', 'default']) {
    assert.equal(parseRule('Host(`a`, `b`)', 'http', syntax).ok, false, `syntax ${String(syntax)}`);
    assert.equal(parseRule('HostRegexp(`.*`)', 'http', syntax).ok, true, `syntax ${String(syntax)}`);
  }
  assert.equal(parseRule('Host(`a`, `b`)', 'http', 'v2').ok, true);
});
