import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { parseCidr, parseHostPort, parseServerUrl, serviceRange, type ParsedHost } from './addresses.ts';
import { checkMiddlewareTarget, checkServerTarget, type BackendPolicy, type TargetVerdict } from './backend-policy.ts';
import { parseHostPattern, type HostPattern } from './host-patterns.ts';

function cidr(text: string) {
  const parsed = parseCidr(text);
  assert.ok(parsed, `test setup: ${text} should be a CIDR`);
  return parsed;
}

function pattern(text: string): HostPattern {
  const parsed = parseHostPattern(text);
  assert.ok(typeof parsed !== 'string', `test setup: ${text} should be a pattern`);
  return parsed;
}

describe('checkServerTarget / checkMiddlewareTarget', () => {
  const own: BackendPolicy = { ownRanges: [serviceRange(2816)], allowed: [], allowedNames: [] };
  const withAllowed: BackendPolicy = { ownRanges: [serviceRange(2816)], allowed: [cidr('10.1.0.0/16')], allowedNames: [] };
  const none: BackendPolicy = { ownRanges: [], allowed: [], allowedNames: [] };
  const metadataAllowed: BackendPolicy = { ownRanges: [serviceRange(2816)], allowed: [cidr('169.254.169.254/32')], allowedNames: [] };
  const names: BackendPolicy = { ownRanges: [serviceRange(2816)], allowed: [], allowedNames: [pattern('auth.example.com'), pattern('*.svc.example.net')] };
  const unicodeName: BackendPolicy = { ownRanges: [], allowed: [], allowedNames: [pattern('xn--bcher-kva.example.com')] };
  const OUTSIDE = 'outside 127.0.11.2-127.0.11.62';
  const NO_NAME = 'and no host name is allowed (a name can resolve to any address)';
  const NOT_LISTED = 'and allowed names are auth.example.com, *.svc.example.net (a name can resolve to any address)';

  function target(address: string): ParsedHost {
    const parsed = address.includes('://') ? parseServerUrl(address) : parseHostPort(address);
    assert.ok(typeof parsed !== 'string', `test setup: ${address} should parse (${String(parsed)})`);
    return parsed;
  }

  function verdict(result: TargetVerdict): string {
    return result.ok ? `ok${result.ip ? ` ${result.ip}` : ''}` : result.reason;
  }

  const servers: Array<[string, BackendPolicy, string]> = [
    ['http://127.0.11.2:8080', own, 'ok 127.0.11.2'],
    ['http://127.0.11.62', own, 'ok 127.0.11.62'],
    ['http://2130709250', own, 'ok 127.0.11.2'],
    // Hex is an address to glibc, a name to Go's resolver: Traefik would look it up, not dial it.
    ['http://0x7f000b02', own, `"0x7f000b02" is 127.0.11.2 only to some resolvers: Traefik's reads it as a host name and looks it up; write 127.0.11.2`],
    ['http://127.0.0xb.2', own, `"127.0.0xb.2" is 127.0.11.2 only to some resolvers: Traefik's reads it as a host name and looks it up; write 127.0.11.2`],
    ['http://[::ffff:127.0.11.2]', own, 'ok ::ffff:127.0.11.2'],
    ['http://[::ffff:7f00:b02]', own, 'ok ::ffff:127.0.11.2'],
    ['127.0.11.5:5432', own, 'ok 127.0.11.5'],
    ['http://127.0.11.1', own, `127.0.11.1 is loopback, ${OUTSIDE}`],
    ['http://127.0.11.63', own, `127.0.11.63 is loopback, ${OUTSIDE}`],
    ['http://127.0.11.66', own, `127.0.11.66 is loopback, ${OUTSIDE}`],
    ['http://0x7f.1', own, `"0x7f.1" is 127.0.0.1 (loopback), ${OUTSIDE}`],
    ['0177.0.0.1:5432', own, `"0177.0.0.1" is 127.0.0.1 (loopback), ${OUTSIDE}`],
    ['http://%31%32%37.0.0.1/', own, `"%31%32%37.0.0.1" is 127.0.0.1 (loopback), ${OUTSIDE}`],
    ['http://[64:ff9b::7f00:b02]', own, `"64:ff9b::7f00:b02" is 127.0.11.2 (NAT64, loopback), ${OUTSIDE}`],
    ['http://127.0.11.2@169.254.169.254/', own, '169.254.169.254 is a cloud metadata address'],
    ['http://169.254.169.254#@127.0.11.2', own, '169.254.169.254 is a cloud metadata address'],
    ['http://0xa9fea9fe/', own, '"0xa9fea9fe" is 169.254.169.254, a cloud metadata address'],
    ['http://[::ffff:a9fe:a9fe]/', own, '"::ffff:a9fe:a9fe" is 169.254.169.254 (IPv4-mapped), a cloud metadata address'],
    ['http://[fd00:ec2::254]/', own, 'fd00:ec2::254 is a cloud metadata address'],
    ['http://169.254.169.254', metadataAllowed, 'ok 169.254.169.254'],
    ['http://10.1.2.3', own, `10.1.2.3 is private, ${OUTSIDE}`],
    ['http://10.1.2.3', withAllowed, 'ok 10.1.2.3'],
    ['http://10.2.0.1', withAllowed, `10.2.0.1 is private, ${OUTSIDE}, 10.1.0.0/16`],
    ['http://10.0.0.1', none, '10.0.0.1 is private, and no backend range is allowed'],
    ['http://8.8.8.8', own, `8.8.8.8 is public, ${OUTSIDE}`],
    ['http://[fe80::1%25eth0]', own, `"fe80::1%25eth0" is fe80::1%eth0 (link-local), ${OUTSIDE}`],
    [':6379', own, `an empty host is 0.0.0.0 (unspecified), ${OUTSIDE}`],
    ['http://localhost:8080', own, '"localhost" is this host'],
    ['http://%6c%6f%63%61%6c%68%6f%73%74/', own, '"%6c%6f%63%61%6c%68%6f%73%74" is this host'],
    ['http://redis', own, '"redis" is an internal name (resolves inside private networks)'],
    ['http://example.com', own, `"example.com" is a host name ${NO_NAME}`],
    ['http://auth.example.com:9000/', names, 'ok'],
    ['http://AUTH.Example.com../', names, 'ok'],
    ['http://a.b.svc.example.net', names, 'ok'],
    ['api.svc.example.net:5432', names, 'ok'],
    ['http://svc.example.net', names, `"svc.example.net" is a host name ${NOT_LISTED}`],
    ['http://auth.example.com.evil.org', names, `"auth.example.com.evil.org" is a host name ${NOT_LISTED}`],
    ['http://evilsvc.example.net', names, `"evilsvc.example.net" is a host name ${NOT_LISTED}`],
    ['http://auth.example.com@127.0.0.1/', names, `127.0.0.1 is loopback, ${OUTSIDE}`],
    // Go's HTTP client dials the Punycode of a Unicode host: one name, either spelling.
    ['http://BÜCHER.example.com/', unicodeName, 'ok'],
    ['http://bucher.example.com/', unicodeName, '"bucher.example.com" is a host name and allowed names are xn--bcher-kva.example.com (a name can resolve to any address)'],
  ];
  for (const [address, policy, expected] of servers) {
    it(`server ${JSON.stringify(address)} → ${expected}`, () => assert.equal(verdict(checkServerTarget(target(address), policy)), expected));
  }

  const middlewares: Array<[string, BackendPolicy, string]> = [
    ['http://auth.example.com/verify', own, `"auth.example.com" is a host name ${NO_NAME}`],
    ['redis.example.com:6379', own, `"redis.example.com" is a host name ${NO_NAME}`],
    ['http://localtest.me/', own, `"localtest.me" is a host name ${NO_NAME}`],
    ['http://0177.0.0.1.nip.io/', own, `"0177.0.0.1.nip.io" is a host name ${NO_NAME}`],
    ['http://127.0.0.1.nip.io/', own, '"127.0.0.1.nip.io" is this host'],
    ['http://auth.example.com/verify', names, 'ok'],
    ['redis.svc.example.net:6379', names, 'ok'],
    ['https://8.8.8.8/', own, 'ok 8.8.8.8'],
    ['http://[2606:4700::1111]/', own, 'ok 2606:4700::1111'],
    ['http://127.0.11.5:9000', own, 'ok 127.0.11.5'],
    ['http://10.1.2.3', withAllowed, 'ok 10.1.2.3'],
    ['http://127.0.0.1:8080', own, `127.0.0.1 is loopback, ${OUTSIDE}`],
    ['http://169.254.169.254', own, '169.254.169.254 is a cloud metadata address'],
    ['http://100.100.100.200', own, '100.100.100.200 is a cloud metadata address'],
    ['http://[2002:a9fe:a9fe::]/', own, '"2002:a9fe:a9fe::" is 169.254.169.254 (6to4), a cloud metadata address'],
    ['http://[2001::80ff:fffe]/', own, `"2001::80ff:fffe" is 127.0.0.1 (Teredo, loopback), ${OUTSIDE}`],
    ['http://10.0.0.1', own, `10.0.0.1 is private, ${OUTSIDE}`],
    ['http://0.0.0.0', own, `0.0.0.0 is unspecified, ${OUTSIDE}`],
    ['http://224.0.0.1', own, `224.0.0.1 is multicast, ${OUTSIDE}`],
    ['http://255.255.255.255', own, `255.255.255.255 is broadcast, ${OUTSIDE}`],
    ['http://192.0.2.1', own, `192.0.2.1 is reserved, ${OUTSIDE}`],
    ['[::1]:6379', own, `::1 is loopback, ${OUTSIDE}`],
    ['http://metadata.google.internal', own, '"metadata.google.internal" is an internal name (resolves inside private networks)'],
    ['redis:6379', own, '"redis" is an internal name (resolves inside private networks)'],
    ['http://localhost', own, '"localhost" is this host'],
    ['http://foo.localhost', own, '"foo.localhost" is this host'],
    ['http://１２７.0.0.1/', own, '"１２７.0.0.1" is not a valid host name'],
    ['http://foo.123/', own, '"foo.123" is not a valid host name'],
  ];
  for (const [address, policy, expected] of middlewares) {
    it(`middleware ${JSON.stringify(address)} → ${expected}`, () => assert.equal(verdict(checkMiddlewareTarget(target(address), policy)), expected));
  }
});

