// The notification plan as the Plan screen edits it.
import * as ipc from "../ipc/commands";
import { choosePlanExportPath, pickPlanFile } from "../ipc/dialog";
import type { Plan } from "../ipc/bindings/Plan";
import type { PlanView } from "../ipc/bindings/PlanView";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";
import { work } from "../shared/work.svelte";

class PlanStore {
  view = $state<Loadable<PlanView>>({ state: "loading" });

  async refresh() {
    try {
      this.view = { state: "ready", value: await ipc.plan() };
    } catch (error) {
      this.view = { state: "error", error: toErrorDto(error) };
    }
  }

  /** Rejects with the engine's checks; the view is the stored plan afterwards. */
  async save(plan: Plan): Promise<PlanView> {
    const value = await ipc.setPlan(plan);
    this.view = { state: "ready", value };
    return value;
  }

  /** Asks for a YAML file and replaces the plan with it; null when cancelled. */
  async importFromDialog(): Promise<PlanView | null> {
    const path = await pickPlanFile();
    if (path === null) return null;
    const value = await work.track("Importing the plan", ipc.importPlan(path));
    this.view = { state: "ready", value };
    return value;
  }

  /** Asks where to save and writes the YAML; resolves to the path, or null when cancelled. */
  async exportToDialog(): Promise<string | null> {
    const path = await choosePlanExportPath();
    if (path === null) return null;
    await ipc.exportPlan(path);
    return path;
  }
}

export const plan = new PlanStore();
