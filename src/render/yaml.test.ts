import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAlias, isCollection, isScalar, parse, parseDocument, Scalar, visit, type Document, type YAMLMap } from 'yaml';

import { executeGoTemplate } from '../../test/support/go-template.ts';
import { serializeDocument, serializeFragment, type FragmentHeader } from './yaml.ts';

const HEADER: FragmentHeader = { daemon: '2816', socket: '/var/run/rediacc/docker-2816.sock', generator: 'route-server 0.1.0' };

// ---------------------------------------------------------------------------------------------
// How Traefik reads a file: Go text/template, then YAML. The `yaml` package stands in for yaml.v3
// under both schemas; the structural checks below cover where yaml.v3 is stricter than it.

const READERS = [
  { name: 'YAML 1.1', options: { version: '1.1', intAsBigInt: true } },
  { name: 'YAML 1.2 core', options: { version: '1.2', schema: 'core', intAsBigInt: true } },
] as const;

function readAsTraefik(text: string): unknown[] {
  assertYamlV3Readable(text);
  const templated = executeGoTemplate(text);
  return READERS.map(({ name, options }) => {
    const doc = parseDocument(templated, { ...options, strict: true, uniqueKeys: true });
    assert.deepEqual([...doc.errors, ...doc.warnings], [], `${name} reports problems in:\n${templated}`);
    assertConservativeStructure(doc);
    return doc.toJS();
  });
}

/** The only raw character outside printable text is LF: no TAB, CR, DEL, C0/C1, NEL, LS, PS, BOM, U+FFFE/F. */
function assertYamlV3Readable(text: string): void {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    const printable =
      code === 0x0a ||
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xd7ff && code !== 0x2028 && code !== 0x2029 && !(code >= 0x202a && code <= 0x202e) && !(code >= 0x2066 && code <= 0x2069)) ||
      (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) ||
      code >= 0x10000;
    assert.ok(printable, `raw U+${code.toString(16).toUpperCase().padStart(4, '0')} in output:\n${text}`);
  }
}

const PLAIN_SAFE = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const RESERVED_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null']);

/** No anchors, aliases or tags; strings plain only when unambiguous, else double-quoted; block collections. */
function assertConservativeStructure(doc: Document): void {
  visit(doc, {
    Alias() {
      assert.fail('alias in output');
    },
    Node(_key, node) {
      if (isAlias(node)) return;
      assert.equal(node.anchor, undefined, 'anchor in output');
      assert.equal(node.tag, undefined, 'explicit tag in output');
      if (isCollection(node)) assert.ok(!node.flow || node.items.length === 0, 'non-empty flow collection');
      if (isScalar(node) && typeof node.value === 'string') {
        if (node.type === Scalar.PLAIN) {
          assert.ok(PLAIN_SAFE.test(node.value) && !RESERVED_WORDS.has(node.value.toLowerCase()), `plain ${JSON.stringify(node.value)}`);
        } else {
          assert.equal(node.type, Scalar.QUOTE_DOUBLE, `${JSON.stringify(node.value)} written as ${node.type}`);
        }
      } else if (isScalar(node)) {
        assert.equal(node.type, Scalar.PLAIN, `${String(node.value)} written as ${node.type}`);
      }
    },
  });
}

function codePoints(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, index) => String.fromCodePoint(from + index));
}

// ---------------------------------------------------------------------------------------------

const SPECIAL_CHARACTERS = [
  ...codePoints(0x00, 0x1f),
  ...codePoints(0x7f, 0xa0),
  ...codePoints(0x2028, 0x202e),
  ...codePoints(0x2066, 0x2069),
  '\ufeff', '\ufffd', '\ufffe', '\uffff', '\ue000',
];

