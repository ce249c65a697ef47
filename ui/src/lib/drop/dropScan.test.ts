import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ScanProgress } from "../ipc/bindings/ScanProgress";
import type { ScanResult } from "../ipc/bindings/ScanResult";

const ipc = vi.hoisted(() => ({
  scan: vi.fn(),
  cancelScan: vi.fn(),
}));
vi.mock("../ipc/commands", () => ipc);

const { dropScan, jobOutcome } = await import("./dropScan.svelte");

function result(stored: boolean): ScanResult {
  return {
    components: [],
    unidentified: [],
    warnings: [],
    stored: stored ? { scan_id: 1, application: "shop-web", stage: "build", violations: 0 } : null,
    advisory_data: null,
  };
}

/** A scan the test finishes by hand, with the progress callback it was given. */
function pendingScan() {
  let resolve!: (r: ScanResult) => void;
  let report!: (p: ScanProgress) => void;
  ipc.scan.mockImplementationOnce((_paths, _app, _id, onProgress) => {
    report = onProgress;
    return new Promise<ScanResult>((r) => (resolve = r));
  });
  return { resolve: (r: ScanResult) => resolve(r), report: (p: ScanProgress) => report(p) };
}

const progress = (artifact: string, bytes_read: number, components: number, done = false): ScanProgress => ({
  artifact,
  bytes_read,
  total_bytes: 100,
  components,
  done,
});

describe("a scan from a drop", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    dropScan.dismiss();
    dropScan.cancel();
  });

  it("takes a folder and a file at once, one row each, and stores them as one scan", async () => {
    dropScan.drag({ type: "drop", paths: ["/x/shop-web", "/x/requirements.txt"] });
    expect(dropScan.phase).toBe("choosing");
    expect(dropScan.suggestedName).toBe("shop-web");

    const scan = pendingScan();
    const finished = dropScan.scanInto("shop-web");
    expect(dropScan.phase).toBe("idle"); // the overlay closes; the rows show the work
    expect(ipc.scan).toHaveBeenCalledWith(["/x/shop-web", "/x/requirements.txt"], "shop-web", expect.any(String), expect.any(Function));
    expect(dropScan.job?.rows.map((r) => r.state)).toEqual(["waiting", "waiting"]);

    scan.report(progress("/x/shop-web", 50, 3));
    expect(dropScan.job?.rows.map((r) => r.state)).toEqual(["reading", "waiting"]);
    scan.report(progress("/x/shop-web", 100, 4, true));
    scan.report(progress("/x/requirements.txt", 20, 2, true));
    scan.resolve(result(true));
    const job = await finished;

    expect(job?.state).toBe("stored");
    expect(job?.rows.map((r) => [r.state, r.components])).toEqual([
      ["done", 4],
      ["done", 2],
    ]);
    expect(dropScan.running).toBe(false);
    dropScan.dismiss();
    expect(dropScan.job).toBeNull();
  });

  it("cancels: asks the shell once, by the scan's id, and ends with nothing stored", async () => {
    dropScan.drag({ type: "drop", paths: ["/x/a.war", "/x/b.war"] });
    const scan = pendingScan();
    ipc.cancelScan.mockResolvedValue(true);
    const finished = dropScan.scanInto("shop");
    scan.report(progress("/x/a.war", 10, 0));

    const id = dropScan.job?.id;
    await dropScan.cancelScan();
    await dropScan.cancelScan(); // a second click does nothing more
    expect(ipc.cancelScan).toHaveBeenCalledTimes(1);
    expect(ipc.cancelScan).toHaveBeenCalledWith(id);
    expect(dropScan.job?.cancelling).toBe(true);
    expect(dropScan.job?.state).toBe("running");

    // A drop while it runs is refused, and says so.
    expect(dropScan.drag({ type: "drop", paths: ["/x/c.war"] })).toBe(true);
    expect(dropScan.phase).toBe("idle");

    scan.resolve(result(false));
    const job = await finished;
    expect(job?.state).toBe("cancelled");
    expect(job?.cancelling).toBe(false);
    expect(job?.rows.map((r) => r.state)).toEqual(["cancelled", "cancelled"]);
  });

  it("a failed scan says why and marks its rows", async () => {
    dropScan.drag({ type: "drop", paths: ["/x/a.war"] });
    ipc.scan.mockRejectedValueOnce({ code: "internal", message: "disk full" });
    const job = await dropScan.scanInto("shop");
    expect(job?.state).toBe("failed");
    expect(job?.error?.message).toBe("disk full");
    expect(job?.rows[0].state).toBe("failed");
  });

  it("needs a name before it starts", async () => {
    dropScan.drag({ type: "drop", paths: ["/x/a.war"] });
    expect(await dropScan.scanInto("  ")).toBeNull();
    expect(dropScan.error?.code).toBe("invalid_input");
    expect(ipc.scan).not.toHaveBeenCalled();
  });
});

describe("jobOutcome", () => {
  it("a stored scan stands even when cancel came too late", () => {
    expect(jobOutcome(result(true), true)).toBe("stored");
    expect(jobOutcome(result(false), true)).toBe("cancelled");
    expect(jobOutcome(result(false), false)).toBe("unstored");
  });
});
