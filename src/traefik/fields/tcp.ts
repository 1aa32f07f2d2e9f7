// TCP routers, services, servers transports (pkg/config/dynamic/tcp_config.go) and TCP middlewares
// (tcp_middlewares.go).

import { EmptyHealthCheck, PeerCertSAN, Spiffe, TransportCertificate } from './http.ts';
import { allowEmpty, bool, def, defaults, dur, field, ignore, int, internal, named, str, strs, sub, subs } from './table.ts';
import { Domain } from './tls.ts';

const RouterTcpTLS = def(
  'RouterTCPTLSConfig',
  bool('passthrough'),
  str('options'),
  str('certResolver'),
  subs('domains', Domain),
);

export const TcpRouter = def(
  'TCPRouter',
  strs('entryPoints'),
  strs('middlewares'),
  str('service'),
  str('rule'),
  str('ruleSyntax'),
  int('priority'),
  sub('tls', RouterTcpTLS, allowEmpty),
);

export const TcpServer = def(
  'TCPServer',
  str('address', ignore),
  str('port', { labelOnly: true }),
  bool('tls'),
);

export const TcpLoadBalancer = def(
  'TCPServersLoadBalancer',
  field('servers', { kind: 'structList', struct: TcpServer, singular: 'server' }),
  str('serversTransport'),
  sub('proxyProtocol', defaults(def('ProxyProtocol', int('version')), { version: '2' }), allowEmpty),
  int('terminationDelay'),
  sub(
    'healthCheck',
    defaults(
      def('TCPServerHealthCheck', int('port'), str('send'), str('expect'), dur('interval'), dur('unhealthyInterval'), dur('timeout')),
      { interval: '30s', timeout: '5s' },
    ),
    allowEmpty,
  ),
);

export const TcpService = def(
  'TCPService',
  sub('loadBalancer', TcpLoadBalancer),
  sub(
    'weighted',
    def('TCPWeightedRoundRobin', subs('services', def('TCPWRRService', str('name'), int('weight'))), sub('healthCheck', EmptyHealthCheck, allowEmpty)),
    ignore,
  ),
);

export const TcpMiddleware = def(
  'TCPMiddleware',
  sub('inFlightConn', def('TCPInFlightConn', int('amount'))),
  sub('ipWhiteList', def('TCPIPWhiteList', strs('sourceRange'))),
  sub('ipAllowList', def('TCPIPAllowList', strs('sourceRange'))),
);

const TcpServersTransport = def(
  'TCPServersTransport',
  dur('dialKeepAlive'),
  dur('dialTimeout'),
  sub('proxyProtocol', def('ProxyProtocol', int('version')), allowEmpty),
  dur('terminationDelay'),
  sub(
    'tls',
    def(
      'TLSClientConfig',
      str('serverName'),
      bool('insecureSkipVerify'),
      strs('rootCAs'),
      subs('certificates', TransportCertificate),
      str('peerCertURI'),
      subs('peerCertSANs', PeerCertSAN),
      sub('spiffe', Spiffe, allowEmpty),
    ),
    allowEmpty,
  ),
);

export const TcpConfiguration = def(
  'TCPConfiguration',
  named('routers', TcpRouter),
  named('services', TcpService),
  named('middlewares', TcpMiddleware),
  named('models', def('TCPModel', str('defaultRuleSyntax', internal)), internal),
  named('serversTransports', TcpServersTransport, ignore),
);
