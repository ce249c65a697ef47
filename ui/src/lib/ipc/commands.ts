// Typed wrappers around the Rust commands in `src-tauri/src/commands.rs`. Every rejection is
// normalised to an `ErrorDto` so callers can branch on `code` and show `message`.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApplicationDetail } from "./bindings/ApplicationDetail";
import type { ApplicationSummary } from "./bindings/ApplicationSummary";
import type { DbStatus } from "./bindings/DbStatus";
import type { ImportReport } from "./bindings/ImportReport";
import type { MonitorReport } from "./bindings/MonitorReport";
import type { Progress } from "./bindings/Progress";
import type { ScanResult } from "./bindings/ScanResult";
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

/** Scans `paths` and stores the result as `application`'s latest scan (at the build stage). */
export function scan(paths: string[], application: string): Promise<ScanResult> {
  return call("scan", { paths, application });
}

export function runMonitoring(): Promise<MonitorReport> {
  return call("run_monitoring");
}
