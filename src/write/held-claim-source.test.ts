import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { waitFor } from '../../test/support/wait.ts';
import { HeldClaimSource, keptDaemons } from './held-claim-source.ts';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import { scratchDirectory } from '../../test/support/scratch-directory.ts';

const DASHBOARD = 'http:\n  routers:\n    dashboard:\n      rule: "Host(`traefik.example.com`)"\n      service: api@internal\n';
const KEPT = 'http:\n  routers:\n    web-2880:\n      entryPoints: [websecure]\n      rule: "Host(`app.example.com`)"\n      service: web-2880\n';

async function started(t: TestContext, dir: string) {
  const logger = recordingLogger();
  const source = new HeldClaimSource({ dir, prefix: 'rs-', logger });
  t.after(() => source.stop());
  let changes = 0;
  source.on('change', () => changes++);
  await source.start();
  return { source, logger, changes: () => changes };
}

const hostsOf = (source: HeldClaimSource, kept: string[] = []) =>
  source.claims(kept).map((c) => `${c.holder.kind === 'operator' ? c.holder.file : `kept ${c.holder.daemon}`}: ${c.hosts.join(',')}`).sort();

describe('HeldClaimSource: claims of files in the output directory', () => {
  it('reads the operator files, subdirectories and TOML included, and kept fragments only for the daemons asked', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(join(dir, 'ops', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'dashboard.yml'), DASHBOARD);
    await writeFile(join(dir, 'ops', 'deeper', 'status.toml'), '[http.routers.status]\nrule = "Host(`status.example.com`)"\n');
    await writeFile(join(dir, 'ops', 'rs-2816.yml'), 'http:\n  routers:\n    x:\n      rule: "Host(`nested.example.com`)"\n');
    await writeFile(join(dir, 'rs-2880.yml'), KEPT);
    await writeFile(join(dir, 'notes.txt'), 'Host(`ignored.example.com`)\n');
    const { source } = await started(t, dir);
    assert.deepEqual(hostsOf(source), [
      'dashboard.yml: traefik.example.com',
      'ops/deeper/status.toml: status.example.com',
      // Not at the top: not ours, however it is named.
      'ops/rs-2816.yml: nested.example.com',
    ]);
    assert.deepEqual(hostsOf(source, ['2880', '2944']).filter((line) => line.startsWith('kept')), ['kept 2880: app.example.com']);
  });

  it('reads an operator file again when it changes, and when one is added or removed', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'dashboard.yml'), DASHBOARD);
    const { source, changes } = await started(t, dir);
    await writeFile(join(dir, 'dashboard.yml'), DASHBOARD.replace('traefik.example.com', 'ops.example.com'));
    await waitFor(() => hostsOf(source).join() === 'dashboard.yml: ops.example.com', { what: 'the edited host' });
    await mkdir(join(dir, 'more'));
    await writeFile(join(dir, 'more', 'b.yaml'), DASHBOARD);
    await waitFor(() => hostsOf(source).length === 2, { what: 'the file in a new subdirectory' });
    assert.ok(changes() >= 2);
  });

  it('keeps the last good reading of a file that breaks, and reports it until it is fixed', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'dashboard.yml'), DASHBOARD);
    const { source, logger } = await started(t, dir);
    await writeFile(join(dir, 'dashboard.yml'), 'http:\n  routers: [\n');
    await waitFor(() => source.operatorFiles()[0]?.error, { what: 'the parse error reported' });
    assert.deepEqual(hostsOf(source), ['dashboard.yml: traefik.example.com']);
    assert.ok(logger.entries.some((e) => e.message === 'operator file not readable; its last good reading stays'));
    await writeFile(join(dir, 'dashboard.yml'), DASHBOARD.replace('traefik.example.com', 'fixed.example.com'));
    await waitFor(() => source.operatorFiles()[0]?.error === null, { what: 'the error cleared' });
    assert.deepEqual(hostsOf(source), ['dashboard.yml: fixed.example.com']);
  });

  it('holds only the fragments found at start: one written later is the daemon speaking, not a kept file', async (t) => {
    const { dir } = await scratchDirectory();
    await mkdir(dir, { recursive: true });
    const { source } = await started(t, dir);
    await writeFile(join(dir, 'rs-2816.yml'), KEPT);
    await writeFile(join(dir, 'marker.yml'), DASHBOARD);
    await waitFor(() => hostsOf(source).length === 1, { what: 'the marker file' });
    assert.deepEqual(hostsOf(source, ['2816']), ['marker.yml: traefik.example.com']);
  });
});

describe('keptDaemons', () => {
  it('holds a kept file until its daemon has synced and is connected, and drops it when the daemon is gone', () => {
    const statuses = new Map([
      ['2816', { synced: false, state: 'error' }],
      ['2880', { synced: true, state: 'connected' }],
      ['2944', { synced: true, state: 'reconnecting' }],
    ]);
    assert.deepEqual(keptDaemons(['2816', '2880', '2944', '3008'], statuses), ['2816', '2944']);
  });
});
