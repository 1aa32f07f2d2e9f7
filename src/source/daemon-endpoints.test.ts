import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { dockerHostEndpoint, parseDockerHost, parseSocketGlob, socketEndpoint, socketIdOf } from './daemon-endpoints.ts';

describe('parseSocketGlob', () => {
  it('splits the default glob into directory and the parts around the id', () => {
    assert.deepEqual(parseSocketGlob('/var/run/rediacc/docker-*.sock'), {
      glob: '/var/run/rediacc/docker-*.sock',
      directory: '/var/run/rediacc',
      prefix: 'docker-',
      suffix: '.sock',
    });
    assert.deepEqual(parseSocketGlob('/*'), { glob: '/*', directory: '/', prefix: '', suffix: '' });
  });

  it('refuses relative paths, stars in the directory, and zero or two stars', () => {
    const message = (glob: string) =>
      'Expected `sockets` to be an absolute path with one `*` in the file name and none in the directory ' +
      `(like /var/run/rediacc/docker-*.sock), got ${JSON.stringify(glob)}`;
    for (const glob of ['docker-*.sock', '/var/*/docker-*.sock', '/var/run/docker.sock', '/var/run/docker-*-*.sock', '']) {
      assert.throws(() => parseSocketGlob(glob), { name: 'TypeError', message: message(glob) });
    }
  });
});

describe('socketIdOf', () => {
  const pattern = parseSocketGlob('/var/run/rediacc/docker-*.sock');

  it('gives what the star matched', () => {
    assert.equal(socketIdOf(pattern, 'docker-2816.sock'), '2816');
    assert.equal(socketIdOf(pattern, 'docker-edge-1.sock'), 'edge-1');
  });

  it('does not match other names, nor an empty id', () => {
    for (const name of ['docker-.sock', 'docker.sock', 'docker-2816.sock.tmp', 'xdocker-2816.sock', 'docker-2816']) {
      assert.equal(socketIdOf(pattern, name), null, name);
    }
  });

  it('builds the endpoint back from the id', () => {
    assert.deepEqual(socketEndpoint(pattern, '2816'), {
      id: '2816',
      socket: '/var/run/rediacc/docker-2816.sock',
      address: { kind: 'unix', path: '/var/run/rediacc/docker-2816.sock' },
    });
  });
});

describe('parseDockerHost', () => {
  it('reads ID=unix:///path and ID=tcp://host:port', () => {
    assert.deepEqual(parseDockerHost('2816=unix:///run/d.sock'), { id: '2816', url: 'unix:///run/d.sock' });
    assert.deepEqual(parseDockerHost('edge=tcp://127.0.0.1:2375'), { id: 'edge', url: 'tcp://127.0.0.1:2375' });
    assert.deepEqual(dockerHostEndpoint({ id: 'edge', url: 'tcp://127.0.0.1:2375' }).address, {
      kind: 'tcp',
      host: '127.0.0.1',
      port: 2375,
    });
    assert.deepEqual(dockerHostEndpoint({ id: 'v6', url: 'tcp://[::1]' }).address, { kind: 'tcp', host: '::1', port: 2375 });
    assert.deepEqual(dockerHostEndpoint({ id: 'a', url: 'unix:///x.sock' }), {
      id: 'a',
      socket: 'unix:///x.sock',
      address: { kind: 'unix', path: '/x.sock' },
    });
  });

  it('refuses a value without ID=', () => {
    for (const text of ['unix:///run/d.sock', '=unix:///run/d.sock', '']) {
      assert.throws(() => parseDockerHost(text), {
        name: 'TypeError',
        message:
          'Expected `--docker-host` to be ID=URL (like 2816=unix:///var/run/docker.sock or edge=tcp://127.0.0.1:2375), ' +
          `got ${JSON.stringify(text)}`,
      });
    }
  });

  it('refuses other schemes, relative sockets, paths and credentials in tcp URLs', () => {
    for (const url of ['http://127.0.0.1:2375', 'unix://run/d.sock', 'unix://', 'tcp://', 'tcp://h:1/x', 'tcp://u:p@h:1', 'ssh://h', '/run/d.sock']) {
      assert.throws(() => parseDockerHost(`a=${url}`), {
        message: `Expected the URL of docker host "a" to be unix:///absolute/path or tcp://host:port, got ${JSON.stringify(url)}`,
      });
    }
  });

  it('refuses ids with spaces or slashes', () => {
    assert.throws(() => dockerHostEndpoint({ id: 'a b', url: 'unix:///x' }), {
      message: 'Expected a docker host id to be a name without spaces, `/` or `=`, got "a b"',
    });
    assert.throws(() => dockerHostEndpoint({ id: '', url: 'unix:///x' }), {
      message: 'Expected a docker host id to be a name without spaces, `/` or `=`, got ""',
    });
  });
});
