// The snapshot reader refuses what cannot be rendered without guessing: one daemon id twice.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSnapshot } from './snapshot.ts';

const daemon = (id: unknown, socket: string) => ({ id, socket, containers: [] });

describe('parseSnapshot: daemon ids', () => {
  it('refuses a repeated id, naming both places', () => {
    const parsed = parseSnapshot({ daemons: [daemon('2816', '/run/a/docker-2816.sock'), daemon('2880', '/x'), daemon('2816', '/run/b/docker-2816.sock')] });
    assert.deepEqual(parsed, { ok: false, error: 'daemons[2].id: expected an id no other daemon has (daemons[0] has it), got "2816"' });
  });

  it('takes a numeric id and its string as the same id', () => {
    const parsed = parseSnapshot({ daemons: [daemon(2816, '/a'), daemon('2816', '/b')] });
    assert.deepEqual(parsed, { ok: false, error: 'daemons[1].id: expected an id no other daemon has (daemons[0] has it), got "2816"' });
  });

  it('refuses whichever order the daemons come in', () => {
    const parsed = parseSnapshot({ daemons: [daemon('2816', '/run/b/docker-2816.sock'), daemon('2816', '/run/a/docker-2816.sock')] });
    assert.equal(parsed.ok, false);
  });

  it('accepts distinct ids (2816 and 02816 are different names; the second is refused later as a network id)', () => {
    const parsed = parseSnapshot({ daemons: [daemon('2816', '/a'), daemon('02816', '/b'), daemon('edge', '/c')] });
    assert.equal(parsed.ok, true);
  });
});
