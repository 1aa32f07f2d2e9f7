// The Docker provider's own labels (`traefik.enable`, `traefik.docker.*`) through the label
// decoder. A lone `traefik.enable` (most containers' only such label) is decoded without the node
// tree (label-direct.ts), other spellings through it: these cases pin that both agree.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { toJsonValue } from './config.ts';
import { DockerLabels } from './fields/configuration.ts';
import { decodeLabelsInto, decodeLabelsWithTree, type LabelDecode } from './labels.ts';

const DOCKER_PREFIXES: readonly string[] = ['traefik.docker.', 'traefik.enable'];

function docker(labels: Record<string, string>): unknown {
  const result: LabelDecode = decodeLabelsInto(labels, DockerLabels, DOCKER_PREFIXES);
  return result.ok ? { config: toJsonValue(result.config), notes: result.notes } : result;
}

test('traefik.enable is a Go bool, in any case of its field name', () => {
  assert.deepEqual(docker({ 'traefik.enable': 'true' }), { config: { enable: true }, notes: [] });
  assert.deepEqual(docker({ 'traefik.Enable': 'FALSE' }), { config: { enable: false }, notes: [] });
  assert.deepEqual(docker({ 'traefik.ENABLE': '1', 'rediacc.service_name': 'web' }), { config: { enable: true }, notes: [] });
  assert.deepEqual(docker({ 'traefik.enable': 'yes' }), { ok: false, error: 'strconv.ParseBool: parsing "yes": invalid syntax', label: 'traefik.enable' });
  assert.deepEqual(docker({ 'traefik.enable': '' }), { ok: false, error: 'strconv.ParseBool: parsing "": invalid syntax', label: 'traefik.enable' });
});

test('traefik.enable twins differing in case: the last in bytewise order wins', () => {
  assert.deepEqual(docker({ 'traefik.enable': 'true', 'traefik.Enable': 'false' }), { config: { enable: true }, notes: [] });
  assert.deepEqual(docker({ 'traefik.ENABLE': 'yes', 'traefik.enable': 'false' }), { config: { enable: false }, notes: [] });
});

test('traefik.enable with traefik.docker.network decodes both', () => {
  assert.deepEqual(docker({ 'traefik.enable': 'true', 'traefik.docker.network': 'front' }), {
    config: { docker: { network: 'front' }, enable: true },
    notes: [],
  });
});

test('a lone Docker label that is not a scalar of the root fails as Traefik fails it', () => {
  assert.deepEqual(docker({ 'traefik.enable.now': 'true' }), { ok: false, error: 'invalid node enable: bool', label: 'traefik.enable.now' });
  assert.deepEqual(docker({ 'traefik.enabled': 'true' }), { ok: false, error: 'field not found, node: enabled', label: 'traefik.enabled' });
  assert.deepEqual(docker({ 'TRAEFIK.enable': 'true' }), { ok: false, error: 'invalid label root TRAEFIK', label: 'TRAEFIK.enable' });
  // Not under a decoded prefix (`traefik.docker.` has the dot): ignored, as Traefik ignores it.
  assert.deepEqual(docker({ 'traefik.docker': 'true' }), { config: {}, notes: [] });
  assert.deepEqual(docker({ 'traefik.enable[0]': 'true' }), { ok: false, error: 'invalid node enable: bool', label: 'traefik.enable[0]' });
});

test('property: a second Docker label changes only its own field, whatever the first label looks like', () => {
  // `traefik.enable` takes the direct pass, alone or beside traefik.docker.network; other spellings the tree.
  const spelling = fc.constantFrom('traefik.enable', 'traefik.Enable', 'traefik.ENABLE', 'traefik.enablE', 'TRAEFIK.enable', 'traefik.enable.x', 'traefik.enable[0]', 'traefik.enable..x', 'traefik.enableD');
  const value = fc.oneof(fc.constantFrom('true', 'false', 'TRUE', 'T', 'f', '0', '1', '', ' true', 'yes'), fc.string({ maxLength: 5 }));
  fc.assert(
    fc.property(spelling, value, (key, text) => {
      const alone = decodeLabelsInto({ [key]: text }, DockerLabels, DOCKER_PREFIXES);
      const withNetwork = decodeLabelsInto({ [key]: text, 'traefik.docker.network': 'front' }, DockerLabels, DOCKER_PREFIXES);
      if (!alone.ok) {
        assert.deepEqual(withNetwork, alone);
        return;
      }
      assert.ok(withNetwork.ok);
      const { docker: network, ...rest } = toJsonValue(withNetwork.config) as Record<string, unknown>;
      assert.deepEqual(network, { network: 'front' });
      assert.deepEqual(rest, toJsonValue(alone.config));
      assert.deepEqual(withNetwork.notes, alone.notes);
    }),
    { numRuns: 300 },
  );
});

test('property: Docker label sets decode as the node tree decodes them', () => {
  const key = fc.constantFrom('traefik.enable', 'traefik.Enable', 'traefik.docker.network', 'traefik.docker.Network', 'traefik.docker.lbswarm', 'traefik.docker.allownonrunning', 'traefik.docker.x', 'traefik.swarm.network', 'traefik.enable.x');
  const value = fc.constantFrom('true', 'false', 'True', '', 'front', 'yes');
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (labels) => {
      const decoded = decodeLabelsInto(labels, DockerLabels, DOCKER_PREFIXES);
      const tree = decodeLabelsWithTree(labels, DockerLabels, DOCKER_PREFIXES);
      assert.deepEqual(decoded.ok ? { config: toJsonValue(decoded.config), notes: decoded.notes } : decoded, tree.ok ? { config: toJsonValue(tree.config), notes: tree.notes } : tree);
    }),
    { numRuns: 300 },
  );
});
