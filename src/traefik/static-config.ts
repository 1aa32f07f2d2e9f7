// Traefik's static configuration for one host (`route-server static`), as the original product's
// `push-infra` set it up. Pure: settings in, a plain object out (the caller serializes it).
//
// Every entrypoint listens on the public address, never on all addresses: tenants' containers use
// host networking and bind loopback addresses on the same ports (Postgres on 127.0.11.3:5432 while
// Traefik forwards the public 5432 to it), and Linux refuses such a bind while a wildcard listener
// holds the port. So `web` and `websecure` have IPv6 twins (`web-v6`, `websecure-v6`) instead of a
// dual-stack `:80`/`:443`, and TCP/UDP entrypoints (one address each) listen on the IPv4 address.

import {
  hostEntrypoints,
  tcpPortsOf,
  udpPortsOf,
  type InfraEntrypointSettings,
} from '../render/host-entrypoints.ts';

export type Delivery = 'file' | 'http';

export interface StaticSettings extends Omit<InfraEntrypointSettings, 'ipv6'> {
  /** Canonical text of the public addresses. */
  readonly publicIpv4: string;
  readonly publicIpv6: string | undefined;
  readonly baseDomain: string | undefined;
  readonly certEmail: string | undefined;
  /** The file provider's directory, as Traefik sees it. */
  readonly outDir: string;
  readonly delivery: Delivery;
  /** route-server's side server (`--listen`), for the HTTP provider. */
  readonly listen: { readonly host: string; readonly port: number };
}

export const CERT_RESOLVER = 'letsencrypt';
export const ACME_STORAGE = '/etc/traefik/acme.json';
/** The original product's Traefik polled route-server every 5 seconds. */
export const HTTP_POLL_INTERVAL = '5s';

type StaticObject = { [key: string]: StaticValue };
type StaticValue = string | boolean | StaticValue[] | StaticObject;

export function buildStaticConfig(settings: StaticSettings): StaticObject {
  const v4 = settings.publicIpv4;
  const v6 = settings.publicIpv6 === undefined ? undefined : `[${settings.publicIpv6}]`;
  const entryPoints: StaticObject = {
    web: redirecting(`${v4}:80`, 'websecure'),
    websecure: secure(`${v4}:443`, settings.baseDomain),
  };
  if (v6 !== undefined) {
    entryPoints['web-v6'] = redirecting(`${v6}:80`, 'websecure-v6');
    entryPoints['websecure-v6'] = secure(`${v6}:443`, settings.baseDomain);
  }
  const infra = { ...settings, ipv6: v6 !== undefined };
  for (const port of tcpPortsOf(infra)) entryPoints[`tcp-${port}`] = { address: `${v4}:${port}` };
  // Traefik's address syntax names the protocol after the port: `:53/udp`.
  for (const port of udpPortsOf(infra)) entryPoints[`udp-${port}`] = { address: `${v4}:${port}/udp` };
  if (Object.keys(entryPoints).length !== hostEntrypoints(infra).names.length) {
    throw new Error('static: the entrypoints written differ from those `run` checks routers against (a bug in route-server)');
  }

  const acme: StaticObject = {
    storage: ACME_STORAGE,
    // The token is Traefik's environment variable CF_DNS_API_TOKEN, never part of this file.
    dnsChallenge: { provider: 'cloudflare' },
  };
  if (settings.certEmail !== undefined) acme['email'] = settings.certEmail;

  const providers: StaticObject =
    settings.delivery === 'file'
      ? { file: { directory: settings.outDir, watch: true } }
      : { http: { endpoint: `http://${hostPort(settings.listen)}/traefik.yml`, pollInterval: HTTP_POLL_INTERVAL } };

  return { entryPoints, certificatesResolvers: { [CERT_RESOLVER]: { acme } }, providers };
}

function redirecting(address: string, to: string): StaticObject {
  return { address, http: { redirections: { entryPoint: { to, scheme: 'https', permanent: true } } } };
}

/**
 * HTTPS by default for every router on it; with a base domain, one wildcard certificate
 * (DNS-01 allows it) covers the routers that do not ask for their own.
 */
function secure(address: string, baseDomain: string | undefined): StaticObject {
  const tls: StaticObject = { certResolver: CERT_RESOLVER };
  if (baseDomain !== undefined) tls['domains'] = [{ main: baseDomain, sans: [`*.${baseDomain}`] }];
  return { address, http: { tls } };
}

function hostPort(listen: { readonly host: string; readonly port: number }): string {
  return listen.host.includes(':') ? `[${listen.host}]:${listen.port}` : `${listen.host}:${listen.port}`;
}
