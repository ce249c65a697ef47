// Times ahead ("next run today at 06:30") and spans ("1 min 12 s"), as a person would say them.
// `now` and the time zone are passed in so the results are deterministic.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The calendar date of `date` in `timeZone`, as `YYYY-MM-DD`. */
function dayIn(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

function clockIn(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hour12: false }).format(date);
}

/** "in 3 hours", "in 12 minutes", "in 2 days"; "now" when it is due or past. */
export function formatIn(ms: number): string {
  if (ms < MINUTE) return "now";
  if (ms < HOUR) {
    const m = Math.floor(ms / MINUTE);
    return `in ${m} minute${m === 1 ? "" : "s"}`;
  }
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    return `in ${h} hour${h === 1 ? "" : "s"}`;
  }
  const d = Math.floor(ms / DAY);
  return `in ${d} day${d === 1 ? "" : "s"}`;
}

/**
 * When a scheduled run comes, in the viewer's (or the given) time zone: "today at 06:30",
 * "tomorrow at 06:30", "Wed 12 Mar at 06:30"; `null` (paused) reads "paused".
 */
export function formatNextRun(iso: string | null, now: Date, timeZone?: string): string {
  if (iso === null) return "paused";
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return "unknown";
  const at = clockIn(when, timeZone);
  const day = dayIn(when, timeZone);
  if (day === dayIn(now, timeZone)) return `today at ${at}`;
  if (day === dayIn(new Date(now.getTime() + DAY), timeZone)) return `tomorrow at ${at}`;
  const date = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short" }).format(when);
  return `${date.replace(",", "")} at ${at}`;
}

/** A run's duration: "0.4 s", "12 s", "1 min 12 s", "1 h 3 min"; "—" when unreadable. */
export function formatDuration(startIso: string, endIso: string): string {
  const ms = Date.parse(endIso) - Date.parse(startIso);
  if (Number.isNaN(ms) || ms < 0) return "—";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A point in time for a table: "10 Mar 2025 14:32" in the viewer's (or the given) zone. */
export function formatStamp(iso: string, timeZone?: string): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const date = new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric" }).format(when);
  return `${date} ${clockIn(when, timeZone)}`;
}
