// The applications Vigil knows about, and the one open in the Application view.
import * as ipc from "../ipc/commands";
import type { ApplicationDetail } from "../ipc/bindings/ApplicationDetail";
import type { ApplicationSummary } from "../ipc/bindings/ApplicationSummary";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";

class Portfolio {
  list = $state<Loadable<ApplicationSummary[]>>({ state: "loading" });
  detail = $state<Loadable<ApplicationDetail>>({ state: "loading" });
  #detailName: string | null = null;

  /** Names of the applications already loaded (for the drop overlay's picker). */
  get names(): string[] {
    return this.list.state === "ready" ? this.list.value.map((a) => a.name) : [];
  }

  async refresh() {
    try {
      this.list = { state: "ready", value: await ipc.applications() };
    } catch (error) {
      this.list = { state: "error", error: toErrorDto(error) };
    }
    if (this.#detailName !== null) await this.#loadDetail(this.#detailName, false);
  }

  async open(name: string) {
    await this.#loadDetail(name, true);
  }

  async #loadDetail(name: string, showLoading: boolean) {
    this.#detailName = name;
    if (showLoading) this.detail = { state: "loading" };
    try {
      const value = await ipc.application(name);
      if (this.#detailName === name) this.detail = { state: "ready", value };
    } catch (error) {
      if (this.#detailName === name) this.detail = { state: "error", error: toErrorDto(error) };
    }
  }

  close() {
    this.#detailName = null;
  }
}

export const portfolio = new Portfolio();
