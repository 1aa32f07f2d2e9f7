// Where daemons are: sockets found by a glob (`/var/run/rediacc/docker-*.sock`, the `*` is the
// network id) and endpoints given explicitly as ID=URL. Only the id's shape as a name is checked
// here; whether it is a valid network id is the core's call (it reports the daemon and socket).

export type DaemonAddress =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export interface DaemonEndpoint {
  readonly id: string;
  /** The socket path, or the URL for explicit endpoints: shown in status and snapshots. */
  readonly socket: string;
  readonly address: DaemonAddress;
}

/** An explicit endpoint as configured: `--docker-host ID=URL`. */
export interface DockerHostSpec {
  readonly id: string;
  readonly url: string;
}

/** A socket glob split into the directory to watch and the file-name parts around the `*`. */
export interface SocketPattern {
  readonly glob: string;
  readonly directory: string;
  readonly prefix: string;
  readonly suffix: string;
}

const DOCKER_HOST_EXAMPLE = 'like 2816=unix:///var/run/docker.sock or edge=tcp://127.0.0.1:2375';
const DOCKER_DEFAULT_TCP_PORT = 2375;

/**
 * Only one `*`, in the file name: the watched set is then one directory, and the id is exactly what
 * the `*` matched. Wider globs would need recursive watching for a layout nobody uses.
 */
export function parseSocketGlob(glob: string): SocketPattern {
  const slash = glob.lastIndexOf('/');
  const directory = slash <= 0 ? '/' : glob.slice(0, slash);
  const fileName = glob.slice(slash + 1);
  const star = fileName.indexOf('*');
  if (!glob.startsWith('/') || directory.includes('*') || star === -1 || fileName.indexOf('*', star + 1) !== -1) {
    throw new TypeError(
      `Expected \`sockets\` to be an absolute path with one \`*\` in the file name and none in the directory ` +
        `(like /var/run/rediacc/docker-*.sock), got ${JSON.stringify(glob)}`,
    );
  }
  return { glob, directory, prefix: fileName.slice(0, star), suffix: fileName.slice(star + 1) };
}

/** The daemon id a file name stands for, or null when the name does not match the glob. */
export function socketIdOf(pattern: SocketPattern, fileName: string): string | null {
  const { prefix, suffix } = pattern;
  if (fileName.length <= prefix.length + suffix.length) return null;
  if (!fileName.startsWith(prefix) || !fileName.endsWith(suffix)) return null;
  return fileName.slice(prefix.length, fileName.length - suffix.length);
}

export function socketEndpoint(pattern: SocketPattern, id: string): DaemonEndpoint {
  const path = `${pattern.directory === '/' ? '' : pattern.directory}/${pattern.prefix}${id}${pattern.suffix}`;
  return { id, socket: path, address: { kind: 'unix', path } };
}

/** Parses one `--docker-host` value, `ID=URL`. */
export function parseDockerHost(text: string): DockerHostSpec {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    throw new TypeError(`Expected \`--docker-host\` to be ID=URL (${DOCKER_HOST_EXAMPLE}), got ${JSON.stringify(text)}`);
  }
  const spec = { id: text.slice(0, equals), url: text.slice(equals + 1) };
  dockerHostEndpoint(spec);
  return spec;
}

/** Validates an explicit endpoint and resolves its URL. */
export function dockerHostEndpoint(spec: DockerHostSpec): DaemonEndpoint {
  if (!/^[^\s/=]+$/.test(spec.id)) {
    throw new TypeError(`Expected a docker host id to be a name without spaces, \`/\` or \`=\`, got ${JSON.stringify(spec.id)}`);
  }
  const address = parseDockerUrl(spec.url);
  if (address === null) {
    throw new TypeError(
      `Expected the URL of docker host ${JSON.stringify(spec.id)} to be unix:///absolute/path or tcp://host:port, ` +
        `got ${JSON.stringify(spec.url)}`,
    );
  }
  return { id: spec.id, socket: spec.url, address };
}

function parseDockerUrl(url: string): DaemonAddress | null {
  if (url.startsWith('unix://')) {
    const path = url.slice('unix://'.length);
    return path.startsWith('/') && path.length > 1 ? { kind: 'unix', path } : null;
  }
  if (!url.startsWith('tcp://')) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const pathIsEmpty = parsed.pathname === '' || parsed.pathname === '/';
  if (host === '' || !pathIsEmpty || parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    return null;
  }
  return { kind: 'tcp', host, port: parsed.port === '' ? DOCKER_DEFAULT_TCP_PORT : Number(parsed.port) };
}
