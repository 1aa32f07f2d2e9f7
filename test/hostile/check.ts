// One hostile case checked: rendered with and without the attacker (see render.test.ts for what
// is asserted), so that the table, the schema check and the property tests share it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../../src/model/diagnostics.ts';
import type { Snapshot } from '../../src/model/snapshot.ts';
import type { HostileCase } from './cases.ts';
import {
  assertKeeps,
  assertReadsBack,
  ATTACKER,
  attackerBase,
  attackerDaemon,
  container,
  othersDiagnostics,
  render,
  renderOptions,
  resourceNames,
  victimDaemon,
  type Rendered,
} from './scenario.ts';

export function caseSnapshots(c: HostileCase): { baseline: Snapshot; attack: Snapshot; attackerName: string } {
  const { labels: containerLabels, ...containerFields } = c.container ?? {};
  const attackerName = containerFields.name ?? ATTACKER;
  const attacker = container(attackerName, 1763700000, { ...attackerBase(), ...c.labels, ...containerLabels }, containerFields);
  const baseline = { daemons: [victimDaemon(), attackerDaemon([])] };
  if (c.daemon) return { baseline, attack: { daemons: [...baseline.daemons, { ...c.daemon, containers: [attacker] }] }, attackerName };
  return { baseline, attack: { daemons: [victimDaemon(), attackerDaemon([attacker])] }, attackerName };
}

const routerSections = (fragment: Record<string, any> | undefined) => ['http', 'tcp', 'udp'].map((top) => fragment?.[top]?.routers ?? {});

function assertNamesLabel(diagnostic: Diagnostic, labels: Readonly<Record<string, string>>): void {
  assert.equal(typeof diagnostic.label, 'string', `${diagnostic.code} names a label`);
  const label = diagnostic.label as string;
  const known = Object.keys(labels).some((key) => key === label || (label.endsWith('…') && key.startsWith(label.slice(0, -1))));
  assert.ok(known, `${diagnostic.code} names ${JSON.stringify(label.slice(0, 80))}, a label of the container`);
}

export function checkCase(c: HostileCase): { baseline: Rendered; attack: Rendered } {
  const options = renderOptions(c.args ?? []);
  const { baseline: baselineSnapshot, attack: attackSnapshot, attackerName } = caseSnapshots(c);
  // The victim was there first: its ports were allocated before the attacker came.
  const first = render(baselineSnapshot, options);
  const baseline = render(baselineSnapshot, options, first.result.allocations);
  const attack = render(attackSnapshot, options, first.result.allocations);
  assert.deepEqual(attack.result.failedDaemons, [], 'no daemon render failed');
  assertReadsBack(attack);

  // The victim's daemon, and the neighbour on the attacker's daemon, are untouched.
  assert.deepEqual(attack.fragments.get('2880'), baseline.fragments.get('2880'), "the other daemon's fragment is unchanged");
  assertKeeps(baseline.fragments.get('2816'), attack.fragments.get('2816'), 'neighbour on the same daemon');
  const attackerDaemonId = c.daemon?.id ?? '2816';
  const others = (result: Rendered) => othersDiagnostics(result.result.diagnostics, attackerName).filter((d) => JSON.parse(d).daemon !== attackerDaemonId || attackerDaemonId === '2816');
  assert.deepEqual(others(attack), others(baseline), 'nobody else gets a new diagnostic');

  const labels = attackSnapshot.daemons.flatMap((d) => d.containers).find((x) => x.name === attackerName)?.labels ?? {};
  const mine = attack.result.diagnostics.filter((d) => d.daemon === attackerDaemonId && d.severity === 'error' && (c.daemon ? true : d.container === attackerName));
  const router = `${c.router ?? 'evil'}-2816`;
  const fragment = attack.fragments.get('2816');

  if (c.outcome === 'daemon') {
    assert.equal(attack.fragments.has(attackerDaemonId), false, 'the refused daemon gets no fragment');
    assert.ok(mine.some((d) => d.code === c.code), `a ${c.code} diagnostic for daemon ${JSON.stringify(attackerDaemonId)}`);
    assert.deepEqual(attack.fragments.get('2816'), baseline.fragments.get('2816'));
    return { baseline, attack };
  }
  if (c.outcome === 'accepted' || c.outcome === 'resource') {
    if (c.outcome === 'resource') {
      const refusal = mine.find((d) => d.code === c.code);
      assert.ok(refusal, `a ${c.code} diagnostic`);
      assertNamesLabel(refusal, labels);
      mine.splice(0, mine.length, ...mine.filter((d) => d !== refusal));
    }
    assert.deepEqual(mine, [], 'no error names the attacker');
    assert.ok(routerSections(fragment).some((routers) => router in routers), `${JSON.stringify(router)} renders`);
  } else {
    assert.ok(mine.length > 0, 'an error names daemon and container');
    if (c.code !== undefined) assert.ok(mine.some((d) => d.code === c.code), `a ${c.code} diagnostic (got ${mine.map((d) => d.code).join(', ')})`);
    const first = (c.code === undefined ? mine[0] : mine.find((d) => d.code === c.code)) as Diagnostic;
    if (!c.noLabel) assertNamesLabel(first, labels);
    assert.ok(routerSections(fragment).every((routers) => !(router in routers)), `${JSON.stringify(router)} is refused`);
  }
  if (c.outcome === 'container') {
    assert.deepEqual(resourceNames(fragment), resourceNames(baseline.fragments.get('2816')), 'nothing of the container renders');
  } else {
    assert.ok('fine-2816' in (fragment?.['http']?.['routers'] ?? {}), "the attacker's benign router still renders");
  }
  if (c.absent !== undefined) assert.ok(!(attack.files.get('2816') ?? '').includes(c.absent), `${c.absent} is not in the attacker's file`);
  return { baseline, attack };
}

