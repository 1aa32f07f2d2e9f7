// HTTP middlewares (pkg/config/dynamic/middlewares.go): one sub-struct per middleware type, with the
// pieces only they use (client TLS for forwardAuth and Redis, IP strategies, source criteria).

import { allowEmpty, bool, def, defaults, dur, field, ignore, int, internal, scalar, str, strMap, strs, sub } from './table.ts';

const ClientTLS = def('ClientTLS', str('ca'), str('cert'), str('key'), bool('insecureSkipVerify'), bool('caOptional'));
const TypesClientTLS = def('types.ClientTLS', str('ca'), str('cert'), str('key'), bool('insecureSkipVerify'));
const IPStrategy = def('IPStrategy', int('depth'), strs('excludedIPs'), int('ipv6Subnet'));
const SourceCriterion = def(
  'SourceCriterion',
  sub('ipStrategy', IPStrategy),
  str('requestHeaderName'),
  bool('requestHost'),
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
