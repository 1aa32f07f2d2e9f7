// `npm test`: unit tests, golden fixtures, the schema check and the real-daemon suites. When the
// real-daemon suites need docker.io/busybox-static and this runs as root with apt, they are
// installed; otherwise the suites that cannot run are named loudly at the end. With
// ROUTE_SERVER_REQUIRE_ALL_SUITES=1 (CI) a suite that cannot run fails the run.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
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

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The test image needs a statically linked busybox (Debian's busybox-static), not just any. */
function hasStaticBusybox(): boolean {
  if (!existsSync('/bin/busybox')) return false;
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'busybox-static'], { encoding: 'utf8' });
  return query.status !== 0 ? true : query.stdout.includes('install ok installed');
}

/** Installs what the real-daemon suites need, when we may; returns why they cannot run, if so. */
function prepareDocker(): string | undefined {
  const missing = () => [!has('dockerd') && 'docker.io', !hasStaticBusybox() && 'busybox-static', !has('docker-compose') && 'docker-compose'].filter(Boolean) as string[];
  if (missing().length === 0) return process.getuid?.() === 0 ? undefined : 'they start Docker daemons and need root';
  if (process.getuid?.() !== 0 || !has('apt-get')) return `${missing().join(', ')} missing (install them, or run npm test as root on Debian/Ubuntu)`;
  process.stdout.write(`Installing ${missing().join(' ')} for the real-daemon suites…\n`);
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing()], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0) return `apt-get install ${missing().join(' ')} failed`;
  return missing().length === 0 ? undefined : `${missing().join(', ')} still missing after apt-get`;
}

interface Suite {
  readonly name: string;
  readonly files: string[];
  readonly notRun?: string;
  readonly serial?: boolean;
}

const suites: Suite[] = [
  { name: 'unit', files: [...testFiles('src'), ...testFiles('test/support')] },
  { name: 'golden', files: testFiles('test/golden').filter((f) => !f.endsWith('schema.test.ts')) },
  schemaAvailable()
    ? { name: 'schema', files: testFiles('test/golden').filter((f) => f.endsWith('schema.test.ts')) }
    : { name: 'schema', files: [], notRun: `Traefik's reference schema is not at ${relative(root, SCHEMA_PATH)} (clone ../shared beside the project)` },
];
const integration = testFiles('test/integration');
const image = testFiles('test/image');
const dockerWhy = integration.length + image.length > 0 ? prepareDocker() : undefined;
if (integration.length > 0) {
  suites.push(dockerWhy ? { name: 'integration (real Docker daemons)', files: [], notRun: dockerWhy } : { name: 'integration (real Docker daemons)', files: integration, serial: true });
}
if (image.length > 0) {
  const why = dockerWhy ?? imageCheckUnavailableReason() ?? undefined;
  suites.push(why ? { name: 'image (Dockerfile built and run; example stack)', files: [], notRun: why } : { name: 'image (Dockerfile built and run; example stack)', files: image, serial: true });
}

let failed = false;
for (const suite of suites) {
  if (suite.notRun || suite.files.length === 0) continue;
  process.stdout.write(`\n=== ${suite.name}: ${suite.files.length} file(s)\n`);
  const args = ['--import', 'tsx', '--test', '--test-reporter=dot', ...(suite.serial ? ['--test-concurrency=1'] : []), ...suite.files];
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed = true;
  process.stdout.write(`=== ${suite.name}: ${run.status === 0 ? 'passed' : 'FAILED'}\n`);
}

const notRun = suites.filter((s) => s.notRun);
if (notRun.length > 0) {
  const banner = '!'.repeat(78);
  process.stdout.write(`\n${banner}\nSUITES NOT RUN:\n`);
  for (const suite of notRun) process.stdout.write(`  - ${suite.name}: ${suite.notRun}\n`);
  process.stdout.write(`${banner}\n`);
  if (process.env['ROUTE_SERVER_REQUIRE_ALL_SUITES'] === '1') failed = true;
}
process.exitCode = failed ? 1 : 0;
