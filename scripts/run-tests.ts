// `npm test`: unit tests, golden fixtures, the schema check, the real-daemon suites and the status
// page in a real browser (Debian's chromium, installed like docker.io when missing);
// `npm run test:faults` (this script with `faults`): the fault suite alone. When the
// real-daemon suites need docker.io/busybox-static and this runs as root with apt, they are
// installed; otherwise the suites that cannot run are named loudly at the end. With
// ROUTE_SERVER_REQUIRE_ALL_SUITES=1 (CI) a suite that cannot run fails the run.
// `run-tests.ts unit` (or golden, schema, integration, browser, fleet; several may be named) runs only those.
// `fleet` needs redis-server (installed with apt when root, like docker.io) and Docker daemons.
// Files are listed here, not globbed by node --test: globs need Node 21, and we support 20.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromiumPath } from '../test/support/browser.ts';
import { onPath } from '../test/support/daemons.ts';
import { schemaAvailable, SCHEMA_PATH } from '../test/support/traefik-schema.ts';
import { imageCheckUnavailableReason } from './image-check.ts';
import { redisUnavailableReason } from '../test/support/redis-server.ts';

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

/**
 * Installs Debian packages a suite needs when we may (root with apt); `missing` names what is still
 * absent. Returns why the suite cannot run, if so.
 */
function aptInstall(missing: () => string[], purpose: string): string | undefined {
  if (missing().length === 0) return undefined;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) return `${missing().join(', ')} missing (install them, or run npm test as root on Debian/Ubuntu)`;
  process.stdout.write(`Installing ${missing().join(' ')} for ${purpose}…\n`);
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing()], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0) return `apt-get install ${missing().join(' ')} failed`;
  return missing().length === 0 ? undefined : `${missing().join(', ')} still missing after apt-get`;
}

/** What the real-daemon suites need: Docker daemons, a static busybox, docker-compose, and root. */
function prepareDocker(): string | undefined {
  const missing = () => [!onPath('dockerd') && 'docker.io', !hasStaticBusybox() && 'busybox-static', !onPath('docker-compose') && 'docker-compose'].filter(Boolean) as string[];
  return aptInstall(missing, 'the real-daemon suites') ?? (process.getuid?.() === 0 ? undefined : 'they start Docker daemons and need root');
}

/** The browser suite drives Debian's chromium (or ROUTE_SERVER_CHROMIUM, which must exist). */
function prepareBrowser(): string | undefined {
  if (chromiumPath() !== undefined) return undefined;
  if (process.env['ROUTE_SERVER_CHROMIUM']) return `ROUTE_SERVER_CHROMIUM=${process.env['ROUTE_SERVER_CHROMIUM']} does not exist`;
  return aptInstall(() => (chromiumPath() === undefined ? ['chromium'] : []), 'the browser suite');
}

/** The fleet suite runs a real redis-server. */
function prepareRedis(): string | undefined {
  return aptInstall(() => (redisUnavailableReason() === null ? [] : ['redis-server']), 'the fleet suite');
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
const SUITE_IDS = ['unit', 'golden', 'schema', 'integration', 'browser', 'fleet', 'image', 'faults'] as const;
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
// The hostile-input table and the property tests render snapshots as the golden cases do.
const goldenFiles = [...testFiles('test/golden'), ...testFiles('test/hostile')];
if (selected('golden')) suites.push({ id: 'golden', name: 'golden', files: goldenFiles.filter((f) => !f.endsWith('schema.test.ts')) });
if (selected('schema')) {
  suites.push(
    schemaAvailable()
      ? { id: 'schema', name: 'schema', files: goldenFiles.filter((f) => f.endsWith('schema.test.ts')) }
      : { id: 'schema', name: 'schema', files: [], notRun: `Traefik's reference schema is not at ${relative(root, SCHEMA_PATH)} (clone ../shared beside the project)` },
  );
}
const integration = selected('integration') ? testFiles('test/integration') : [];
if (integration.length > 0) {
  const why = prepareDocker();
  const name = 'integration (real Docker daemons)';
  suites.push(why ? { id: 'integration', name, files: [], notRun: why } : { id: 'integration', name, files: integration, serial: true });
}
const browser = selected('browser') ? testFiles('test/browser') : [];
if (browser.length > 0) {
  const why = prepareDocker() ?? prepareBrowser();
  const name = 'browser (status page in chromium, real Docker daemon)';
  suites.push(why ? { id: 'browser', name, files: [], notRun: why } : { id: 'browser', name, files: browser, serial: true });
}
const fleet = selected('fleet') ? testFiles('test/fleet') : [];
if (fleet.length > 0) {
  // Both files need redis-server; the two-host one also real Docker daemons.
  const why = prepareRedis() ?? prepareDocker();
  const name = 'fleet (real redis-server, real Docker daemons)';
  suites.push(why ? { id: 'fleet', name, files: [], notRun: why } : { id: 'fleet', name, files: fleet, serial: true });
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
