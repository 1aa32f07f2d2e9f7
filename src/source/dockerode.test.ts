// dockerode without ssh2 and gRPC loaded until they are used: loading it runs none of their code,
// and an ssh:// daemon or a BuildKit session still reaches the real modules. The tests run in
// order, in one process: the first looks at what loading dockerode alone loaded.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Docker, heavyModulePaths } from './dockerode.ts';

const require = createRequire(import.meta.url);
const paths = heavyModulePaths();

/** Files of ssh2, gRPC and protobufjs in node's module cache, but for ssh2's main file (where its stand-in is). */
function heavyFilesLoaded(): string[] {
  return Object.keys(require.cache).filter((file) => /\/node_modules\/(ssh2|@grpc\/[^/]+|protobufjs)\//.test(file) && file !== paths?.ssh2);
}

test('loading dockerode runs no ssh2, gRPC or protobufjs code', () => {
  assert.ok(paths, 'the files docker-modem and dockerode load are found');
  assert.equal(typeof new Docker({ socketPath: '/nonexistent.sock' }).listContainers, 'function');
  assert.deepEqual(heavyFilesLoaded(), []);
});

test("the ssh2 docker-modem holds makes real ssh2 clients, and loads ssh2 for everyone", () => {
  const { Client } = require(paths!.ssh2) as { Client: new () => object };
  const client = new Client();
  const ssh2 = require(paths!.ssh2) as { Client: new () => object };
  assert.ok(client instanceof ssh2.Client);
  assert.ok(new ssh2.Client() instanceof ssh2.Client);
  assert.ok(heavyFilesLoaded().some((file) => file.includes('/ssh2/lib/client.js')));
});

test('an ssh:// daemon is reached through ssh2 (a refused connection on a closed loopback port)', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const docker = new Docker({ protocol: 'ssh', host: '127.0.0.1', port, username: 'route-server' });
  await assert.rejects(docker.ping(), /ECONNREFUSED/);
});

test("dockerode's withSession calls the real one", async () => {
  const withSession = require(paths!.session) as (docker: unknown, auth: unknown, handler: (error: Error | null) => void) => void;
  const dialed: unknown[] = [];
  const docker = { modem: { dial: (options: unknown, callback: (error: Error) => void) => (dialed.push(options), callback(new Error('no daemon here'))) } };
  const error = await new Promise<Error | null>((resolve) => withSession(docker, undefined, resolve));
  assert.equal(error?.message, 'no daemon here');
  assert.match(JSON.stringify(dialed), /"path":"\/session"/);
});
