// One typed table of Traefik v3's dynamic configuration (pkg/config/dynamic, pkg/tls, pkg/types at
// v3.7): every struct, every field, its canonical (camelCase) name and how labels treat it. The label
// decoder, the output validator and the reference rewriter all read this table, so a field is known
// in exactly one place.

/** Scalar kinds as Traefik's label filler parses them (paerser parser/element_fill.go). */
export type ScalarKind = 'string' | 'bool' | 'int' | 'duration';

export type FieldType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  /** Slice of scalars: a comma list in labels. */
  | { readonly kind: 'list'; readonly scalar: ScalarKind }
  /** map[string]V with V a scalar or a struct; keys keep their case. */
  | { readonly kind: 'map'; readonly value: FieldType }
  | { readonly kind: 'struct'; readonly struct: StructDef }
  /** Slice of structs: indexed in labels (`domains[0].main`), or singular (`server.port`) when `singular` is set. */
  | { readonly kind: 'structList'; readonly struct: StructDef; readonly singular?: string }
  /** map[string]any: plugin configuration, decoded as nested string maps and lists. */
  | { readonly kind: 'raw' }
  /**
   * A Go type the label decoder cannot descend into (`*http.Header`, a pointer to a map): a bare
   * label is accepted, a child is an error (`invalid node <name>: ptr`).
   */
  | { readonly kind: 'opaque'; readonly goKind: string };

/**
 * How the `label` (and `file`) struct tags treat a field:
 * - `allowEmpty`: a struct/map that may be given without children (`tls=true`, `tls: {}`);
 *   in labels, a value other than "true" disables it.
 * - `ignore`: decoded for validation only (unknown children are still errors), never filled.
 */
export type TagMode = 'normal' | 'allowEmpty' | 'ignore';

export interface FieldDef {
  /** Canonical name, as Traefik writes it (json/yaml tag). */
  readonly name: string;
  /** Lower-case name labels are matched against (Go field name, or the singular slice name). */
  readonly match: string;
  readonly type: FieldType;
  readonly label: TagMode;
  readonly file: TagMode;
  /** Label-only fields (server.port, server.scheme) that the provider consumes; never written. */
  readonly labelOnly: boolean;
}

export interface StructDef {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  /**
   * What Traefik's SetDefaults puts in a struct when a label creates it: scalar text as a label
   * would write it, a list, or `{}` for a sub-struct created with its own defaults. Never written
   * to files (Traefik applies them again); used to compare replicas as Traefik does.
   */
  readonly defaults?: Readonly<Record<string, string | readonly string[] | Record<string, never>>>;
}

interface FieldOptions {
  readonly label?: TagMode;
  readonly file?: TagMode;
  readonly labelOnly?: boolean;
}

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const label = options.label ?? 'normal';
  return {
    name,
    match: name.toLowerCase(),
    type,
    label,
    file: options.file ?? (label === 'ignore' ? 'normal' : label),
    labelOnly: options.labelOnly ?? false,
  };
}

const scalar = (kind: ScalarKind): FieldType => ({ kind: 'scalar', scalar: kind });
const str = (name: string, o?: FieldOptions) => field(name, scalar('string'), o);
const bool = (name: string, o?: FieldOptions) => field(name, scalar('bool'), o);
const int = (name: string, o?: FieldOptions) => field(name, scalar('int'), o);
const dur = (name: string, o?: FieldOptions) => field(name, scalar('duration'), o);
const strs = (name: string, o?: FieldOptions) => field(name, { kind: 'list', scalar: 'string' }, o);
const strMap = (name: string, o?: FieldOptions) => field(name, { kind: 'map', value: scalar('string') }, o);
const sub = (name: string, struct: StructDef, o?: FieldOptions) => field(name, { kind: 'struct', struct }, o);
const subs = (name: string, struct: StructDef, o?: FieldOptions) => field(name, { kind: 'structList', struct }, o);
const named = (name: string, struct: StructDef, o?: FieldOptions) =>
  field(name, { kind: 'map', value: { kind: 'struct', struct } }, o);
const def = (name: string, ...fields: FieldDef[]): StructDef => ({ name, fields });
const defaults = (struct: StructDef, values: NonNullable<StructDef['defaults']>): StructDef => ({ ...struct, defaults: values });

const ignore: FieldOptions = { label: 'ignore' };
/** `label:"-" file:"-"`: set only by Traefik itself or by other providers (Kubernetes, ingress-nginx). */
const internal: FieldOptions = { label: 'ignore', file: 'ignore' };
const allowEmpty: FieldOptions = { label: 'allowEmpty' };

