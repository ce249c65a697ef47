// The "drop files anywhere to scan" flow: hover → choose an application → scan → open it.
import * as ipc from "../ipc/commands";
import type { ErrorDto } from "../ipc/bindings/ErrorDto";
import type { ScanResult } from "../ipc/bindings/ScanResult";
import type { FileDrag } from "../ipc/events";
import { toErrorDto } from "../ipc/errors";
import { defaultNameForDrop, partitionDrop } from "./drop";

export type DropPhase = "idle" | "hovering" | "choosing" | "scanning";

class DropScan {
  phase = $state<DropPhase>("idle");
  accepted = $state<string[]>([]);
  rejected = $state<string[]>([]);
  suggestedName = $state("");
  error = $state<ErrorDto | null>(null);
  /** Counts drops, so the overlay can reset its picker once per drop. */
  drops = $state(0);

  /** Feeds a window drag event in. Returns the paths Vigil cannot scan, when a drop had only those. */
  drag(event: FileDrag): string[] {
    if (this.phase === "choosing" || this.phase === "scanning") return [];
    switch (event.type) {
      case "enter":
      case "over":
        this.phase = "hovering";
        return [];
      case "leave":
        this.phase = "idle";
        return [];
      case "drop": {
        const { accepted, rejected } = partitionDrop(event.paths);
        if (accepted.length === 0) {
          this.phase = "idle";
          return rejected;
        }
        this.accepted = accepted;
        this.rejected = rejected;
        this.suggestedName = defaultNameForDrop(accepted);
        this.error = null;
        this.phase = "choosing";
        this.drops++;
        return [];
      }
    }
  }

  /** Scans the dropped paths into `application`; null (with `error` set) when it failed. */
  async scanInto(application: string): Promise<ScanResult | null> {
    const name = application.trim();
    if (name === "") {
      this.error = { code: "invalid_input", message: "Give the application a name." };
      return null;
    }
    this.phase = "scanning";
    this.error = null;
    try {
      const result = await ipc.scan(this.accepted, name);
      this.reset();
      return result;
    } catch (error) {
      this.error = toErrorDto(error);
      this.phase = "choosing";
      return null;
    }
  }

  cancel() {
    if (this.phase !== "scanning") this.reset();
  }

  private reset() {
    this.phase = "idle";
    this.accepted = [];
    this.rejected = [];
    this.suggestedName = "";
    this.error = null;
  }
}

export const dropScan = new DropScan();
