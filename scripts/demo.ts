// `npm run demo`: route-server against two real Docker daemons running the documentation's sample
// services (scripts/demo-services.ts), writing into a temp directory, its side server on a free
// loopback port; then it prints where to look. Ctrl-C (SIGINT) or SIGTERM stops what it started,
// by pid: route-server first (it leaves its files), then the daemons, then the temp directory goes.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { waitFor } from '../test/support/wait.ts';
import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../test/support/daemons.ts';
import { DEMO_TENANTS } from './demo-services.ts';

const BIN = fileURLToPath(new URL('../bin/route-server.js', import.meta.url));
const BASE_DOMAIN = 'example.com';

let farm: DaemonFarm | undefined;
let server: ChildProcess | undefined;
let stopping: Promise<void> | undefined;

/** Stops what this process started, once, whatever state start-up reached. */
function stopAll(reason: string): Promise<void> {
  stopping ??= (async () => {
    console.log(`\n${reason}: stopping route-server${server?.pid ? ` (pid ${server.pid})` : ''} and the daemons…`);
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      process.kill(server.pid, 'SIGTERM');
      await once(server, 'exit');
    }
    await farm?.stop();
    console.log('stopped; the demo directory is removed.');
  })();
  return stopping;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function start(): Promise<void> {
  const root = `/tmp/rs-demo-${process.pid}`;
  console.log(`starting two Docker daemons under ${root} (a few seconds)…`);
  const started = await startDaemons(DEMO_TENANTS.length, { root, ids: DEMO_TENANTS.map((t) => t.networkId) });
  // Interrupted while they started: stopAll did not know them yet.
  if (stopping) return started.stop();
  farm = started;
  for (const [index, tenant] of DEMO_TENANTS.entries()) {
    const daemon = farm.daemons[index] as DockerDaemon;
    for (const service of tenant.services) {
      const labels = Object.entries(service.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
      await daemon.docker('run', '-d', '--init', '--network', 'host', '--name', service.name, ...labels, BUSYBOX_IMAGE, 'sleep', '1d');
    }
  }

  const out = join(root, 'out');
  mkdirSync(out, { recursive: true });
  const port = await freePort();
  if (stopping) return;
  const logPath = join(root, 'route-server.log');
  const log = openSync(logPath, 'a');
  const args = ['run', '--sockets', join(root, 'docker-*.sock'), '--out', out, '--state-dir', join(root, 'state'), '--listen', `127.0.0.1:${port}`, '--base-domain', BASE_DOMAIN];
  // Its own process group: only this script signals it, and only by pid.
  server = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  server.once('exit', (code, signal) => {
    if (!stopping) void stopAll(`route-server exited (${signal ?? `code ${code}`}); see ${logPath}`).then(() => (process.exitCode = 1));
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => DEMO_TENANTS.every((t) => existsSync(join(out, `rs-${t.networkId}.yml`))), { what: 'both fragments', timeoutMs: 30_000, intervalMs: 100 });
  const statusPage = await fetch(`${url}/`).then((r) => r.status === 200, () => false);
  if (stopping) return;

  const lines = [
    '',
    `route-server demo is running (pid ${server.pid}), base domain ${BASE_DOMAIN}. Ctrl-C stops everything it started.`,
    '',
    'Daemons (one per tenant) and their sample services:',
    ...DEMO_TENANTS.map((t, i) => `  ${t.networkId}  pid ${farm?.daemons[i]?.pid}  ${farm?.daemons[i]?.socket}\n        ${t.services.map((s) => s.name).join(', ')}: ${t.what}`),
    '',
    'Fragments Traefik would read (the file provider directory):',
    ...DEMO_TENANTS.map((t) => `  cat ${join(out, `rs-${t.networkId}.yml`)}`),
    '',
    'Endpoints:',
    `  curl -s ${url}/health | python3 -m json.tool`,
    `  curl -s '${url}/routes.json?daemon=2816' | python3 -m json.tool`,
    `  curl -s ${url}/ports | python3 -m json.tool`,
    `  curl -s ${url}/metrics`,
    statusPage ? `  status page: ${url}/` : '  (no status page at / in this version)',
    '',
    `Log: ${logPath}`,
    'Start another labelled container and watch rs-2816.yml change:',
    `  docker -H unix://${farm.daemons[0]?.socket} run -d --network host --label rediacc.service_name=hello \\`,
    `    --label rediacc.service_ip=127.0.11.4 --label rediacc.network_id=2816 ${BUSYBOX_IMAGE} sleep 1d`,
  ];
  console.log(lines.join('\n'));
}

const unavailable = daemonsUnavailableReason();
if (unavailable !== null) {
  console.error(`npm run demo needs real Docker daemons, which cannot run here: ${unavailable}`);
  process.exitCode = 1;
} else {
  process.once('SIGINT', () => void stopAll('SIGINT'));
  process.once('SIGTERM', () => void stopAll('SIGTERM'));
  start().catch(async (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll('failure');
    process.exitCode = 1;
  });
}
