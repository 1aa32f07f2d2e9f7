// Table-driven rule tests: a rule either parses (and prints back to the same tree) or is refused
// with an error naming the problem. Used by the parser's tests, v3 and v2.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRule, parseRule, type RuleProtocol, type RuleTree } from '../../src/traefik/rules.ts';

/** [rule, protocol, syntax] tables: a string expectation is a fragment of the error message. */
export type Case = readonly [rule: string, expected: true | string];

export function parsed(rule: string, protocol: RuleProtocol = 'http', syntax?: string): RuleTree {
  const result = parseRule(rule, protocol, syntax);
  if (!result.ok) assert.fail(`${JSON.stringify(rule)} should parse, got: ${result.error}`);
  return result.tree;
}

export function runTable(protocol: RuleProtocol, syntax: string | undefined, cases: readonly Case[]): void {
  for (const [rule, expected] of cases) {
    test(`${expected === true ? 'accepts' : 'refuses'} ${JSON.stringify(rule)}`, () => {
      const result = parseRule(rule, protocol, syntax);
      if (expected === true) {
        assert.ok(result.ok, `unexpected error: ${result.ok ? '' : result.error}`);
        // What formatRule prints must parse back to the same tree (diagnostics quote it).
        assert.deepEqual(parsed(formatRule(result.tree), protocol, syntax), result.tree);
      } else {
        assert.equal(result.ok, false, 'should be refused');
        if (!result.ok) {
          assert.ok(result.error.includes(expected), `error ${JSON.stringify(result.error)} should mention ${JSON.stringify(expected)}`);
        }
      }
    });
  }
}
