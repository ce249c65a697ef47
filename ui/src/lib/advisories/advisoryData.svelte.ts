// The advisory store's status, and importing OSV files into it.
import * as ipc from "../ipc/commands";
import { pickAdvisoryFiles } from "../ipc/dialog";
import type { DbStatus } from "../ipc/bindings/DbStatus";
import type { ErrorDto } from "../ipc/bindings/ErrorDto";
import type { ImportReport } from "../ipc/bindings/ImportReport";
import type { Progress } from "../ipc/bindings/Progress";
import type { SyncReport } from "../ipc/bindings/SyncReport";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";
import { newest } from "../time/age";

class AdvisoryData {
  status = $state<Loadable<DbStatus>>({ state: "loading" });
  importing = $state(false);
  progress = $state<Progress | null>(null);
  lastImport = $state<ImportReport | null>(null);
  importError = $state<ErrorDto | null>(null);
  syncing = $state(false);
  syncProgress = $state<Progress | null>(null);
  lastSync = $state<SyncReport | null>(null);
  syncError = $state<ErrorDto | null>(null);

  /** When advisory data was last known current (imported or synced), any ecosystem; null when never. */
  get importedAt(): string | null {
    if (this.status.state !== "ready") return null;
    return newest(this.status.value.ecosystems.flatMap((e) => [e.imported_at, e.last_sync]));
  }

  async refresh() {
    try {
      this.status = { state: "ready", value: await ipc.status() };
    } catch (error) {
      this.status = { state: "error", error: toErrorDto(error) };
    }
  }

  /** Opens the file dialog and imports what was chosen. Resolves to the report, or null. */
  async importFromDialog(): Promise<ImportReport | null> {
    let paths: string[];
    try {
      paths = await pickAdvisoryFiles();
    } catch (error) {
      this.importError = toErrorDto(error);
      return null;
    }
    if (paths.length === 0) return null;
    return this.importFiles(paths);
  }

  async importFiles(paths: string[]): Promise<ImportReport | null> {
    this.importing = true;
    this.importError = null;
    this.progress = null;
    try {
      const report = await ipc.importAdvisories(paths, (p) => {
        this.progress = p;
      });
      this.lastImport = report;
      return report;
    } catch (error) {
      this.importError = toErrorDto(error);
      return null;
    } finally {
      this.importing = false;
      this.progress = null;
      await this.refresh();
    }
  }

  /** Syncs `ecosystems` (empty: those synced before). Resolves to the report, or null. */
  async sync(ecosystems: string[]): Promise<SyncReport | null> {
    if (this.syncing) return null;
    this.syncing = true;
    this.syncError = null;
    this.syncProgress = null;
    try {
      const report = await ipc.syncAdvisories(ecosystems, (p) => {
        this.syncProgress = p;
      });
      this.lastSync = report;
      return report;
    } catch (error) {
      this.syncError = toErrorDto(error);
      return null;
    } finally {
      this.syncing = false;
      this.syncProgress = null;
      await this.refresh();
    }
  }
}

export const advisoryData = new AdvisoryData();
