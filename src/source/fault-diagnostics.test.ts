import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daemonStatus } from '../../test/support/runtime-view.ts';
import type { ContainerSnapshot } from '../model/snapshot.ts';
import { containerFaultDiagnostics } from './fault-diagnostics.ts';

test('a container the daemon fails to inspect is a diagnostic naming daemon and container', () => {
  const since = Date.parse('2025-06-01T12:00:00.000Z');
  const known = { id: 'a'.repeat(64), name: 'web' } as ContainerSnapshot;
  const daemons = [
    daemonStatus('2816', {
      containers: [known],
      containerFaults: [
        { id: known.id, name: 'web', error: 'inspect aaaaaaaaaaaa failed: (HTTP code 500) server error', since, failures: 2 },
        { id: 'b'.repeat(64), name: null, error: 'inspect bbbbbbbbbbbb failed: (HTTP code 409) conflict', since, failures: 1 },
      ],
    }),
    daemonStatus('2880'),
  ];
  assert.deepEqual(containerFaultDiagnostics(daemons), [
    {
      daemon: '2816',
      container: 'web',
      severity: 'warning',
      code: 'container-inspect-failed',
      message: 'inspect aaaaaaaaaaaa failed: (HTTP code 500) server error (2 times in a row, since 2025-06-01T12:00:00.000Z); its last known state is routed; retrying',
    },
    {
      daemon: '2816',
      container: 'bbbbbbbbbbbb',
      severity: 'error',
      code: 'container-inspect-failed',
      message: 'inspect bbbbbbbbbbbb failed: (HTTP code 409) conflict (once, since 2025-06-01T12:00:00.000Z); it is not routed until it can be read; retrying',
    },
  ]);
});
