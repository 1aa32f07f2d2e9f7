// HTTP load for the benchmarks, in a process of its own: clients that share the benchmark's event
// loop (a thousand fake daemons, churn) would count the benchmark's own delays as route-server's.
// Reads one JSON object on stdin, { paths: string[] (one per client), base: string, each: number },
// runs one keep-alive client per path making `each` GETs in turn, and writes the latency of every
// request (ms) as a JSON array on stdout. Used by bench-scale.ts.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';

const { base, paths, each } = JSON.parse(await text(process.stdin)) as { base: string; paths: string[]; each: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: paths.length });
const latencies: number[] = [];

function get(target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http.get(target, { agent }, (response) => {
      response.resume();
      response.on('end', () => {
        latencies.push(performance.now() - started);
        resolve();
      });
    }).on('error', reject);
  });
}

await Promise.all(paths.map(async (path) => {
  for (let i = 0; i < each; i++) await get(base + path);
}));
agent.destroy();
process.stdout.write(JSON.stringify(latencies));
