// Discovery against real dockerd processes and real containers (test/support/daemons.ts). Needs root,
// docker.io and busybox-static; without them every suite is reported as skipped, with the reason.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';

import { BUSYBOX_IMAGE, daemonsUnavailableReason, startDaemons, type DaemonFarm, type DockerDaemon } from '../support/daemons.ts';
import type { ContainerSnapshot } from '../../src/model/snapshot.ts';
import { collectSnapshot, Discovery, type DaemonStatus } from '../../src/source/discovery.ts';
import { waitFor } from '../support/wait.ts';

const SUITES = [
  'container changes are reflected',
  'a daemon killed and restarted',
  'a frozen daemon',
  'sockets appearing and disappearing',
  'explicit endpoints and collectSnapshot',
];

const unavailable = daemonsUnavailableReason();
if (unavailable !== null) {
  process.stderr.write(
    `\n${'!'.repeat(78)}\n! test/integration/discovery.test.ts: SKIPPING ${SUITES.length} suites against real Docker daemons:\n` +
      SUITES.map((suite) => `!   - ${suite}\n`).join('') +
      `! because ${unavailable}.\n${'!'.repeat(78)}\n\n`,
  );
}

/** Fast timings so failures are noticed in a second, not in the production 10 s. */
const TIMINGS = {
  resyncIntervalMs: 5_000,
  debounceMinMs: 20,
  debounceMaxMs: 200,
  backoffInitialMs: 100,
  backoffMaxMs: 1_000,
  requestTimeoutMs: 1_000,
  heartbeatIntervalMs: 500,
};
const WAIT_MS = 30_000;

let farm: DaemonFarm;
let discovery: Discovery;
const updates: string[] = [];

function daemonStatus(id: string): DaemonStatus | undefined {
  return discovery.status().find((daemon) => daemon.id === id);
}

function container(daemon: DockerDaemon, name: string): ContainerSnapshot | undefined {
  return daemonStatus(daemon.id)?.containers.find((record) => record.name === name);
}

function waitContainer(daemon: DockerDaemon, name: string, what: string, check: (record: ContainerSnapshot) => boolean) {
  return waitFor(
    () => {
      const record = container(daemon, name);
      return record !== undefined && check(record) ? record : undefined;
    },
    { what: `${name} on ${daemon.id}: ${what}`, timeoutMs: WAIT_MS },
  );
}

function waitGone(daemon: DockerDaemon, name: string) {
  return waitFor(() => container(daemon, name) === undefined, { what: `${name} gone from ${daemon.id}`, timeoutMs: WAIT_MS });
}

/** A long-running busybox container on the host network, stoppable at once thanks to --init. */
function run(daemon: DockerDaemon, name: string, ...extra: string[]): Promise<string> {
  return daemon.docker('run', '-d', '--init', '--network', 'host', '--name', name, ...extra, BUSYBOX_IMAGE, 'sleep', '1d');
}

/** A loopback TCP port relayed to a daemon's unix socket, as a TCP socket proxy would be. */
async function tcpRelay(socketPath: string): Promise<{ port: number; close(): void }> {
  const connections = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(socketPath);
    for (const end of [client, upstream]) {
      connections.add(end);
      end.on('close', () => connections.delete(end));
      end.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close() {
      server.close();
      for (const connection of connections) connection.destroy();
    },
  };
}

async function runningIds(daemon: DockerDaemon): Promise<string[]> {
  const out = await daemon.docker('ps', '--no-trunc', '--format', '{{.ID}}');
  return out.split('\n').filter((line) => line !== '').sort();
}

