// `npm test`: unit tests, golden fixtures, the schema check and the real-daemon suites;
// `npm run test:faults` (this script with `faults`): the fault suite alone. When the
// real-daemon suites need docker.io/busybox-static and this runs as root with apt, they are
// installed; otherwise the suites that cannot run are named loudly at the end. With
// ROUTE_SERVER_REQUIRE_ALL_SUITES=1 (CI) a suite that cannot run fails the run.
// `run-tests.ts unit` (or golden, schema, integration; several may be named) runs only those.
// Files are listed here, not globbed by node --test: globs need Node 21, and we support 20.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { onPath } from '../test/support/daemons.ts';
import { schemaAvailable, SCHEMA_PATH } from '../test/support/traefik-schema.ts';
import { imageCheckUnavailableReason } from './image-check.ts';

const root = new URL('..', import.meta.url).pathname;

function testFiles(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(dir, file))
    .sort();
}

/** The test image needs a statically linked busybox (Debian's busybox-static), not just any. */
function hasStaticBusybox(): boolean {
  if (!existsSync('/bin/busybox')) return false;
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'busybox-static'], { encoding: 'utf8' });
  return query.status !== 0 ? true : query.stdout.includes('install ok installed');
}

/** Installs what the real-daemon suites need, when we may; returns why they cannot run, if so. */
function prepareDocker(): string | undefined {
  const missing = () => [!onPath('dockerd') && 'docker.io', !hasStaticBusybox() && 'busybox-static', !onPath('docker-compose') && 'docker-compose'].filter(Boolean) as string[];
  if (missing().length === 0) return process.getuid?.() === 0 ? undefined : 'they start Docker daemons and need root';
  if (process.getuid?.() !== 0 || !onPath('apt-get')) return `${missing().join(', ')} missing (install them, or run npm test as root on Debian/Ubuntu)`;
  process.stdout.write(`Installing ${missing().join(' ')} for the real-daemon suites…\n`);
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing()], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0) return `apt-get install ${missing().join(' ')} failed`;
  return missing().length === 0 ? undefined : `${missing().join(', ')} still missing after apt-get`;
}

interface Suite {
  /** What the command line names it by. */
  readonly id: string;
  readonly name: string;
  readonly files: string[];
  readonly notRun?: string;
  readonly serial?: boolean;
}

// `faults` runs only when named: it takes minutes and mounts file systems (README, "Faults").
const SUITE_IDS = ['unit', 'golden', 'schema', 'integration', 'image', 'faults'] as const;
const wanted = process.argv.slice(2);
for (const id of wanted) {
  if (!(SUITE_IDS as readonly string[]).includes(id)) {
    process.stderr.write(`Unknown suite ${JSON.stringify(id)}; expected one of ${SUITE_IDS.join(', ')}\n`);
    process.exit(2);
  }
}
const selected = (id: (typeof SUITE_IDS)[number]) => (wanted.length === 0 && id !== 'faults') || wanted.includes(id);

const suites: Suite[] = [];
if (selected('unit')) suites.push({ id: 'unit', name: 'unit', files: [...testFiles('src'), ...testFiles('test/support')] });
if (selected('golden')) suites.push({ id: 'golden', name: 'golden', files: testFiles('test/golden').filter((f) => !f.endsWith('schema.test.ts')) });
if (selected('schema')) {
  suites.push(
    schemaAvailable()
      ? { id: 'schema', name: 'schema', files: testFiles('test/golden').filter((f) => f.endsWith('schema.test.ts')) }
      : { id: 'schema', name: 'schema', files: [], notRun: `Traefik's reference schema is not at ${relative(root, SCHEMA_PATH)} (clone ../shared beside the project)` },
  );
}
const integration = selected('integration') ? testFiles('test/integration') : [];
if (integration.length > 0) {
  const why = prepareDocker();
  const name = 'integration (real Docker daemons)';
  suites.push(why ? { id: 'integration', name, files: [], notRun: why } : { id: 'integration', name, files: integration, serial: true });
}
const image = selected('image') ? testFiles('test/image') : [];
if (image.length > 0) {
  const why = prepareDocker() ?? imageCheckUnavailableReason() ?? undefined;
  const name = 'image (Dockerfile built and run; example stack)';
  suites.push(why ? { id: 'image', name, files: [], notRun: why } : { id: 'image', name, files: image, serial: true });
}
const faults = selected('faults') ? testFiles('test/faults') : [];
if (faults.length > 0) {
  const why = prepareDocker();
  const name = 'faults (real Docker daemons)';
  suites.push(why ? { id: 'faults', name, files: [], notRun: why } : { id: 'faults', name, files: faults, serial: true });
}

// The fault suite writes its table of times to converge here (README, "Faults"); it is shown at the end.
const faultsReport = process.env['ROUTE_SERVER_FAULTS_REPORT'] ?? join(tmpdir(), `rs-faults-${process.pid}.md`);

let failed = false;
for (const suite of suites) {
  if (suite.notRun || suite.files.length === 0) continue;
  process.stdout.write(`\n=== ${suite.name}: ${suite.files.length} file(s)\n`);
  const args = ['--import', 'tsx', '--test', '--test-reporter=dot', ...(suite.serial ? ['--test-concurrency=1'] : []), ...suite.files];
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ROUTE_SERVER_FAULTS_REPORT: faultsReport } });
  if (run.status !== 0) failed = true;
  process.stdout.write(`=== ${suite.name}: ${run.status === 0 ? 'passed' : 'FAILED'}\n`);
}

if (faults.length > 0 && existsSync(faultsReport)) process.stdout.write(`\n${readFileSync(faultsReport, 'utf8')}(also in ${faultsReport})\n`);

const notRun = suites.filter((s) => s.notRun);
if (notRun.length > 0) {
  const banner = '!'.repeat(78);
  process.stdout.write(`\n${banner}\nSUITES NOT RUN:\n`);
  for (const suite of notRun) process.stdout.write(`  - ${suite.name}: ${suite.notRun}\n`);
  process.stdout.write(`${banner}\n`);
  if (process.env['ROUTE_SERVER_REQUIRE_ALL_SUITES'] === '1') failed = true;
}
process.exitCode = failed ? 1 : 0;
