// Faults against a running `route-server run` and real dockerd processes (`npm run test:faults`).
// For each fault: the files converge to what the daemons really run, the files of daemons the fault
// does not touch never change (inode, mtime, bytes), a reader polling the directory every 5 ms never
// sees a partial, unparsable or unexpected file, and /health says what is going on while it lasts.
// The time from the end of each fault until files and /health are right again goes as a table to
// $ROUTE_SERVER_FAULTS_REPORT (`npm run test:faults` prints it): the README's figures come from it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { daemonsUnavailableReason } from '../support/daemons.ts';
import { containerAction, runningNames } from '../support/docker-api.ts';
import { DirectoryReader } from '../support/directory-reader.ts';
import { daemonIn, HealthRecorder } from '../support/health-recorder.ts';
import { waitFor } from '../support/wait.ts';
import { APPS, FaultHost, IDS } from './fault-host.ts';

const unavailable = daemonsUnavailableReason();
if (unavailable !== null) throw new Error(`the fault suite needs real Docker daemons: ${unavailable}`);

const CONVERGE = { timeoutMs: 90_000, intervalMs: 50 };
const CYCLES = 1_000;
const [A, B, C] = IDS;

interface Row {
  readonly fault: string;
  readonly happened: string;
  readonly lost: string;
  readonly convergeMs: number;
}

let host: FaultHost;
let reader: DirectoryReader;
let health: HealthRecorder;
const rows: Row[] = [];

/** Files and /health right again: every daemon's file says what it runs, every daemon connected, status ok. */
async function converge(what: string): Promise<void> {
  await waitFor(
    async () => {
      const differences = await host.differences();
      if (differences.length > 0) return false;
      const body = await host.server.getJson('/health').then((r) => r.body);
      return body.status === 'ok' && IDS.every((id) => daemonIn(body, id)?.state === 'connected' && !daemonIn(body, id)?.stale);
    },
    { what: `${what}: files as the daemons say and /health ok`, ...CONVERGE },
  );
}

/** Runs a fault with the files of `untouched` daemons watched; `recovered` marks when the fault ended. */
async function fault(name: string, untouched: readonly string[], run: (recovered: () => void) => Promise<{ happened: string; lost: string }>): Promise<void> {
  reader.watch(untouched.map((id) => `rs-${id}.yml`));
  const passes = reader.passes;
  let recoveredAt = 0;
  const { happened, lost } = await run(() => (recoveredAt = Date.now()));
  assert.ok(recoveredAt > 0, 'the fault marked its end');
  await converge(name);
  rows.push({ fault: name, happened, lost, convergeMs: Date.now() - recoveredAt });
  // The reader is live: it polls through the fault and a few times over the recovered directory
  // (a fault route-server repairs within a few milliseconds, such as the deleted directory, can be
  // over in fewer than five polls; a reader that stopped fails here).
  await waitFor(() => reader.passes - passes >= 5, { what: `the reader polling (${reader.passes - passes} passes since the fault began)`, timeoutMs: 5_000 });
  reader.pass();
  reader.watch([]);
  assert.deepEqual(reader.problems, [], 'what a reader of the directory saw');
  assert.deepEqual(leftovers(), [], 'nothing but fragments is left in the directory');
}

/** Starts every app of a daemon again (after Docker stopped them) and waits for the files to agree. */
async function startApps(id: string): Promise<void> {
  for (let i = 0; i < APPS; i++) await containerAction(host.daemon(id).socket, `app${i}`, 'start');
  await converge(`${id}'s apps started again`);
}

function leftovers(): string[] {
  return readdirSync(host.out).filter((name) => !/^rs-\d+\.yml$/.test(name));
}

function sawHealth(since: number, what: string, predicate: (body: any) => boolean): void {
  assert.ok(health.since(since, predicate).length > 0, `/health said ${what} (samples since: ${health.samples.filter((s) => s.at >= since).length})`);
}

function table(): string {
  const lines = ['| fault | what happened | what was lost | time to converge |', '| --- | --- | --- | --- |'];
  for (const row of rows) lines.push(`| ${row.fault} | ${row.happened} | ${row.lost} | ${(row.convergeMs / 1000).toFixed(2)} s |`);
  lines.push('', `The reader polled the directory ${reader.passes} times and parsed ${reader.reads} files: ${reader.problems.length} problems.`);
  return lines.join('\n') + '\n';
}

