// Load test of GET /routes.json: a view of 10,000 routes over 1,000 daemons with 2,000 diagnostics,
// 100 keep-alive clients for a few seconds, p50/p99/max latency and requests/s. The server runs in
// a child process so the clients do not share its event loop. Modes: `uncached` hands out a new
// render object on every read, so every request builds and serializes the report again (the
// behaviour without the cache); `cached` is the server as shipped (one serialization per render);
// `gzip` is `cached` with clients that send `Accept-Encoding: gzip` and gunzip every body; `daemon`
// is `cached` with each client asking for one daemon (`?daemon=ID`, a different one per client), as
// the status page and tenants' tooling do. Besides latency it prints the server's CPU per request.
//
//   node --import tsx scripts/bench-routes.ts [--seconds 5] [--clients 100] [--routes 10000]
//        [--daemons 1000] [--diagnostics 2000] [--mode all|uncached|cached|gzip|daemon]

import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { gunzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { percentile } from '../test/support/percentile.ts';
import { diagnostic, PlainRuntimeView, renderSummary, routeInfo } from '../test/support/runtime-view.ts';
import { silentLogger } from '../src/model/logger.ts';
import { startHttpServer } from '../src/http/server.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '100' },
    routes: { type: 'string', default: '10000' },
    daemons: { type: 'string', default: '1000' },
    diagnostics: { type: 'string', default: '2000' },
    mode: { type: 'string', default: 'all' },
    serve: { type: 'string' },
  },
});

interface Shape {
  readonly routes: number;
  readonly daemons: number;
  readonly diagnostics: number;
}

const daemonId = (i: number) => String(2816 + i * 64);

function buildView(shape: Shape, cached: boolean): PlainRuntimeView {
  const view = new PlainRuntimeView();
  const daemonIds = Array.from({ length: shape.daemons }, (_, i) => daemonId(i));
  const routes = Array.from({ length: shape.routes }, (_, i) => {
    const daemon = daemonIds[i % shape.daemons] as string;
    const name = `svc${Math.floor(i / shape.daemons)}`;
    if (i % 10 === 9) return routeInfo(daemon, name, { protocol: 'tcp', rule: 'HostSNI(`*`)', entryPoints: [`tcp-${10000 + (i % 500)}`], tls: undefined, servers: [`127.0.${i % 250}.2:5432`] });
    return routeInfo(daemon, name, { autoRoute: i % 3 === 0, middlewares: i % 4 === 0 ? [`${name}-hsts-${daemon}`] : [], containers: [`${name}-1`, `${name}-2`] });
  });
  const diagnostics = Array.from({ length: shape.diagnostics }, (_, i) =>
    diagnostic(daemonIds[i % shape.daemons] as string, i % 2 ? 'label-decode' : 'host-conflict', {
      severity: i % 5 === 0 ? 'warning' : 'error',
      container: `app${i}`,
      label: 'traefik.http.routers.web.rule',
      message: `router web refused: host app${i}.example.com is also claimed by daemon 2816 (router web of container web)`,
    }),
  );
  const summary = renderSummary({ routes, diagnostics });
  view.daemonList = [];
  view.summary = summary;
  // A fresh object per read defeats the identity cache: every request serializes again.
  if (!cached) view.latest = () => ({ ...summary });
  return view;
}

/** Child: serve the view and report the port over IPC. */
async function serve(mode: string, shape: Shape): Promise<void> {
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, view: buildView(shape, mode !== 'uncached'), logger: silentLogger });
  // How long discovery would have waited for the event loop while requests were served.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  process.send?.({ port: server.address.port });
  // Each message asks for the CPU used and the loop delay since the last one; `stop` also ends the server.
  process.on('message', (message) => {
    const delay: LoopDelay = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    loopDelay.reset();
    process.send?.({ cpu: process.cpuUsage(), delay });
    if (message === 'stop') void server.close().then(() => process.exit(0));
  });
}

interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

interface ServerSample {
  readonly cpu: NodeJS.CpuUsage;
  readonly delay: LoopDelay;
}

interface Result {
  readonly latencies: number[];
  readonly bytes: number;
  /** Bytes on the wire (less than `bytes` when gzipped). */
  readonly wire: number;
  readonly elapsedMs: number;
  readonly errors: ErrorCounts;
}

