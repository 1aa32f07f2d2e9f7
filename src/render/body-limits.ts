// Bodies a tenant's middleware makes Traefik hold in memory, per request. Traefik allocates the
// configured limit up front (`make([]byte, limit+1)`), so `maxResponseBodySize: 1099511627776`
// ends the process at the first request: Go cannot recover from a failed allocation. A negative
// limit, and for forwardAuth an unset one, means io.ReadAll: the tenant's own auth server or
// backend can stream an endless body over loopback into Traefik's memory. Every tenant's traffic
// goes through that one process, so these limits are bounded by MAX_MIDDLEWARE_BODY_BYTES: a value
// above it, or unbounded, refuses the middleware; an unset forwardAuth limit is written as a small
// default (UNSET_AUTH_*: Traefik allocates the limit for every request, so the bound would be costly).
// The buffering middleware spills to disk past its memory limit, without end when its max is unset:
// that one is bounded by MAX_BUFFERED_RESPONSE_BYTES the same way.

import { MAX_BUFFERED_RESPONSE_BYTES, MAX_MIDDLEWARE_BODY_BYTES, UNSET_AUTH_REQUEST_BYTES, UNSET_AUTH_RESPONSE_BYTES } from '../model/limits.ts';
import { own, ownObject, type ConfigObject } from '../traefik/config.ts';
import type { TenantChecks } from './tenant-checks.ts';

/** Where Traefik keeps the body up to the limit: allocated for each request, in memory as it comes, or on disk. */
type Holding = 'allocated' | 'memory' | 'disk';

interface BodyLimit {
  /** Middleware type and field (the label path below the middleware, folded, is the same). */
  readonly type: string;
  readonly field: string;
  readonly max: number;
  readonly holding: Holding;
  /** Traefik reads without limit when the field is unset (or 0, for buffering's max): this is written instead. */
  readonly writtenWhenUnset?: number;
  /** Whether the field matters for this middleware (forwardAuth's maxBodySize only with forwardBody). */
  readonly applies?: (middleware: ConfigObject) => boolean;
}

const LIMITS: readonly BodyLimit[] = [
  { type: 'forwardAuth', field: 'maxResponseBodySize', max: MAX_MIDDLEWARE_BODY_BYTES, holding: 'allocated', writtenWhenUnset: UNSET_AUTH_RESPONSE_BYTES },
  {
    type: 'forwardAuth',
    field: 'maxBodySize',
    max: MAX_MIDDLEWARE_BODY_BYTES,
    holding: 'allocated',
    writtenWhenUnset: UNSET_AUTH_REQUEST_BYTES,
    applies: (m) => own(m, 'forwardBody') === true,
  },
  { type: 'retry', field: 'maxRequestBodyBytes', max: MAX_MIDDLEWARE_BODY_BYTES, holding: 'allocated' },
  { type: 'buffering', field: 'memRequestBodyBytes', max: MAX_MIDDLEWARE_BODY_BYTES, holding: 'memory' },
  { type: 'buffering', field: 'memResponseBodyBytes', max: MAX_MIDDLEWARE_BODY_BYTES, holding: 'memory' },
  { type: 'buffering', field: 'maxResponseBodyBytes', max: MAX_BUFFERED_RESPONSE_BYTES, holding: 'disk', writtenWhenUnset: MAX_BUFFERED_RESPONSE_BYTES },
];

const HOLDING_WORDS: Record<Holding, string> = {
  allocated: 'Traefik allocates that much for each request',
  memory: 'Traefik holds that much of each body in memory',
  disk: 'Traefik writes that much of each response to its disk',
};

export function enforceBodyLimits(checks: TenantChecks): void {
  // The live map, not a copy: a refusal deletes only the entry being visited, which Map iteration allows.
  for (const [name, resource] of checks.config['http.middlewares']) {
    for (const limit of LIMITS) {
      const middleware = ownObject(resource.value, limit.type);
      if (middleware === undefined || (limit.applies && !limit.applies(middleware))) continue;
      const max = BigInt(limit.max);
      const value = own(middleware, limit.field);
      // buffering's maxResponseBodyBytes: 0 is Traefik's "no maximum", as unset.
      if (value === undefined || (limit.holding === 'disk' && value === 0n)) {
        if (limit.writtenWhenUnset !== undefined) middleware[limit.field] = BigInt(limit.writtenWhenUnset);
        continue;
      }
      if (typeof value !== 'bigint' || (value >= 0n && value <= max)) continue;
      const what = value < 0n
        ? `its ${limit.type}.${limit.field} ${value} is negative (no limit)`
        : `its ${limit.type}.${limit.field} ${value} is above ${limit.max} bytes, and ${HOLDING_WORDS[limit.holding]}`;
      const taken = limit.holding === 'disk' ? 'the disk' : 'the memory';
      const reason = `${what}: one request could take ${taken} of the Traefik every tenant shares`;
      checks.refuse('http.middlewares', name, 'body-limit-refused', reason, `${limit.type.toLowerCase()}.${limit.field.toLowerCase()}`);
      break;
    }
  }
}