describe('faults with real daemons and a running route-server', { concurrency: false, timeout: 600_000 }, () => {
  before(async () => {
    host = await FaultHost.create();
    reader = new DirectoryReader(host.out, new RegExp(`^rs-(${IDS.join('|')})\\.yml(\\.\\d+)?$`));
    health = new HealthRecorder(() => host.healthUrl());
    await converge('start');
    reader.start(5);
    health.start(100);
  });

  after(async () => {
    reader?.stop();
    await health?.stop();
    const report = process.env['ROUTE_SERVER_FAULTS_REPORT'];
    if (report && rows.length > 0) writeFileSync(report, `Fault suite, ${new Date().toISOString()}:\n\n${table()}`);
    await host?.stop();
  });

  it('dockerd killed with SIGKILL, then restarted', async () => {
    await fault('dockerd SIGKILL, restarted', [B, C], async (recovered) => {
      const running = await runningNames(host.daemon(A).socket);
      const since = Date.now();
      host.daemon(A).kill('SIGKILL');
      await waitFor(async () => health.since(since, (b) => daemonIn(b, A)?.state !== 'connected' && daemonIn(b, A)?.stale).length > 0, { what: `/health: ${A} unreachable and stale`, timeoutMs: 30_000 });
      assert.ok(existsSync(host.file(A)), 'the last good file stays while the daemon is down');
      sawHealth(since, `${B} and ${C} still connected`, (b) => daemonIn(b, B)?.state === 'connected' && daemonIn(b, C)?.state === 'connected' && b.status === 'degraded');
      await host.daemon(A).restart();
      recovered();
      // Without live-restore, a dockerd that restarts after a kill stops the containers it lost.
      const back = await runningNames(host.daemon(A).socket);
      return {
        happened: `${A}'s dockerd killed; /health: reconnecting/error, stale, file kept; dockerd restarted (stale pid files removed), ${running.length - back.length} of its ${running.length} containers stopped by Docker`,
        lost: `nothing: the file was kept while ${A} was down, then followed what the daemon runs`,
      };
    });
    await startApps(A);
  });

  it('dockerd frozen with SIGSTOP, then resumed with SIGCONT', async () => {
    // Nothing changes in the daemon: no file may change at all, its own included.
    await fault('dockerd frozen (SIGSTOP), resumed', [A, B, C], async (recovered) => {
      const since = Date.now();
      host.daemon(A).kill('SIGSTOP');
      try {
        // A frozen daemon keeps its connections open: only the heartbeat's deadline notices it.
        await waitFor(async () => health.since(since, (b) => daemonIn(b, A)?.state !== 'connected' && daemonIn(b, A)?.stale).length > 0, { what: `/health: ${A} unresponsive and stale`, timeoutMs: 60_000 });
      } finally {
        host.daemon(A).kill('SIGCONT');
      }
      recovered();
      return { happened: `${A}'s dockerd frozen until /health showed it unreachable and stale (heartbeat deadline), then thawed`, lost: 'nothing: no file changed at all' };
    });
  });

  it('socket deleted, then recreated by restarting its dockerd', async () => {
    await fault('socket deleted, recreated', [B, C], async (recovered) => {
      const since = Date.now();
      rmSync(host.daemon(A).socket);
      // A socket that is gone is a daemon that is gone: its file and its claims go with it.
      await waitFor(() => !existsSync(host.file(A)), { what: `${A}'s file removed with its socket`, timeoutMs: 30_000 });
      await waitFor(async () => health.since(since, (b) => daemonIn(b, A) === undefined).length > 0, { what: `/health without ${A}`, timeoutMs: 10_000 });
      // dockerd keeps listening on the unlinked inode; only a new dockerd makes a socket again.
      await host.daemon(A).restart();
      recovered();
      return { happened: `${A}'s socket file removed: daemon detached, its file removed; dockerd restarted, socket back`, lost: `${A}'s routes, from the removal until the socket was back (a removed socket is a removed daemon)` };
    });
    await startApps(A);
  });

  it('output directory deleted', async () => {
    await fault('output directory deleted', [], async (recovered) => {
      const present = IDS.filter((id) => existsSync(host.file(id)));
      assert.equal(present.length, IDS.length, 'every daemon has a file to lose');
      const before = Object.fromEntries(IDS.map((id) => [id, readFileSync(host.file(id), 'utf8')]));
      // route-server puts back the files `rm -r` removes while it runs: retry, as a person would.
      rmSync(host.out, { recursive: true, maxRetries: 20, retryDelay: 5 });
      recovered();
      await waitFor(() => IDS.every((id) => existsSync(host.file(id))), { what: 'the directory and files back', timeoutMs: 30_000 });
      for (const id of IDS) assert.equal(readFileSync(host.file(id), 'utf8'), before[id], `rs-${id}.yml restored byte for byte`);
      return { happened: 'the whole directory removed (rm -r); recreated, every file rewritten', lost: 'nothing: the same bytes back' };
    });
  });

  it('output file system read-only', async () => {
    await fault('output read-only', [B, C], async (recovered) => {
      const since = Date.now();
      execFileSync('mount', ['-o', 'remount,ro', host.fs]);
      try {
        await containerAction(host.daemon(A).socket, 'app0', 'stop');
        await waitFor(async () => health.since(since, (b) => b.status === 'error' && b.output.failing).length > 0, { what: '/health: output failing', timeoutMs: 30_000 });
        assert.ok(host.routersOnDisk(A)?.includes(`app0-${A}`), 'the old file stays readable meanwhile');
      } finally {
        execFileSync('mount', ['-o', 'remount,rw', host.fs]);
      }
      recovered();
      return { happened: `file system remounted read-only (EROFS, root included) while ${A} changed; /health: error, output failing`, lost: `nothing: ${A}'s change written once writable` };
    });
  });

  it('output file system full', async () => {
    await fault('output disk full', [B, C], async (recovered) => {
      const since = Date.now();
      const filler = join(host.fs, 'filler');
      fill(filler);
      try {
        await containerAction(host.daemon(A).socket, 'app0', 'start');
        await waitFor(async () => health.since(since, (b) => b.status === 'error' && b.output.failing).length > 0, { what: '/health: output failing', timeoutMs: 30_000 });
        assert.ok(!host.routersOnDisk(A)?.includes(`app0-${A}`), 'the old file stays, whole, meanwhile');
      } finally {
        rmSync(filler);
      }
      recovered();
      return { happened: `tmpfs filled to ENOSPC while ${A} changed; /health: error, output failing`, lost: `nothing: ${A}'s change written once there was room` };
    });
  });

  it('route-server killed with SIGKILL in the middle of a burst, then restarted', async () => {
    await fault('route-server SIGKILL mid-burst', [C], async (recovered) => {
      const starts: Promise<string>[] = [];
      for (let i = 0; i < 5; i++) for (const id of [A, B]) starts.push(host.app(host.daemon(id), `burst${i}`, 20 + i));
      await Promise.all(starts.slice(0, 4));
      host.server.kill('SIGKILL');
      await host.server.exited();
      await Promise.all(starts);
      await host.startServer();
      recovered();
      return { happened: `killed -9 while 10 containers started on ${A} and ${B}; started again`, lost: 'nothing: every container of the burst routed after the restart, no file removed or torn' };
    });
  });

  it(`${CYCLES} container start/stop cycles over two daemons`, async () => {
    await fault(`${CYCLES} start/stop cycles`, [C], async (recovered) => {
      const since = Date.now();
      const containers = [A, B].flatMap((id) => Array.from({ length: APPS }, (_, i) => ({ socket: host.daemon(id).socket, name: `app${i}` })));
      let done = 0;
      // One loop per container, all at once: the daemons see concurrent bursts from many containers.
      await Promise.all(
        containers.map(async ({ socket, name }) => {
          await containerAction(socket, name, 'start');
          while (done < CYCLES) {
            done++;
            await containerAction(socket, name, 'stop');
            await containerAction(socket, name, 'start');
          }
        }),
      );
      // End with some stopped, so the truth is not simply "everything runs".
      for (const { socket, name } of containers.filter((_, i) => i % 4 === 1)) await containerAction(socket, name, 'stop');
      recovered();
      assert.deepEqual(health.since(since, (b) => b.output.failing), [], 'the output never failed');
      return { happened: `${done} stop+start cycles of 12 containers on ${A} and ${B}, 12 at a time (${((Date.now() - since) / 1000).toFixed(0)} s)`, lost: 'nothing' };
    });
  });
});

/** Writes zeros until the file system says ENOSPC. */
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}
