// The policies in force, and the changes the Policies screen makes to them. Every change
// re-evaluates the portfolio in the engine, so the applications are reloaded after it.
import * as ipc from "../ipc/commands";
import { choosePoliciesExportPath, pickPoliciesFile } from "../ipc/dialog";
import type { PoliciesView } from "../ipc/bindings/PoliciesView";
import type { Policy } from "../ipc/bindings/Policy";
import type { PolicyImportReport } from "../ipc/bindings/PolicyImportReport";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";
import { portfolio } from "../portfolio/portfolio.svelte";
import { work } from "../shared/work.svelte";

class Policies {
  view = $state<Loadable<PoliciesView>>({ state: "loading" });
  /** Policy names with a change being saved (their switches are disabled meanwhile). */
  busy = $state<string[]>([]);

  get names(): string[] {
    return this.view.state === "ready" ? this.view.value.policies.map((p) => p.name) : [];
  }

  async refresh() {
    try {
      this.view = { state: "ready", value: await ipc.policies() };
    } catch (error) {
      this.view = { state: "error", error: toErrorDto(error) };
    }
  }

  async #change(name: string, work: () => Promise<void>) {
    this.busy = [...this.busy, name];
    try {
      await work();
    } finally {
      this.busy = this.busy.filter((n) => n !== name);
      await this.refresh();
      await portfolio.refresh();
    }
  }

  /** Rejects with the engine's error (shown by the caller). */
  setEnabled(name: string, enabled: boolean): Promise<void> {
    return this.#change(name, () => ipc.setPolicyEnabled(name, enabled));
  }

  setPolicy(original: string, policy: Policy): Promise<void> {
    return this.#change(original, () => ipc.savePolicy(original, policy));
  }

  /** Saves a policy from the editor: `original` null for a new one. Rejects with the engine's checks. */
  save(original: string | null, policy: Policy): Promise<void> {
    return this.#change(original ?? policy.name, () => ipc.savePolicy(original, policy));
  }

  delete(name: string): Promise<void> {
    return this.#change(name, () => ipc.deletePolicy(name));
  }

  /** Asks for a YAML file and replaces the policies with it; null when cancelled. */
  async importFromDialog(): Promise<PolicyImportReport | null> {
    const path = await pickPoliciesFile();
    if (path === null) return null;
    try {
      return await work.track("Importing policies", ipc.importPolicies(path));
    } finally {
      await this.refresh();
      await portfolio.refresh();
    }
  }

  /** Asks where to save and writes the YAML; resolves to the path, or null when cancelled. */
  async exportToDialog(): Promise<string | null> {
    const path = await choosePoliciesExportPath();
    if (path === null) return null;
    await ipc.exportPolicies(path);
    return path;
  }
}

export const policies = new Policies();
