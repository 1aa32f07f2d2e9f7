// dockerode, without loading what route-server never uses. Loading dockerode loads ssh2 (for
// ssh:// daemons; it allocates a 16 MB WebAssembly memory as it loads) through docker-modem, and
// @grpc/grpc-js, @grpc/proto-loader and protobufjs (for BuildKit sessions) through dockerode's
// lib/session.js: about 13 MB of route-server's RSS for code it never runs. So before dockerode is
// loaded, node's module cache gets a stand-in for each of the two, under the file name node
// resolves for it (`require.cache`, where node documents that "adding or replacing entries is also
// possible"). A stand-in loads the real module when it is first used: the ssh2 one's `Client`
// (all docker-modem reads of ssh2) returns a real ssh2 Client, the session one calls the real
// withSession. If either file cannot be found (dockerode or docker-modem laid out differently),
// dockerode is loaded as it is.
//
// Every module that uses dockerode takes it from here.

import { createRequire, Module } from 'node:module';
import type Dockerode from 'dockerode';

const require = createRequire(import.meta.url);

/** The files docker-modem's `require('ssh2')` and dockerode's `require('./session')` load, or null. */
export function heavyModulePaths(): { readonly ssh2: string; readonly session: string } | null {
  try {
    const dockerode = require.resolve('dockerode');
    const modem = createRequire(dockerode).resolve('docker-modem');
    return { ssh2: createRequire(modem).resolve('ssh2'), session: createRequire(dockerode).resolve('./session') };
  } catch {
    return null;
  }
}

/**
 * Puts a stand-in in node's module cache as the module at `path`, unless that module is loaded
 * already. `standIn` gets a function that loads the real module (once; from then on the cache
 * holds the real one, for whoever requires it next).
 */
function seed<Real>(path: string, standIn: (real: () => Real) => unknown): void {
  if (require.cache[path] !== undefined) return;
  let loaded: Real | undefined;
  const exports = standIn(() => {
    if (loaded === undefined) {
      if (require.cache[path]?.exports === exports) delete require.cache[path];
      loaded = require(path) as Real;
    }
    return loaded;
  });
  const module = new Module(path);
  module.filename = path;
  module.exports = exports;
  module.loaded = true;
  require.cache[path] = module;
}

type Ssh2 = { readonly Client: new (...args: unknown[]) => object };
type WithSession = (...args: unknown[]) => unknown;

function loadDockerode(): typeof Dockerode {
  const paths = heavyModulePaths();
  if (paths !== null) {
    // `new` on a function that returns an object gives that object: the real Client.
    seed<Ssh2>(paths.ssh2, (real) => ({ Client: function Client(...args: unknown[]) { return new (real().Client)(...args); } }));
    seed<WithSession>(paths.session, (real) => function withSession(this: unknown, ...args: unknown[]) { return real().apply(this, args); });
  }
  return require('dockerode') as typeof Dockerode;
}

export const Docker: typeof Dockerode = loadDockerode();
