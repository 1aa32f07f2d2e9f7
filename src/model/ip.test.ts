// How IP spellings parse (ip.ts): every IPv4 form inet_aton or a URL parser accepts, IPv6 in
// RFC 5952 form, and the IPv6 forms that carry an IPv4 target.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { embeddedIpv4, parseIp } from './ip.ts';

function ip(text: string) {
  const parsed = parseIp(text);
  assert.ok(parsed, `test setup: ${text} should parse`);
  return parsed;
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

