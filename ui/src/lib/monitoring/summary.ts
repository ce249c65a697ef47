import type { MonitorReport } from "../ipc/bindings/MonitorReport";
import { count } from "../text";

/** One line for a toast or the status bar: "2 new, 1 resolved in 3 applications". */
export function describeRun(report: MonitorReport): string {
  let created = 0;
  let changed = 0;
  let resolved = 0;
  for (const alert of report.alerts) {
    switch (alert.kind) {
      case "new":
        created++;
        break;
      case "changed":
        changed++;
        break;
      case "resolved":
        resolved++;
        break;
    }
  }
  const apps = count(report.applications, "application");
  const parts: string[] = [];
  if (created > 0) parts.push(`${created} new`);
  if (changed > 0) parts.push(`${changed} changed`);
  if (resolved > 0) parts.push(`${resolved} resolved`);
  if (parts.length === 0) return `No changes in ${apps}`;
  return `${parts.join(", ")} in ${apps}`;
}
