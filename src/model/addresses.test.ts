import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  type AddressClass,
  type HostNameClass,
  classifyHostName,
  classifyIp,
  contains,
  explainCidr,
  isValidNetworkId,
  networkRange,
  parseCidr,
  parseIp,
  serviceRange,
} from './addresses.ts';

function ip(text: string) {
  const parsed = parseIp(text);
  assert.ok(parsed, `test setup: ${text} should parse`);
  return parsed;
}

function cidr(text: string) {
  const parsed = parseCidr(text);
  assert.ok(parsed, `test setup: ${text} should parse`);
  return parsed;
}

describe('classifyIp: each range and its edges', () => {
  const cases: Array<[string, AddressClass]> = [
    ['0.0.0.0', 'unspecified'], ['0.255.255.255', 'unspecified'], ['1.0.0.0', 'public'],
    ['126.255.255.255', 'public'], ['127.0.0.0', 'loopback'], ['127.255.255.255', 'loopback'], ['128.0.0.0', 'public'],
    ['9.255.255.255', 'public'], ['10.0.0.0', 'private'], ['10.255.255.255', 'private'], ['11.0.0.0', 'public'],
    ['100.63.255.255', 'public'], ['100.64.0.0', 'private'], ['100.127.255.255', 'private'], ['100.128.0.0', 'public'],
    ['169.253.255.255', 'public'], ['169.254.0.0', 'link-local'], ['169.254.255.255', 'link-local'], ['169.255.0.0', 'public'],
    ['169.254.169.254', 'metadata'], ['169.254.169.253', 'link-local'], ['169.254.169.255', 'link-local'],
    ['169.254.170.2', 'metadata'], ['169.254.170.23', 'metadata'], ['169.254.0.23', 'metadata'],
    ['100.100.100.200', 'metadata'], ['192.0.0.192', 'metadata'], ['168.63.129.16', 'metadata'], ['168.63.129.17', 'public'],
    ['172.15.255.255', 'public'], ['172.16.0.0', 'private'], ['172.31.255.255', 'private'], ['172.32.0.0', 'public'],
    ['192.167.255.255', 'public'], ['192.168.0.0', 'private'], ['192.168.255.255', 'private'], ['192.169.0.0', 'public'],
    ['198.17.255.255', 'public'], ['198.18.0.0', 'private'], ['198.19.255.255', 'private'], ['198.20.0.0', 'public'],
    ['192.0.0.0', 'reserved'], ['192.0.0.255', 'reserved'], ['192.0.1.0', 'public'],
    ['192.0.2.0', 'reserved'], ['192.0.2.255', 'reserved'], ['192.0.3.0', 'public'],
    ['198.51.99.255', 'public'], ['198.51.100.0', 'reserved'], ['198.51.100.255', 'reserved'], ['198.51.101.0', 'public'],
    ['203.0.112.255', 'public'], ['203.0.113.0', 'reserved'], ['203.0.113.255', 'reserved'], ['203.0.114.0', 'public'],
    ['192.88.99.1', 'reserved'],
    ['223.255.255.255', 'public'], ['224.0.0.0', 'multicast'], ['239.255.255.255', 'multicast'], ['240.0.0.0', 'reserved'],
    ['255.255.255.254', 'reserved'], ['255.255.255.255', 'broadcast'],
    ['8.8.8.8', 'public'], ['1.1.1.1', 'public'],
    ['::', 'unspecified'], ['::1', 'loopback'], ['::2', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:10.0.0.1', 'private'], ['::ffff:8.8.8.8', 'public'], ['::ffff:0.0.0.0', 'unspecified'],
    ['64:ff9b::7f00:1', 'loopback'], ['64:ff9b::808:808', 'public'], ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'], ['2002:808:808::', 'public'], ['2001::80ff:fffe', 'loopback'],
    ['fe80::', 'link-local'], ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'private'], ['fc00::', 'private'], ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
    ['fd00:ec2::254', 'metadata'], ['fd00:ec2::23', 'metadata'], ['fd00:ec2::253', 'private'],
    ['ff00::', 'multicast'], ['ff02::1', 'multicast'],
    ['2001:db8::', 'reserved'], ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'], ['2001:db9::', 'public'],
    ['3fff::', 'reserved'], ['3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'], ['3fff:1000::', 'public'],
    ['100::1', 'reserved'], ['::ffff:0:7f00:1', 'reserved'],
    ['2000::', 'public'], ['2606:4700::1111', 'public'], ['1fff:ffff::', 'reserved'], ['4000::', 'reserved'],
  ];
  for (const [text, expected] of cases) {
    it(`${text} is ${expected}`, () => assert.equal(classifyIp(ip(text)), expected));
  }
});

