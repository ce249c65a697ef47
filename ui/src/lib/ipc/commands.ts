// Typed wrappers around the Rust commands in `src-tauri/src/commands.rs`. Every rejection is
// normalised to an `ErrorDto` so callers can branch on `code` and show `message`.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApplicationDetail } from "./bindings/ApplicationDetail";
import type { ApplicationSummary } from "./bindings/ApplicationSummary";
import type { DbStatus } from "./bindings/DbStatus";
import type { ImportReport } from "./bindings/ImportReport";
import type { MonitorReport } from "./bindings/MonitorReport";
import type { Progress } from "./bindings/Progress";
import type { ScanProgress } from "./bindings/ScanProgress";
import type { ScanResult } from "./bindings/ScanResult";
import type { SyncReport } from "./bindings/SyncReport";
import { toErrorDto } from "./errors";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toErrorDto(error);
  }
}

export function status(): Promise<DbStatus> {
  return call("status");
}

export function applications(): Promise<ApplicationSummary[]> {
  return call("applications");
}

export function application(name: string): Promise<ApplicationDetail> {
  return call("application", { name });
}

export function importAdvisories(
  paths: string[],
  onProgress: (progress: Progress) => void,
): Promise<ImportReport> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return call("import_advisories", { paths, onProgress: channel });
}

/**
 * Syncs OSV advisories for `ecosystems` (OSV names; empty: those synced before) from the
 * configured bucket. An ecosystem that fails is in the report with its error.
 */
export function syncAdvisories(
  ecosystems: string[],
  onProgress: (progress: Progress) => void,
): Promise<SyncReport> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return call("sync_advisories", { ecosystems, onProgress: channel });
}

/**
 * Scans `paths` into one inventory stored as `application`'s latest scan (at the build stage),
 * reporting each artifact's progress. `scanId` names the scan for `cancelScan`; a cancelled scan
 * resolves unstored.
 */
export function scan(
  paths: string[],
  application: string,
  scanId: string,
  onProgress: (progress: ScanProgress) => void,
): Promise<ScanResult> {
  const channel = new Channel<ScanProgress>();
  channel.onmessage = onProgress;
  return call("scan", { paths, application, scanId, onProgress: channel });
}

/** Asks a running scan to stop; false when it had already finished. */
export function cancelScan(scanId: string): Promise<boolean> {
  return call("cancel_scan", { scanId });
}

export function runMonitoring(): Promise<MonitorReport> {
  return call("run_monitoring");
}
