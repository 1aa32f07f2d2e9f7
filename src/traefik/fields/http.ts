// HTTP routers, services and servers transports (pkg/config/dynamic/http_config.go). Middlewares
// are in middlewares.ts, as in Traefik.

import { HttpMiddleware } from './middlewares.ts';
import { allowEmpty, bool, def, defaults, dur, field, ignore, int, internal, named, str, strMap, strs, sub, subs } from './table.ts';
import { Domain } from './tls.ts';

export const EmptyHealthCheck = def('HealthCheck');

const RouterTLS = def('RouterTLSConfig', str('options'), str('resolvedOptions', internal), str('certResolver'), subs('domains', Domain));
const ObservabilityMetadata = def(
  'ObservabilityMetadata',
  sub('ingress', def('KubernetesIngressMetadata', str('namespace'), str('ingressName'), str('serviceName'), str('servicePort')), internal),
);
const RouterObservability = defaults(
  def(
    'RouterObservabilityConfig',
    bool('accessLogs'),
    bool('metrics'),
    bool('tracing'),
    str('traceVerbosity'),
    sub('metadata', ObservabilityMetadata, internal),
  ),
  { traceVerbosity: 'minimal' },
);
const DeniedEncodedPathCharacters = def(
  'RouterDeniedEncodedPathCharacters',
  bool('allowEncodedSlash'),
  bool('allowEncodedBackSlash'),
  bool('allowEncodedNullCharacter'),
  bool('allowEncodedSemicolon'),
  bool('allowEncodedPercent'),
  bool('allowEncodedQuestionMark'),
  bool('allowEncodedHash'),
);

export const HttpRouter = def(
  'Router',
  strs('entryPoints'),
  strs('middlewares'),
  str('service'),
  str('rule'),
  strs('parentRefs', ignore),
  str('ruleSyntax'),
  int('priority'),
  sub('tls', RouterTLS, allowEmpty),
  sub('observability', RouterObservability),
  bool('defaultRule', internal),
  sub('deniedEncodedPathCharacters', DeniedEncodedPathCharacters, internal),
);

export const Model = def(
  'Model',
  strs('middlewares'),
  sub('tls', RouterTLS, allowEmpty),
  sub('observability', RouterObservability),
  sub('deniedEncodedPathCharacters', DeniedEncodedPathCharacters, internal),
  str('defaultRuleSyntax', internal),
);

const Cookie = defaults(
  def('Cookie', str('name'), bool('secure'), bool('httpOnly'), str('sameSite'), int('maxAge'), str('path'), str('domain'), int('expires', internal)),
  { path: '/' },
);
const Sticky = def('Sticky', sub('cookie', Cookie, allowEmpty));

export const HttpServer = def(
  'Server',
  str('url'),
  int('weight'),
  bool('preservePath'),
  bool('fenced', internal),
  str('scheme', { labelOnly: true, file: 'ignore' }),
  str('port', { labelOnly: true, file: 'ignore' }),
);

const ServerHealthCheck = defaults(def(
  'ServerHealthCheck',
  str('scheme'),
  str('mode'),
  str('path'),
  str('method'),
  int('status'),
  int('port'),
  dur('interval'),
  dur('unhealthyInterval'),
  dur('timeout'),
  str('hostname'),
  bool('followRedirects'),
  strMap('headers'),
), { followRedirects: 'true', mode: 'http', interval: '30s', timeout: '5s' });

const PassiveHealthCheck = defaults(def('PassiveServerHealthCheck', dur('failureWindow'), int('maxFailedAttempts')), {
  failureWindow: '10s',
  maxFailedAttempts: '1',
});

export const HttpLoadBalancer = defaults(def(
  'ServersLoadBalancer',
  sub('sticky', Sticky, allowEmpty),
  field('servers', { kind: 'structList', struct: HttpServer, singular: 'server' }),
  str('strategy'),
  sub('healthCheck', ServerHealthCheck),
  sub('passiveHealthCheck', PassiveHealthCheck),
  bool('passHostHeader'),
  sub('responseForwarding', defaults(def('ResponseForwarding', dur('flushInterval')), { flushInterval: '100ms' })),
  str('serversTransport'),
  str('nginxUpstreamHashBy', internal),
), { passHostHeader: 'true', strategy: 'wrr', responseForwarding: {} });

const WeightedService = def(
  'WRRService',
  str('name'),
  int('weight'),
  strMap('headers', internal),
  int('status', internal),
  sub('grpcStatus', def('GRPCStatus', int('code'), str('msg')), internal),
);
const Weighted = def(
  'WeightedRoundRobin',
  subs('services', WeightedService),
  sub('sticky', Sticky),
  sub('healthCheck', EmptyHealthCheck, allowEmpty),
);
const HighestRandomWeight = def(
  'HighestRandomWeight',
  subs('services', def('HRWService', str('name'), int('weight'))),
  sub('healthCheck', EmptyHealthCheck, allowEmpty),
);
const Mirroring = def(
  'Mirroring',
  str('service'),
  bool('mirrorBody'),
  int('maxBodySize'),
  subs('mirrors', def('MirrorService', str('name'), int('percent'))),
  sub('healthCheck', EmptyHealthCheck, allowEmpty),
);
const Failover = def(
  'Failover',
  str('service'),
  str('fallback'),
  sub('healthCheck', EmptyHealthCheck, allowEmpty),
  sub('errors', def('FailoverError', int('maxRequestBodyBytes'), strs('status'))),
);

// Weighted, mirroring, failover and HRW services carry `label:"-"` in Traefik: labels are checked
// for unknown fields but never fill them, so a label-only service of these kinds has no load
// balancer and Traefik skips the container ("load-balancer is not defined").
export const HttpService = def(
  'Service',
  strs('middlewares'),
  sub('loadBalancer', HttpLoadBalancer),
  sub('highestRandomWeight', HighestRandomWeight, ignore),
  sub('weighted', Weighted, ignore),
  sub('mirroring', Mirroring, ignore),
  sub('failover', Failover, ignore),
);

// Servers transports (HTTP and TCP) as the file provider takes them; labels only get them checked.
export const TransportCertificate = def('Certificate', str('certFile'), str('keyFile'));
export const PeerCertSAN = def('SAN', str('type'), str('value'));
export const Spiffe = def('Spiffe', strs('ids'), str('trustDomain'));
const ServersTransport = def(
  'ServersTransport',
  str('serverName'),
  bool('insecureSkipVerify'),
  strs('rootCAs'),
  subs('certificates', TransportCertificate),
  strs('cipherSuites'),
  str('minVersion'),
  str('maxVersion'),
  int('maxIdleConnsPerHost'),
  sub(
    'forwardingTimeouts',
    def(
      'ForwardingTimeouts',
      dur('dialTimeout'),
      dur('responseHeaderTimeout'),
      dur('idleConnTimeout'),
      dur('readIdleTimeout'),
      dur('pingTimeout'),
      dur('readTimeout', { file: 'ignore' }),
      dur('writeTimeout', { file: 'ignore' }),
    ),
  ),
  bool('disableHTTP2'),
  str('peerCertURI'),
  subs('peerCertSANs', PeerCertSAN),
  sub('spiffe', Spiffe, allowEmpty),
);

export const HttpConfiguration = def(
  'HTTPConfiguration',
  named('routers', HttpRouter),
  named('services', HttpService),
  named('middlewares', HttpMiddleware),
  named('models', Model),
  // Servers transports cannot come from labels (label:"-": checked, never set); a tenant can only
  // reference one.
  named('serversTransports', ServersTransport, ignore),
);
