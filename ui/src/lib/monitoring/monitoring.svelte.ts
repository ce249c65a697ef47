// Monitoring runs: started here ("Run monitoring now") or elsewhere (tray, schedule); the shell
// announces each finished run with an event, and this keeps the latest one.
import * as ipc from "../ipc/commands";
import type { ErrorDto } from "../ipc/bindings/ErrorDto";
import type { MonitorReport } from "../ipc/bindings/MonitorReport";
import { toErrorDto } from "../ipc/errors";
import { work } from "../shared/work.svelte";

class Monitoring {
  running = $state(false);
  last = $state<MonitorReport | null>(null);
  error = $state<ErrorDto | null>(null);

  async runNow(): Promise<MonitorReport | null> {
    this.running = true;
    this.error = null;
    try {
      const report = await work.track("Monitoring", ipc.runMonitoring());
      this.last = report;
      return report;
    } catch (error) {
      this.error = toErrorDto(error);
      return null;
    } finally {
      this.running = false;
    }
  }

  /** A run finished somewhere (possibly this window's own). */
  finished(report: MonitorReport) {
    if (this.last === null || this.last.run_id !== report.run_id) this.last = report;
  }
}

export const monitoring = new Monitoring();
