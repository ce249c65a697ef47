// The progress rows of a scan: one per dropped artifact, fed by the shell's ScanProgress messages.
import type { ScanProgress } from "../ipc/bindings/ScanProgress";

export type RowState = "waiting" | "reading" | "done" | "cancelled" | "failed";

export interface ScanRow {
  /** The path as dropped. */
  artifact: string;
  bytesRead: number;
  /** About how much the scan reads; 0 until the shell has sized it (or for an empty artifact). */
  totalBytes: number;
  components: number;
  state: RowState;
}

export function initialRows(paths: readonly string[]): ScanRow[] {
  return paths.map((artifact) => ({ artifact, bytesRead: 0, totalBytes: 0, components: 0, state: "waiting" }));
}

/** The rows after one progress message (a new array; rows of other artifacts are kept as they are). */
export function applyProgress(rows: readonly ScanRow[], p: ScanProgress): ScanRow[] {
  return rows.map((row) => {
    if (row.artifact !== p.artifact) return row;
    if (row.state === "done" || row.state === "cancelled" || row.state === "failed") return row;
    const started = p.done || p.bytes_read > 0 || p.components > 0;
    return {
      artifact: row.artifact,
      bytesRead: p.bytes_read,
      totalBytes: p.total_bytes,
      components: p.components,
      state: p.done ? "done" : started ? "reading" : row.state,
    };
  });
}

/**
 * The rows once the scan returned. A finished scan's rows are all done (an artifact with nothing
 * to read never reports). A cancelled scan stores nothing, so every row says cancelled, even one
 * read to its end; after a failure, the rows that had not finished say failed.
 */
export function finishRows(rows: readonly ScanRow[], outcome: "finished" | "cancelled" | "failed"): ScanRow[] {
  return rows.map((row) => {
    if (outcome === "cancelled") return { ...row, state: "cancelled" };
    if (row.state === "done") return row;
    return { ...row, state: outcome === "finished" ? "done" : "failed" };
  });
}

/** How far along a row is, 0–1 (a finished row is full whatever the estimate said). */
export function rowFraction(row: ScanRow): number {
  if (row.state === "done") return 1;
  if (row.totalBytes <= 0) return 0;
  return Math.min(1, row.bytesRead / row.totalBytes);
}

const UNITS = ["bytes", "KB", "MB", "GB", "TB"];

/** "812 bytes", "4.2 KB", "13 MB" (powers of 1024; one decimal below 10). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "?";
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} ${value === 1 ? "byte" : "bytes"}`;
  const shown = value < 10 ? value.toFixed(1) : Math.round(value).toString();
  return `${shown} ${UNITS[unit]}`;
}

/** What a row says beside its bar: "4.2 KB of 13 MB · 12 components", "cancelled", … */
export function rowText(row: ScanRow): string {
  const found = `${row.components.toLocaleString("en")} ${row.components === 1 ? "component" : "components"}`;
  switch (row.state) {
    case "waiting":
      return row.totalBytes > 0 ? `waiting · ${formatBytes(row.totalBytes)}` : "waiting";
    case "reading":
      return row.totalBytes > 0
        ? `${formatBytes(Math.min(row.bytesRead, row.totalBytes))} of ${formatBytes(row.totalBytes)} · ${found}`
        : `${formatBytes(row.bytesRead)} · ${found}`;
    case "done":
      return `${formatBytes(row.bytesRead)} read · ${found}`;
    case "cancelled":
      return row.bytesRead > 0 ? `cancelled after ${formatBytes(row.bytesRead)} · ${found}` : "cancelled";
    case "failed":
      return "failed";
  }
}

/** The last path segment, for a row's label. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}
