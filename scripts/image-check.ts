// `npm run image-check`: the Dockerfile, proven on a host that cannot pull images. It makes a
// stand-in base image from this machine's node (scripts/base-image.ts), builds the Dockerfile
// against it (NODE_IMAGE and DOCKER_GID as build arguments) on a dockerd of its own, and runs the
// image there as an operator would: read-only root, all capabilities dropped, the sockets directory
// and the output and state directories mounted. A second dockerd plays the tenant, with one labelled
// container. Checked: the fragment is written, /health answers, Docker's HEALTHCHECK says healthy,
// the process runs as the image's non-root user with the socket group, and from the bundle built
// into the image (not the sources through tsx). Only processes started here are stopped, by pid
// (the daemons), or by id (the containers, on those daemons).

import { execFile } from 'node:child_process';
import { chownSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

import { waitFor } from '../test/support/wait.ts';
import { assembleBaseRootfs, baseImageChanges, baseImageUnavailableReason } from './base-image.ts';
import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../test/support/daemons.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const IMAGE = 'route-server:image-check';
const BASE_IMAGE = 'rs-node-base:image-check';
const APP_UID = 10001;
const HOST = 'app.example.test';
const BACKEND = 'http://127.0.11.2:3000';

/** Run in the image: which of these modules it has, how many test files, which extra directories. */
const IMAGE_CONTENTS = `const fs = require('fs');
console.log(JSON.stringify({
  modules: ['typescript', 'ajv', 'tsx', 'prom-client'].filter((m) => fs.existsSync('/app/node_modules/' + m)),
  tests: fs.readdirSync('/app/src', { recursive: true }).filter((f) => /\\.(test|fixture)\\.ts$/.test(f)).length,
  extra: ['test', 'fixtures', 'scripts', 'examples', '.git'].filter((d) => fs.existsSync('/app/' + d)),
}));`;

export interface ImageCheckReport {
  readonly seconds: Readonly<Record<string, number>>;
  readonly uid: number;
  readonly groups: readonly number[];
  readonly socketGid: number;
  readonly health: unknown;
}

/** Why the check cannot run here, or null. */
export function imageCheckUnavailableReason(): string | null {
  return daemonsUnavailableReason() ?? baseImageUnavailableReason();
}

export async function imageCheck(log: (line: string) => void = () => {}): Promise<ImageCheckReport> {
  const work = resolve(`/tmp/rs-image-check-${process.pid}`);
  const seconds: Record<string, number> = {};
  const phase = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    log(`${name}…`);
    const result = await step();
    seconds[name] = (Date.now() - started) / 1000;
    log(`${name}: ${seconds[name]!.toFixed(1)} s`);
    return result;
  };
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const farms: DaemonFarm[] = [];
  try {
    const [tenants, builders, baseTar] = await phase('start two dockerd, assemble the base rootfs', () =>
      Promise.all([startDaemons(1, { root: join(work, 'tenants') }), startDaemons(1, { root: join(work, 'builder'), ids: ['builder'] }), assembleBaseRootfs(work)]),
    );
    farms.push(tenants, builders);
    const tenant = tenants.daemons[0] as DockerDaemon;
    const builder = builders.daemons[0] as DockerDaemon;
    const socketGid = statSync(tenant.socket).gid;

    const changes = baseImageChanges().flatMap((change) => ['--change', change]);
    await phase('import the base image', () => docker(builder, ['import', ...changes, baseTar, BASE_IMAGE]));
    await phase('build the Dockerfile', () =>
      docker(builder, ['build', '--network', 'host', '--build-arg', `NODE_IMAGE=${BASE_IMAGE}`, '--build-arg', `DOCKER_GID=${socketGid}`, '-t', IMAGE, ROOT]),
    );
    log(`image size: ${(Number(await docker(builder, ['image', 'inspect', '-f', '{{.Size}}', IMAGE])) / 1e6).toFixed(0)} MB (the stand-in base is this machine's node and npm)`);
    const config = JSON.parse(await docker(builder, ['image', 'inspect', '-f', '{{json .Config}}', IMAGE])) as { User: string; Healthcheck?: { Test: string[] } };
    if (config.User !== 'route-server') throw new Error(`the image runs as ${JSON.stringify(config.User)}, not route-server`);
    if (!config.Healthcheck?.Test.join(' ').includes('/health')) throw new Error(`the image has no HEALTHCHECK on /health: ${JSON.stringify(config.Healthcheck)}`);

    // The sockets directory as on a host: only sockets in it (a hard link shares the socket's inode).
    const sockets = join(work, 'sockets');
    const out = join(work, 'out');
    const state = join(work, 'state');
    for (const dir of [sockets, out, state]) mkdirSync(dir, { recursive: true });
    linkSync(tenant.socket, join(sockets, `docker-${tenant.id}.sock`));
    for (const dir of [out, state]) chownSync(dir, APP_UID, APP_UID);

    await tenant.docker('run', '-d', '--network', 'host', '--name', 'webapp', ...labels(tenant.id), BUSYBOX_IMAGE, 'sleep', '1d');
    const container = await phase('run the image, wait for the fragment and a healthy HEALTHCHECK', async () => {
      const id = await docker(builder, [
        'run', '-d', '--name', 'route-server', '--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
        '--network', 'none', '--health-interval', '1s', '--health-start-period', '0s',
        '-v', `${sockets}:/var/run/rediacc:ro`, '-v', `${out}:/etc/traefik/dynamic`, '-v', `${state}:/var/lib/route-server`,
        '-e', 'ROUTE_SERVER_BASE_DOMAIN=example.test', IMAGE,
      ]);
      await explainFailure(builder, id, async () => {
        await waitFor(() => routedBackend(join(out, `rs-${tenant.id}.yml`)) === BACKEND, { what: `${HOST} → ${BACKEND} in the fragment`, timeoutMs: 60_000, intervalMs: 250 });
        await waitFor(async () => (await docker(builder, ['inspect', '-f', '{{.State.Health.Status}}', id])) === 'healthy', { what: 'HEALTHCHECK healthy', timeoutMs: 60_000, intervalMs: 250 });
      });
      return id;
    });

    const health = JSON.parse(await docker(builder, ['exec', container, 'node', '-e', "fetch('http://127.0.0.1:7111/health').then((r) => r.text()).then((t) => process.stdout.write(t))"])) as {
      status: string;
      daemons: { id: string; state: string }[];
    };
    if (health.status !== 'ok' || health.daemons.find((d) => d.id === tenant.id)?.state !== 'connected') throw new Error(`/health in the container: ${JSON.stringify(health)}`);

    // The bundle built with the image ran, not the sources through tsx (bin/route-server.js says so on stderr).
    const logs = await docker(builder, ['logs', container], true);
    if (logs.includes('through tsx')) throw new Error(`route-server ran its sources through tsx, not the image's bundle:\n${logs.split('\n').slice(0, 5).join('\n')}`);

    // Production dependencies only (not the type checker, not the tests' schema validator), and no
    // tests, fixtures or scripts beside the sources.
    const contents = await docker(builder, ['exec', container, 'node', '-e', IMAGE_CONTENTS]);
    const expected = JSON.stringify({ modules: ['tsx', 'prom-client'], tests: 0, extra: [] });
    if (contents !== expected) throw new Error(`/app holds ${contents}, expected ${expected}`);

    const pid = await docker(builder, ['inspect', '-f', '{{.State.Pid}}', container]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uids = (/^Uid:\s+(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).map(Number);
    const groups = (/^Groups:\s*(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).filter(Boolean).map(Number);
    if (uids.length !== 4 || uids.some((uid) => uid !== APP_UID)) throw new Error(`route-server runs with uids ${uids.join(' ')}, expected ${APP_UID}`);
    if (!groups.includes(socketGid)) throw new Error(`route-server's groups ${groups.join(' ')} lack the socket group ${socketGid}`);
    const owner = statSync(join(out, `rs-${tenant.id}.yml`)).uid;
    if (owner !== APP_UID) throw new Error(`the fragment is owned by uid ${owner}, expected ${APP_UID}`);

    await docker(builder, ['rm', '-f', container]);
    await tenant.docker('rm', '-f', 'webapp');
    return { seconds, uid: APP_UID, groups, socketGid, health };
  } finally {
    await Promise.all(farms.map((farm) => farm.stop().catch(() => {})));
    rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** The seed's web application, with the labels the deploy tool adds. */
function labels(networkId: string): string[] {
  const all = {
    'rediacc.service_name': 'webapp',
    'rediacc.service_ip': '127.0.11.2',
    'rediacc.network_id': networkId,
    'rediacc.tcp_ports': '3000',
    'traefik.enable': 'true',
    'traefik.http.routers.webapp.rule': `Host(\`${HOST}\`)`,
    'traefik.http.routers.webapp.entrypoints': 'websecure',
    'traefik.http.routers.webapp.tls.certresolver': 'letsencrypt',
    'traefik.http.services.webapp.loadbalancer.server.port': '3000',
  };
  return Object.entries(all).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
}

/** The backend URL of the router for HOST in a fragment, or undefined (no file, no router yet). */
function routedBackend(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const http = (parseYaml(readFileSync(path, 'utf8')) as any)?.http;
  const router = Object.values<any>(http?.routers ?? {}).find((r) => r.rule === `Host(\`${HOST}\`)`);
  return http?.services?.[router?.service]?.loadBalancer?.servers?.[0]?.url;
}

/** Runs `wait`; when it fails, the container's state and log tail explain why. */
async function explainFailure(builder: DockerDaemon, container: string, wait: () => Promise<void>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    const state = await docker(builder, ['inspect', '-f', '{{json .State}}', container]).catch((e: Error) => e.message);
    const logs = await docker(builder, ['logs', '--tail', '30', container], true).catch((e: Error) => e.message);
    throw new Error(`${(error as Error).message}\ncontainer state: ${state}\ncontainer log:\n${logs}`);
  }
}

/** The docker CLI against one daemon, with the classic builder (no buildx plugin needed) and room for a build. */
function docker(daemon: DockerDaemon, args: readonly string[], withStderr = false): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      'docker',
      ['-H', `unix://${daemon.socket}`, ...args],
      { env: { ...process.env, DOCKER_CONFIG: join(daemon.home, 'cli'), DOCKER_BUILDKIT: '0' }, timeout: 600_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        // A build reports on stdout, the CLI on stderr: show the end of both.
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n');
        if (error) fail(new Error(`docker ${args.slice(0, 3).join(' ')}… (daemon ${daemon.id}): ${tail || error.message}`));
        else done(withStderr ? `${stdout}${stderr}`.trim() : stdout.trim());
      },
    );
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const unavailable = imageCheckUnavailableReason();
  if (unavailable !== null) {
    console.error(`image-check cannot run: ${unavailable}`);
    process.exitCode = 1;
  } else {
    const started = Date.now();
    imageCheck((line) => console.log(line)).then(
      (report) => {
        console.log(`\nimage-check passed in ${((Date.now() - started) / 1000).toFixed(0)} s: fragment written, /health ok, HEALTHCHECK healthy,`);
        console.log(`uid ${report.uid} (not root) with the socket group ${report.socketGid}, read-only root, no capabilities`);
      },
      (error: unknown) => {
        console.error(`\nimage-check FAILED: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      },
    );
  }
}
