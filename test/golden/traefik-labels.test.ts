// Traefik's own label set (fixtures/traefik) through our decoder: every label reaches its
// canonical place, so the field table cannot silently miss a field Traefik's tests exercise.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ConfigObject } from '../../src/traefik/config.ts';
import { Configuration } from '../../src/traefik/fields/configuration.ts';
import { findField, type FieldDef, type FieldType, type StructDef } from '../../src/traefik/fields/table.ts';
import { decodeLabels } from '../../src/traefik/labels.ts';

// Traefik's own label set from pkg/config/label/label_test.go (TestDecodeConfiguration).
const traefikLabels = JSON.parse(
  readFileSync(new URL('../../fixtures/traefik/decode-configuration.labels.json', import.meta.url), 'utf8'),
) as Record<string, string>;

test("Traefik's own test labels decode without error, each value at its canonical place", () => {
  const result = decodeLabels(traefikLabels);
  assert.ok(result.ok, result.ok ? '' : result.error);
  for (const [label, value] of Object.entries(traefikLabels)) {
    const found = valueAt(result.config, label);
    // `sticky=false` switches the block off, children included (Traefik expects no Sticky).
    const keys = Object.keys(traefikLabels);
    const switchesOff = (key: string) => traefikLabels[key] !== 'true' && keys.some((other) => other.startsWith(`${key}.`));
    const disabledBy = keys.find((other) => (other === label || label.startsWith(`${other}.`)) && switchesOff(other));
    if (disabledBy !== undefined) {
      assert.equal(found, undefined, `${label} should be switched off by ${disabledBy}`);
      continue;
    }
    assert.notEqual(found, undefined, `${label} did not reach the configuration`);
    if (typeof found === 'object' && !Array.isArray(found)) {
      // `tls=true`, `proxyProtocol=true`: an empty block Traefik allows.
      assert.equal(value, 'true', label);
      continue;
    }
    const text = Array.isArray(found) ? found.map(String).join(', ') : String(found);
    const expected = value.split(',').map((s) => s.trim()).join(', ');
    if (typeof found === 'boolean' || typeof found === 'bigint') assert.equal(text, value, label);
    else assert.equal(text, Array.isArray(found) ? expected : value, label);
  }
});

/** Follows a label through the table to the decoded value (canonical names, case-insensitive). */
function valueAt(config: ConfigObject, label: string): unknown {
  let struct: StructDef | undefined = Configuration;
  let node: unknown = config;
  let mapNext = false;
  let raw = false;
  for (const part of label.split('.').slice(1)) {
    if (raw) {
      node = (node as ConfigObject | undefined)?.[part];
      continue;
    }
    if (mapNext) {
      const entry = Object.keys(node as object).find((key) => key.toLowerCase() === part.toLowerCase());
      node = entry === undefined ? undefined : (node as ConfigObject)[entry];
      mapNext = false;
      continue;
    }
    const field: FieldDef | undefined = struct ? findField(struct, part) : undefined;
    if (!field || node === undefined) return undefined;
    node = (node as ConfigObject)[field.name];
    const type: FieldType = field.type;
    if (type.kind === 'structList' && Array.isArray(node)) node = node[0];
    struct = type.kind === 'struct' || type.kind === 'structList' ? type.struct : type.kind === 'map' && type.value.kind === 'struct' ? type.value.struct : undefined;
    mapNext = type.kind === 'map';
    raw = type.kind === 'map' && type.value.kind === 'raw';
    if (raw) mapNext = false;
  }
  return node;
}
