// Which fragment each daemon gets after a render: the promises of the README in one pure function.
//   connected and synced      → its new fragment (none when nothing is routable: removed)
//   synced but unreachable    → its last fragment stays, marked stale
//   never synced since start  → whatever is there stays (its containers are unknown, not empty)
//   listed in `keep`          → its last fragment stays, marked stale (e.g. its render failed)
//   no longer listed (socket gone, or never seen since start) → removed
// The caller delivers `set` to its sinks and carries `owned` into the next plan.

import type { Fragment } from '../render/render.ts';
import type { DaemonState } from '../source/daemon-status.ts';

export interface DaemonOutputState {
  readonly synced: boolean;
  readonly state: DaemonState;
}

export interface OutputPlanInput {
  /** Every daemon discovery lists now. */
  readonly daemons: ReadonlyMap<string, DaemonOutputState>;
  /** The render's fragments, by daemon (a map, or the render's own lookup). */
  readonly fragments: { get(daemon: string): Fragment | undefined };
  /** Daemons the sinks hold a fragment for: delivered by us, or left by a previous run. */
  readonly owned: ReadonlySet<string>;
  /** Owned daemons whose fragment is still the one a previous run left. */
  readonly inherited?: ReadonlySet<string>;
  /** Daemons whose fragment must stay as it is this time, whatever the render says. */
  readonly keep?: ReadonlySet<string>;
  /**
   * What the sinks were last handed per daemon (undefined: nothing yet). A daemon whose new
   * fragment is the very one it was handed is left out of `set`: one change on a thousand
   * daemons hands over one fragment, not a thousand.
   */
  readonly handed?: (daemon: string) => Fragment | null | undefined;
}

export interface OutputPlan {
  /** What to hand to the sinks: a fragment, or null for none. Daemons not in here are left alone. */
  readonly set: ReadonlyMap<string, Fragment | null>;
  /** Daemons whose fragment stays although it may no longer be current. */
  readonly stale: ReadonlySet<string>;
  /** `owned` after this plan is delivered. */
  readonly owned: ReadonlySet<string>;
  /** `inherited` after this plan: a daemon given a fragment (or none) no longer has the old one. */
  readonly inherited: ReadonlySet<string>;
}

/** Whether a plan hands this daemon its new fragment (else it keeps its file, or is left alone). */
export function takesNewFragment(daemon: DaemonOutputState | undefined, kept: boolean): boolean {
  return daemon !== undefined && daemon.synced && daemon.state === 'connected' && !kept;
}

export function planOutputs({ daemons, fragments, owned, inherited = new Set(), keep = new Set(), handed }: OutputPlanInput): OutputPlan {
  const set = new Map<string, Fragment | null>();
  const stale = new Set<string>();
  // forEach: no entry pair per daemon (this runs over every daemon on every change).
  daemons.forEach((daemon, id) => {
    if (!daemon.synced) return;
    if (!takesNewFragment(daemon, keep.has(id))) {
      if (owned.has(id)) stale.add(id);
      return;
    }
    const fragment = fragments.get(id) ?? null;
    if (handed?.(id) !== fragment) set.set(id, fragment);
  });
  owned.forEach((id) => {
    if (!daemons.has(id)) set.set(id, null);
  });

  // Runs on every change over every daemon: `owned` and `inherited` are copied only when they change.
  let nextOwned: Set<string> | undefined;
  for (const [id, fragment] of set) {
    if ((fragment !== null) === owned.has(id)) continue;
    nextOwned ??= new Set(owned);
    if (fragment === null) nextOwned.delete(id);
    else nextOwned.add(id);
  }
  const ownedAfter = nextOwned ?? owned;
  const nextInherited = inherited.size === 0 ? inherited : new Set([...inherited].filter((id) => ownedAfter.has(id) && !set.has(id)));
  return { set, stale, owned: ownedAfter, inherited: nextInherited };
}
