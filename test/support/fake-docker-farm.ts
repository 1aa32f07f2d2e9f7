// Many fake Docker daemons in one process (scale benchmarks only): `docker-<id>.sock` under one
// directory, `perDaemon` running containers each, labelled as in bench-workload.ts.
//
//   node --import tsx test/support/fake-docker-farm.ts 1000 10 /tmp/rs-fake
// then commands on stdin, one a line: `start ID NAME`, `stop ID NAME`, `relabel ID NAME GEN`;
// the farm stops when stdin closes.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchContainerName, benchLabels, benchNetworkId } from './bench-workload.ts';
import { FakeDockerDaemon } from './fake-docker-daemon.ts';

export class FakeDockerFarm {
  readonly root: string;
  readonly daemons: readonly FakeDockerDaemon[];

  private constructor(root: string, daemons: readonly FakeDockerDaemon[]) {
    this.root = root;
    this.daemons = daemons;
  }

  static async start(root: string, count: number, perDaemon: number): Promise<FakeDockerFarm> {
    await mkdir(root, { recursive: true });
    const daemons = Array.from({ length: count }, (_, d) => {
      const networkId = benchNetworkId(d);
      const containers = Array.from({ length: perDaemon }, (_, i) => ({ name: benchContainerName(networkId, i), labels: benchLabels(networkId, i) }));
      return new FakeDockerDaemon(String(networkId), join(root, `docker-${networkId}.sock`), containers);
    });
    const farm = new FakeDockerFarm(root, daemons);
    try {
      for (const daemon of daemons) await daemon.listen();
    } catch (error) {
      await farm.stop();
      throw error;
    }
    return farm;
  }

  get glob(): string {
    return join(this.root, 'docker-*.sock');
  }

  daemon(id: string): FakeDockerDaemon {
    const daemon = this.daemons.find((d) => d.id === id);
    if (!daemon) throw new Error(`no fake daemon ${id}`);
    return daemon;
  }

  async stop(): Promise<void> {
    await Promise.all(this.daemons.map((daemon) => daemon.close()));
  }
}

async function main(args: string[]): Promise<void> {
  const [count = '10', perDaemon = '10', root = '/tmp/rs-fake-docker'] = args;
  const farm = await FakeDockerFarm.start(root, Number(count), Number(perDaemon));
  process.stdout.write(`${farm.daemons.length} fake daemons at ${farm.glob}\n`);
  const stop = () => void farm.stop().then(() => process.exit(0));
  process.on('SIGINT', stop).on('SIGTERM', stop);
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, id = '', name = '', generation = '1'] = line.trim().split(/\s+/);
    try {
      const daemon = farm.daemon(id);
      if (command === 'start') daemon.start(name);
      else if (command === 'stop') daemon.stop(name);
      else if (command === 'relabel') {
        const index = Number(/svc(\d+)/.exec(name)?.[1] ?? 0);
        daemon.relabel(name, benchLabels(Number(id), index, Number(generation)));
      } else throw new Error(`unknown command ${command}`);
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
    }
  }
  await farm.stop(); // stdin closed: nobody can command the farm any more
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
