// The "drop files anywhere to scan" flow: hover → choose an application → scan with a progress
// row per artifact (cancellable) → the result opens in the application's view.
import * as ipc from "../ipc/commands";
import type { ErrorDto } from "../ipc/bindings/ErrorDto";
import type { ScanResult } from "../ipc/bindings/ScanResult";
import type { FileDrag } from "../ipc/events";
import { toErrorDto } from "../ipc/errors";
import { defaultNameForDrop, dropPaths } from "./drop";
import { applyProgress, finishRows, initialRows, type ScanRow } from "./progress";

export type DropPhase = "idle" | "hovering" | "choosing";

export type JobState = "running" | "stored" | "unstored" | "cancelled" | "failed";

/** One scan started from a drop: its rows while it runs, and its result once it returned. */
export interface ScanJob {
  id: string;
  application: string;
  rows: ScanRow[];
  state: JobState;
  /** Cancel was asked for and the scan has not returned yet. */
  cancelling: boolean;
  result: ScanResult | null;
  error: ErrorDto | null;
}

let nextId = 1;

/** What a scan's outcome means for the job, given whether cancel was asked for. */
export function jobOutcome(result: ScanResult, cancelAsked: boolean): JobState {
  if (result.stored) return "stored";
  return cancelAsked ? "cancelled" : "unstored";
}

class DropScan {
  phase = $state<DropPhase>("idle");
  accepted = $state<string[]>([]);
  suggestedName = $state("");
  error = $state<ErrorDto | null>(null);
  /** Counts drops, so the overlay can reset its picker once per drop. */
  drops = $state(0);
  /** The running scan, or the last one until dismissed. */
  job = $state<ScanJob | null>(null);

  get running(): boolean {
    return this.job?.state === "running";
  }

  /** Feeds a window drag event in. Returns true when a drop came while a scan runs (ignored). */
  drag(event: FileDrag): boolean {
    if (this.phase === "choosing") return false;
    switch (event.type) {
      case "enter":
      case "over":
        if (!this.running) this.phase = "hovering";
        return false;
      case "leave":
        this.phase = "idle";
        return false;
      case "drop": {
        const paths = dropPaths(event.paths);
        if (this.running) {
          this.phase = "idle";
          return paths.length > 0;
        }
        if (paths.length === 0) {
          this.phase = "idle";
          return false;
        }
        this.accepted = paths;
        this.suggestedName = defaultNameForDrop(paths);
        this.error = null;
        this.phase = "choosing";
        this.drops++;
        return false;
      }
    }
  }

  /**
   * Scans the dropped paths into `application`: the overlay closes, the job's rows show the
   * progress. Resolves to the finished job, or null when nothing started (`error` says why).
   */
  async scanInto(application: string): Promise<ScanJob | null> {
    const name = application.trim();
    if (name === "") {
      this.error = { code: "invalid_input", message: "Give the application a name." };
      return null;
    }
    const paths = this.accepted;
    const id = `scan-${Date.now()}-${nextId++}`;
    this.job = {
      id,
      application: name,
      rows: initialRows(paths),
      state: "running",
      cancelling: false,
      result: null,
      error: null,
    };
    this.reset();
    const job = this.job;
    try {
      const result = await ipc.scan(paths, name, id, (progress) => {
        job.rows = applyProgress(job.rows, progress);
      });
      job.result = result;
      job.state = jobOutcome(result, job.cancelling);
      job.rows = finishRows(job.rows, job.state === "cancelled" ? "cancelled" : "finished");
    } catch (error) {
      job.error = toErrorDto(error);
      job.state = "failed";
      job.rows = finishRows(job.rows, "failed");
    }
    job.cancelling = false;
    return job;
  }

  /** Asks the running scan to stop; nothing of it is stored. */
  async cancelScan() {
    const job = this.job;
    if (!job || job.state !== "running" || job.cancelling) return;
    job.cancelling = true;
    try {
      // false: it finished meanwhile; its result stands.
      await ipc.cancelScan(job.id);
    } catch (error) {
      job.cancelling = false;
      job.error = toErrorDto(error);
    }
  }

  /** Hides a finished scan's rows. */
  dismiss() {
    if (!this.running) this.job = null;
  }

  /** Closes the application picker (Esc, Cancel) without scanning. */
  cancel() {
    this.reset();
  }

  private reset() {
    this.phase = "idle";
    this.accepted = [];
    this.suggestedName = "";
    this.error = null;
  }
}

export const dropScan = new DropScan();
