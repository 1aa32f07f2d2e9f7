import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostNames } from './fleet-names.ts';
import type { Fragment } from '../render/render.ts';

const fragment = (routers: Record<string, object>): Fragment => ({ daemon: '2816', socket: '/run/docker-2816.sock', config: { http: { routers } } as never });

test('hostNames: literal hosts of TLS routers on the 443 entrypoints, sorted, once each', () => {
  const names = hostNames([
    fragment({
      shop: { rule: 'Host(`Shop.Example.com`) || Host(`www.example.com`)', entryPoints: ['websecure'], service: 's', tls: {} },
      api: { rule: 'Host(`api.example.com`) && PathPrefix(`/v1`)', entryPoints: ['websecure-v6'], service: 's', tls: { certResolver: 'le' } },
      again: { rule: 'Host(`shop.example.com`)', entryPoints: ['websecure'], service: 's', tls: {} },
    }),
  ]);
  assert.deepEqual(names, ['api.example.com', 'shop.example.com', 'www.example.com']);
});

test('hostNames: plain HTTP, other entrypoints, wildcards, negations and bad rules are not offered', () => {
  const names = hostNames([
    fragment({
      plain: { rule: 'Host(`plain.example.com`)', entryPoints: ['websecure'], service: 's' },
      web: { rule: 'Host(`web.example.com`)', entryPoints: ['web'], service: 's', tls: {} },
      wild: { rule: 'Host(`*.example.com`)', entryPoints: ['websecure'], service: 's', tls: {} },
      not: { rule: '!Host(`not.example.com`) && Host(`yes.example.com`)', entryPoints: ['websecure'], service: 's', tls: {} },
      broken: { rule: 'Host(`broken.example.com`', entryPoints: ['websecure'], service: 's', tls: {} },
    }),
  ]);
  assert.deepEqual(names, ['yes.example.com']);
});
