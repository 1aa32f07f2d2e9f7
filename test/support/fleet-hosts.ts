// Simulated fleet hosts for tests and the benchmark: a FleetPublisher fed fragments whose HTTPS
// routers serve given names, against a real Redis, without Docker.

import { silentLogger } from '../../src/model/logger.ts';
import { FleetPublisher } from '../../src/fleet/fleet-publisher.ts';
import { parseFleetOptions } from '../../src/fleet/fleet-options.ts';
import type { Fragment } from '../../src/render/render.ts';
import { waitFor } from './wait.ts';

export function fragmentServing(daemon: string, names: readonly string[]): Fragment {
  const routers = Object.fromEntries(
    names.map((name, i) => [`web${i}-${daemon}`, { rule: `Host(\`${name}\`)`, entryPoints: ['websecure'], service: `web-${daemon}`, tls: { certResolver: 'letsencrypt' } }]),
  );
  return { daemon, socket: `/run/docker-${daemon}.sock`, config: { http: { routers } } };
}

export interface SimulatedHost {
  readonly name: string;
  readonly publisher: FleetPublisher;
  /** Serves exactly these names (one daemon), then waits for the publisher's cycle. */
  serve(names: readonly string[]): Promise<void>;
}

export async function simulatedHost(redisUrl: string, name: string, address: string, leaseMs?: number): Promise<SimulatedHost> {
  const options = parseFleetOptions({ redis: redisUrl, name, address, entrypoint: undefined, rootKey: undefined, leaseMs });
  const publisher = new FleetPublisher(options!, silentLogger);
  await publisher.start();
  return {
    name,
    publisher,
    async serve(names) {
      await publisher.set('2816', names.length === 0 ? null : fragmentServing('2816', names));
      publisher.rendered();
      await waitFor(() => publisher.upToDate, { what: `${name} to publish`, timeoutMs: 15_000 });
      await publisher.settled();
    },
  };
}
