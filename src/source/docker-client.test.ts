// How DockerClient sorts failures, against a stand-in Docker API on loopback (real HTTP, real
// dockerode): the daemon's HTTP error about one container is that container's fault; 404 is "gone";
// a deadline is the connection's.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { CallTimeout, ContainerInspectFailed, DockerClient } from './docker-client.ts';

async function fakeDocker(t: TestContext, answer: (path: string) => { status: number; body: unknown } | 'hang'): Promise<DockerClient> {
  const server: Server = createServer((request, response) => {
    const reply = answer(request.url ?? '');
    if (reply === 'hang') return;
    response.writeHead(reply.status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DockerClient({ kind: 'tcp', host: '127.0.0.1', port: (server.address() as AddressInfo).port }, 300);
  t.after(() => {
    client.close();
    server.closeAllConnections();
    server.close();
  });
  return client;
}

test('inspect: HTTP 500 is the container\'s fault, 404 is gone, a hang is a deadline', async (t) => {
  const client = await fakeDocker(t, (path) => {
    if (path.includes('/containers/bad/')) return { status: 500, body: { message: 'readlink /var/lib/docker/overlay2/x: no such file' } };
    if (path.includes('/containers/gone/')) return { status: 404, body: { message: 'No such container: gone' } };
    if (path.includes('/containers/slow/')) return 'hang';
    return { status: 200, body: { Id: 'ok', Name: '/ok', State: { Status: 'running' } } };
  });
  const signal = new AbortController().signal;
  assert.equal((await client.inspectContainer('ok', signal))?.Id, 'ok');
  assert.equal(await client.inspectContainer('gone', signal), null);
  await assert.rejects(client.inspectContainer('bad', signal), (error: unknown) => {
    assert.ok(error instanceof ContainerInspectFailed);
    assert.equal(error.statusCode, 500);
    assert.match(error.message, /^inspect bad failed: \(HTTP code 500\) .*no such file/);
    return true;
  });
  await assert.rejects(client.inspectContainer('slow', signal), (error: unknown) => error instanceof CallTimeout);
});

test('ping: 200 is alive, an HTTP error or no answer in time fails it, an abort stops it', async (t) => {
  let mode: 'ok' | 'error' | 'hang' = 'ok';
  const paths: string[] = [];
  const client = await fakeDocker(t, (path) => {
    paths.push(path);
    if (mode === 'hang') return 'hang';
    return mode === 'ok' ? { status: 200, body: 'OK' } : { status: 500, body: { message: 'boom' } };
  });
  const signal = new AbortController().signal;
  await client.ping(signal);
  assert.deepEqual(paths, ['/_ping']);
  mode = 'error';
  await assert.rejects(client.ping(signal), /HTTP 500/);
  mode = 'hang';
  await assert.rejects(client.ping(signal), (error: unknown) => error instanceof CallTimeout);
  const connection = new AbortController();
  const pinged = client.ping(connection.signal);
  connection.abort(new Error('connection lost'));
  await assert.rejects(pinged, /abort|connection lost/i);
});
