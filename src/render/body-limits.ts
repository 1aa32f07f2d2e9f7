// Bodies a tenant's middleware makes Traefik hold in memory, per request. Traefik allocates the
// configured limit up front (`make([]byte, limit+1)`), so `maxResponseBodySize: 1099511627776`
// ends the process at the first request: Go cannot recover from a failed allocation. A negative
// limit, and for forwardAuth an unset one, means io.ReadAll: the tenant's own auth server or
// backend can stream an endless body over loopback into Traefik's memory. Every tenant's traffic
// goes through that one process, so these limits are bounded by MAX_MIDDLEWARE_BODY_BYTES: a value
// above it, or unbounded, refuses the middleware; an unset forwardAuth limit is written as the bound.

import { MAX_MIDDLEWARE_BODY_BYTES } from '../model/limits.ts';
import { own, ownObject, type ConfigObject } from '../traefik/config.ts';
import type { TenantChecks } from './tenant-checks.ts';

interface BodyLimit {
  /** Middleware type and field (the label path below the middleware, folded, is the same). */
  readonly type: string;
  readonly field: string;
  /** Traefik reads without limit when the field is unset (forwardAuth); the bound is written instead. */
  readonly unsetIsUnbounded: boolean;
  /** Whether the field matters for this middleware (forwardAuth's maxBodySize only with forwardBody). */
  readonly applies?: (middleware: ConfigObject) => boolean;
  /** Traefik allocates the limit for each request (`make`), rather than holding up to it as the body comes. */
  readonly upFront: boolean;
}

const LIMITS: readonly BodyLimit[] = [
  { type: 'forwardAuth', field: 'maxResponseBodySize', unsetIsUnbounded: true, upFront: true },
  { type: 'forwardAuth', field: 'maxBodySize', unsetIsUnbounded: true, upFront: true, applies: (m) => own(m, 'forwardBody') === true },
  { type: 'retry', field: 'maxRequestBodyBytes', unsetIsUnbounded: false, upFront: true },
  { type: 'buffering', field: 'memRequestBodyBytes', unsetIsUnbounded: false, upFront: false },
  { type: 'buffering', field: 'memResponseBodyBytes', unsetIsUnbounded: false, upFront: false },
];

const MAX = BigInt(MAX_MIDDLEWARE_BODY_BYTES);

export function enforceBodyLimits(checks: TenantChecks): void {
  for (const [name, resource] of [...checks.config['http.middlewares']]) {
    for (const limit of LIMITS) {
      const middleware = ownObject(resource.value, limit.type);
      if (middleware === undefined || (limit.applies && !limit.applies(middleware))) continue;
      const value = own(middleware, limit.field);
      if (value === undefined) {
        if (limit.unsetIsUnbounded) middleware[limit.field] = MAX;
        continue;
      }
      if (typeof value !== 'bigint' || (value >= 0n && value <= MAX)) continue;
      const what = value < 0n
        ? `its ${limit.type}.${limit.field} ${value} means no limit`
        : `its ${limit.type}.${limit.field} ${value} is above ${MAX_MIDDLEWARE_BODY_BYTES} bytes, and Traefik ${limit.upFront ? 'allocates that much for each request' : 'holds that much of each body in memory'}`;
      const reason = `${what}: one request could take the memory of the Traefik every tenant shares`;
      checks.refuse('http.middlewares', name, 'body-limit-refused', reason, `${limit.type.toLowerCase()}.${limit.field.toLowerCase()}`);
      break;
    }
  }
}