describe('parseCidr: strict, for --allow-backend', () => {
  const valid: Array<[string, string]> = [
    ['10.0.0.0/8', '10.0.0.0/8'], ['0.0.0.0/0', '0.0.0.0/0'], ['127.0.11.0/26', '127.0.11.0/26'],
    ['192.168.1.1/32', '192.168.1.1/32'], ['192.168.1.1', '192.168.1.1/32'], ['2001:db8::/32', '2001:db8::/32'],
    ['2001:DB8::/32', '2001:db8::/32'], ['::/0', '::/0'], ['fd00::/8', 'fd00::/8'], ['::1', '::1/128'],
    ['::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104'],
  ];
  for (const [text, expected] of valid) {
    it(`${text} is ${expected}`, () => {
      assert.equal(parseCidr(text)?.toString(), expected);
      assert.equal(explainCidr(text), undefined);
    });
  }

  const invalid: Array<[string, string]> = [
    ['10.0.0.5/8', '"10.0.0.5/8" has host bits set (did you mean 10.0.0.0/8?)'],
    ['2001:db8::1/32', '"2001:db8::1/32" has host bits set (did you mean 2001:db8::/32?)'],
    ['10.0.0.0/33', '"10.0.0.0/33" is not a CIDR: prefix length must be 0-32'],
    ['2001:db8::/129', '"2001:db8::/129" is not a CIDR: prefix length must be 0-128'],
    ['10.0.0.0/', '"10.0.0.0/" is not a CIDR: prefix length must be 0-32'],
    ['10.0.0.0/08', '"10.0.0.0/08" is not a CIDR: prefix length must be 0-32'],
    ['10.0.0.0/+8', '"10.0.0.0/+8" is not a CIDR: prefix length must be 0-32'],
    ['10.0.0.0/ 8', '"10.0.0.0/ 8" is not a CIDR: prefix length must be 0-32'],
    ['10.0.0.0/8/8', '"10.0.0.0/8/8" is not a CIDR: more than one "/"'],
    ['010.0.0.0/8', '"010.0.0.0/8" is not a CIDR: "010.0.0.0" is not an IP address in standard notation'],
    ['0x0a.0.0.0/8', '"0x0a.0.0.0/8" is not a CIDR: "0x0a.0.0.0" is not an IP address in standard notation'],
    ['10/8', '"10/8" is not a CIDR: "10" is not an IP address in standard notation'],
    ['10.0.0/24', '"10.0.0/24" is not a CIDR: "10.0.0" is not an IP address in standard notation'],
    ['fe80::%eth0/64', '"fe80::%eth0/64" is not a CIDR: "fe80::%eth0" is not an IP address in standard notation'],
    ['', '"" is not a CIDR: "" is not an IP address in standard notation'],
    ['localhost/8', '"localhost/8" is not a CIDR: "localhost" is not an IP address in standard notation'],
    [' 10.0.0.0/8', '" 10.0.0.0/8" is not a CIDR: " 10.0.0.0" is not an IP address in standard notation'],
  ];
  for (const [text, message] of invalid) {
    it(`${JSON.stringify(text)} is refused`, () => {
      assert.equal(parseCidr(text), undefined);
      assert.equal(explainCidr(text), message);
    });
  }
});