// ---- shared pieces -------------------------------------------------------------------------

const Domain = def('Domain', str('main'), strs('sans'));
const EmptyHealthCheck = def('HealthCheck');
const ClientTLS = def('ClientTLS', str('ca'), str('cert'), str('key'), bool('insecureSkipVerify'), bool('caOptional'));
const TypesClientTLS = def('types.ClientTLS', str('ca'), str('cert'), str('key'), bool('insecureSkipVerify'));
const IPStrategy = def('IPStrategy', int('depth'), strs('excludedIPs'), int('ipv6Subnet'));
const SourceCriterion = def(
  'SourceCriterion',
  sub('ipStrategy', IPStrategy),
  str('requestHeaderName'),
  bool('requestHost'),
);

// ---- HTTP ----------------------------------------------------------------------------------

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

const HeaderModifier = def('HeaderModifier', strMap('set'), strMap('add'), strs('remove'));
const CertificateSubject = def(
  'TLSClientCertificateSubjectDNInfo',
  bool('country'),
  bool('province'),
  bool('locality'),
  bool('organization'),
  bool('organizationalUnit'),
  bool('commonName'),
  bool('serialNumber'),
  bool('domainComponent'),
);
const CertificateIssuer = def(
  'TLSClientCertificateIssuerDNInfo',
  bool('country'),
  bool('province'),
  bool('locality'),
  bool('organization'),
  bool('commonName'),
  bool('serialNumber'),
  bool('domainComponent'),
);

