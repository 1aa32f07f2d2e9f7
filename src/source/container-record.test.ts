import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareContainers, isListedState, sameContainer, toContainerSnapshot, toListedContainer, type DockerContainerInspect } from './container-record.ts';

/** Trimmed from a real `GET /containers/{id}/json` of dockerd 20.10 (host network, health check). */
const HOST_MODE: DockerContainerInspect = {
  Id: 'e87c99ad0512c99be3494a7115edf280cb8c376fff07a13a1c6e31d4af716518',
  Name: '/myapp',
  Created: '2026-11-22T02:28:37.123456789Z',
  State: { Status: 'running', Health: { Status: 'unhealthy' } },
  Config: { Labels: { 'rediacc.service_name': 'myapp', 'a.first': 'x' }, ExposedPorts: { '8080/tcp': {}, '53/udp': {} } },
  HostConfig: { NetworkMode: 'host' },
  NetworkSettings: { Ports: {}, Networks: { host: { IPAddress: '', GlobalIPv6Address: '' } } },
};

describe('toContainerSnapshot', () => {
  it('maps a host-network container', () => {
    const record = toContainerSnapshot(HOST_MODE);
    assert.deepEqual(record, {
      id: HOST_MODE.Id,
      name: 'myapp',
      created: 1795314517,
      labels: { 'a.first': 'x', 'rediacc.service_name': 'myapp' },
      state: 'running',
      health: 'unhealthy',
      ports: [
        { port: 53, protocol: 'udp' },
        { port: 8080, protocol: 'tcp' },
      ],
      networkMode: 'host',
      networks: {},
    });
    assert.deepEqual(Object.keys(record.labels), ['a.first', 'rediacc.service_name'], 'labels come out sorted');
  });

  it('unions exposed and published ports, and takes IPv6 when there is no IPv4', () => {
    const record = toContainerSnapshot({
      Id: 'b',
      Name: '/b',
      Created: '2026-01-01T00:00:00Z',
      State: { Status: 'paused' },
      Config: { Labels: null, ExposedPorts: { '80/tcp': {} } },
      HostConfig: { NetworkMode: 'bridge' },
      NetworkSettings: {
        Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '443/tcp': null, '9000-9001/tcp': null, 'junk': null },
        Networks: {
          bridge: { IPAddress: '172.17.0.2', GlobalIPv6Address: 'fd00::2' },
          v6only: { IPAddress: '', GlobalIPv6Address: 'fd00::3' },
        },
      },
    });
    assert.deepEqual(record.ports, [
      { port: 80, protocol: 'tcp' },
      { port: 443, protocol: 'tcp' },
    ]);
    assert.deepEqual(record.networks, { bridge: '172.17.0.2', v6only: 'fd00::3' });
    assert.equal(record.health, null, 'no health check');
    assert.deepEqual(record.labels, {});
    assert.equal(record.state, 'paused');
  });

  it('treats missing and zero creation times as unknown, and missing fields as empty', () => {
    assert.equal(toContainerSnapshot({ Created: '0001-01-01T00:00:00Z' }).created, null);
    assert.equal(toContainerSnapshot({ Created: 'yesterday' }).created, null);
    const bare = toContainerSnapshot({ Id: 'x' });
    assert.deepEqual(bare, {
      id: 'x',
      name: '',
      created: null,
      labels: {},
      state: 'unknown',
      health: null,
      ports: [],
      networkMode: 'default',
      networks: {},
    });
  });

  it('keeps a label called __proto__ as a label', () => {
    const record = toContainerSnapshot({ Config: { Labels: JSON.parse('{"__proto__":"x","b":"y"}') } });
    assert.equal(JSON.stringify(record.labels), '{"__proto__":"x","b":"y"}');
    assert.equal(Object.getPrototypeOf(record.labels), Object.prototype);
  });

  it('maps health starting and healthy; ignores "none"', () => {
    assert.equal(toContainerSnapshot({ State: { Status: 'running', Health: { Status: 'starting' } } }).health, 'starting');
    assert.equal(toContainerSnapshot({ State: { Status: 'running', Health: { Status: 'healthy' } } }).health, 'healthy');
    assert.equal(toContainerSnapshot({ State: { Status: 'running', Health: { Status: 'none' } } }).health, null);
  });
});

describe('sameContainer and order', () => {
  it('compares records of the same container equal regardless of Docker key order', () => {
    const a = toContainerSnapshot({ ...HOST_MODE, Config: { Labels: { x: '1', y: '2' } } });
    const b = toContainerSnapshot({ ...HOST_MODE, Config: { Labels: { y: '2', x: '1' } } });
    assert.equal(sameContainer(a, b), true);
    assert.equal(sameContainer(a, { ...a, state: 'paused' }), false);
  });

  it('sorts by name, then id', () => {
    const records = [toContainerSnapshot({ Id: '2', Name: '/b' }), toContainerSnapshot({ Id: '9', Name: '/a' }), toContainerSnapshot({ Id: '1', Name: '/b' })];
    assert.deepEqual(
      records.sort(compareContainers).map((r) => r.id),
      ['9', '1', '2'],
    );
  });

  it('lists what `docker ps` lists', () => {
    assert.deepEqual(
      ['running', 'paused', 'restarting', 'exited', 'created', 'dead', 'removing'].filter(isListedState),
      ['running', 'paused', 'restarting'],
    );
  });
});

describe('toListedContainer', () => {
  const entry = {
    Id: 'e87c99ad0512',
    Names: ['/myapp'],
    State: 'running',
    Status: 'Up 5 minutes (healthy)',
    Labels: { 'rediacc.service_name': 'myapp' },
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } } },
  };
  const summary = (changes: object) => toListedContainer({ ...entry, ...changes }).summary;

  it('ignores the uptime, so an idle container keeps its summary', () => {
    assert.equal(toListedContainer(entry).id, 'e87c99ad0512');
    assert.equal(summary({ Status: 'Up 6 hours (healthy)' }), summary({}));
  });

  it('changes with what the inspect reads: health, state, name, addresses', () => {
    for (const changes of [
      { Status: 'Up 5 minutes (unhealthy)' },
      { Status: 'Up 5 minutes' },
      { State: 'paused' },
      { Names: ['/renamed'] },
      { NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.3' } } } },
    ]) {
      assert.notEqual(summary(changes), summary({}), JSON.stringify(changes));
    }
  });
});
