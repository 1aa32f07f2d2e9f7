// The scale benchmarks' fake daemons answer as dockerd does where route-server looks: dockerode's
// calls, Docker's filters, the events of start/stop/recreate, and Discovery following them.

import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';

import { Discovery } from '../../src/source/discovery.ts';
import { DockerClient } from '../../src/source/docker-client.ts';
import { LineSplitter, parseContainerEvent, type ContainerEvent } from '../../src/source/docker-events.ts';
import { benchContainerName, benchLabels } from './bench-workload.ts';
import { FakeDockerFarm } from './fake-docker-farm.ts';
import { waitFor } from './wait.ts';

function get(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('fake Docker farm', { timeout: 30_000 }, () => {
  let root: string;
  let farm: FakeDockerFarm;
  const signal = new AbortController().signal;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rs-fake-farm-'));
    farm = await FakeDockerFarm.start(root, 3, 4);
  });
  after(async () => {
    await farm.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('answers dockerode: ping, list, inspect, 404 for an unknown container', async () => {
    const daemon = farm.daemons[0]!;
    const client = new DockerClient({ kind: 'unix', path: daemon.socket }, 1_000);
    try {
      await client.ping(signal);
      const ids = await client.listContainers(signal);
      assert.equal(ids.length, 4);
      const name = benchContainerName(2816, 1);
      const info = await client.inspectContainer(daemon.idOf(name), signal);
      assert.equal(info?.Name, `/${name}`);
      assert.deepEqual(info?.Config?.Labels, benchLabels(2816, 1));
      assert.equal(info?.State?.Status, 'running');
      assert.equal(await client.inspectContainer('f'.repeat(64), signal), null);
    } finally {
      client.close();
    }
  });

  it('serves versioned paths and Docker filters', async () => {
    const daemon = farm.daemons[1]!;
    const name = benchContainerName(2880, 2);
    assert.equal((await get(daemon.socket, '/v1.41/_ping')).body, 'OK');
    assert.equal(JSON.parse((await get(daemon.socket, '/v1.41/version')).body).ApiVersion, '1.43');
    daemon.stop(name);
    const running = JSON.parse((await get(daemon.socket, '/v1.41/containers/json')).body) as { Names: string[] }[];
    assert.equal(running.length, 3);
    const all = JSON.parse((await get(daemon.socket, '/containers/json?all=1')).body) as unknown[];
    assert.equal(all.length, 4);
    const filters = encodeURIComponent(JSON.stringify({ status: ['exited'], label: ['traefik.enable=true'] }));
    const exited = JSON.parse((await get(daemon.socket, `/containers/json?all=1&filters=${filters}`)).body) as { Names: string[] }[];
    assert.deepEqual(exited.map((c) => c.Names[0]), [`/${name}`]);
    assert.equal((await get(daemon.socket, '/containers/json?filters=nope')).status, 400);
    daemon.start(name);
  });

  it('streams the events of start, stop and a recreate, filtered as asked', async () => {
    const daemon = farm.daemons[2]!;
    const client = new DockerClient({ kind: 'unix', path: daemon.socket }, 1_000);
    const stream = (await client.openEvents(signal)) as Readable;
    const seen: ContainerEvent[] = [];
    const lines = new LineSplitter();
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of lines.push(chunk)) seen.push(parseContainerEvent(line)!);
    });
    try {
      const name = benchContainerName(2944, 0);
      const oldId = daemon.idOf(name);
      daemon.stop(name);
      daemon.start(name);
      const newId = daemon.relabel(name, benchLabels(2944, 0, 1));
      // `create` is not among the actions route-server subscribes to: the daemon filters it out.
      const expected = [
        ['kill', oldId], ['die', oldId], ['stop', oldId], ['start', oldId],
        ['kill', oldId], ['die', oldId], ['stop', oldId], ['destroy', oldId], ['start', newId],
      ];
      await waitFor(() => seen.length >= expected.length, { what: 'the events' });
      assert.deepEqual(seen.map((e) => [e.action, e.containerId]), expected);
    } finally {
      stream.destroy();
      client.close();
    }
  });

  it('is followed by Discovery: a relabel shows up in the snapshot', async () => {
    const discovery = new Discovery({ sockets: farm.glob, dockerHosts: [], resyncIntervalMs: 0, debounceMinMs: 0, debounceMaxMs: 0 });
    try {
      await discovery.start();
      await discovery.whenSettled();
      assert.deepEqual(discovery.snapshot().daemons.map((d) => [d.id, d.containers.length]), [['2816', 4], ['2880', 4], ['2944', 4]]);
      const name = benchContainerName(2816, 3);
      farm.daemon('2816').relabel(name, benchLabels(2816, 3, 7));
      await waitFor(
        () => discovery.daemonSnapshot('2816')?.containers.find((c) => c.name === name)?.labels['rediacc.tcp_ports'] === '8087,8443',
        { what: 'the new labels' },
      );
    } finally {
      await discovery.stop();
    }
  });
});
