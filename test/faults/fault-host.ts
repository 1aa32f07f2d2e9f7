// The host the fault suite breaks: three real dockerd processes (2816, 2880, 2944) with labelled
// busybox containers, the output directory inside a small tmpfs of its own (so it can be made
// read-only or full, honestly, even for root), and a running `route-server run` against them.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

import { BUSYBOX_IMAGE, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import { runningNames } from '../support/docker-api.ts';
import { executeGoTemplate } from '../support/go-template.ts';
import { RouteServerProcess } from '../support/route-server-process.ts';

export const IDS = ['2816', '2880', '2944'] as const;
/** Containers each daemon starts with: app0 … app5, auto-routed as `appN-<id>`. */
export const APPS = 6;
/** Big enough for the fragments, small enough to fill in a moment. */
const TMPFS_SIZE = '256k';

export class FaultHost {
  readonly farm: DaemonFarm;
  readonly fs: string;
  readonly out: string;
  readonly state: string;
  server!: RouteServerProcess;

  private constructor(farm: DaemonFarm) {
    this.farm = farm;
    this.fs = join(farm.root, 'fs');
    this.out = join(this.fs, 'out');
    this.state = join(farm.root, 'state');
  }

  static async create(): Promise<FaultHost> {
    const farm = await startDaemons(IDS.length, { ids: IDS });
    const host = new FaultHost(farm);
    mkdirSync(host.fs, { recursive: true });
    // No fallback: a read-only or full directory cannot be faked for root without its own mount.
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0755`, 'tmpfs', host.fs]);
    mkdirSync(host.out);
    await Promise.all(
      farm.daemons.map(async (daemon) => {
        for (let i = 0; i < APPS; i++) await host.app(daemon, `app${i}`, 2 + i);
      }),
    );
    await host.startServer();
    return host;
  }

  daemon(id: string): DockerDaemon {
    return this.farm.daemons.find((d) => d.id === id) as DockerDaemon;
  }

  /** A sleeping busybox on the host network with an auto-route; it comes back when its daemon does. */
  app(daemon: DockerDaemon, name: string, offset: number): Promise<string> {
    const base = Number(daemon.id);
    const ip = `127.${(base >> 16) & 255}.${(base >> 8) & 255}.${(base & 255) + offset}`;
    return daemon.docker('run', '-d', '--restart', 'unless-stopped', '--network', 'host', '--name', name,
      '--label', `rediacc.service_name=${name}`, '--label', `rediacc.service_ip=${ip}`, '--label', `rediacc.network_id=${daemon.id}`,
      BUSYBOX_IMAGE, 'sleep', '1d');
  }

  async startServer(): Promise<void> {
    this.server = await RouteServerProcess.start([
      '--sockets', join(this.farm.root, 'docker-*.sock'),
      '--out', this.out,
      '--state-dir', this.state,
      '--base-domain', 'example.com',
      '--resync-interval', '5s',
    ]);
  }

  healthUrl(): string {
    return this.server.url('/health');
  }

  file(id: string): string {
    return join(this.out, `rs-${id}.yml`);
  }

  /** The router names in a daemon's fragment, as Traefik reads it; null when it has no file. */
  routersOnDisk(id: string): string[] | null {
    if (!existsSync(this.file(id))) return null;
    const config = parseYaml(executeGoTemplate(readFileSync(this.file(id), 'utf8'))) as any;
    return Object.keys(config?.http?.routers ?? {}).sort();
  }

  /**
   * The truth, from the daemons themselves: one auto-route per running container, no file for a
   * daemon with none. Returns what differs (empty when the files say exactly that).
   */
  async differences(): Promise<string[]> {
    const differences: string[] = [];
    for (const daemon of this.farm.daemons) {
      const expected = (await runningNames(daemon.socket)).map((name) => `${name}-${daemon.id}`).sort();
      const onDisk = this.routersOnDisk(daemon.id);
      const wanted = expected.length === 0 ? null : expected;
      if (JSON.stringify(onDisk) !== JSON.stringify(wanted)) differences.push(`${daemon.id}: daemon runs ${JSON.stringify(wanted)}, file has ${JSON.stringify(onDisk)}`);
    }
    return differences;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.farm.stop(); // unmounts what is mounted under its root, the tmpfs included
  }
}