if (unavailable !== null) {
  // One skipped test per suite, so the runner's totals show them as skipped, with the reason.
  describe('discovery against real Docker daemons', () => {
    for (const suite of SUITES) it(suite, { skip: `real Docker daemons unavailable: ${unavailable}` }, () => {});
  });
} else describe('discovery against real Docker daemons', { timeout: 600_000 }, () => {
  before(
    async () => {
      farm = await startDaemons(3);
      discovery = new Discovery({ sockets: `${farm.root}/docker-*.sock`, dockerHosts: [], ...TIMINGS });
      discovery.on('update', (id) => updates.push(id));
      await discovery.start();
      await discovery.whenSettled();
    },
    { timeout: 180_000 },
  );

  after(
    async () => {
      await discovery?.stop();
      await farm?.stop();
    },
    { timeout: 120_000 },
  );

  it('attaches every daemon of the glob at start and syncs it', () => {
    const status = discovery.status();
    assert.deepEqual(
      status.map((daemon) => [daemon.id, daemon.state, daemon.synced]),
      farm.daemons.map((daemon) => [daemon.id, 'connected', true]),
    );
    assert.deepEqual(
      discovery.snapshot().daemons.map((daemon) => [daemon.id, daemon.socket, daemon.containers.length]),
      farm.daemons.map((daemon) => [daemon.id, daemon.socket, 0]),
    );
  });

  describe(SUITES[0]!, () => {
    it('started, renamed, paused, unpaused, stopped, restarted and removed', async () => {
      const [daemon, other] = farm.daemons as [DockerDaemon, DockerDaemon];
      const id = await daemon.docker(
        'run', '-d', '--init', '--network', 'host', '--name', 'web',
        '--label', 'rediacc.service_name=web', '--label', 'rediacc.service_ip=127.0.11.2', '--label', 'rediacc.tcp_ports=18080',
        BUSYBOX_IMAGE, 'httpd', '-f', '-p', '127.0.11.2:18080',
      );
      const web = await waitContainer(daemon, 'web', 'running', (record) => record.state === 'running');
      assert.equal(web.id, id);
      assert.equal(web.networkMode, 'host');
      assert.equal(web.health, null);
      assert.deepEqual(web.labels, {
        'rediacc.service_ip': '127.0.11.2',
        'rediacc.service_name': 'web',
        'rediacc.tcp_ports': '18080',
      });
      assert.ok(web.created !== null && Math.abs(web.created - Date.now() / 1000) < 600, 'created is in Unix seconds');
      assert.ok(updates.includes(daemon.id), 'an update was announced for the daemon');
      assert.equal(daemonStatus(other.id)?.containers.length, 0, 'other daemons are not affected');

      await daemon.docker('rename', 'web', 'web-renamed');
      await waitContainer(daemon, 'web-renamed', 'renamed', () => true);
      assert.equal(container(daemon, 'web'), undefined);

      await daemon.docker('pause', 'web-renamed');
      await waitContainer(daemon, 'web-renamed', 'paused', (record) => record.state === 'paused');
      await daemon.docker('unpause', 'web-renamed');
      await waitContainer(daemon, 'web-renamed', 'running again', (record) => record.state === 'running');

      await daemon.docker('stop', '-t', '1', 'web-renamed');
      await waitGone(daemon, 'web-renamed');
      await daemon.docker('start', 'web-renamed');
      await waitContainer(daemon, 'web-renamed', 'started again', (record) => record.state === 'running');
      await daemon.docker('rm', '-f', 'web-renamed');
      await waitGone(daemon, 'web-renamed');
      assert.ok(daemonStatus(daemon.id)!.eventsReceived >= 8);
    });

    it('health checks: starting, then unhealthy or healthy', async () => {
      const daemon = farm.daemons[0]!;
      const health = ['--health-interval', '1s', '--health-retries', '1', '--health-timeout', '1s'];
      await run(daemon, 'sick', '--health-cmd', 'false', ...health);
      await run(daemon, 'fine', '--health-cmd', 'true', ...health);
      const sick = await waitContainer(daemon, 'sick', 'listed', () => true);
      assert.ok(sick.health === 'starting' || sick.health === 'unhealthy', `health ${sick.health}`);
      await waitContainer(daemon, 'sick', 'unhealthy', (record) => record.health === 'unhealthy');
      await waitContainer(daemon, 'fine', 'healthy', (record) => record.health === 'healthy');
      await daemon.docker('rm', '-f', 'sick', 'fine');
      await waitGone(daemon, 'sick');
      await waitGone(daemon, 'fine');
    });
  });

  describe(SUITES[1]!, () => {
    it('goes to error/reconnecting, keeps the last known containers, then reconnects and resyncs', async () => {
      const daemon = farm.daemons[1]!;
      await run(daemon, 'keep', '--restart', 'always');
      await run(daemon, 'plain');
      await waitContainer(daemon, 'keep', 'running', () => true);
      await waitContainer(daemon, 'plain', 'running', () => true);
      const beforeKill = daemonStatus(daemon.id)!;

      daemon.kill('SIGKILL');
      const down = await waitFor(
        () => {
          const status = daemonStatus(daemon.id);
          return status?.state === 'error' || status?.state === 'reconnecting' ? status : undefined;
        },
        { what: `${daemon.id} noticed as down`, timeoutMs: WAIT_MS },
      );
      assert.ok(down.lastError !== null, 'the reason is reported');
      assert.deepEqual(
        down.containers.map((record) => record.name),
        ['keep', 'plain'],
        'routes stay while the daemon is away',
      );
      assert.ok(discovery.snapshot().daemons.some((snapshot) => snapshot.id === daemon.id));

      await daemon.restart();
      // dockerd kills containers of the previous run (no live-restore); `--restart always` comes back.
      const expected = await waitFor(
        async () => {
          const ids = await runningIds(daemon);
          return ids.length === 1 ? ids : undefined;
        },
        { what: `only keep running on ${daemon.id} after restart`, timeoutMs: WAIT_MS },
      );
      const afterRestart = await waitFor(
        () => {
          const status = daemonStatus(daemon.id);
          const ids = status?.containers.map((record) => record.id).sort();
          return status?.state === 'connected' && JSON.stringify(ids) === JSON.stringify(expected) ? status : undefined;
        },
        { what: `${daemon.id} reconnected and resynced`, timeoutMs: WAIT_MS },
      );
      assert.ok(afterRestart.reconnects > beforeKill.reconnects, `reconnects ${beforeKill.reconnects} -> ${afterRestart.reconnects}`);
      assert.deepEqual(
        afterRestart.containers.map((record) => record.name),
        ['keep'],
      );
      assert.ok(afterRestart.lastSyncAt !== null && afterRestart.lastSyncAt > beforeKill.lastSyncAt!);

      await daemon.docker('rm', '-f', 'keep', 'plain');
      await waitGone(daemon, 'keep');
    });
  });

  describe(SUITES[2]!, () => {
    it('SIGSTOP on one daemon does not hold back the events of the others; SIGCONT recovers it', async () => {
      const [first, second, frozen] = farm.daemons as [DockerDaemon, DockerDaemon, DockerDaemon];
      frozen.kill('SIGSTOP');
      let thawed = false;
      try {
        // Events of the healthy daemons arrive while the third is still frozen.
        await run(first, 'during-freeze-1');
        await run(second, 'during-freeze-2');
        await waitContainer(first, 'during-freeze-1', 'seen during the freeze', () => true);
        await waitContainer(second, 'during-freeze-2', 'seen during the freeze', () => true);
        assert.equal(thawed, false);
        // The frozen daemon is noticed by its heartbeat: a timeout, not a hang.
        const stuck = await waitFor(
          () => {
            const status = daemonStatus(frozen.id);
            return status?.state === 'error' || status?.state === 'reconnecting' ? status : undefined;
          },
          { what: `${frozen.id} noticed as frozen`, timeoutMs: WAIT_MS },
        );
        assert.match(stuck.lastError ?? '', /timed out/);
        // And it keeps not delaying the others while it is in backoff.
        await first.docker('stop', '-t', '1', 'during-freeze-1');
        await waitGone(first, 'during-freeze-1');
      } finally {
        frozen.kill('SIGCONT');
        thawed = true;
      }
      await waitFor(() => daemonStatus(frozen.id)?.state === 'connected', { what: `${frozen.id} connected after SIGCONT`, timeoutMs: WAIT_MS });
      await run(frozen, 'after-thaw');
      await waitContainer(frozen, 'after-thaw', 'seen after the thaw', () => true);
      await Promise.all([first.docker('rm', '-f', 'during-freeze-1'), second.docker('rm', '-f', 'during-freeze-2'), frozen.docker('rm', '-f', 'after-thaw')]);
      await waitGone(second, 'during-freeze-2');
      await waitGone(frozen, 'after-thaw');
    });
  });

  describe(SUITES[3]!, () => {
    it('a daemon started later in the glob directory is attached; its socket removed, it is detached', async () => {
      const attached = new Promise<string>((resolve) => discovery.on('attach', (id) => id === '3008' && resolve(id)));
      const late = await farm.add('3008');
      assert.equal(await attached, '3008');
      await waitFor(() => daemonStatus('3008')?.state === 'connected', { what: '3008 connected', timeoutMs: WAIT_MS });
      await run(late, 'late-web');
      await waitContainer(late, 'late-web', 'running', () => true);

      const detached = new Promise<string>((resolve) => discovery.on('detach', (id) => id === '3008' && resolve(id)));
      await late.stop(); // a clean shutdown removes the socket
      assert.equal(await detached, '3008');
      assert.equal(daemonStatus('3008'), undefined);
      assert.ok(!discovery.snapshot().daemons.some((daemon) => daemon.id === '3008'));
      assert.deepEqual(
        discovery.status().map((daemon) => daemon.id),
        farm.daemons.slice(0, 3).map((daemon) => daemon.id),
      );
    });
  });

  describe(SUITES[4]!, () => {
    it('reads explicit unix:// and tcp:// endpoints and leaves out one that cannot be reached', async () => {
      const [daemon, other] = farm.daemons as [DockerDaemon, DockerDaemon];
      await run(daemon, 'explicit');
      await run(other, 'over-tcp');
      const relay = await tcpRelay(other.socket);
      try {
        const warnings: string[] = [];
        const snapshot = await collectSnapshot({
          sockets: '',
          dockerHosts: [
            { id: 'edge', url: `unix://${daemon.socket}` },
            { id: 'gone', url: `unix://${farm.root}/no-such.sock` },
            { id: 'remote', url: `tcp://127.0.0.1:${relay.port}` },
          ],
          ...TIMINGS,
          logger: { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} },
        });
        assert.deepEqual(
          snapshot.daemons.map((entry) => [entry.id, entry.socket, entry.containers.map((record) => record.name)]),
          [
            ['edge', `unix://${daemon.socket}`, ['explicit']],
            ['remote', `tcp://127.0.0.1:${relay.port}`, ['over-tcp']],
          ],
        );
        assert.ok(warnings.includes('daemon left out of the snapshot: not synced'), warnings.join('; '));
      } finally {
        relay.close();
      }
      await daemon.docker('rm', '-f', 'explicit');
      await other.docker('rm', '-f', 'over-tcp');
    });
  });
});
