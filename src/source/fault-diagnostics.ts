// A container the daemon fails to inspect is reported like any other finding about a container: a
// diagnostic naming daemon and container, so "why is my service not current?" has an answer in
// /routes.json beside the label diagnostics.

import type { Diagnostic } from '../model/diagnostics.ts';
import type { DaemonStatus } from './daemon-status.ts';

export const CONTAINER_INSPECT_FAILED = 'container-inspect-failed';

export function containerFaultDiagnostics(daemons: readonly DaemonStatus[]): Diagnostic[] {
  return daemons.flatMap((daemon) =>
    daemon.containerFaults.map((fault): Diagnostic => {
      const known = daemon.containers.some((container) => container.id === fault.id);
      const times = fault.failures === 1 ? 'once' : `${fault.failures} times in a row`;
      const effect = known ? 'its last known state is routed' : 'it is not routed until it can be read';
      return {
        daemon: daemon.id,
        container: fault.name ?? fault.id.slice(0, 12),
        // With a last known state its routes still work; without one it has none.
        severity: known ? 'warning' : 'error',
        code: CONTAINER_INSPECT_FAILED,
        message: `${fault.error} (${times}, since ${new Date(fault.since).toISOString()}); ${effect}; retrying`,
      };
    }),
  );
}
