// The schedule and the agent as the window shows them: the next and last run (status bar,
// Settings), the last sync and its error. Refreshed after every run and every change made here.
import * as ipc from "../ipc/commands";
import type { AgentStatus } from "../ipc/bindings/AgentStatus";
import type { ScheduleStatus } from "../ipc/bindings/ScheduleStatus";
import { toErrorDto } from "../ipc/errors";
import type { Loadable } from "../load";

class Agent {
  schedule = $state<Loadable<ScheduleStatus>>({ state: "loading" });
  status = $state<Loadable<AgentStatus>>({ state: "loading" });
  /** Advisory data older than this is stale (the workspace's setting, once known). */
  maxAgeHours = $derived(this.status.state === "ready" ? this.status.value.settings.advisory_data_max_age_hours : null);

  async refresh() {
    await Promise.all([this.refreshSchedule(), this.refreshStatus()]);
  }

  async refreshSchedule() {
    try {
      this.schedule = { state: "ready", value: await ipc.scheduleStatus() };
    } catch (error) {
      this.schedule = { state: "error", error: toErrorDto(error) };
    }
  }

  async refreshStatus() {
    try {
      const value = await ipc.agentStatus();
      this.status = { state: "ready", value };
      this.schedule = { state: "ready", value: value.schedule };
    } catch (error) {
      this.status = { state: "error", error: toErrorDto(error) };
    }
  }

  /** Stores a new daily time; rejects with the engine's error (shown by the form). */
  async setSchedule(at: string, timezone: string | null) {
    this.schedule = { state: "ready", value: await ipc.setSchedule(at, timezone) };
    void this.refreshStatus();
  }

  async pause(paused: boolean) {
    this.schedule = { state: "ready", value: await ipc.pauseSchedule(paused) };
    void this.refreshStatus();
  }
}

export const agent = new Agent();
