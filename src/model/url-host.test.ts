// Which host and port Go would dial for a server URL or a host:port address (url-host.ts).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { parseHostPort, parseServerUrl } from './url-host.ts';

/** What a caller sees of a parsed target: the dialled IP (canonical) or name, and the port. */
function summary(parsed: ReturnType<typeof parseServerUrl> | ReturnType<typeof parseHostPort>): string {
  if (typeof parsed === 'string') return `error: ${parsed}`;
  const target = parsed.hostKind === 'ip' ? `ip ${parsed.ip}` : `name ${parsed.name}`;
  return 'scheme' in parsed ? `${parsed.scheme} ${target} port ${parsed.port}` : `${target} port ${parsed.port}`;
}

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