/** Errors by kind, printed as `ECONNRESET×3`. */
class ErrorCounts extends Map<string, number> {
  add(kind: string): void {
    this.set(kind, (this.get(kind) ?? 0) + 1);
  }
  override toString(): string {
    return this.size === 0 ? '0 errors' : [...this].map(([kind, n]) => `${kind}×${n}`).join(', ');
  }
}

async function load(port: number, clients: number, seconds: number, gzip: boolean, path: (client: number) => string = () => '/routes.json'): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let bytes = 0;
  let wire = 0;
  const errors = new ErrorCounts();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const once = (client: number) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const headers = gzip ? { 'accept-encoding': 'gzip' } : {};
      const req = request({ host: '127.0.0.1', port, path: path(client), agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            errors.add(`HTTP ${res.statusCode}`);
            return resolve();
          }
          const done = (body: Buffer) => {
            latencies.push(performance.now() - t0);
            bytes = body.length;
            wire = chunks.reduce((n, c) => n + c.length, 0);
            resolve();
          };
          // A real client has to unpack what it asked to be packed: that time counts.
          if (res.headers['content-encoding'] === 'gzip') gunzip(Buffer.concat(chunks), (error, body) => (error ? (errors.add('gunzip'), resolve()) : done(body)));
          else done(Buffer.concat(chunks));
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => (errors.add(error.code ?? error.message), resolve()));
      req.end();
    });
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) await once(client);
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies, bytes, wire, elapsedMs, errors };
}

function sampleServer(child: ChildProcess): Promise<ServerSample> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'cpu' in message) {
        child.off('message', onMessage);
        resolve(message as ServerSample);
      }
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

function cpuShare(after: NodeJS.CpuUsage, before: NodeJS.CpuUsage, elapsedMs: number): string {
  const usedMs = (after.user - before.user + after.system - before.system) / 1000;
  return ((usedMs / elapsedMs) * 100).toFixed(0);
}

async function bench(mode: string, shape: Shape, clients: number, seconds: number): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', mode, '--routes', String(shape.routes), '--daemons', String(shape.daemons), '--diagnostics', String(shape.diagnostics)], {
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  try {
    // One request first: the cold serialization, reported apart from the steady state.
    const gzip = mode === 'gzip';
    // Clients spread over the daemons, as bench-scale.ts does.
    const path = mode === 'daemon' ? (client: number) => `/routes.json?daemon=${daemonId((client * 13) % shape.daemons)}` : undefined;
    const cold = await load(port, 1, 0.001, gzip, path);
    const before = await sampleServer(child);
    const clientCpu = process.cpuUsage();
    const result = await load(port, clients, seconds, gzip, path);
    const after = await sampleServer(child);
    const serverBusy = cpuShare(after.cpu, before.cpu, result.elapsedMs);
    const serverUsPerRequest = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / result.latencies.length;
    const clientBusy = cpuShare(process.cpuUsage(), clientCpu, result.elapsedMs);
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    process.stdout.write(
      `${mode.padEnd(8)} body ${(result.bytes / 1e6).toFixed(2)} MB (${(result.wire / 1e6).toFixed(2)} MB sent)  first ${ms(cold.latencies[0] ?? NaN)}  ` +
        `p50 ${ms(percentile(sorted, 50))}  p99 ${ms(percentile(sorted, 99))}  max ${ms(sorted.at(-1) ?? NaN)}  ` +
        `${((sorted.length / result.elapsedMs) * 1000).toFixed(0)} req/s  (${sorted.length} requests, ${result.errors}; ` +
        `CPU server ${serverBusy}% (${serverUsPerRequest.toFixed(0)} µs a request), clients ${clientBusy}%)\n` +
        `${''.padEnd(8)} server event-loop delay under load: p50 ${ms(after.delay.p50)}  p99 ${ms(after.delay.p99)}  max ${ms(after.delay.max)}\n`,
    );
  } finally {
    child.removeAllListeners('exit');
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const shape: Shape = { routes: Number(values.routes), daemons: Number(values.daemons), diagnostics: Number(values.diagnostics) };
if (values.serve !== undefined) {
  await serve(values.serve, shape);
} else {
  const clients = Number(values.clients);
  const seconds = Number(values.seconds);
  process.stdout.write(`/routes.json: ${shape.routes} routes over ${shape.daemons} daemons, ${shape.diagnostics} diagnostics; ${clients} keep-alive clients for ${seconds} s\n`);
  const modes = values.mode === 'all' ? ['uncached', 'cached', 'gzip'] : [values.mode as string];
  for (const mode of modes) await bench(mode, shape, clients, seconds);
}