describe('contains', () => {
  const cases: Array<[string, string, boolean]> = [
    ['127.0.11.0/26', '127.0.11.0', true],
    ['127.0.11.0/26', '127.0.11.63', true],
    ['127.0.11.0/26', '127.0.11.64', false],
    ['127.0.11.0/26', '127.0.10.255', false],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['10.0.0.0/8', '64:ff9b::a01:203', false],
    ['10.0.0.0/8', '::a01:203', false],
    ['::ffff:10.0.0.0/104', '10.1.2.3', true],
    ['::ffff:0:0/96', '8.8.8.8', true],
    ['::/0', '10.0.0.1', false],
    ['::/0', '2001:db8::1', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['fe80::/10', 'fe80::1%eth0', true],
    ['192.168.1.1/32', '192.168.1.1', true],
    ['192.168.1.1/32', '192.168.1.2', false],
  ];
  for (const [range, address, expected] of cases) {
    it(`${range} ${expected ? 'contains' : 'does not contain'} ${address}`, () => assert.equal(contains(cidr(range), ip(address)), expected));
  }
});

describe('tenant ranges (SPEC §2)', () => {
  const ranges: Array<[number, string, string]> = [
    [2816, '127.0.11.0/26', '127.0.11.2-127.0.11.62'],
    [2880, '127.0.11.64/26', '127.0.11.66-127.0.11.126'],
    [6336, '127.0.24.192/26', '127.0.24.194-127.0.24.254'],
    [65536, '127.1.0.0/26', '127.1.0.2-127.1.0.62'],
    [16777152, '127.255.255.192/26', '127.255.255.194-127.255.255.254'],
  ];
  for (const [id, network, services] of ranges) {
    it(`network id ${id} owns ${network}, services ${services}`, () => {
      assert.equal(networkRange(id).toString(), network);
      assert.equal(serviceRange(id).toString(), services);
    });
  }

  const edges: Array<[number, string, boolean]> = [
    [2816, '127.0.11.0', false], [2816, '127.0.11.1', false], [2816, '127.0.11.2', true], [2816, '127.0.11.3', true],
    [2816, '127.0.11.62', true], [2816, '127.0.11.63', false], [2816, '127.0.10.255', false],
    [2816, '127.0.11.64', false], [2816, '127.0.11.66', false], [2816, '::ffff:127.0.11.2', true],
    [6336, '127.0.24.192', false], [6336, '127.0.24.193', false], [6336, '127.0.24.194', true],
    [6336, '127.0.24.254', true], [6336, '127.0.24.255', false], [6336, '127.0.25.0', false], [6336, '127.0.24.130', false],
  ];
  for (const [id, address, expected] of edges) {
    it(`${address} is ${expected ? '' : 'not '}a service address of ${id}`, () => assert.equal(contains(serviceRange(id), ip(address)), expected));
  }

  const ids: Array<[number, boolean]> = [
    [2816, true], [2880, true], [6336, true], [16777152, true],
    [2752, false], [2817, false], [2848, false], [0, false], [-64, false], [16777216, false],
    [2816.5, false], [Number.NaN, false], [Number.POSITIVE_INFINITY, false],
  ];
  for (const [id, expected] of ids) {
    it(`${id} is ${expected ? 'a valid' : 'not a'} network id`, () => assert.equal(isValidNetworkId(id), expected));
  }

  it('refuses to compute a range for an invalid id', () => {
    assert.throws(() => networkRange(2817), { name: 'RangeError', message: 'Expected a network id 2816 + 64·k below 2^24, got 2817' });
    assert.throws(() => serviceRange(16777216), RangeError);
  });
});


describe('classifyHostName', () => {
  const cases: Array<[string, HostNameClass]> = [
    ['localhost', 'localhost'], ['LOCALHOST', 'localhost'], ['localhost.', 'localhost'], ['foo.localhost', 'localhost'],
    ['a.b.localhost', 'localhost'], ['localhost.localdomain', 'localhost'], ['ip6-localhost', 'localhost'],
    ['0x7f.1', 'localhost'], ['2130706433', 'localhost'], ['0', 'localhost'], ['::1', 'localhost'], ['[::1]', 'localhost'],
    ['127.0.0.1.', 'localhost'], ['0.0.0.0', 'localhost'],
    ['10.0.0.1', 'internal'], ['169.254.169.254', 'internal'], ['::ffff:a9fe:a9fe', 'internal'],
    ['8.8.8.8', 'public'], ['0x08080808', 'public'],
    ['redis', 'internal'], ['traefik', 'internal'], ['host.docker.internal', 'internal'],
    ['metadata.google.internal', 'internal'], ['printer.local', 'internal'], ['nas.home.arpa', 'internal'],
    ['router.lan', 'internal'], ['dc1.corp', 'internal'], ['wiki.intranet', 'internal'], ['box.localdomain', 'internal'],
    ['example.com', 'public'], ['api.Example.COM.', 'public'], ['_dmarc.example.com', 'public'],
    ['xn--bcher-kva.example', 'public'], ['localhost.example.com', 'public'], ['my-app.example.io', 'public'],
    ['', 'invalid'], ['.', 'invalid'], ['a..b', 'invalid'], ['-a.com', 'invalid'], ['a-.com', 'invalid'],
    ['a b.com', 'invalid'], ['exa$mple.com', 'invalid'], ['１２７.0.0.1', 'invalid'],
    // A Unicode name is the Punycode name Go's HTTP client dials for it (xn--nicode-2ya.com).
    ['ünicode.com', 'public'], ['bücher.localhost', 'localhost'],
    ['foo.123', 'invalid'], ['1.2.3.4.5', 'invalid'], ['08.0.0.1', 'invalid'], ['foo.0x7f', 'invalid'],
    [`${'a'.repeat(64)}.com`, 'invalid'], ['*.example.com', 'invalid'], ['example.com/x', 'invalid'],
  ];
  for (const [name, expected] of cases) {
    it(`${JSON.stringify(name.length > 30 ? `${name.slice(0, 30)}…` : name)} is ${expected}`, () => assert.equal(classifyHostName(name), expected));
  }
});

it('names that spell an address on wildcard-DNS services are judged by that address', () => {
  const cases: [string, string][] = [
    ['127.0.0.1.nip.io', 'localhost'],
    ['app.127.0.11.2.sslip.io', 'localhost'],
    ['10-0-0-1.sslip.io', 'internal'],
    ['app-169-254-169-254.nip.io', 'internal'],
    ['7f000001.nip.io', 'localhost'],
    ['8.8.8.8.nip.io', 'public'],
    ['auth.example.com', 'public'],
    ['release-2024.example.com', 'public'],
  ];
  for (const [name, expected] of cases) assert.equal(classifyHostName(name), expected, name);
});
