// Hostile-input benchmark: shapes of labels that once made the render quadratic or crash it, each
// rendered and serialized as `run` does. Prints CPU time per shape and whether the render threw.
// Usage: node --import tsx scripts/bench-hostile.ts [size]   (size: routers/middlewares, default 4000)

import { performance } from 'node:perf_hooks';
import type { ContainerSnapshot, DaemonSnapshot, Snapshot } from '../src/model/snapshot.ts';
import { DEFAULT_RENDER_OPTIONS } from '../src/render/options.ts';
import { renderSnapshot } from '../src/render/render.ts';
import { serializeFragment } from '../src/render/yaml.ts';

const size = Number(process.argv[2] ?? 4000);
const options = { ...DEFAULT_RENDER_OPTIONS, baseDomain: 'example.com' };

function daemonId(d: number): string {
  return String(2816 + 64 * d);
}

function container(d: number, index: number, labels: Record<string, string>, created = 1_763_700_000 + index): ContainerSnapshot {
  const id = Number(daemonId(d));
  const ip = `127.${(id >> 16) & 255}.${(id >> 8) & 255}.${(id & 255) + 2}`;
  return {
    id: `${d.toString(16)}x${index.toString(16)}`.padEnd(64, 'a'),
    name: `c${index}`,
    created,
    labels: { 'traefik.enable': 'true', 'rediacc.service_ip': ip, 'rediacc.tcp_ports': '8080', ...labels },
    state: 'running',
    health: null,
    ports: [],
    networkMode: 'host',
    networks: { host: '' },
  };
}

function daemon(d: number, containers: ContainerSnapshot[]): DaemonSnapshot {
  return { id: daemonId(d), socket: `/var/run/rediacc/docker-${daemonId(d)}.sock`, containers };
}

/** One router per daemon, all on one host, each asking a certificate for a host nobody owns: every refusal hands the host to the next. */
function tlsDomainsChain(n: number): Snapshot {
  return {
    daemons: Array.from({ length: n }, (_, d) =>
      daemon(d, [
        container(d, d, {
          'traefik.http.routers.web.rule': 'Host(`shared.example.org`)',
          'traefik.http.routers.web.tls.domains[0].main': `cert-${d}.example.org`,
        }),
      ]),
    ),
  };
}

/** Middleware m{i} (container i) is a chain of m{i+1}; the last one is refused. */
function chainOfChains(n: number): Snapshot {
  const containers = Array.from({ length: n }, (_, i) =>
    container(0, i, {
      [`traefik.http.routers.r${i}.rule`]: `Host(\`r${i}.example.org\`)`,
      [`traefik.http.routers.r${i}.middlewares`]: `m${i}`,
      [`traefik.http.middlewares.m${i}.chain.middlewares`]: i === n - 1 ? 'api@internal' : `m${i + 1}`,
    }),
  );
  return { daemons: [daemon(0, containers), daemon(1, [container(1, 0, { 'traefik.http.routers.web.rule': 'Host(`ok.example.org`)' })])] };
}

/** A plugin label key `n` segments deep, next to a good tenant. */
function deepLabelKey(n: number): Snapshot {
  const key = `traefik.http.middlewares.p.plugin.x.${Array.from({ length: n }, (_, i) => `k${i}`).join('.')}`;
  return {
    daemons: [
      daemon(0, [container(0, 0, { 'traefik.http.routers.web.rule': 'Host(`app.example.org`)', [key]: 'v' })]),
      daemon(1, [container(1, 0, { 'traefik.http.routers.web.rule': 'Host(`ok.example.org`)' })]),
    ],
  };
}

/** `n` containers, each a router whose rule is a long `&&` chain or nested parentheses. */
function heavyRules(n: number): Snapshot {
  const nested = `${'('.repeat(90)}Host(\`x.example.org\`)${')'.repeat(90)}`;
  const chain = Array.from({ length: 900 }, () => 'Path(`/a`)').join(' && ');
  const containers = Array.from({ length: n }, (_, i) =>
    container(0, i, { [`traefik.http.routers.r${i}.rule`]: `Host(\`r${i}.example.org\`) && ${i % 2 ? nested : chain}` }),
  );
  return { daemons: [daemon(0, containers)] };
}

