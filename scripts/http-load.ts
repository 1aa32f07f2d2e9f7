// HTTP load for the benchmarks, in a process of its own: clients that share the benchmark's event
// loop (a thousand fake daemons, churn) would count the benchmark's own delays as route-server's.
// Reads one JSON object on stdin, { paths: string[] (one per client), base: string, each: number },
// runs one keep-alive client per path making `each` GETs in turn, and writes the latency of every
// request (ms) as a JSON array on stdout. Used by bench-scale.ts, which also runs `load` in its own
// process to show how much its event loop adds.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';

/** `clients` concurrent keep-alive loops of `each` GETs; the latency of every request (ms). */
export async function load(url: (client: number) => string, clients: number, each: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const get = (target: string) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      http.get(target, { agent }, (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - started);
          resolve();
        });
      }).on('error', reject);
    });
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let i = 0; i < each; i++) await get(url(client));
  }));
  agent.destroy();
  return latencies;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { base, paths, each } = JSON.parse(await text(process.stdin)) as { base: string; paths: string[]; each: number };
  process.stdout.write(JSON.stringify(await load((client) => base + (paths[client] as string), paths.length, each)));
}
