// Alerts as lists show them: kind badges, and a run's counts in one line.
import type { AlertRecord } from "../ipc/bindings/AlertRecord";

export type KindClass = "new" | "changed" | "resolved";

/** `NEW` → `new` (the CSS class); anything unknown reads as changed. */
export function kindClass(kind: string): KindClass {
  switch (kind.toUpperCase()) {
    case "NEW":
      return "new";
    case "RESOLVED":
      return "resolved";
    default:
      return "changed";
  }
}

export interface Counts {
  new: number;
  changed: number;
  resolved: number;
  baseline: number;
}

/** "2 new, 1 changed · baseline of 14"; "nothing changed" when all are zero. */
export function describeCounts(c: Counts): string {
  const parts: string[] = [];
  if (c.new > 0) parts.push(`${c.new} new`);
  if (c.changed > 0) parts.push(`${c.changed} changed`);
  if (c.resolved > 0) parts.push(`${c.resolved} resolved`);
  const alerts = parts.length === 0 ? "nothing changed" : parts.join(", ");
  return c.baseline > 0 ? `${alerts} · baseline of ${c.baseline}` : alerts;
}

/** NEW, then CHANGED, then RESOLVED; within a kind the highest threat first, then component. */
export function sortAlerts(alerts: readonly AlertRecord[]): AlertRecord[] {
  const order: Record<KindClass, number> = { new: 0, changed: 1, resolved: 2 };
  return [...alerts].sort(
    (a, b) =>
      order[kindClass(a.kind)] - order[kindClass(b.kind)] ||
      b.threat_level - a.threat_level ||
      a.component.localeCompare(b.component) ||
      a.policy.localeCompare(b.policy),
  );
}
