// The world every hostile case is dropped into: an older victim daemon (2880) with HTTP, TCP and
// auto-routes, and on the attacker's daemon (2816) an older benign neighbour. The attacker is one
// newer container with a benign router `fine` beside whatever the case adds (router `evil` and
// friends). Rendering with and without the attacker tells exactly what the attacker changed.

import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { parseArgs } from '../../src/cli/parse-args.ts';
import { renderOptionsFrom } from '../../src/cli/render-config.ts';
import type { Diagnostic } from '../../src/model/diagnostics.ts';
import type { ContainerSnapshot, DaemonSnapshot, Snapshot } from '../../src/model/snapshot.ts';
import type { RenderOptions } from '../../src/render/options.ts';
import type { PortAllocation } from '../../src/render/ports.ts';
import { renderSnapshot, type RenderResult } from '../../src/render/render.ts';
import { serializeFragment } from '../../src/render/yaml.ts';
import { isConfigObject, toJsonValue, type ConfigObject } from '../../src/traefik/config.ts';
import { executeGoTemplate } from '../support/go-template.ts';

export const BASE_ARGS = ['--base-domain', 'example.com', '--udp-range', '20000-20010'];

export function renderOptions(extra: readonly string[] = []): RenderOptions {
  return renderOptionsFrom(parseArgs('render', [...BASE_ARGS, ...extra], { env: {}, readFile: () => '' }));
}

export function container(name: string, created: number | null, labels: Record<string, string>, extra: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
  return { id: `${name}-id`, name, created, labels, state: 'running', health: null, ports: [], networkMode: 'host', networks: {}, ...extra };
}

const http = (name: string, host: string, ip: string): Record<string, string> => ({
  'rediacc.service_ip': ip,
  'traefik.enable': 'true',
  [`traefik.http.routers.${name}.rule`]: `Host(\`${host}\`)`,
  [`traefik.http.services.${name}.loadbalancer.server.port`]: '8080',
});

/** Daemon 2880, older than everything on 2816: shop.example.com, a Postgres catch-all on tcp-5432, an allocated TCP port, an auto-route. */
export function victimDaemon(): DaemonSnapshot {
  return {
    id: '2880',
    socket: '/var/run/rediacc/docker-2880.sock',
    containers: [
      container('shop', 1763600000, {
        ...http('shop', 'shop.example.com', '127.0.11.66'),
        'traefik.http.routers.shop.tls.certresolver': 'letsencrypt',
        'traefik.http.routers.shop.middlewares': 'auth',
        'traefik.http.middlewares.auth.basicauth.users': 'admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/',
      }),
      container('pg', 1763600001, {
        'rediacc.service_ip': '127.0.11.67',
        'traefik.enable': 'true',
        'traefik.tcp.routers.pg.rule': 'HostSNI(`*`)',
        'traefik.tcp.routers.pg.entrypoints': 'tcp-5432',
        'traefik.tcp.services.pg.loadbalancer.server.port': '5432',
        'traefik.tcp.routers.cache.rule': 'HostSNI(`*`)',
        'traefik.tcp.routers.cache.service': 'pg',
      }),
      container('blog', 1763600002, { 'rediacc.service_name': 'blog', 'rediacc.service_ip': '127.0.11.68', 'rediacc.service_port': '8080' }),
    ],
  };
}

export const ATTACKER = 'attacker';

/** The attacker's labels before the case adds its own: a benign router `fine` on service `evil`. */
export function attackerBase(): Record<string, string> {
  return {
    'rediacc.service_ip': '127.0.11.9',
    'traefik.enable': 'true',
    'traefik.http.services.evil.loadbalancer.server.port': '8080',
    'traefik.http.routers.fine.rule': 'Host(`fine.example.com`)',
    'traefik.http.routers.fine.service': 'evil',
  };
}

export function attackerDaemon(attacker: readonly ContainerSnapshot[]): DaemonSnapshot {
  return {
    id: '2816',
    socket: '/var/run/rediacc/docker-2816.sock',
    containers: [container('neighbour', 1763650000, http('home', 'home.example.com', '127.0.11.2')), ...attacker],
  };
}

export interface Rendered {
  readonly result: RenderResult;
  /** Daemon id → fragment config, as JSON. */
  readonly fragments: ReadonlyMap<string, Record<string, any>>;
  /** Daemon id → the bytes route-server would write. */
  readonly files: ReadonlyMap<string, string>;
}

export function render(snapshot: Snapshot, options: RenderOptions, allocations: readonly PortAllocation[] = []): Rendered {
  const result = renderSnapshot(snapshot, options, { allocations, now: 0 });
  const fragments = new Map<string, Record<string, any>>();
  const files = new Map<string, string>();
  for (const fragment of result.fragments) {
    fragments.set(fragment.daemon, toJsonValue(fragment.config) as Record<string, any>);
    files.set(fragment.daemon, serializeFragment(fragment.config, { daemon: fragment.daemon, socket: fragment.socket, generator: 'route-server (hostile)' }));
  }
  return { result, fragments, files };
}

/** Each file through Go's template pass and a YAML parser is the configuration it was made from. */
export function assertReadsBack(rendered: Rendered): void {
  for (const fragment of rendered.result.fragments) {
    const text = rendered.files.get(fragment.daemon) as string;
    const parsed = parseYaml(executeGoTemplate(text), { intAsBigInt: true });
    assert.deepEqual(toJsonValue(parsed), wellFormed(toJsonValue(fragment.config)), `rs-${fragment.daemon}.yml reads back as its config`);
  }
}

/**
 * Docker's API is Go JSON, so a label never holds a lone surrogate; one put in a snapshot by hand
 * is written as U+FFFD, which is what Go would have read.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormed(v)]));
  return value;
}

/** Every resource of `before` (by section and name) is in `after`, unchanged. */
export function assertKeeps(before: Record<string, any> | undefined, after: Record<string, any> | undefined, what: string): void {
  for (const [top, sections] of Object.entries(before ?? {})) {
    for (const [section, resources] of Object.entries(sections as Record<string, unknown>)) {
      for (const [name, value] of Object.entries(resources as Record<string, unknown>)) {
        assert.deepEqual(after?.[top]?.[section]?.[name], value, `${what}: ${top}.${section}.${name} changed`);
      }
    }
  }
}

/** Names of every resource in a fragment, as `top.section.name`. */
export function resourceNames(fragment: Record<string, any> | undefined): string[] {
  const names: string[] = [];
  for (const [top, sections] of Object.entries(fragment ?? {})) {
    for (const [section, resources] of Object.entries(sections as Record<string, unknown>)) {
      for (const name of Object.keys(resources as Record<string, unknown>)) names.push(`${top}.${section}.${name}`);
    }
  }
  return names.sort();
}

/** Diagnostics that do not name `containerName`, as comparable strings. */
export function othersDiagnostics(diagnostics: readonly Diagnostic[], containerName: string): string[] {
  return diagnostics.filter((d) => d.container !== containerName).map((d) => JSON.stringify(d));
}

export function isObject(value: unknown): value is ConfigObject {
  return isConfigObject(value);
}
