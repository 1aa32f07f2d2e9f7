// fast-check generators of tenants: containers whose labels are drawn from what tenants really
// write and from what a hostile tenant would (hosts in many spellings, shared names, foreign
// entrypoints and backends, template and YAML text). Small pools make collisions likely.

import fc from 'fast-check';
import type { ContainerSnapshot, DaemonSnapshot } from '../../src/model/snapshot.ts';

/** Runs per property: small in `npm test`, `FC_RUNS=5000` for a long run. */
export const RUNS = Number(process.env['FC_RUNS'] ?? 60);

export const NUMERIC_IDS = ['2816', '2880', '2944', '3008'];
export const NAMED_IDS = ['a', 'b', 'b-c', 'c-a', 'web'];

const HOSTS = ['shop.example.com', 'api.example.com', 'example.com', 'web-2816.example.com', 'blog-2880.example.com', 'x-a.example.com', 'a.b.example.com'];
// Names that mean something to JavaScript objects are only names to route-server.
const NAMES = ['web', 'api', 'a-b', 'b', 'c-a', 'web-2816', 'x', '__proto__', 'constructor', 'toString'];
const ENTRYPOINTS = ['websecure', 'web', 'websecure-v6', 'tcp-5432', 'tcp-10000', 'tcp-10001', 'TCP-5432', 'udp-53', 'udp-20000', 'traefik'];

/** A host as a tenant might spell it: any case, trailing dots, an escaped dot, spaces. */
const spelledHost = fc
  .tuple(fc.constantFrom(...HOSTS), fc.boolean(), fc.nat(2), fc.boolean(), fc.boolean())
  .map(([host, upper, dots, escaped, spaced]) => {
    let text = (upper ? host.toUpperCase() : host) + '.'.repeat(dots);
    if (escaped) text = text.replace('.', '%2E');
    return spaced ? ` ${text} ` : text;
  });

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('{{ env "X" }}', 'a\nb: c', 'x\u2028y', '~', '*a', '&b c', '<<', '2025-01-01', '\u0000', '}}{{'),
);

const name = fc.constantFrom(...NAMES);
const entrypoints = fc.subarray(ENTRYPOINTS, { maxLength: 2 }).map((eps) => eps.join(','));

const rule = fc.oneof(
  spelledHost.map((h) => `Host(\`${h}\`)`),
  fc.tuple(spelledHost, spelledHost).map(([a, b]) => `Host(\`${a}\`) || Host(\`${b}\`)`),
  spelledHost.map((h) => `Host(\`${h}\`) && PathPrefix(\`/x\`)`),
  spelledHost.map((h) => `Host(\`${h}\`) && !Host(\`shop.example.com\`)`),
  spelledHost.map((h) => `HostRegexp(\`${h}\`)`),
  fc.constantFrom('PathPrefix(`/`)', 'Host(`*`)', ''),
  text,
);

type Labels = Record<string, string>;
const entries = (prefix: string, fields: Record<string, string | undefined>): Labels =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [`${prefix}.${k}`, v as string]));

const piece: fc.Arbitrary<Labels> = fc.oneof(
  // What most tenants write: a router on a host, its service on the container's port.
  { weight: 6, arbitrary: fc.record({ n: name, host: spelledHost, eps: fc.option(fc.constantFrom('websecure', 'web')) }).map(({ n, host, eps }) => ({
    ...entries(`traefik.http.routers.${n}`, { rule: `Host(\`${host}\`)`, service: n, entrypoints: eps ?? undefined }),
    [`traefik.http.services.${n}.loadbalancer.server.port`]: '8080',
  })) },
  { weight: 5, arbitrary: fc
    .record({ n: name, rule, eps: fc.option(entrypoints), tls: fc.option(fc.constantFrom('true', 'letsencrypt')), service: fc.option(fc.constantFrom(...NAMES, 'api@internal')), mw: fc.option(name), domain: fc.option(spelledHost) })
    .map(({ n, rule, eps, tls, service, mw, domain }) =>
      entries(`traefik.http.routers.${n}`, {
        rule,
        entrypoints: eps ?? undefined,
        tls: tls === 'true' ? 'true' : undefined,
        'tls.certresolver': tls === 'letsencrypt' ? 'letsencrypt' : undefined,
        service: service ?? undefined,
        middlewares: mw ?? undefined,
        'tls.domains[0].main': domain ?? undefined,
      }),
    ) },
  { weight: 3, arbitrary: fc.record({ n: name, port: fc.constantFrom('8080', '8080', '8080', '8080', '80', '0', 'abc') }).map(({ n, port }) => entries(`traefik.http.services.${n}.loadbalancer.server`, { port })) },
  fc.record({ n: name, url: fc.constantFrom('http://127.0.11.66:80', 'http://127.0.11.3:80', 'http://169.254.169.254/', 'http://[::1]:7111') }).map(({ n, url }) => entries(`traefik.http.services.${n}.loadbalancer.server`, { url })),
  fc.record({ n: name, value: text }).map(({ n, value }) => entries(`traefik.http.middlewares.${n}.headers.customresponseheaders`, { 'X-A': value })),
  fc.record({ n: name, members: fc.subarray([...NAMES, 'api@internal'], { maxLength: 2 }) }).map(({ n, members }) => entries(`traefik.http.middlewares.${n}.chain`, { middlewares: members.join(',') })),
  fc.record({ n: name, path: fc.constantFrom('/etc/traefik/acme.json', 'users', '-----BEGIN X-----') }).map(({ n, path }) => entries(`traefik.http.middlewares.${n}.forwardauth`, { address: 'http://127.0.11.10:4181', 'tls.ca': path })),
  fc
    .record({ n: name, rule: fc.oneof(fc.constant('HostSNI(`*`)'), spelledHost.map((h) => `HostSNI(\`${h}\`)`)), eps: fc.option(entrypoints), tls: fc.boolean() })
    .map(({ n, rule, eps, tls }) => entries(`traefik.tcp.routers.${n}`, { rule, entrypoints: eps ?? undefined, tls: tls ? 'true' : undefined })),
  fc.record({ n: name, port: fc.constantFrom('5432', '0') }).map(({ n, port }) => entries(`traefik.tcp.services.${n}.loadbalancer.server`, { port })),
  fc.record({ n: name, eps: fc.option(entrypoints) }).map(({ n, eps }) => ({ ...entries(`traefik.udp.routers.${n}`, { entrypoints: eps ?? undefined }), [`traefik.udp.services.${n}.loadbalancer.server.port`]: '53' })),
  fc.record({ key: fc.constantFrom('traefik.http.routers.', 'traefik.tcp.', 'traefik.', 'traefik.http.middlewares.x.', 'traefik.tls.stores.default.'), tail: fc.string({ maxLength: 10 }), value: text }).map(({ key, tail, value }) => ({ [key + tail]: value })),
);

