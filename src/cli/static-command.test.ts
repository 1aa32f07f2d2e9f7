import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from './main.ts';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), readStdin: () => '' };
  const code = await main(argv, io, {});
  return { code, stdout, stderr };
}

const BASE = ['static', '--public-ipv4', '203.0.113.50'];

describe('route-server static: bad values exit 2 naming the value', () => {
  const cases: [string[], string][] = [
    [['--tcp-ports', '25,70000'], 'Expected `--tcp-ports` to be ports from 1 to 65535, got "70000"'],
    [['--udp-ports', 'dns'], 'Expected `--udp-ports` to be ports from 1 to 65535, got "dns"'],
    [['--tcp-ports', '25,587,25'], 'Expected `--tcp-ports` to name each port once, got 25 twice'],
    [['--tcp-ports', '443'], 'Expected `--tcp-ports` to leave out 80 and 443 (web and websecure listen there), got 443'],
    [['--public-ipv4', '2001:db8::1'], 'Expected `--public-ipv4` to be an IPv4 address like 203.0.113.50, got "2001:db8::1"'],
    [['--public-ipv4', '203.0.113'], 'Expected `--public-ipv4` to be an IPv4 address like 203.0.113.50, got "203.0.113"'],
    [['--public-ipv6', '203.0.113.50'], 'Expected `--public-ipv6` to be an IPv6 address like 2001:db8::1, got "203.0.113.50"'],
    [['--public-ipv6', '::ffff:203.0.113.50'], 'Expected `--public-ipv6` to be an IPv6 address like 2001:db8::1, got "::ffff:203.0.113.50"'],
    [['--edge'], 'Expected --fleet-redis URL with --edge: the edge reads the fleet from that Redis'],
    [['--edge', '--fleet-redis', 'http://redis'], 'Expected `--fleet-redis` to be redis://[user:password@]host:port[/db], rediss://… (TLS) or redis-sentinel://host:port,host:port/master[/db], got "http://redis"'],
    [['--edge', '--fleet-redis', 'redis://redis', '--fleet-root-key', '/traefik'], 'Expected `--fleet-root-key` to be one path segment (letters, digits, . _ -, no leading or inner /), got "/traefik"'],
    [['--cert-email', 'admin.example.com'], 'Expected `--cert-email` to be an e-mail address like admin@example.com, got "admin.example.com"'],
    [['--delivery', 'ftp'], 'Expected `--delivery` to be file or http, got "ftp"'],
    [['--out-dir', 'dynamic'], 'Expected `--out-dir` to be an absolute path (Traefik resolves it from its own working directory), got "dynamic"'],
  ];
  for (const [extra, message] of cases) {
    it(`${extra.join(' ')}`, async () => {
      const { code, stdout, stderr } = await run([...BASE, ...extra]);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.equal(stderr, `route-server static: ${message}\n`);
    });
  }

  it('needs --public-ipv4', async () => {
    const { code, stderr } = await run(['static', '--cert-email', 'a@example.com']);
    assert.equal(code, 2);
    assert.equal(stderr, 'route-server static: Expected --public-ipv4 ADDRESS: websecure, web and the TCP/UDP entrypoints listen on it\n');
  });

  it('the same bad infra value stops run before it starts', async () => {
    const { code, stderr } = await run(['run', '--public-ipv4', '203.0.113.50', '--tcp-ports', '70000']);
    assert.equal(code, 2);
    assert.equal(stderr, 'route-server run: Expected `--tcp-ports` to be ports from 1 to 65535, got "70000"\n');
  });
});