/** `n` replicas of one service: every replica adds a server to the same load balancer. */
function manyReplicas(n: number): Snapshot {
  return {
    daemons: [
      daemon(
        0,
        Array.from({ length: n }, (_, i) =>
          container(0, i, { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 's', 'traefik.http.routers.web.rule': 'Host(`app.example.org`)', 'rediacc.tcp_ports': String(1024 + i) }),
        ),
      ),
    ],
  };
}

/** `n` containers at the label limit, every label a router refused for its rule: each refusal names its label. */
function refusedRouters(n: number): Snapshot {
  const labels: Record<string, string> = {};
  for (let i = 0; i < 997; i++) labels[`traefik.http.routers.r${i}.rule`] = 'Nope(`x`)';
  return { daemons: [daemon(0, Array.from({ length: n }, (_, i) => container(0, i, labels)))] };
}

/** `n` containers, each a router whose short rule holds a regexp of ~24,000 instructions. */
function costlyRegexps(n: number): Snapshot {
  const pattern = Array.from({ length: 24 }, (_, i) => `${String.fromCharCode(97 + i)}{1000}`).join('');
  const containers = Array.from({ length: n }, (_, i) =>
    container(0, i, { [`traefik.http.routers.r${i}.rule`]: `Host(\`r${i}.example.org\`) && PathRegexp(\`^${pattern}$\`)` }),
  );
  return { daemons: [daemon(0, containers)] };
}

/** `n` containers sharing the network stack of a container listed last (`network_mode: container:…`). */
function sharedNetworkStacks(n: number): Snapshot {
  const hub = { ...container(0, n, {}), networkMode: 'bridge', networks: { bridge: '127.0.11.2' }, labels: {} };
  const containers = Array.from({ length: n }, (_, i) => {
    const base = container(0, i, { [`traefik.http.routers.r${i}.rule`]: `Host(\`r${i}.example.org\`)` });
    const { 'rediacc.service_ip': _ip, ...labels } = base.labels;
    return { ...base, labels, networkMode: `container:${hub.name}` };
  });
  return { daemons: [daemon(0, [...containers, hub])] };
}

const shapes: [string, () => Snapshot][] = [
  [`tls.domains chain, ${size} routers over ${size} daemons`, () => tlsDomainsChain(size)],
  [`chain of ${size} chain middlewares`, () => chainOfChains(size)],
  [`plugin label key ${size / 4} segments deep`, () => deepLabelKey(size / 4)],
  [`plugin label key ${size * 4} segments deep`, () => deepLabelKey(size * 4)],
  [`${size} routers with nested / long && rules`, () => heavyRules(size)],
  [`${size} replicas of one service`, () => manyReplicas(size)],
  [`${size / 40} containers of 997 refused routers each`, () => refusedRouters(size / 40)],
  [`${size / 40} routers with a 24,000-instruction regexp each`, () => costlyRegexps(size / 40)],
  [`${size} containers on one container's network stack`, () => sharedNetworkStacks(size)],
];

const only = process.argv[3];
for (const [name, make] of shapes) {
  if (only !== undefined && !name.includes(only)) continue;
  const snapshot = make();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let outcome: string;
  try {
    const result = renderSnapshot(snapshot, options, { allocations: [], now: 0 });
    for (const f of result.fragments) serializeFragment(f.config, { daemon: f.daemon, socket: f.socket, generator: 'bench' });
    outcome = `${result.fragments.length} fragments, ${result.diagnostics.length} diagnostics`;
  } catch (error) {
    outcome = `THREW ${error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 80)}` : String(error)}`;
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  console.log(`${name}: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${(wall / 1000).toFixed(2)} s wall — ${outcome}`);
}
