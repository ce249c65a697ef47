// The schedule form's checks before anything is sent: the engine checks again, but a person
// should hear "25:00 is not a time" at once, next to the field.

/** `HH:MM`, 00:00–23:59. */
export function checkTime(value: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return `${JSON.stringify(value)} is not a time (HH:MM)`;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return `${value.trim()} is not a time of day`;
  return null;
}

/** Normalises "6:30" to "06:30". Call only after `checkTime` passed. */
export function normaliseTime(value: string): string {
  const [h, m] = value.trim().split(":");
  return `${h.padStart(2, "0")}:${m}`;
}

/** An IANA zone this browser knows (`Europe/Berlin`); empty means "the system's zone". */
export function checkTimezone(value: string): string | null {
  const zone = value.trim();
  if (zone === "") return null;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return null;
  } catch {
    return `${JSON.stringify(zone)} is not a time zone (an IANA name such as Europe/Berlin)`;
  }
}

export const SYNC_CHOICES: { seconds: number; label: string }[] = [
  { seconds: 0, label: "Never (off)" },
  { seconds: 15 * 60, label: "Every 15 minutes" },
  { seconds: 30 * 60, label: "Every 30 minutes" },
  { seconds: 3600, label: "Every hour" },
  { seconds: 6 * 3600, label: "Every 6 hours" },
  { seconds: 24 * 3600, label: "Every day" },
];

/** "every hour", "every 90 minutes", "off": a sync frequency in words (any number of seconds). */
export function describeSyncEvery(seconds: number): string {
  if (seconds <= 0) return "off";
  const known = SYNC_CHOICES.find((c) => c.seconds === seconds);
  if (known) return known.label.toLowerCase();
  if (seconds % 3600 === 0) return `every ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return `every ${seconds / 60} minutes`;
  return `every ${seconds} seconds`;
}
