import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDynamicFile } from '../traefik/dynamic-file.ts';
import { claimsOfFile, type ClaimHolder } from './held-claims.ts';

const OPERATOR: ClaimHolder = { kind: 'operator', file: 'dashboard.yml' };

function claimsOf(name: string, text: string) {
  const parsed = parseDynamicFile(name, text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return claimsOfFile(parsed.config, OPERATOR);
}

describe('claims of an operator file', () => {
  it('takes the literal hosts of HTTP rules and HostSNI, and the entrypoints of catch-alls and UDP routers', () => {
    const { claims, notes } = claimsOf(
      'dashboard.yml',
      [
        'http:',
        '  routers:',
        '    dashboard:',
        '      rule: "Host(`Traefik.Example.com.`) && PathPrefix(`/api`) || Host(`ops.example.com`)"',
        '      entryPoints: [websecure]',
        'tcp:',
        '  routers:',
        '    pg: {rule: "HostSNI(`*`)", entryPoints: [tcp-10005]}',
        '    sni: {rule: "HostSNI(`db.example.com`)", entryPoints: [websecure], tls: {passthrough: true}}',
        'udp:',
        '  routers:',
        '    dns: {entryPoints: [udp-53]}',
      ].join('\n'),
    );
    assert.deepEqual(notes, []);
    assert.deepEqual(
      claims.map((c) => [c.section, c.router, c.hosts, c.entrypoints, c.whole]),
      [
        ['http.routers', 'dashboard', ['ops.example.com', 'traefik.example.com'], ['websecure'], false],
        ['tcp.routers', 'pg', [], ['tcp-10005'], true],
        ['tcp.routers', 'sni', ['db.example.com'], ['websecure'], false],
        ['udp.routers', 'dns', [], ['udp-53'], true],
      ],
    );
  });

  it('reads TOML, and field names in any case as Traefik decodes them', () => {
    const toml = claimsOf('status.TOML', '[HTTP.Routers.status]\nRULE = "Host(`status.example.com`)"\nentrypoints = ["web"]\n');
    assert.deepEqual(toml.claims.map((c) => [c.router, c.hosts, c.entrypoints]), [['status', ['status.example.com'], ['web']]]);
  });

  it('notes a templated rule instead of guessing its host, and reads the rest of the file', () => {
    const { claims, notes } = claimsOf(
      'app.yaml',
      'http:\n  routers:\n    env:\n      rule: "Host(`{{ env \\"HOST\\" }}`)"\n    fixed:\n      rule: "Host(`fixed.example.com`)"\n',
    );
    assert.deepEqual(claims.map((c) => c.hosts), [['fixed.example.com']]);
    assert.equal(notes.length, 1);
    assert.match(notes[0] as string, /^http\.routers\.env: templated/);
  });

  it('evaluates the literal actions route-server writes for `{{`, so a kept fragment reads as Traefik reads it', () => {
    const parsed = parseDynamicFile('rs-2816.yml', 'http:\n  routers:\n    web-2816:\n      rule: "Host(`a.example.com`) && Path(`/{{`{{`}}x`)"\n');
    assert.ok(parsed.ok);
    const { claims, notes } = claimsOfFile(parsed.config, { kind: 'kept', daemon: '2816', file: 'rs-2816.yml' });
    assert.deepEqual(notes, []);
    assert.deepEqual(claims.map((c) => c.hosts), [['a.example.com']]);
  });

  it('notes a rule Traefik would disable, and claims nothing for it', () => {
    const { claims, notes } = claimsOf('x.yml', 'http:\n  routers:\n    bad:\n      rule: "Host(`a.example.com`"\n');
    assert.deepEqual(claims, []);
    assert.match(notes[0] as string, /^http\.routers\.bad: its rule does not parse/);
  });

  it('reports a file that does not parse, saying when templates are the likely cause', () => {
    const yaml = parseDynamicFile('x.yml', 'http:\n  routers: [\n');
    assert.equal(yaml.ok, false);
    const templated = parseDynamicFile('x.yml', 'http:\n{{ range $i := until 3 }}\n  - {{ $i }}\n{{ end }}\n  routers: {}\n');
    assert.equal(templated.ok, false);
    assert.match(templated.ok ? '' : templated.error, /Go template actions/);
    assert.equal(parseDynamicFile('x.toml', 'a = ').ok, false);
  });

  it('claims nothing from a file without routers (an empty file, middlewares only)', () => {
    assert.deepEqual(claimsOf('empty.yml', '').claims, []);
    assert.deepEqual(claimsOf('mw.yml', 'http:\n  middlewares:\n    hsts: {headers: {stsSeconds: 1}}\n').claims, []);
  });
});