export const HttpMiddleware = def(
  'Middleware',
  sub('addPrefix', def('AddPrefix', str('prefix'))),
  sub('stripPrefix', def('StripPrefix', strs('prefixes'), bool('forceSlash'))),
  sub('stripPrefixRegex', def('StripPrefixRegex', strs('regex'))),
  sub('replacePath', def('ReplacePath', str('path'))),
  sub('replacePathRegex', def('ReplacePathRegex', str('regex'), str('replacement'))),
  sub('chain', def('Chain', strs('middlewares'))),
  sub('ipWhiteList', def('IPWhiteList', strs('sourceRange'), sub('ipStrategy', IPStrategy, allowEmpty))),
  sub(
    'ipAllowList',
    def('IPAllowList', strs('sourceRange'), sub('ipStrategy', IPStrategy, allowEmpty), int('rejectStatusCode')),
  ),
  sub(
    'headers',
    def(
      'Headers',
      strMap('customRequestHeaders'),
      strMap('customResponseHeaders'),
      bool('accessControlAllowCredentials'),
      strs('accessControlAllowHeaders'),
      strs('accessControlAllowMethods'),
      strs('accessControlAllowOriginList'),
      strs('accessControlAllowOriginListRegex'),
      strs('accessControlExposeHeaders'),
      int('accessControlMaxAge'),
      bool('addVaryHeader'),
      strs('allowedHosts'),
      strs('hostsProxyHeaders'),
      strMap('sslProxyHeaders'),
      int('stsSeconds'),
      bool('stsIncludeSubdomains'),
      bool('stsPreload'),
      bool('forceSTSHeader'),
      bool('frameDeny'),
      str('customFrameOptionsValue'),
      bool('contentTypeNosniff'),
      bool('browserXssFilter'),
      str('customBrowserXSSValue'),
      str('contentSecurityPolicy'),
      str('contentSecurityPolicyReportOnly'),
      str('publicKey'),
      str('referrerPolicy'),
      str('permissionsPolicy'),
      bool('isDevelopment'),
      str('featurePolicy'),
      bool('sslRedirect'),
      bool('sslTemporaryRedirect'),
      str('sslHost'),
      bool('sslForceHost'),
    ),
  ),
  sub(
    'encodedCharacters',
    def(
      'EncodedCharacters',
      bool('allowEncodedSlash'),
      bool('allowEncodedBackSlash'),
      bool('allowEncodedNullCharacter'),
      bool('allowEncodedSemicolon'),
      bool('allowEncodedPercent'),
      bool('allowEncodedQuestionMark'),
      bool('allowEncodedHash'),
    ),
  ),
  sub(
    'errors',
    def(
      'ErrorPage',
      strs('status'),
      field('statusRewrites', { kind: 'map', value: scalar('int') }),
      str('service'),
      str('query'),
      strs('errorRequestHeaders'),
      // `*http.Header`: ingress-nginx only; labels cannot reach inside it, so Traefik refuses them.
      field('nginxHeaders', { kind: 'opaque', goKind: 'ptr' }, internal),
    ),
  ),
  sub(
    'rateLimit',
    defaults(def(
      'RateLimit',
      int('average'),
      dur('period'),
      int('burst'),
      sub('sourceCriterion', SourceCriterion),
      sub(
        'redis',
        defaults(def(
          'Redis',
          strs('endpoints'),
          sub('tls', TypesClientTLS),
          str('username'),
          str('password'),
          int('db'),
          int('poolSize'),
          int('minIdleConns'),
          int('maxActiveConns'),
          dur('readTimeout'),
          dur('writeTimeout'),
          dur('dialTimeout'),
        ), { endpoints: ['localhost:6379'], readTimeout: '3s', writeTimeout: '3s', dialTimeout: '5s' }),
      ),
    ), { burst: '1', period: '1s' }),
  ),
  sub(
    'redirectRegex',
    def('RedirectRegex', str('regex'), str('replacement'), bool('permanent'), int('statusCode', ignore)),
  ),
  sub(
    'redirectScheme',
    def('RedirectScheme', str('scheme'), str('port'), bool('permanent'), bool('forcePermanentRedirect', ignore)),
  ),
  sub(
    'basicAuth',
    def('BasicAuth', strs('users'), str('usersFile'), str('realm'), bool('removeHeader'), str('headerField')),
  ),
  sub(
    'digestAuth',
    def('DigestAuth', strs('users'), str('usersFile'), bool('removeHeader'), str('realm'), str('headerField')),
  ),
  sub(
    'forwardAuth',
    defaults(def(
      'ForwardAuth',
      str('address'),
      sub('tls', ClientTLS),
      bool('trustForwardHeader'),
      strs('authResponseHeaders'),
      str('authResponseHeadersRegex'),
      strs('authRequestHeaders'),
      int('maxResponseBodySize'),
      strs('addAuthCookiesToResponse'),
      str('headerField'),
      bool('forwardBody'),
      int('maxBodySize'),
      bool('preserveLocationHeader'),
      bool('preserveRequestMethod'),
      str('authSigninURL'),
    ), { maxBodySize: '-1' }),
  ),
  sub('inFlightReq', def('InFlightReq', int('amount'), sub('sourceCriterion', SourceCriterion))),
  sub(
    'buffering',
    def(
      'Buffering',
      int('maxRequestBodyBytes'),
      int('memRequestBodyBytes'),
      int('maxResponseBodyBytes'),
      int('memResponseBodyBytes'),
      str('retryExpression'),
      bool('disableRequestBuffer', internal),
      bool('disableResponseBuffer', internal),
    ),
  ),
  sub(
    'circuitBreaker',
    defaults(
      def('CircuitBreaker', str('expression'), dur('checkPeriod'), dur('fallbackDuration'), dur('recoveryDuration'), int('responseCode')),
      { checkPeriod: '100ms', fallbackDuration: '10s', recoveryDuration: '10s', responseCode: '503' },
    ),
  ),
  sub(
    'compress',
    defaults(
      def('Compress', strs('excludedContentTypes'), strs('includedContentTypes'), int('minResponseBodyBytes'), strs('encodings'), str('defaultEncoding')),
      { encodings: ['gzip', 'br', 'zstd'] },
    ),
    allowEmpty,
  ),
  sub(
    'passTLSClientCert',
    def(
      'PassTLSClientCert',
      bool('pem'),
      sub(
        'info',
        def(
          'TLSClientCertificateInfo',
          bool('notAfter'),
          bool('notBefore'),
          bool('sans'),
          bool('serialNumber'),
          sub('subject', CertificateSubject),
          sub('issuer', CertificateIssuer),
        ),
      ),
    ),
  ),
  sub(
    'retry',
    defaults(def(
      'Retry',
      int('attempts'),
      dur('timeout'),
      dur('initialInterval'),
      int('maxRequestBodyBytes'),
      strs('status'),
      bool('disableRetryOnNetworkError'),
      bool('retryNonIdempotentMethod'),
    ), { maxRequestBodyBytes: '2097152' }),
  ),
  sub('contentType', def('ContentType', bool('autoDetect')), allowEmpty),
  sub('grpcWeb', def('GrpcWeb', strs('allowOrigins'))),
  field('plugin', { kind: 'map', value: { kind: 'raw' } }),
  // Kubernetes Gateway/ingress-nginx translations: not configurable from labels or files.
  sub('requestHeaderModifier', HeaderModifier, { label: 'ignore', file: 'ignore' }),
  sub('responseHeaderModifier', HeaderModifier, { label: 'ignore', file: 'ignore' }),
  sub(
    'requestRedirect',
    def('RequestRedirect', str('scheme'), str('hostname'), str('port'), str('path'), str('pathPrefix'), int('statusCode')),
    { label: 'ignore', file: 'ignore' },
  ),
  sub('URLRewrite', def('URLRewrite', str('hostname'), str('path'), str('pathPrefix')), {
    label: 'ignore',
    file: 'ignore',
  }),
  sub('authTLSPassCertificateToUpstream', def('AuthTLSPassCertificateToUpstream', str('clientAuthType'), strs('caFiles')), {
    label: 'ignore',
    file: 'ignore',
  }),
  sub(
    'snippet',
    def(
      'Snippet',
      str('serverSnippet'),
      str('configurationSnippet'),
      sub('auth', def('Auth', str('address'), str('method'), str('snippet'), strs('authResponseHeaders'), str('authSigninURL'))),
    ),
    { label: 'ignore', file: 'ignore' },
  ),
  sub('rewriteTarget', def('RewriteTarget', str('regex'), str('replacement'), str('xForwardedPrefix')), {
    label: 'ignore',
    file: 'ignore',
  }),
  sub('upstreamVHost', def('UpstreamVHost', str('vHost'), strMap('vars')), { label: 'ignore', file: 'ignore' }),
  sub('appRoot', def('AppRoot', str('path')), { label: 'ignore', file: 'ignore' }),
);

