import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocatePorts, freePorts, keptAllocations, type PortAllocation, type PortRequest } from './ports.ts';

const ranges = { tcp: { first: 10000, last: 10002 }, udp: undefined };
const req = (daemon: string, router: string): PortRequest => ({ protocol: 'tcp', daemon, router });

test('new routers get the lowest free ports, deterministically', () => {
  const result = allocatePorts([req('2880', 'b'), req('2816', 'a')], [], ranges, new Set(), 1);
  assert.deepEqual([...result.assigned], [
    ['tcp/2816/a', 10000],
    ['tcp/2880/b', 10001],
  ]);
});

test('an allocation sticks to its router across renders, also while the router is gone', () => {
  const first = allocatePorts([req('2816', 'a'), req('2816', 'b')], [], ranges, new Set(), 1);
  const withoutA = allocatePorts([req('2816', 'b'), req('2816', 'c')], first.allocations, ranges, new Set(), 2);
  assert.equal(withoutA.assigned.get('tcp/2816/b'), 10001);
  assert.equal(withoutA.assigned.get('tcp/2816/c'), 10002, 'a keeps its port while dormant');
  const aBack = allocatePorts([req('2816', 'a'), req('2816', 'b'), req('2816', 'c')], withoutA.allocations, ranges, new Set(), 3);
  assert.equal(aBack.assigned.get('tcp/2816/a'), 10000);
});

test('a full range evicts the least recently seen dormant allocation, else reports exhaustion', () => {
  const previous: PortAllocation[] = [
    { protocol: 'tcp', port: 10000, daemon: '2816', router: 'old', lastSeen: 5 },
    { protocol: 'tcp', port: 10001, daemon: '2816', router: 'older', lastSeen: 1 },
    { protocol: 'tcp', port: 10002, daemon: '2816', router: 'live', lastSeen: 5 },
  ];
  const result = allocatePorts([req('2816', 'live'), req('2880', 'new')], previous, ranges, new Set(), 9);
  assert.equal(result.assigned.get('tcp/2880/new'), 10001);
  assert.deepEqual(result.exhausted, []);
  const full = allocatePorts([req('2816', 'live'), req('2880', 'new'), req('2816', 'old'), req('2944', 'late')], result.allocations, ranges, new Set(), 10);
  assert.deepEqual(full.exhausted, [req('2944', 'late')]);
});

test('ports a router names explicitly are never allocated, and not free', () => {
  const explicit = new Set(['tcp-10000']);
  const result = allocatePorts([req('2816', 'a')], [], ranges, explicit, 1);
  assert.equal(result.assigned.get('tcp/2816/a'), 10001);
  assert.deepEqual(freePorts('tcp', ranges.tcp, result.allocations, explicit), [10002]);
});

test('no range configured: the request is reported as exhausted', () => {
  const result = allocatePorts([{ protocol: 'udp', daemon: '2816', router: 'dns' }], [], ranges, new Set(), 1);
  assert.equal(result.exhausted.length, 1);
});

test('kept allocations: inside the range, one per router and one per port', () => {
  const previous: PortAllocation[] = [
    { protocol: 'tcp', port: 10000, daemon: '2816', router: 'a', lastSeen: 1 },
    { protocol: 'tcp', port: 10001, daemon: '2816', router: 'a', lastSeen: 2 },
    { protocol: 'tcp', port: 10000, daemon: '2880', router: 'b', lastSeen: 3 },
    { protocol: 'tcp', port: 9000, daemon: '2880', router: 'c', lastSeen: 3 },
    { protocol: 'udp', port: 10002, daemon: '2880', router: 'd', lastSeen: 3 },
  ];
  assert.deepEqual(keptAllocations(previous, ranges), [previous[0]]);
});

test('a full range never takes back a port an accepted router names itself', () => {
  const previous: PortAllocation[] = [
    { protocol: 'tcp', port: 10000, daemon: '2816', router: 'gone', lastSeen: 1 },
    { protocol: 'tcp', port: 10001, daemon: '2816', router: 'named', lastSeen: 2 },
    { protocol: 'tcp', port: 10002, daemon: '2816', router: 'live', lastSeen: 3 },
  ];
  const result = allocatePorts([req('2816', 'live'), req('2880', 'new'), req('2944', 'newer')], previous, ranges, new Set(['tcp-10001']), 9);
  assert.equal(result.assigned.get('tcp/2880/new'), 10000);
  assert.deepEqual(result.exhausted, [req('2944', 'newer')]);
  assert.ok(result.allocations.some((a) => a.router === 'named'), 'the allocation of a router that now names its port stays');
});

test('new ports go to older routers first; unknown ages last', () => {
  const result = allocatePorts(
    [{ ...req('2816', 'a') }, { ...req('2880', 'b'), age: 5 }, { ...req('2944', 'c'), age: 1 }, { ...req('3008', 'd'), age: 9 }],
    [],
    ranges,
    new Set(),
    1,
  );
  assert.deepEqual([...result.assigned], [
    ['tcp/2944/c', 10000],
    ['tcp/2880/b', 10001],
    ['tcp/3008/d', 10002],
  ]);
  assert.deepEqual(result.exhausted, [req('2816', 'a')]);
  assert.ok(result.allocations.every((a) => !('age' in a)), 'ages are not persisted');
});
