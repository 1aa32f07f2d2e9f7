import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSnapshot } from '../model/snapshot.ts';
import type { ConfigObject } from '../traefik/config.ts';
import { coveredByWildcard, overCertificateQuota, planCertificates } from './certificates.ts';
import { DEFAULT_RENDER_OPTIONS } from './options.ts';
import type { RouterClaim } from './router-rules.ts';

const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' };
/** The plan as plain JSON (configuration objects have no prototype). */
const plan = (c: RouterClaim, o = options): unknown => JSON.parse(JSON.stringify(planCertificates(c, o)));

function claim(name: string, hosts: string[], tls: ConfigObject | undefined, created = 1, autoRoute = false): RouterClaim {
  const value: ConfigObject = { rule: hosts.map((h) => `Host(\`${h}\`)`).join(' || ') };
  if (tls) value['tls'] = tls;
  const origin = { name, created } as ContainerSnapshot;
  return { section: 'http.routers', name, resource: { value, origins: [origin], autoRoute }, hosts, entrypoints: ['websecure'], needsPort: false, whole: false };
}

test('the wildcard covers the base domain one label deep, as Traefik matches certificates', () => {
  assert.equal(coveredByWildcard('myapp-2816.example.com', 'example.com'), true);
  assert.equal(coveredByWildcard('*.example.com', 'example.com'), true);
  for (const name of ['example.com', 'a.b.example.com', 'badexample.com', 'x.example.com.evil.org', '*.b.example.com']) {
    assert.equal(coveredByWildcard(name, 'example.com'), false, name);
  }
});

test("routers on the operator's resolver share the wildcard; other names stay their own request", () => {
  const shared = plan(claim('api', ['api.example.com'], { certResolver: 'letsencrypt' }), options);
  assert.deepEqual(shared, { domains: [{ main: '*.example.com' }], own: [] });

  const mixed = plan(claim('mixed', ['m.example.com', 'www.shop.org', 'shop.org'], { certResolver: 'letsencrypt' }), options);
  assert.deepEqual(mixed, { domains: [{ main: '*.example.com' }, { main: 'www.shop.org', sans: ['shop.org'] }], own: ['shop.org,www.shop.org'] });

  const declared = plan(
    claim('www', ['www.example.com', 'a.b.example.com'], { certResolver: 'letsencrypt', domains: [{ main: 'www.example.com', sans: ['a.b.example.com'] }] }),
    options,
  );
  assert.deepEqual(declared, { domains: [{ main: '*.example.com' }, { main: 'a.b.example.com' }], own: ['a.b.example.com'] });

  assert.deepEqual(plan(claim('deep', ['a.b.example.com'], { certResolver: 'letsencrypt' }), options), { own: ['a.b.example.com'] });
  // An empty `tls.domains` means the rule's hosts, to Traefik as here.
  assert.deepEqual(plan(claim('empty', ['e.example.com'], { certResolver: 'letsencrypt', domains: [] })), { domains: [{ main: '*.example.com' }], own: [] });
});

test('no shared wildcard for another resolver, without DNS-01 (--no-wildcard-cert), or without a resolver', () => {
  const api = (tls: ConfigObject) => claim('api', ['api.example.com'], tls);
  assert.deepEqual(plan(api({ certResolver: 'le-http' }), options), { own: ['api.example.com'] });
  assert.deepEqual(plan(api({ certResolver: 'letsencrypt' }), { ...options, wildcardCert: false }), { own: ['api.example.com'] });
  assert.deepEqual(plan(api({}), options), { own: [] });
  assert.deepEqual(plan(claim('plain', ['api.example.com'], undefined), options), { own: [] });
});

test('the quota counts distinct certificates per daemon, oldest routers first; auto-routes do not count', () => {
  const le = { certResolver: 'letsencrypt' };
  const claims = [
    claim('news', ['news.org'], le, 30),
    claim('shop', ['shop.org', 'www.shop.org'], le, 10),
    claim('shop-admin', ['www.shop.org', 'shop.org'], le, 20),
    claim('blog', ['blog.org'], le, 25),
    claim('auto', ['x.org'], le, 1, true),
  ];
  const quota = (limit: number) => overCertificateQuota(claims, { ...options, baseDomain: undefined, maxCertsPerDaemon: limit });
  const over = quota(2);
  assert.deepEqual([...over.keys()].map((c) => c.name), ['news']);
  assert.match(over.get(claims[0] as RouterClaim) ?? '', /certificate for news\.org, but this daemon's routers already request 2/);
  assert.deepEqual([...quota(0).keys()].map((c) => c.name).sort(), ['blog', 'news', 'shop', 'shop-admin']);
});