const TRICKY_STRINGS: ReadonlyArray<readonly [input: string, expected: string]> = [
  // What yaml.v3 (or a YAML 1.1 decoder) resolves to something other than a string.
  ...['1_000', '0b101', '0o17', '017', '+1', '-1', '.5', '1e3', '1E3', '0x1F', '1.0', '0', '2025-01-01', '2025-01-01T10:00:00Z',
    '2025-01-01 10:00:00', '1:30', '<<', '~', 'null', 'Null', 'NULL', '', 'true', 'True', 'TRUE', 'false', 'False', 'yes', 'Yes',
    'YES', 'no', 'No', 'on', 'On', 'off', 'OFF', 'y', 'Y', 'n', 'N', '.inf', '-.Inf', '.nan', '=', '-', '?', ':', '---', '...', '%YAML 1.2'],
  // Every control or special code point, alone and inside text.
  ...SPECIAL_CHARACTERS.flatMap((character) => [character, `a${character}b`, `${character}{{${character}`]),
  // Go template syntax.
  ...['{{', '{{{', '{{{{', '}}', '{{-', '-}}', '{{ .Env }}', '{{`x`}}', '{{ "x" }}', '{{- "x" -}}', '}}{{', '{{/* c */}}', '{', '{}',
    '{ {', 'x{{', '{{x}}y', '\\{{', '"{{"', '`{{`', '{{`{{`}}', 'a -{{ x', '{{\n}}'],
  // YAML indicators, quotes, escapes, whitespace.
  ...['"', "'", '\\', '\\n', '\\x41', '\\u2028', '\\"', 'a: b', 'a:', 'a #b', '#a', 'a#b', ' leading', 'trailing ', ' ', '  two',
    '\ttab', 'line\nbreak', 'crlf\r\n', 'trailing\n', '\n', ' \n ', '- a', '? a', '|', '>', '!tag', '!!str', '&anchor', '*alias',
    '@', '`', '[a]', '{a: b}', 'a, b', 'Host(`a.example.com`) && PathPrefix(`/x`)', 'http://127.0.11.2:8080', 'C:\\path',
    'emoji 😀', '𝕏', 'ünïcödé', 'x'.repeat(1500), `${'long words '.repeat(200)}\n${'more '.repeat(100)}`],
].map((text) => [text, text] as const);

const LONE_SURROGATES: ReadonlyArray<readonly [input: string, expected: string]> = [
  ['\ud800', '\ufffd'],
  ['\udbff', '\ufffd'],
  ['\udc00', '\ufffd'],
  ['\udfff', '\ufffd'],
  ['a\ud800b', 'a\ufffdb'],
  ['a\udc00b', 'a\ufffdb'],
  ['\udc00\ud800', '\ufffd\ufffd'],
  ['😀\ud83d', '😀\ufffd'],
  ['\ude00😀', '\ufffd😀'],
];

describe('serializeFragment round trip through Go templating and YAML', () => {
  for (const [input, expected] of [...TRICKY_STRINGS, ...LONE_SURROGATES]) {
    it(`keeps ${JSON.stringify(input).slice(0, 60)}`, () => {
      const text = serializeFragment({ http: { routers: { [input]: { rule: input } } } }, HEADER);
      for (const read of readAsTraefik(text)) assert.deepEqual(read, { http: { routers: { [expected]: { rule: expected } } } });
    });
  }

  it('keeps every tricky string at once, as keys and values in one map', () => {
    const routers = Object.fromEntries(TRICKY_STRINGS.map(([input], index) => [input, { rule: input, priority: index }]));
    const text = serializeFragment({ http: { routers } }, HEADER);
    for (const read of readAsTraefik(text)) {
      assert.deepEqual(read, { http: { routers: Object.fromEntries(Object.entries(routers).map(([key, router]) => [key, { ...router, priority: BigInt(router.priority) }])) } });
    }
  });
});

