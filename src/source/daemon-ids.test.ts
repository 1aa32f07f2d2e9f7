// One daemon id, one daemon: at start a second claimant stops `run` (exit 2) with a message naming
// both; later, a socket whose id is served already is refused and the served daemon keeps it.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { waitFor } from '../../test/support/wait.ts';
import { main } from '../cli/main.ts';
import { dockerHostEndpoint, parseSocketGlob, socketEndpoint } from './daemon-endpoints.ts';
import { duplicateIdMessage, socketsPresent } from './daemon-ids.ts';
import { Discovery } from './discovery.ts';
import { FakeDaemon } from '../../test/support/fake-daemon.ts';

const explicit = (id: string, url: string) => dockerHostEndpoint({ id, url });
const pattern = parseSocketGlob('/run/rediacc/docker-*.sock');
const sockets = (...ids: string[]) => new Map(ids.map((id) => [id, socketEndpoint(pattern, id)]));

describe('duplicateIdMessage', () => {
  it('names a --docker-host and a socket with the same id', () => {
    assert.equal(
      duplicateIdMessage([explicit('2816', 'unix:///other.sock')], sockets('2816', '2880')),
      'Expected each daemon id once, got "2816" from --docker-host 2816=unix:///other.sock and from the socket /run/rediacc/docker-2816.sock: give each daemon its own id',
    );
  });

  it('names two --docker-host entries with the same id, in the order given', () => {
    assert.equal(
      duplicateIdMessage([explicit('edge', 'tcp://127.0.0.1:2375'), explicit('edge', 'unix:///b.sock')], sockets()),
      'Expected each daemon id once, got "edge" from --docker-host edge=tcp://127.0.0.1:2375 and from --docker-host edge=unix:///b.sock: give each daemon its own id',
    );
  });

  it('takes one socket named by the glob and by --docker-host as one daemon', () => {
    assert.equal(duplicateIdMessage([explicit('2816', 'unix:///run/rediacc/./docker-2816.sock')], sockets('2816')), null);
  });

  it('has nothing to say about distinct ids', () => {
    assert.equal(duplicateIdMessage([explicit('edge', 'unix:///e.sock')], sockets('2816', '2880')), null);
  });
});

describe('duplicate daemon ids against sockets on disk', { timeout: 30_000 }, () => {
  let root: string;
  let listening: Server;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rs-daemon-ids-'));
    listening = createServer();
    await new Promise<void>((ready) => listening.listen(join(root, 'docker-2816.sock'), ready));
  });

  after(async () => {
    await new Promise((closed) => listening.close(closed));
    await rm(root, { recursive: true, force: true });
  });

  it('finds the sockets a glob matches now, and nothing else', async () => {
    const found = await socketsPresent(parseSocketGlob(`${root}/docker-*.sock`));
    assert.deepEqual([...found.keys()], ['2816']);
    assert.deepEqual(await socketsPresent(parseSocketGlob(`${root}/missing/docker-*.sock`)), new Map());
  });

  for (const command of ['run', 'snapshot']) {
    it(`${command} exits 2 before starting when a --docker-host has the id of a socket`, async () => {
      const common = ['--sockets', `${root}/docker-*.sock`, '--docker-host', '2816=unix:///other.sock'];
      const places = command === 'run' ? ['--out', join(root, 'out'), '--state-dir', join(root, 'state'), '--listen', '127.0.0.1:0'] : [];
      let stderr = '';
      const code = await main([command, ...common, ...places], { stdout: () => {}, stderr: (text) => (stderr += text), readStdin: () => '' }, {});
      assert.equal(code, 2);
      assert.equal(
        stderr,
        `route-server ${command}: Expected each daemon id once, got "2816" from --docker-host 2816=unix:///other.sock and from the socket ${root}/docker-2816.sock: give each daemon its own id\n`,
      );
      assert.equal(existsSync(join(root, 'state')), false, 'nothing was started or created');
    });
  }
});

describe('Discovery: a socket appearing with an id already served', { timeout: 30_000 }, () => {
  let root: string;
  let served: FakeDaemon;
  let newcomer: FakeDaemon;
  let discovery: Discovery;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'rs-daemon-ids-late-'));
    served = new FakeDaemon(join(root, 'explicit.sock'));
    served.run('served');
    await served.start();
    discovery = new Discovery({
      sockets: `${root}/docker-*.sock`,
      dockerHosts: [{ id: '2816', url: `unix://${root}/explicit.sock` }],
      resyncIntervalMs: 0,
      debounceMinMs: 0,
      debounceMaxMs: 0,
    });
    await discovery.start();
    await discovery.whenSettled();
  });

  after(async () => {
    await discovery.stop();
    await served.close();
    await newcomer?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses the newcomer, keeps serving the first, and forgets the refusal when its socket goes', async () => {
    newcomer = new FakeDaemon(join(root, 'docker-2816.sock'));
    newcomer.run('newcomer');
    await newcomer.start();
    const refused = await waitFor(() => discovery.refused()[0], { what: 'the newcomer refused' });
    assert.deepEqual({ ...refused, since: 0 }, { id: '2816', socket: join(root, 'docker-2816.sock'), heldBy: `--docker-host 2816=unix://${root}/explicit.sock`, since: 0 });
    assert.deepEqual(discovery.status().map((d) => [d.id, d.socket]), [['2816', `unix://${root}/explicit.sock`]]);
    assert.deepEqual(discovery.snapshot().daemons.map((d) => d.containers.map((c) => c.id)), [['served']]);

    await newcomer.close();
    await waitFor(() => discovery.refused().length === 0, { what: 'the refusal gone with the socket' });
    assert.deepEqual(discovery.status().map((d) => d.socket), [`unix://${root}/explicit.sock`]);
  });
});
