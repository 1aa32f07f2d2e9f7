// Real Docker daemons for tests and benchmarks: each dockerd gets its own socket, data root, exec
// root and containerd, all under one temp root, and a busybox image built from Debian's static
// busybox (no registry needed). Only processes started here are ever signalled, by pid.
//
//   node --import tsx test/support/daemons.ts up 3 /tmp/rs-demo    # sockets /tmp/rs-demo/docker-<id>.sock
//   node --import tsx test/support/daemons.ts down /tmp/rs-demo

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const BUSYBOX_IMAGE = 'rs-busybox:latest';
const BUSYBOX = '/bin/busybox';
const BUSYBOX_LINKS = ['sh', 'sleep', 'httpd', 'true', 'false', 'wget'];
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** Network ids as the deploy tool hands them out: 2816, then steps of 64. */
export function networkIds(count: number, first = 2816): string[] {
  return Array.from({ length: count }, (_, i) => String(first + 64 * i));
}

/** Why real daemons cannot run here, or null when they can. */
export function daemonsUnavailableReason(): string | null {
  if (process.platform !== 'linux') return `needs Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'needs root to run dockerd';
  for (const tool of ['dockerd', 'docker', 'tar']) {
    if (!onPath(tool)) return `\`${tool}\` is not installed (apt-get install docker.io)`;
  }
  if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (apt-get install busybox-static)`;
  return null;
}

export class DockerDaemon {
  readonly id: string;
  /** The daemon's API socket, `<root>/docker-<id>.sock`. */
  readonly socket: string;
  /** Its private state: data root, exec root, pid file, log. */
  readonly home: string;
  readonly #imageTar: string;
  readonly #detached: boolean;
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();

  constructor(root: string, id: string, imageTar: string, detached = false) {
    this.id = id;
    this.socket = join(root, `docker-${id}.sock`);
    this.home = join(root, 'daemons', id);
    this.#imageTar = imageTar;
    this.#detached = detached;
  }

  get pid(): number | null {
    return this.#child?.exitCode === null && this.#child.signalCode === null ? (this.#child.pid ?? null) : null;
  }

  /** Starts dockerd, waits until it answers ping, and imports the busybox image once. */
  async start(): Promise<void> {
    if (this.pid !== null) throw new Error(`daemon ${this.id} is already running (pid ${this.pid})`);
    await mkdir(this.home, { recursive: true });
    const log = openSync(join(this.home, 'dockerd.log'), 'a');
    const child = spawn('dockerd', this.#arguments(), { stdio: ['ignore', log, log], detached: this.#detached });
    closeSync(log);
    this.#child = child;
    this.#exited = new Promise((done) => child.once('exit', () => done()));
    child.once('error', () => {}); // spawn failures show up as a missing ping below
    if (this.#detached) child.unref();
    await this.#waitReady();
    const images = await this.docker('images', '-q', BUSYBOX_IMAGE);
    if (images === '') await this.docker('import', this.#imageTar, BUSYBOX_IMAGE);
  }

  /** Sends a signal to this dockerd (SIGKILL, SIGSTOP, SIGCONT…); nothing when it is not running. */
  kill(signal: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid !== null) process.kill(pid, signal);
  }

  /** Starts it again after `kill('SIGKILL')` or `stop()`, removing the pid files left by a kill. */
  async restart(): Promise<void> {
    if (this.pid !== null) await this.stop();
    await this.#exited;
    await rm(join(this.home, 'dockerd.pid'), { force: true });
    await rm(join(this.home, 'exec', 'containerd', 'containerd.pid'), { force: true });
    await this.start();
  }

  /** Graceful stop (a frozen daemon is thawed first); SIGKILL only if it does not exit in time. */
  async stop(): Promise<void> {
    const pid = this.pid;
    if (pid === null) return;
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGTERM');
    // The deadline is cancelled once the daemon exits: a pending timer would keep the process alive.
    const deadline = new AbortController();
    const exited = await Promise.race([
      this.#exited.then(() => true),
      sleep(STOP_TIMEOUT_MS, false, { signal: deadline.signal }).catch(() => true),
    ]);
    deadline.abort();
    if (!exited) {
      this.kill('SIGKILL');
      await this.#exited;
    }
  }

  /** Runs the docker CLI against this daemon; resolves with trimmed stdout. */
  docker(...args: string[]): Promise<string> {
    return new Promise((done, fail) => {
      execFile(
        'docker',
        ['-H', `unix://${this.socket}`, ...args],
        { env: { ...process.env, DOCKER_CONFIG: join(this.home, 'cli') }, timeout: 120_000, maxBuffer: 16 << 20 },
        (error, stdout, stderr) => {
          if (error) fail(new Error(`docker ${args.join(' ')} (daemon ${this.id}): ${stderr.trim() || error.message}`));
          else done(stdout.trim());
        },
      );
    });
  }

  /** GET /_ping over the socket; false on any error. */
  ping(timeoutMs = 2_000): Promise<boolean> {
    return new Promise((done) => {
      const request = http.get({ socketPath: this.socket, path: '/_ping', timeout: timeoutMs }, (response) => {
        response.resume();
        done(response.statusCode === 200);
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => done(false));
    });
  }

  #arguments(): string[] {
    return [
      `--host=unix://${this.socket}`,
      `--data-root=${join(this.home, 'data')}`,
      `--exec-root=${join(this.home, 'exec')}`,
      `--pidfile=${join(this.home, 'dockerd.pid')}`,
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      '--bridge=none',
      '--storage-driver=vfs',
      '--userland-proxy=false',
      // shm mounts per container would outlive a kill -9 and make the root hard to delete.
      '--default-ipc-mode=private',
      // busybox sleep as PID 1 ignores SIGTERM: do not wait the default 15 s per stop.
      '--shutdown-timeout=1',
      // In case a system containerd runs, keep this daemon's containers apart in it.
      `--containerd-namespace=rs-${this.id}`,
      `--containerd-plugins-namespace=rs-${this.id}-plugins`,
    ];
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.pid === null) break;
      if (await this.ping()) return;
      await sleep(100);
    }
    const log = await readFile(join(this.home, 'dockerd.log'), 'utf8').catch(() => '');
    throw new Error(`dockerd ${this.id} did not become ready; last log lines:\n${log.split('\n').slice(-15).join('\n')}`);
  }
}

