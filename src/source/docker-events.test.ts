import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LineSplitter, parseContainerEvent } from './docker-events.ts';

/** Shaped like dockerd 20.10's `/events` output. */
function event(type: string, action: string, id = 'abc'): string {
  return JSON.stringify({
    status: action,
    id,
    Type: type,
    Action: action,
    Actor: { ID: id, Attributes: { name: 'web' } },
    scope: 'local',
    time: 1795314517,
    timeNano: 1795314517123456789,
  });
}

describe('parseContainerEvent', () => {
  it('reads container lifecycle events', () => {
    for (const action of ['start', 'die', 'stop', 'kill', 'pause', 'unpause', 'rename', 'destroy']) {
      assert.deepEqual(parseContainerEvent(event('container', action)), { containerId: 'abc', action });
    }
  });

  it('reduces `health_status: …` to health_status', () => {
    assert.deepEqual(parseContainerEvent(event('container', 'health_status: unhealthy')), {
      containerId: 'abc',
      action: 'health_status',
    });
  });

  it('ignores other actions and types (a daemon or proxy that ignores filters)', () => {
    for (const line of [
      event('container', 'exec_start: /bin/sh -c true'),
      event('container', 'create'),
      event('container', 'attach'),
      event('network', 'connect'),
      event('image', 'pull'),
      '{"Type":"container","Action":"start","Actor":{}}',
      'not json',
      'null',
      '42',
    ]) {
      assert.equal(parseContainerEvent(line), null, line);
    }
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks and skips blank lines', () => {
    const lines = new LineSplitter();
    assert.deepEqual(lines.push('{"a":'), []);
    assert.deepEqual(lines.push('1}\n{"b"'), ['{"a":1}']);
    assert.deepEqual(lines.push(':2}\n\n{"c":3}\n'), ['{"b":2}', '{"c":3}']);
    assert.deepEqual(lines.push(''), []);
  });
});
