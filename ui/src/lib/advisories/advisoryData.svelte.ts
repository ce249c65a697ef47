// The advisory store's status, and importing OSV files into it.
import * as ipc from "../ipc/commands";
import { pickAdvisoryFiles } from "../ipc/dialog";
import type { DbStatus } from "../ipc/bindings/DbStatus";
import type { ErrorDto } from "../ipc/bindings/ErrorDto";
import type { ImportReport } from "../ipc/bindings/ImportReport";
import type { Progress } from "../ipc/bindings/Progress";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";
import { newest } from "../time/age";

class AdvisoryData {
  status = $state<Loadable<DbStatus>>({ state: "loading" });
  importing = $state(false);
  progress = $state<Progress | null>(null);
  lastImport = $state<ImportReport | null>(null);
  importError = $state<ErrorDto | null>(null);

  /** When advisory data was last imported, any ecosystem; null when never. */
  get importedAt(): string | null {
    if (this.status.state !== "ready") return null;
    return newest(this.status.value.ecosystems.map((e) => e.imported_at));
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
}

export const advisoryData = new AdvisoryData();
