import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { executeGoTemplate, GoTemplateError } from './go-template.ts';

describe('executeGoTemplate', () => {
  it('copies text without actions, including a lone }}', () => {
    assert.equal(executeGoTemplate('a: b\n}} c }\n{ d'), 'a: b\n}} c }\n{ d');
    assert.equal(executeGoTemplate(''), '');
  });

  it('prints the string of a raw-string action', () => {
    assert.equal(executeGoTemplate('x{{`{{`}}y'), 'x{{y');
    assert.equal(executeGoTemplate('"{{`{{`}} .Env }}"'), '"{{ .Env }}"');
    assert.equal(executeGoTemplate('{{`{{`}}{{`{{`}}{'), '{{{{{');
    assert.equal(executeGoTemplate('{{ `a\r\nb` }}'), 'a\nb', 'carriage returns are dropped from raw strings, as strconv.Unquote does');
  });

  it('prints the string of an interpreted-string action, decoding Go escapes', () => {
    assert.equal(executeGoTemplate('{{"a\\"b\\\\c"}}'), 'a"b\\c');
    assert.equal(executeGoTemplate('{{ "\\t\\n\\x41\\101\\u00e9\\U0001F600" }}'), '\t\nAAé😀');
  });

  it('trims around trim markers only when the dash touches a space', () => {
    assert.equal(executeGoTemplate('a \n {{- "x" -}} \n b'), 'axb');
    assert.equal(executeGoTemplate('a {{- `x`}} b'), 'ax b');
    assert.equal(executeGoTemplate('a {{`x` -}} b'), 'a xb');
    assert.equal(executeGoTemplate('a {{`x`   -}} b'), 'a xb');
    assert.throws(() => executeGoTemplate('{{-`x`}}'), GoTemplateError, '`{{-` without a space is not a trim marker');
    assert.throws(() => executeGoTemplate('{{`x`-}}'), GoTemplateError, '`-}}` without a space is not a trim marker');
    assert.throws(() => executeGoTemplate('{{-3}}'), GoTemplateError);
  });

  it('throws on anything Traefik would evaluate or reject', () => {
    const rejected = [
      '{{ .Env }}',
      '{{ printf "%s" "x" }}',
      '{{ "a" "b" }}',
      '{{ "a" | print }}',
      '{{}}',
      '{{ -}}',
      '{{/* note */}}',
      '{{- /* note */ -}}',
      'a {{',
      'a {{ "x"',
      'a {{ "x" }',
      '{{ "a }}',
      '{{ `a }}',
      '{{ "a\nb" }}',
      '{{ "\\q" }}',
      '{{ "\\xff" }}',
      '{{ "\\ud800" }}',
      '{{`{{`}}{{ .X }}',
    ];
    for (const source of rejected) assert.throws(() => executeGoTemplate(source), GoTemplateError, JSON.stringify(source));
  });
});
