// The root of dynamic configuration (pkg/config/dynamic/config.go), the sections a tenant's
// resources live in, each with its struct, and the Docker provider's own labels.

import { HttpConfiguration, HttpRouter, HttpService, Model } from './http.ts';
import { HttpMiddleware } from './middlewares.ts';
import { bool, def, str, sub, type StructDef } from './table.ts';
import { TcpConfiguration, TcpMiddleware, TcpRouter, TcpService } from './tcp.ts';
import { TlsConfiguration, TlsStore } from './tls.ts';
import { UdpConfiguration, UdpRouter, UdpService } from './udp.ts';

/** The root of dynamic configuration as labels reach it (`traefik.<http|tcp|udp|tls>…`). */
export const Configuration = def(
  'Configuration',
  sub('http', HttpConfiguration),
  sub('tcp', TcpConfiguration),
  sub('udp', UdpConfiguration),
  sub('tls', TlsConfiguration),
);

/**
 * The Docker provider's own labels (`traefik.enable`, `traefik.docker.*`; shared_labels.go),
 * decoded by the same decoder: a bad value there also skips the container.
 */
export const DockerLabels = def(
  'labelConfiguration',
  bool('enable'),
  sub('docker', def('dockerSpecificConfiguration', str('network'), bool('lbSwarm'), bool('allowNonRunning'))),
  sub('swarm', def('specificConfiguration', str('network'), bool('lbSwarm'))),
);

/** Every section a tenant's resources live in (`<protocol>.<kind>`), with the struct of one resource. */
export const SECTION_STRUCTS = {
  'http.routers': HttpRouter,
  'http.services': HttpService,
  'http.middlewares': HttpMiddleware,
  'http.models': Model,
  'tcp.routers': TcpRouter,
  'tcp.services': TcpService,
  'tcp.middlewares': TcpMiddleware,
  'udp.routers': UdpRouter,
  'udp.services': UdpService,
  'tls.stores': TlsStore,
} as const satisfies Record<string, StructDef>;
