import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  type AddressClass,
  type HostNameClass,
  classifyHostName,
  classifyIp,
  contains,
  embeddedIpv4,
  explainCidr,
  isValidNetworkId,
  networkRange,
  parseCidr,
  parseHostPort,
  parseIp,
  parseServerUrl,
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

/** What a caller sees of a parsed target: the dialled IP (canonical) or name, and the port. */
function summary(parsed: ReturnType<typeof parseServerUrl> | ReturnType<typeof parseHostPort>): string {
  if (typeof parsed === 'string') return `error: ${parsed}`;
  const target = parsed.hostKind === 'ip' ? `ip ${parsed.ip}` : `name ${parsed.name}`;
  return 'scheme' in parsed ? `${parsed.scheme} ${target} port ${parsed.port}` : `${target} port ${parsed.port}`;
}

describe('parseIp: IPv4 in every spelling inet_aton or a URL parser accepts', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0X7F000001', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0000177.0.0.1', '127.0.0.1'],
    ['0177.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['127.1.', '127.0.0.1'],
    ['0x7f.0.0.0x1', '127.0.0.1'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['0xA9.0xFE.0xA9.0xFE', '169.254.169.254'],
    ['169.254.43518', '169.254.169.254'],
    ['169.16689662', '169.254.169.254'],
    ['10.0.0.010', '10.0.0.8'],
    ['192.168.0x1', '192.168.0.1'],
    ['0', '0.0.0.0'],
    ['0x', '0.0.0.0'],
    ['4294967295', '255.255.255.255'],
    ['127.0.65535', '127.0.255.255'],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} is ${expected}`, () => assert.equal(parseIp(text)?.toString(), expected));
  }

  const notIps = [
    '4294967296', '256.0.0.1', '1.2.3.256', '127.0.65536', '127.16777216', '1.2.3.4.5', '08.0.0.1', '0x7g.1',
    '127..1', '', '.', '1.2.3.4..', ' 127.0.0.1', '127.0.0.1 ', '+1.2.3.4', '-1', '1e3', '１２７.0.0.1',
    '127.0.0.1%eth0', 'localhost', '1'.repeat(400),
  ];
  for (const text of notIps) {
    it(`${JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text)} is not an IP`, () => assert.equal(parseIp(text), undefined));
  }
});

describe('parseIp: IPv6, printed in RFC 5952 form', () => {
  const cases: Array<[string, string]> = [
    ['::', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['::ffff:7f00:1', '::ffff:127.0.0.1'],
    ['::FFFF:7F00:0001', '::ffff:127.0.0.1'],
    ['0:0:0:0:0:ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['::127.0.0.1', '::7f00:1'],
    ['64:ff9b::169.254.169.254', '64:ff9b::a9fe:a9fe'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:1:0:0:1:0:0', '::1:0:0:1:0:0'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['1::', '1::'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
  ];
  for (const [text, expected] of cases) {
    it(`${text} is ${expected}`, () => assert.equal(parseIp(text)?.toString(), expected));
  }

  const notIps = [
    ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2::3', '12345::', ':1::', '1:2:3:4:5:6:7:8::',
    '::ffff:127.0.0.256', '::ffff:0177.0.0.1', '::ffff:127.1', 'fe80::1%', 'g::1', '[::1]', 'fe80::1%eth 0',
  ];
  for (const text of notIps) {
    it(`${JSON.stringify(text)} is not an IP`, () => assert.equal(parseIp(text), undefined));
  }

  it('keeps the zone apart from the address bytes', () => {
    const parsed = ip('FE80::1%eth0');
    assert.equal(parsed.zone, 'eth0');
    assert.equal(parsed.family, 6);
    assert.ok(!parsed.equals(ip('fe80::1')));
  });
});

describe('embeddedIpv4: IPv6 forms that carry an IPv4 target', () => {
  const cases: Array<[string, string, string]> = [
    ['::ffff:169.254.169.254', '169.254.169.254', 'IPv4-mapped'],
    ['::ffff:a9fe:a9fe', '169.254.169.254', 'IPv4-mapped'],
    ['::a9fe:a9fe', '169.254.169.254', 'IPv4-compatible'],
    ['::2', '0.0.0.2', 'IPv4-compatible'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'NAT64'],
    ['2002:a9fe:a9fe::1', '169.254.169.254', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '192.0.2.45', 'Teredo'],
    ['2001:0:1:2::5601:5601', '169.254.169.254', 'Teredo'],
    ['2001::80ff:fffe', '127.0.0.1', 'Teredo'],
  ];
  for (const [text, ipv4, via] of cases) {
    it(`${text} carries ${ipv4} (${via})`, () => {
      const embedded = embeddedIpv4(ip(text));
      assert.equal(embedded?.ipv4.toString(), ipv4);
      assert.equal(embedded?.via, via);
    });
  }
  for (const text of ['::', '::1', '2001:db8::1', '64:ff9b:1::1', 'fe80::1', '127.0.0.1']) {
    it(`${text} carries none`, () => assert.equal(embeddedIpv4(ip(text)), undefined));
  }
});

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

describe('parseServerUrl: the host Go would dial', () => {
  const cases: Array<[string, string]> = [
    ['http://127.0.11.2', 'http ip 127.0.11.2 port 80'],
    ['http://127.0.11.2:8080/path?q=1#frag', 'http ip 127.0.11.2 port 8080'],
    ['https://127.0.11.2', 'https ip 127.0.11.2 port 443'],
    ['h2c://127.0.11.2', 'h2c ip 127.0.11.2 port 80'],
    ['HTTP://127.0.11.2', 'http ip 127.0.11.2 port 80'],
    ['HtTpS://127.0.11.2:8443', 'https ip 127.0.11.2 port 8443'],
    ['http://127.0.11.2:', 'http ip 127.0.11.2 port 80'],
    // userinfo runs to the last '@'; '#' and '?' are cut before the authority is read
    ['http://127.0.11.2@169.254.169.254/', 'http ip 169.254.169.254 port 80'],
    ['http://user:pass@127.0.11.2/', 'http ip 127.0.11.2 port 80'],
    ['http://a@b@169.254.169.254/', 'http ip 169.254.169.254 port 80'],
    ['http://127.0.11.2:80@169.254.169.254:81/', 'http ip 169.254.169.254 port 81'],
    ['http://169.254.169.254#@127.0.11.2', 'http ip 169.254.169.254 port 80'],
    ['http://127.0.11.2#@169.254.169.254', 'http ip 127.0.11.2 port 80'],
    ['http://169.254.169.254?@127.0.11.2', 'http ip 169.254.169.254 port 80'],
    ['http://127.0.11.2/@169.254.169.254', 'http ip 127.0.11.2 port 80'],
    ['http://127.0.11.2:80\\@evil', 'error: invalid userinfo'],
    ['http://evil\\@127.0.11.2', 'error: invalid userinfo'],
    ['http://a b@127.0.11.2', 'error: invalid userinfo'],
    ['http://127.0.11.2\\.evil.com/', 'error: invalid character "\\" in host'],
    // spellings of an address
    ['http://%31%32%37.0.0.1/', 'http ip 127.0.0.1 port 80'],
    ['http://%6c%6f%63%61%6c%68%6f%73%74/', 'http name localhost port 80'],
    ['http://0x7f.1/', 'http ip 127.0.0.1 port 80'],
    ['http://2130706433:8080/', 'http ip 127.0.0.1 port 8080'],
    ['http://0251.0376.0251.0376/latest/meta-data', 'http ip 169.254.169.254 port 80'],
    ['http://127.1./', 'http ip 127.0.0.1 port 80'],
    // brackets and zones
    ['http://[::1]:8080/', 'http ip ::1 port 8080'],
    ['http://[::ffff:127.0.11.2]/', 'http ip ::ffff:127.0.11.2 port 80'],
    ['http://[::ffff:7f00:b02]:3000/', 'http ip ::ffff:127.0.11.2 port 3000'],
    ['http://[fe80::1%25eth0]:8080/', 'http ip fe80::1%eth0 port 8080'],
    ['http://[FE80::1%25en%30]/', 'http ip fe80::1%en0 port 80'],
    ['http://[127.0.0.1]/', 'http ip 127.0.0.1 port 80'],
    ['http://::ffff:127.0.0.1:80/', 'http ip ::ffff:127.0.0.1 port 80'],
    ['http://[fe80::1%eth0]/', 'error: invalid URL escape "%et"'],
    ['http://[fe80::1%25]/', 'error: invalid IP literal "[fe80::1%25]"'],
    ['http://[::1/', "error: missing ']' in host"],
    ['http://[::1]x/', 'error: invalid port "x" after host'],
    ['http://[example.com]/', 'error: invalid IP literal "[example.com]"'],
    ['http://::1/', 'error: invalid character ":" in host'],
    // ports
    ['http://127.0.11.2:8o/', 'error: invalid port ":8o" after host'],
    ['http://127.0.11.2:65535/', 'http ip 127.0.11.2 port 65535'],
    ['http://127.0.11.2:65536/', 'error: invalid port ":65536"'],
    ['http://127.0.11.2:0/', 'error: invalid port ":0"'],
    // what Go refuses
    ['http://127.0.0.1 /', 'error: invalid character " " in host'],
    ['http://127.0.0.1\t/', 'error: invalid control character in URL'],
    ['http://127.0.0.1%00/', 'error: invalid character "\u0000" in host'],
    ['http://127.0.0.1%zz/', 'error: invalid URL escape "%zz"'],
    ['http://127.0.0.1%2/', 'error: invalid URL escape "%2"'],
    ['http://127.0.11.2%40169.254.169.254/', 'error: invalid character "@" in host'],
    ['http://%ff/', 'error: invalid UTF-8 in host "%ff"'],
    ['http://127.0.11.2/%zz', 'error: invalid URL escape "%zz"'],
    ['http://127.0.11.2/#%zz', 'error: invalid URL escape "%zz"'],
    ['127.0.11.2:80', 'error: missing scheme'],
    ['//127.0.11.2', 'error: missing scheme'],
    ['', 'error: missing scheme'],
    ['ftp://127.0.11.2', 'error: unsupported scheme "ftp" (want http, https or h2c)'],
    ['http:127.0.11.2', 'error: missing host'],
    ['http:///path', 'error: missing host'],
    ['http://user@/', 'error: missing host'],
    // names
    ['http://localhost:8080', 'http name localhost port 8080'],
    ['http://Example.COM./x', 'http name example.com. port 80'],
    ['http://１２７.0.0.1/', 'http name １２７.0.0.1 port 80'],
  ];
  for (const [url, expected] of cases) {
    it(`${JSON.stringify(url)} → ${expected}`, () => assert.equal(summary(parseServerUrl(url)), expected));
  }

  it('keeps the host as written, for messages', () => {
    const parsed = parseServerUrl('http://u@%31%32%37.0.0.1:81/');
    assert.ok(typeof parsed !== 'string');
    assert.equal(parsed.host, '%31%32%37.0.0.1');
  });
});

describe('parseHostPort: TCP/UDP addresses and Redis endpoints, as net.SplitHostPort', () => {
  const cases: Array<[string, string]> = [
    ['127.0.11.2:5432', 'ip 127.0.11.2 port 5432'],
    ['0177.0.0.1:5432', 'ip 127.0.0.1 port 5432'],
    ['2130706433:6379', 'ip 127.0.0.1 port 6379'],
    ['[::1]:6379', 'ip ::1 port 6379'],
    ['[::ffff:127.0.11.2]:53', 'ip ::ffff:127.0.11.2 port 53'],
    ['[fe80::1%eth0]:80', 'ip fe80::1%eth0 port 80'],
    ['[127.0.11.2]:80', 'ip 127.0.11.2 port 80'],
    [':6379', 'ip 0.0.0.0 port 6379'],
    ['redis.example.com:6379', 'name redis.example.com port 6379'],
    ['REDIS:6379', 'name redis port 6379'],
    ['127.0.11.2', 'error: missing port in address'],
    ['::1:80', 'error: too many colons in address'],
    ['[::1]', 'error: missing port in address'],
    ['[::1]80', 'error: missing port in address'],
    ['[::1]:80:81', 'error: too many colons in address'],
    ['[::1]]:80', 'error: missing port in address'],
    ['[::1:80', "error: missing ']' in address"],
    ['a[b:80', "error: unexpected '[' in address"],
    ['a]b:80', "error: unexpected ']' in address"],
    ['127.0.11.2:', 'error: missing port in address'],
    ['127.0.11.2:http', 'error: non-numeric port "http"'],
    ['127.0.11.2:65536', 'error: invalid port "65536"'],
    ['127.0.11.2:0', 'error: invalid port "0"'],
    ['127.0.11.2 :80', 'error: invalid character in address'],
    ['host%x:80', 'error: invalid host "host%x"'],
  ];
  for (const [address, expected] of cases) {
    it(`${JSON.stringify(address)} → ${expected}`, () => assert.equal(summary(parseHostPort(address)), expected));
  }
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
    ['a b.com', 'invalid'], ['exa$mple.com', 'invalid'], ['ünicode.com', 'invalid'], ['１２７.0.0.1', 'invalid'],
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
