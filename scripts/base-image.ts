// A stand-in for the Dockerfile's base image (node:<lts>-slim) made from this machine's files, for
// hosts that cannot pull images: this machine's node and npm, the shared libraries they load (as
// ldd lists them), Debian's groupadd/useradd/usermod/getent for the user set-up step, a static
// busybox as /bin/sh, the /etc files those tools read, and the certificate authorities this host's
// node is told to trust (NODE_EXTRA_CA_CERTS: behind a TLS-intercepting proxy the build's `npm ci`
// needs them as the host's npm does). `docker import` turns the tar into an image; nothing else
// from the host is in it.

import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Dockerfile's RUN steps need a shell and these (as Debian's node:slim images have them). */
const TOOLS = ['/usr/sbin/groupadd', '/usr/sbin/useradd', '/usr/sbin/usermod', '/usr/bin/getent'];
const BUSYBOX = '/bin/busybox';

/** Why the base cannot be assembled here, or null. */
export function baseImageUnavailableReason(): string | null {
  for (const tool of [...TOOLS, BUSYBOX, '/usr/bin/ldd', '/etc/login.defs']) {
    if (!existsSync(tool)) return `${tool} is missing (the stand-in base image is made from this machine's files)`;
  }
  return npmPackageDir() === null ? 'npm is not installed next to node' : null;
}

/** Where the host's node finds extra certificate authorities (a TLS-intercepting proxy's), if anywhere. */
const HOST_CA_BUNDLE = process.env['NODE_EXTRA_CA_CERTS'];
const IMAGE_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The configuration `docker import` gives the base, as node images have it. */
export function baseImageChanges(): string[] {
  const changes = ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["node"]'];
  // The build's `npm ci` must reach the registry the way this host's npm does.
  if (hostCaBundle() !== undefined) changes.push(`ENV NODE_EXTRA_CA_CERTS=${IMAGE_CA_BUNDLE}`);
  return changes;
}

function hostCaBundle(): string | undefined {
  return HOST_CA_BUNDLE !== undefined && existsSync(HOST_CA_BUNDLE) ? HOST_CA_BUNDLE : undefined;
}

/** Writes `<work>/base-rootfs.tar`, a root filesystem with node at /usr/local/bin as in node images. */
export async function assembleBaseRootfs(work: string): Promise<string> {
  const rootfs = join(work, 'base-rootfs');
  const tar = join(work, 'base-rootfs.tar');
  mkdirSync(rootfs, { recursive: true });

  place(rootfs, process.execPath, '/usr/local/bin/node');
  const npm = npmPackageDir();
  if (npm === null) throw new Error('npm is not installed next to node');
  mkdirSync(join(rootfs, 'usr/local/lib/node_modules'), { recursive: true });
  await run('cp', ['-a', npm, join(rootfs, 'usr/local/lib/node_modules/npm')]);
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx'));

  for (const tool of TOOLS) place(rootfs, tool, tool);
  for (const library of await sharedLibraries([process.execPath, ...TOOLS])) place(rootfs, library, library);
  // The shell for RUN steps, and env for npm's `#!/usr/bin/env node`.
  place(rootfs, BUSYBOX, '/bin/busybox');
  symlinkSync('busybox', join(rootfs, 'bin/sh'));
  mkdirSync(join(rootfs, 'usr/bin'), { recursive: true });
  symlinkSync('../../bin/busybox', join(rootfs, 'usr/bin/env'));

  // What a minimal Debian has: root and nobody, the shadow files useradd updates, login.defs.
  writeEtc(rootfs, 'passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n');
  writeEtc(rootfs, 'group', 'root:x:0:\nnogroup:x:65534:\n');
  writeEtc(rootfs, 'shadow', 'root:*:20000:0:99999:7:::\nnobody:*:20000:0:99999:7:::\n', 0o640);
  writeEtc(rootfs, 'gshadow', 'root:*::\nnogroup:*::\n', 0o640);
  writeEtc(rootfs, 'nsswitch.conf', 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n');
  place(rootfs, '/etc/login.defs', '/etc/login.defs', 0o644);
  const caBundle = hostCaBundle();
  if (caBundle !== undefined) place(rootfs, caBundle, IMAGE_CA_BUNDLE, 0o644);
  for (const dir of ['tmp', 'root', 'usr/sbin']) mkdirSync(join(rootfs, dir), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);

  await run('tar', ['--numeric-owner', '-C', rootfs, '-cf', tar, '.']);
  return tar;
}

/** The npm package beside this node (`<prefix>/lib/node_modules/npm`), as node's installers put it. */
function npmPackageDir(): string | null {
  const candidates = [join(dirname(process.execPath), '../lib/node_modules/npm'), '/usr/lib/node_modules/npm', '/usr/local/lib/node_modules/npm'];
  const found = candidates.find((dir) => existsSync(join(dir, 'bin/npm-cli.js')));
  return found === undefined ? null : realpathSync(found);
}

/** Every library the binaries load, with the loader itself, as absolute paths. */
async function sharedLibraries(binaries: readonly string[]): Promise<string[]> {
  const libraries = new Set<string>();
  for (const binary of binaries) {
    const { stdout } = await run('ldd', [binary]);
    for (const line of stdout.split('\n')) {
      const path = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1];
      if (path !== undefined) libraries.add(path);
    }
  }
  return [...libraries].sort();
}

/** Copies the file `from` resolves to (libraries are often symlinks) to `to` inside the rootfs. */
function place(rootfs: string, from: string, to: string, mode = 0o755): void {
  const target = join(rootfs, to);
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(target)) copyFileSync(realpathSync(from), target);
  chmodSync(target, mode);
}

function writeEtc(rootfs: string, name: string, text: string, mode = 0o644): void {
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(join(rootfs, 'etc', name), text, { mode });
}
