// The waivers, and creating and removing them. Each change re-evaluates in the engine, so the
// applications are reloaded after it (a waived violation stops counting at once).
import * as ipc from "../ipc/commands";
import { chooseVexExportPath, pickVexFile } from "../ipc/dialog";
import type { NewWaiver } from "../ipc/bindings/NewWaiver";
import type { VexImportReport } from "../ipc/bindings/VexImportReport";
import type { WaiverDto } from "../ipc/bindings/WaiverDto";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";
import { portfolio } from "../portfolio/portfolio.svelte";
import { work } from "../shared/work.svelte";

class Waivers {
  list = $state<Loadable<WaiverDto[]>>({ state: "loading" });

  async refresh() {
    try {
      this.list = { state: "ready", value: await ipc.waivers() };
    } catch (error) {
      this.list = { state: "error", error: toErrorDto(error) };
    }
  }

  async #changed() {
    await Promise.all([this.refresh(), portfolio.refresh()]);
  }

  /** Rejects with the engine's error (a bad purl, an unknown policy…). */
  async add(waiver: NewWaiver): Promise<WaiverDto> {
    const created = await ipc.addWaiver(waiver);
    await this.#changed();
    return created;
  }

  async remove(id: number): Promise<void> {
    try {
      await ipc.removeWaiver(id);
    } finally {
      await this.#changed();
    }
  }

  async importVexFromDialog(): Promise<VexImportReport | null> {
    const path = await pickVexFile();
    if (path === null) return null;
    try {
      return await work.track("Importing VEX", ipc.importVex(path));
    } finally {
      await this.#changed();
    }
  }

  async exportVexToDialog(): Promise<string | null> {
    const path = await chooseVexExportPath();
    if (path === null) return null;
    await ipc.exportVex(path);
    return path;
  }
}

export const waivers = new Waivers();
