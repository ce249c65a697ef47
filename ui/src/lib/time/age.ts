// How old a timestamp is, in the words a person would use ("3 days ago").

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Advisory data older than this is stale unless the workspace sets its own limit. */
export const DEFAULT_MAX_AGE_HOURS = 48;

/** The stale limit in milliseconds for the workspace's `advisory_data_max_age_hours`. */
export function staleAfterMs(maxAgeHours: number | null | undefined): number {
  return (maxAgeHours && maxAgeHours > 0 ? maxAgeHours : DEFAULT_MAX_AGE_HOURS) * HOUR;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
}

/**
 * `iso` is an RFC 3339 time (or null for "never"); `now` is passed in so that the result is
 * deterministic. Times a little in the future (clock skew) read as "just now".
 */
export function formatAge(iso: string | null, now: Date): string {
  if (iso === null) return "never";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "unknown";
  const ms = now.getTime() - then;
  if (ms < MINUTE) return "just now";
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), "minute");
  if (ms < DAY) return plural(Math.floor(ms / HOUR), "hour");
  const days = Math.floor(ms / DAY);
  if (days === 1) return "yesterday";
  if (days < 60) return plural(days, "day");
  const months = Math.floor(days / 30);
  if (months < 24) return plural(months, "month");
  return plural(Math.floor(days / 365), "year");
}

/** Whether data imported at `iso` should be flagged (never imported counts as stale). */
export function isStale(iso: string | null, now: Date, limitMs = staleAfterMs(null)): boolean {
  if (iso === null) return true;
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return true;
  return now.getTime() - then > limitMs;
}

/** The newest of several RFC 3339 times, or null when none is set. */
export function newest(times: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  let bestMs = -Infinity;
  for (const t of times) {
    if (t === null) continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms) && ms > bestMs) {
      best = t;
      bestMs = ms;
    }
  }
  return best;
}