// Servers transports (HTTP and TCP) as the file provider takes them; labels only get them checked.
const TransportCertificate = def('Certificate', str('certFile'), str('keyFile'));
const PeerCertSAN = def('SAN', str('type'), str('value'));
const Spiffe = def('Spiffe', strs('ids'), str('trustDomain'));
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

const HttpConfiguration = def(
  'HTTPConfiguration',
  named('routers', HttpRouter),
  named('services', HttpService),
  named('middlewares', HttpMiddleware),
  named('models', Model),
  // Servers transports cannot come from labels (label:"-": checked, never set); a tenant can only
  // reference one.
  named('serversTransports', ServersTransport, ignore),
);

// ---- TCP -----------------------------------------------------------------------------------

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

const TcpConfiguration = def(
  'TCPConfiguration',
  named('routers', TcpRouter),
  named('services', TcpService),
  named('middlewares', TcpMiddleware),
  named('models', def('TCPModel', str('defaultRuleSyntax', internal)), internal),
  named('serversTransports', TcpServersTransport, ignore),
);

// ---- UDP -----------------------------------------------------------------------------------

export const UdpRouter = def('UDPRouter', strs('entryPoints'), str('service'));
export const UdpServer = def('UDPServer', str('address', ignore), str('port', { labelOnly: true, file: 'ignore' }));
export const UdpService = def(
  'UDPService',
  sub('loadBalancer', def('UDPServersLoadBalancer', field('servers', { kind: 'structList', struct: UdpServer, singular: 'server' }))),
  sub('weighted', def('UDPWeightedRoundRobin', subs('services', def('UDPWRRService', str('name'), int('weight')))), ignore),
);

const UdpConfiguration = def('UDPConfiguration', named('routers', UdpRouter), named('services', UdpService));

// ---- TLS -----------------------------------------------------------------------------------

export const TlsStore = def(
  'Store',
  sub('defaultCertificate', def('Certificate', str('certFile'), str('keyFile')), ignore),
  sub('defaultGeneratedCert', def('GeneratedCert', str('resolver'), sub('domain', Domain))),
);

const TlsConfiguration = def(
  'TLSConfiguration',
  subs('certificates', def('CertAndStores', str('certFile'), str('keyFile'), strs('stores')), ignore),
  named('options', def('Options'), ignore),
  named('stores', TlsStore),
);

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

/** Finds a field by the case-insensitive rule Traefik uses (strings.EqualFold on the Go name). */
export function findField(struct: StructDef, name: string): FieldDef | undefined {
  const wanted = foldCase(name);
  for (const candidate of struct.fields) {
    const key = candidate.type.kind === 'structList' && candidate.type.singular ? candidate.type.singular : candidate.match;
    if (key === wanted) return candidate;
  }
  return undefined;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Simple Unicode case folding close to Go's strings.EqualFold (per code point, never length-changing). */
export function foldCase(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += [...lower].length === 1 ? lower : ch;
  }
  return out;
}
