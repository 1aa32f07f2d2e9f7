// Times in responses: an ISO 8601 string for people and log correlation, and next to it an age in
// ms, so a script can alert on "older than N" without parsing dates or trusting its own clock.

export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/** How long ago `ms` was; never negative (clocks may step back), null when there is no time. */
export function ageMs(ms: number | null | undefined, now: number): number | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : Math.max(0, Math.round(now - ms));
}
