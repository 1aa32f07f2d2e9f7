// Health checks run inside Traefik, for as long as the configuration lives, whether or not anyone
// sends traffic: Traefik takes any positive interval and checks again as soon as a tick comes, so
// `interval: 1ns` on a server that refuses connections is a busy loop in the process every tenant
// shares, writing a warning per failed check into its log. A tenant's HTTP and TCP services may
// check at most once per MIN_HEALTH_CHECK_INTERVAL_SECONDS; zero or negative intervals are left
// alone (Traefik replaces them with its default of 30 s).

import { MIN_HEALTH_CHECK_INTERVAL_SECONDS } from '../model/limits.ts';
import { ownObject, ownString } from '../traefik/config.ts';
import { parseGoDuration } from '../traefik/go-scalars.ts';
import type { TenantChecks } from './tenant-checks.ts';

const INTERVALS = ['interval', 'unhealthyInterval'] as const;
const MIN_NANOSECONDS = BigInt(MIN_HEALTH_CHECK_INTERVAL_SECONDS) * 1_000_000_000n;

export function enforceHealthCheckIntervals(checks: TenantChecks): void {
  for (const section of ['http.services', 'tcp.services'] as const) {
    // The live map, not a copy: a refusal deletes only the entry being visited, which Map iteration allows.
    for (const [name, resource] of checks.config[section]) {
      const healthCheck = ownObject(ownObject(resource.value, 'loadBalancer'), 'healthCheck');
      for (const field of INTERVALS) {
        const text = ownString(healthCheck, field);
        const parsed = text === undefined ? undefined : parseGoDuration(text);
        if (!parsed?.ok || parsed.value <= 0n || parsed.value >= MIN_NANOSECONDS) continue;
        const reason =
          `its health check ${field} ${JSON.stringify(text)} is shorter than ${MIN_HEALTH_CHECK_INTERVAL_SECONDS}s: ` +
          'Traefik would run the checks back to back, in the process every tenant shares, for as long as the service exists';
        checks.refuse(section, name, 'health-check-too-frequent', reason, `loadbalancer.healthcheck.${field.toLowerCase()}`);
        break;
      }
    }
  }
}