describe('quoting and escaping', () => {
  it('writes plain only unambiguous words; real numbers, booleans and bigints stay plain', () => {
    assert.equal(
      serializeDocument({ a: 'websecure', b: 'myapp-2816', c: 'a.b/c_d-e', d: 'yes', e: 'N', f: '8080', g: 8080, h: true, i: 0.5, on: false, j: 12n }),
      'a: websecure\nb: myapp-2816\nc: a.b/c_d-e\nd: "yes"\ne: "N"\nf: "8080"\ng: 8080\nh: true\ni: 0.5\nj: 12\n"on": false\n',
    );
  });

  it('prints every {{ through a raw-string action, in keys and values, scanning left to right', () => {
    assert.equal(serializeDocument({ '{{ .Env }}': '{{{' }), '"{{`{{`}} .Env }}": "{{`{{`}}{"\n');
    assert.equal(serializeDocument({ v: '}} {{{{' }), 'v: "}} {{`{{`}}{{`{{`}}"\n');
  });

  it('escapes what yaml.v3 rejects or reads as a line break, and never folds', () => {
    assert.equal(
      serializeDocument({ v: 'a\x00\x1b\x7f\x85\x9f\u2028\u2029\u202e\ufeff\ufffe\uffff\t\n\r"\\b' }),
      'v: "a\\x00\\x1b\\x7f\\x85\\x9f\\u2028\\u2029\\u202e\\ufeff\\ufffe\\uffff\\t\\n\\r\\"\\\\b"\n',
    );
    const long = `${'word '.repeat(300)}\n${'word '.repeat(300)}`;
    assert.equal(serializeDocument({ v: long }).split('\n').length, 2, 'one line and the trailing newline');
  });

  it('writes a key longer than yaml.v3 allows for a simple key as an explicit key', () => {
    const key = 'k'.repeat(1100);
    const text = serializeDocument({ a: { [key]: { rule: 'x' } } });
    assert.ok(text.startsWith(`a:\n  ? ${key}\n`), text.slice(0, 40));
    for (const read of readAsTraefik(text)) assert.deepEqual(read, { a: { [key]: { rule: 'x' } } });
  });
});

describe('determinism', () => {
  const config = {
    http: {
      services: { web: { loadBalancer: { servers: [{ url: 'http://127.0.11.2:80' }] } } },
      routers: { web: { service: 'web', rule: 'Host(`a.example.com`)', entryPoints: ['websecure', 'web'], tls: {} } },
    },
    tcp: { routers: { db: { rule: 'HostSNI(`*`)', service: 'db' } } },
  };

  it('gives the same bytes whatever the key order of the input', () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reversed)
      : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reversed(item)]))
      : value;
    assert.equal(serializeFragment(reversed(config) as object, HEADER), serializeFragment(config, HEADER));
  });

  it('sorts keys at every level by UTF-8 bytes, not UTF-16 units, and keeps array order', () => {
    const keys = ['b', 'a', '10', '9', '😀', '\ufffd', 'B', '_', 'é'];
    const text = serializeDocument({ m: Object.fromEntries(keys.map((key) => [key, { z: 1, y: [3, 1, 2] }])) });
    const written = (parseDocument(text).get('m') as YAMLMap<Scalar<string>, unknown>).items.map((pair) => pair.key.value);
    const byUtf8 = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(written, byUtf8);
    assert.ok(text.includes('    "y":\n      - 3\n      - 1\n      - 2\n    z: 1\n'), text);
  });

  it('writes 64-bit integers exactly, as plain integers', () => {
    const text = serializeDocument({ max: 9223372036854775807n, min: -9223372036854775808n });
    assert.equal(text, 'max: 9223372036854775807\nmin: -9223372036854775808\n');
    for (const read of readAsTraefik(text)) assert.deepEqual(read, { max: 9223372036854775807n, min: -9223372036854775808n });
  });

  it('writes an object used twice as two copies, never an anchor and alias', () => {
    const shared = { url: 'http://127.0.11.2:80' };
    const text = serializeDocument({ a: { servers: [shared] }, b: { servers: [shared] } });
    assert.equal(text, serializeDocument({ a: { servers: [{ url: 'http://127.0.11.2:80' }] }, b: { servers: [{ url: 'http://127.0.11.2:80' }] } }));
    assert.doesNotMatch(text, /[&*]/);
  });
});

