import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
// Node's own Punycode (RFC 3492) is the reference; the render core may not import node:* modules.
import reference from 'node:punycode';
import { canonicalHost, goLowerCase } from './host-name.ts';
import { decodePunycode, encodePunycode } from './punycode.ts';

describe('punycode', () => {
  test('known labels', () => {
    assert.equal(encodePunycode('bücher'), 'bcher-kva');
    assert.equal(encodePunycode('münchen'), 'mnchen-3ya');
    assert.equal(encodePunycode('例え'), 'r8jz45g');
    assert.equal(decodePunycode('bcher-kva'), 'bücher');
    assert.equal(decodePunycode('bcher-KVA'), 'bücher'); // digits in either case
    assert.equal(decodePunycode('BCHER-kva'), 'BüCHER'); // basic code points as written
  });
  test('agrees with Node over many labels, both ways', () => {
    // A fixed linear congruential sequence: the same labels on every run.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'z', '0', '-', 'é', 'ß', 'ü', 'ж', '中', '文', '😀', '\u0301', 'K'];
    for (let i = 0; i < 2000; i++) {
      const label = Array.from({ length: 1 + next(12) }, () => alphabet[next(alphabet.length)]).join('');
      const encoded = reference.encode(label);
      assert.equal(encodePunycode(label), encoded, label);
      assert.equal(decodePunycode(encoded), label, encoded);
    }
  });
  test('what is not Punycode decodes to nothing', () => {
    assert.equal(decodePunycode('-abc'), undefined); // a delimiter first and nothing before it
    assert.equal(decodePunycode('ab!c'), undefined);
    assert.equal(decodePunycode('99999999999'), undefined); // overflows 32 bits
    assert.equal(decodePunycode('abc-'), 'abc'); // only basic code points
  });
});

describe('canonicalHost', () => {
  test('case and any number of trailing dots', () => {
    assert.equal(canonicalHost('App.Example.COM'), 'app.example.com');
    assert.equal(canonicalHost('app.example.com.'), 'app.example.com');
    assert.equal(canonicalHost('app.example.com...'), 'app.example.com');
    assert.equal(canonicalHost('app.example.com. .'), 'app.example.com');
  });
  test('spaces around the name go, as in the ACME client', () => {
    assert.equal(canonicalHost(' app.example.com\t'), 'app.example.com');
    assert.equal(canonicalHost('\u0085app.example.com\u3000'), 'app.example.com');
  });
  test('dots inside or in front stay: they make other names', () => {
    assert.equal(canonicalHost('app..example.com'), 'app..example.com');
    assert.equal(canonicalHost('.app.example.com'), '.app.example.com');
  });
  test('Unicode labels and their xn-- form are one host', () => {
    assert.equal(canonicalHost('bücher.example.com'), 'xn--bcher-kva.example.com');
    assert.equal(canonicalHost('BÜCHER.Example.com.'), 'xn--bcher-kva.example.com');
    assert.equal(canonicalHost('XN--BCHER-KVA.example.com'), 'xn--bcher-kva.example.com');
    assert.equal(canonicalHost('xn--bcher-kva.example.com'), 'xn--bcher-kva.example.com');
    // An xn-- label that stands for an uppercase letter is the lowercase host.
    assert.equal(canonicalHost(`xn--${reference.encode('Bücher')}.example.com`), 'xn--bcher-kva.example.com');
  });
  test("Go's lowercase: the Kelvin sign is k, dotted capital I is i", () => {
    assert.equal(canonicalHost('\u212Aafka.example.com'), 'kafka.example.com');
    assert.equal(canonicalHost(`xn--${reference.encode('\u212Aafka')}.example.com`), 'kafka.example.com');
    assert.equal(goLowerCase('\u0130STANBUL'), 'istanbul');
    assert.equal(goLowerCase('ΣΑΣ'), 'σασ'); // no final-sigma rule in Go
  });
  test('percent escapes are decoded once', () => {
    assert.equal(canonicalHost('app%2Eexample.com'), 'app.example.com');
    assert.equal(canonicalHost('%41pp.example.com'), 'app.example.com');
    assert.equal(canonicalHost('b%C3%BCcher.example.com'), 'xn--bcher-kva.example.com');
    assert.equal(canonicalHost('app%252eexample.com'), 'app%2eexample.com');
    assert.equal(canonicalHost('bad%ff.example.com'), 'bad%ff.example.com');
  });
  test('what is not Punycode or not a DNS label stays as written', () => {
    assert.equal(canonicalHost('xn--abc-.example.com'), 'xn--abc-.example.com');
    assert.equal(canonicalHost('xn--a!b.example.com'), 'xn--a!b.example.com');
    const long = 'ü'.repeat(64);
    assert.equal(canonicalHost(`${long}.example.com`), `${long}.example.com`);
  });
  test('wildcards, IPs and the catch-all keep their shape', () => {
    assert.equal(canonicalHost('*.Example.COM.'), '*.example.com');
    assert.equal(canonicalHost('127.0.0.1'), '127.0.0.1');
    assert.equal(canonicalHost('*'), '*');
    assert.equal(canonicalHost('...'), '');
  });
});