export class DaemonFarm {
  readonly root: string;
  readonly daemons: DockerDaemon[] = [];
  readonly #imageTar: string;
  readonly #detached: boolean;
  readonly #onExit = () => {
    // Last resort when the process exits without stop(): ask our daemons to shut down.
    for (const daemon of this.daemons) {
      try {
        daemon.kill('SIGCONT');
        daemon.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  };

  private constructor(root: string, detached: boolean) {
    this.root = root;
    this.#imageTar = join(root, 'busybox-rootfs.tar');
    this.#detached = detached;
    if (!detached) process.once('exit', this.#onExit);
  }

  static async create(root: string, detached = false): Promise<DaemonFarm> {
    await mkdir(join(root, 'daemons'), { recursive: true });
    const farm = new DaemonFarm(root, detached);
    await farm.#buildImageTar();
    return farm;
  }

  /** Starts one more daemon in this root (its socket appears in the glob directory). */
  async add(id: string): Promise<DockerDaemon> {
    if (this.daemons.some((daemon) => daemon.id === id)) throw new Error(`daemon ${id} exists already`);
    const daemon = new DockerDaemon(this.root, id, this.#imageTar, this.#detached);
    this.daemons.push(daemon);
    await daemon.start();
    return daemon;
  }

  /** Stops every daemon, unmounts what they left under the root, and deletes the root. */
  async stop(): Promise<void> {
    await Promise.all(this.daemons.map((daemon) => daemon.stop()));
    process.removeListener('exit', this.#onExit);
    await removeRoot(this.root);
  }

  /** A rootfs of busybox and its links, tarred once; `docker import` turns it into an image. */
  async #buildImageTar(): Promise<void> {
    const rootfs = join(this.root, 'busybox-rootfs');
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await copyFile(BUSYBOX, join(rootfs, 'bin', 'busybox'));
    for (const link of BUSYBOX_LINKS) await symlink('busybox', join(rootfs, 'bin', link)).catch(ignoreExists);
    await run('tar', ['-C', rootfs, '-cf', this.#imageTar, '.']);
  }
}

export interface StartDaemonsOptions {
  /** Temp root for sockets and state; default `/tmp/rs-daemons-<pid>`. */
  readonly root?: string;
  /** Daemon ids; default 2816, 2880, … */
  readonly ids?: readonly string[];
  /** Let the daemons outlive this process (CLI `up`). */
  readonly detached?: boolean;
}

export async function startDaemons(count: number, options: StartDaemonsOptions = {}): Promise<DaemonFarm> {
  const root = resolve(options.root ?? `/tmp/rs-daemons-${process.pid}`);
  const ids = options.ids ?? networkIds(count);
  if (ids.length !== count) throw new Error(`startDaemons: ${count} daemons but ${ids.length} ids`);
  const farm = await DaemonFarm.create(root, options.detached ?? false);
  try {
    // Two cores: starting them all at once is no faster and makes readiness timeouts likelier.
    for (const id of ids) await farm.add(id);
  } catch (error) {
    await farm.stop().catch(() => {});
    throw error;
  }
  return farm;
}

/** Unmounts leftovers (dockerd leaves exec-root/netns/default mounted) deepest first, then deletes. */
async function removeRoot(root: string): Promise<void> {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
  for (const point of mountPoints) await run('umount', ['-l', point]).catch(() => {});
  await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((done, fail) => {
    execFile(command, [...args], (error, _stdout, stderr) => {
      if (error) fail(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else done();
    });
  });
}

/** Whether `tool` is an executable on PATH (or in the sbin directories, where dockerd lives). */
export function onPath(tool: string): boolean {
  return (process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin')
    .split(':')
    .concat(['/usr/sbin', '/sbin'])
    .some((directory) => {
      try {
        accessSync(join(directory, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function ignoreExists(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}

// ---- CLI for humans ----

interface FarmRecord {
  readonly daemons: readonly { readonly id: string; readonly pid: number; readonly socket: string }[];
}

async function up(count: number, root: string): Promise<void> {
  const farm = await startDaemons(count, { root, detached: true });
  const record: FarmRecord = {
    daemons: farm.daemons.map((daemon) => ({ id: daemon.id, pid: daemon.pid ?? 0, socket: daemon.socket })),
  };
  await writeFile(join(root, 'farm.json'), JSON.stringify(record, null, 2) + '\n');
  for (const daemon of record.daemons) console.log(`${daemon.id}\tpid ${daemon.pid}\t${daemon.socket}`);
  console.log(`\nimage ${BUSYBOX_IMAGE}; try: docker -H unix://${record.daemons[0]?.socket} run -d --network host ${BUSYBOX_IMAGE} sleep 1d`);
  console.log(`stop with: node --import tsx test/support/daemons.ts down ${root}`);
}

async function down(root: string): Promise<void> {
  const record = JSON.parse(await readFile(join(root, 'farm.json'), 'utf8')) as FarmRecord;
  for (const { id, pid } of record.daemons) {
    // The pid is ours only if it is still a dockerd serving this root (pids get reused).
    let commandLine = '';
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!commandLine.startsWith('dockerd\0') || !commandLine.includes(root)) continue;
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (existsSync(`/proc/${pid}`) && Date.now() < deadline) await sleep(100);
    if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
    console.log(`${id}\tstopped`);
  }
  await removeRoot(root);
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, first, second] = argv;
  const unavailable = daemonsUnavailableReason();
  if (unavailable !== null) throw new Error(`cannot run Docker daemons: ${unavailable}`);
  if (command === 'up' && first !== undefined && /^\d+$/.test(first) && second !== undefined) {
    await up(Number(first), resolve(second));
  } else if (command === 'down' && first !== undefined) {
    await down(resolve(first));
  } else {
    throw new Error('usage: daemons.ts up COUNT ROOT | down ROOT');
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