describe('header comment', () => {
  it('names generator, daemon and socket above the configuration, in block style with a trailing newline', () => {
    const config = { http: { routers: { 'web-2816': { rule: 'Host(`a.example.com`)', service: 'web-2816', tls: {}, entryPoints: ['websecure'] } } } };
    assert.equal(
      serializeFragment(config, HEADER),
      [
        '# Generated by route-server 0.1.0 — do not edit; route-server rewrites this file.',
        '# daemon: 2816',
        '# socket: /var/run/rediacc/docker-2816.sock',
        '',
        'http:',
        '  routers:',
        '    web-2816:',
        '      entryPoints:',
        '        - websecure',
        '      rule: "Host(`a.example.com`)"',
        '      service: web-2816',
        '      tls: {}',
        '',
      ].join('\n'),
    );
  });

  const HOSTILE_VALUES = [
    '/run/docker.sock\nhttp:\n  routers:\n    evil:\n      rule: "Host(`x`)"',
    '/run/docker.sock\rhttp: {routers: {evil: {}}}',
    '/run/docker.sock\u0085http: {routers: {evil: {}}}',
    '/run/docker.sock\u2028http: {routers: {evil: {}}}',
    '/run/docker.sock\u2029http: {routers: {evil: {}}}',
    '/run/{{ .Env }}.sock',
    '/run/{{- "x" -}}.sock',
    '"quoted"',
    ' padded ',
    '',
    '/run/\ud800.sock',
    '/run/ünï.sock\x7f',
  ];
  const LINE_BREAKS = /\r\n|\r|\n|\u0085|\u2028|\u2029/;

  for (const hostile of HOSTILE_VALUES) {
    it(`cannot be broken by ${JSON.stringify(hostile).slice(0, 50)}`, () => {
      const config = { http: { services: { web: { loadBalancer: { servers: [{ url: 'http://127.0.11.2:80' }] } } } } };
      for (const header of [
        { ...HEADER, socket: hostile },
        { ...HEADER, daemon: hostile },
        { ...HEADER, generator: hostile },
      ]) {
        const text = serializeFragment(config, header);
        for (const read of readAsTraefik(text)) assert.deepEqual(read, config, 'nothing injected');
        const lines = executeGoTemplate(text).split(LINE_BREAKS);
        assert.deepEqual(lines.slice(0, 4).map((line) => line.slice(0, 2)), ['# ', '# ', '# ', ''], 'three comment lines, then a blank line');
        assert.ok(lines.slice(4).every((line) => !line.startsWith('#')));
        const written = lines[2]?.slice('# socket: '.length) ?? '';
        const socket = written.startsWith('"') ? (parse(written) as string) : written;
        assert.equal(socket, header.socket.replace(/[\ud800-\udfff]/g, '\ufffd'), 'the socket reads back');
      }
    });
  }

  it('serializeDocument writes its own comment, one # per line, escaping lines that need it', () => {
    const text = serializeDocument({ a: 'b' }, 'route-server render — merged\n\nbad \u2028 line {{ .X }}');
    assert.equal(text, '# route-server render — merged\n#\n# "bad \\u2028 line {{`{{`}} .X }}"\n\na: b\n');
    for (const read of readAsTraefik(text)) assert.deepEqual(read, { a: 'b' });
    assert.equal(serializeDocument({ a: 'b' }), 'a: b\n');
  });
});

describe('programming errors', () => {
  const cyclic: Record<string, unknown> = { a: {} };
  cyclic['self'] = cyclic;
  class Router {
    rule = 'x';
  }
  const invalid: ReadonlyArray<readonly [name: string, config: object, path: string]> = [
    ['null', { http: { routers: { a: { rule: null } } } }, 'config.http.routers.a.rule'],
    ['undefined', { http: { routers: { a: { rule: undefined } } } }, 'config.http.routers.a.rule'],
    ['NaN', { a: Number.NaN }, 'config.a'],
    ['Infinity', { a: [1, Number.POSITIVE_INFINITY] }, 'config.a[1]'],
    ['a function', { a: () => 1 }, 'config.a'],
    ['a symbol', { a: Symbol('x') }, 'config.a'],
    ['a Date', { a: new Date(0) }, 'config.a'],
    ['a Map', { a: new Map() }, 'config.a'],
    ['a class instance', { a: new Router() }, 'config.a'],
    ['a cycle', cyclic, 'config.self'],
    ['a sparse array', { a: [1, , 3] }, 'config.a[1]'],
    ['keys equal after U+FFFD', { m: { '\ud800': 1, '\udc00': 2 } }, 'config.m'],
    ['an array at the root', [], 'config'],
  ];
  for (const [name, config, path] of invalid) {
    it(`refuses ${name}, naming the path and the caller`, () => {
      assert.throws(() => serializeDocument(config), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /caller must validate/);
        assert.ok(error.message.includes(path), error.message);
        return true;
      });
    });
  }
});
