// Syncing advisory data from an OSV bucket: which ecosystems, and how to say what happened.
import type { EcosystemStatus } from "../ipc/bindings/EcosystemStatus";
import type { EcosystemSync } from "../ipc/bindings/EcosystemSync";
import type { Progress } from "../ipc/bindings/Progress";
import type { SyncReport } from "../ipc/bindings/SyncReport";
import { count } from "../text";
import { formatBytes } from "../drop/progress";

/** The OSV ecosystems Vigil matches, in the order offered for a first sync. */
export const OSV_ECOSYSTEMS = [
  "npm",
  "PyPI",
  "Maven",
  "Go",
  "crates.io",
  "NuGet",
  "RubyGems",
  "Packagist",
  "Pub",
  "Hex",
  "Debian",
  "Ubuntu",
  "Alpine",
  "Red Hat",
  "Rocky Linux",
  "AlmaLinux",
] as const;

/** Whether an ecosystem has been synced (successfully or not): "Sync now" syncs these. */
export function isSynced(status: EcosystemStatus): boolean {
  return status.last_sync !== null || status.last_error !== null;
}

export function syncedEcosystems(statuses: readonly EcosystemStatus[]): string[] {
  return statuses.filter(isSynced).map((s) => s.ecosystem);
}

/** Ecosystems that could be added to the sync: the known ones not synced yet. */
export function addableEcosystems(statuses: readonly EcosystemStatus[]): string[] {
  const synced = new Set(syncedEcosystems(statuses));
  return OSV_ECOSYSTEMS.filter((e) => !synced.has(e));
}

/** 0–1 when the total is known, else null (an indeterminate bar). */
export function progressFraction(p: Progress): number | null {
  if (p.total === null || p.total <= 0) return null;
  return Math.min(1, p.done / p.total);
}

/** "PyPI: downloading 1.2 of 3.4 MB", "PyPI: 120 of 300 records", "npm: 5,000 records". */
export function describeProgress(p: Progress): string {
  const what = p.ecosystem ? `${p.ecosystem}: ` : "";
  if (p.unit === "bytes") {
    const total = p.total !== null ? ` of ${formatBytes(p.total)}` : "";
    return `${what}downloading ${formatBytes(p.done)}${total}`;
  }
  const total = p.total !== null ? ` of ${p.total.toLocaleString("en")}` : "";
  return `${what}${p.done.toLocaleString("en")}${total} records`;
}

/** One ecosystem's outcome in words. */
export function describeEcosystemSync(e: EcosystemSync): string {
  const changed = `${e.changed.toLocaleString("en")} new or updated`;
  switch (e.mode) {
    case "full":
      return `${e.ecosystem}: full download, ${count(e.read, "record")} read, ${changed}`;
    case "incremental":
      return `${e.ecosystem}: ${count(e.read, "changed record")} fetched, ${changed}`;
    case "unchanged":
      return `${e.ecosystem}: no changes`;
    default:
      return `${e.ecosystem}: failed: ${e.error ?? "unknown error"}`;
  }
}

/** A whole sync in a few words: "PyPI (3 new or updated), npm (no changes)". */
export function describeSync(report: SyncReport): string {
  if (report.ecosystems.length === 0) return "nothing";
  return report.ecosystems
    .map((e) => {
      if (e.error !== null) return `${e.ecosystem} (failed)`;
      if (e.mode === "unchanged" || e.changed === 0) return `${e.ecosystem} (no changes)`;
      return `${e.ecosystem} (${e.changed.toLocaleString("en")} new or updated)`;
    })
    .join(", ");
}
