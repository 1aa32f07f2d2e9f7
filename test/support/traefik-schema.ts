// Traefik's published JSON schema of the file provider (../shared/reference), with the additions
// Traefik v3.7 accepts but the schema predates. Each addition names the source field it comes
// from; nothing is relaxed wholesale.

import { existsSync, readFileSync } from 'node:fs';
import AjvModule from 'ajv';

export const SCHEMA_PATH = new URL('../../../shared/reference/traefik-v3-file-provider.schema.json', import.meta.url).pathname;

export function schemaAvailable(): boolean {
  return existsSync(SCHEMA_PATH) && existsSync(new URL('../../../shared/reference/traefik-v3-static.schema.json', import.meta.url).pathname);
}

type JsonObject = Record<string, any>;

/** Fields of pkg/config/dynamic (v3.7) missing from the SchemaStore schema at 3b6446ad. */
function addTraefik37Fields(schema: JsonObject): void {
  const d = schema['definitions'] as JsonObject;
  const bool = { type: 'boolean' };
  const str = { type: 'string' };
  const int = { type: 'integer' };
  const strs = { type: 'array', items: str };
  // dynamic.Router.Observability (http_config.go RouterObservabilityConfig)
  d['httpRouter'].properties.observability = {
    type: 'object',
    additionalProperties: false,
    properties: { accessLogs: bool, metrics: bool, tracing: bool, traceVerbosity: str },
  };
  // dynamic.ServersLoadBalancer.Strategy / PassiveHealthCheck (http_config.go)
  d['httpLoadBalancerService'].properties.strategy = str;
  d['httpLoadBalancerService'].properties.passiveHealthCheck = {
    type: 'object',
    additionalProperties: false,
    properties: { failureWindow: str, maxFailedAttempts: int },
  };
  // dynamic.Server.Weight / PreservePath (http_config.go)
  const server = d['httpLoadBalancerService'].properties.servers.items;
  server.properties.weight = int;
  server.properties.preservePath = bool;
  // dynamic.Retry.Timeout / MaxRequestBodyBytes / Status / DisableRetryOnNetworkError / RetryNonIdempotentMethod
  Object.assign(d['retryMiddleware'].properties, {
    timeout: str,
    maxRequestBodyBytes: int,
    status: strs,
    disableRetryOnNetworkError: bool,
    retryNonIdempotentMethod: bool,
  });
  // dynamic.EncodedCharacters middleware (middlewares.go)
  d['httpMiddleware'].oneOf.push({
    properties: {
      encodedCharacters: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(
          ['Slash', 'BackSlash', 'NullCharacter', 'Semicolon', 'Percent', 'QuestionMark', 'Hash'].map((n) => [`allowEncoded${n}`, bool]),
        ),
      },
    },
    additionalProperties: false,
  });
  // dynamic.ErrorPage.StatusRewrites / ErrorRequestHeaders (middlewares.go)
  d['errorsMiddleware'].properties.statusRewrites = { type: 'object', additionalProperties: int };
  d['errorsMiddleware'].properties.errorRequestHeaders = strs;
  // dynamic.ForwardAuth.AuthSigninURL (middlewares.go)
  d['forwardAuthMiddleware'].properties.authSigninURL = str;
  // dynamic.RateLimit.Redis (middlewares.go Redis, types.ClientTLS): distributed rate limiting.
  const duration = { oneOf: [str, { type: 'number' }] };
  d['rateLimitMiddleware'].properties.redis = {
    type: 'object',
    additionalProperties: false,
    properties: {
      endpoints: strs,
      tls: { type: 'object', additionalProperties: false, properties: { ca: str, cert: str, key: str, insecureSkipVerify: bool } },
      username: str,
      password: str,
      db: int,
      poolSize: int,
      minIdleConns: int,
      maxActiveConns: int,
      readTimeout: duration,
      writeTimeout: duration,
      dialTimeout: duration,
    },
  };
  // dynamic.Service.Middlewares (http_config.go): accepted beside the load balancer.
  for (const variant of d['httpService'].oneOf) variant.properties.middlewares = strs;
}

let validator: ((value: unknown) => boolean) & { errors?: unknown } | undefined;

export function validateDynamicConfig(config: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonObject;
    addTraefik37Fields(schema);
    const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
    const ajv = new (Ajv as unknown as new (options: object) => { compile: (s: object) => typeof validator })({ allErrors: true, strict: false });
    validator = ajv.compile(schema);
  }
  const ok = validator!(config);
  if (ok) return [];
  return ((validator!.errors as { instancePath: string; message: string }[]) ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export const STATIC_SCHEMA_PATH = new URL('../../../shared/reference/traefik-v3-static.schema.json', import.meta.url).pathname;

let staticValidator: ((value: unknown) => boolean) & { errors?: unknown } | undefined;

/** Traefik's published static-configuration schema, as is: `route-server static` needs no additions. */
export function validateStaticConfig(config: unknown): string[] {
  if (!staticValidator) {
    const schema = JSON.parse(readFileSync(STATIC_SCHEMA_PATH, 'utf8')) as JsonObject;
    const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
    const ajv = new (Ajv as unknown as new (options: object) => { compile: (s: object) => typeof staticValidator })({ allErrors: true, strict: false });
    staticValidator = ajv.compile(schema);
  }
  if (staticValidator!(config)) return [];
  return ((staticValidator!.errors as { instancePath: string; message: string }[]) ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