/** The first address of a numeric network's /26 service range, or a named daemon's stand-in. */
function serviceBase(id: string): [number, number, number, number] {
  const n = /^\d+$/.test(id) ? Number(id) : 2816;
  return [127, (n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function containerArb(daemonId: string, created: fc.Arbitrary<number | null>): fc.Arbitrary<Omit<ContainerSnapshot, 'name' | 'id'>> {
  const [a, b, c, d] = serviceBase(daemonId);
  const named = !/^\d+$/.test(daemonId);
  const ownIp = fc.integer({ min: 2, max: 62 }).map((k) => `${a}.${b}.${c}.${d + k}`);
  const ip = fc.oneof({ weight: 6, arbitrary: ownIp }, { weight: 1, arbitrary: fc.constantFrom('127.0.11.66', '10.0.0.1', 'x') });
  // Named daemons reach their containers on bridge networks; addresses may be shared to contest them.
  const network = named
    ? fc.oneof({ weight: 12, arbitrary: fc.constantFrom('172.20.0.5', '172.20.0.6', '10.1.0.2') }, { weight: 1, arbitrary: fc.constantFrom('127.0.0.1', '169.254.169.254') })
    : fc.option(fc.constantFrom('172.20.0.5', '127.0.0.1'), { freq: 12 });
  return fc
    .record({
      created,
      pieces: fc.array(piece, { minLength: 1, maxLength: 5 }),
      ip,
      auto: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('web', 'api', 'blog', 'shop') }),
      network,
      state: fc.constantFrom('running', 'running', 'running', 'running', 'running', 'running', 'exited'),
    })
    .map(({ created, pieces, ip, auto, network, state }) => {
      const labels: Labels = Object.assign(named ? {} : { 'rediacc.service_ip': ip }, ...pieces);
      if (auto !== null) labels['rediacc.service_name'] = auto;
      else labels['traefik.enable'] = 'true';
      const networks: Record<string, string> = network === null ? {} : { net: network };
      return { created, labels, state, health: null, ports: [{ port: 8080, protocol: 'tcp' as const }], networkMode: network === null ? 'host' : 'bridge', networks };
    });
}

/** A daemon's containers, with names unique in it (as Docker's are). */
export function daemonArb(id: string, created: fc.Arbitrary<number | null>, maxContainers = 4): fc.Arbitrary<DaemonSnapshot> {
  return fc.array(containerArb(id, created), { minLength: 1, maxLength: maxContainers }).map((containers) => ({
    id,
    socket: `/var/run/rediacc/docker-${id}.sock`,
    containers: containers.map((container, i) => ({ ...container, name: `c${i}`, id: `${id}-c${i}` })),
  }));
}

export const someAge = fc.option(fc.integer({ min: 1763000000, max: 1763000020 }), { nil: null, freq: 6 });

/** One to four daemons with distinct ids, numeric and named mixed. */
export const snapshotArb = fc
  .uniqueArray(fc.constantFrom(...NUMERIC_IDS, ...NAMED_IDS), { minLength: 1, maxLength: 4 })
  .chain((ids) => fc.tuple(...ids.map((id) => daemonArb(id, someAge))))
  .map((daemons) => ({ daemons }));

/** A deterministic shuffle (fast-check shrinks the seed like any other value). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
