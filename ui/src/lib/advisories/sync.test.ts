import { describe, expect, it } from "vitest";
import type { EcosystemStatus } from "../ipc/bindings/EcosystemStatus";
import type { EcosystemSync } from "../ipc/bindings/EcosystemSync";
import type { Progress } from "../ipc/bindings/Progress";
import {
  addableEcosystems,
  describeEcosystemSync,
  describeProgress,
  describeSync,
  OSV_ECOSYSTEMS,
  progressFraction,
  syncedEcosystems,
} from "./sync";

const status = (ecosystem: string, last_sync: string | null, last_error: string | null): EcosystemStatus => ({
  ecosystem,
  advisories: 3,
  withdrawn: 0,
  imported_at: null,
  matched: true,
  last_sync,
  last_error,
  age_seconds: null,
});

describe("which ecosystems sync", () => {
  const statuses = [
    status("npm", null, null), // imported from a file only
    status("PyPI", "2025-03-01T00:00:00Z", null),
    status("Go", null, "https://x/Go/all.zip: 500 Internal Server Error"), // every attempt failed
  ];
  it("Sync now takes those synced before, successfully or not", () => {
    expect(syncedEcosystems(statuses)).toEqual(["PyPI", "Go"]);
  });
  it("the others can be added, in the usual order", () => {
    const addable = addableEcosystems(statuses);
    expect(addable[0]).toBe("npm");
    expect(addable).not.toContain("PyPI");
    expect(addable).not.toContain("Go");
    expect(addable.length).toBe(OSV_ECOSYSTEMS.length - 2);
  });
});

describe("sync progress", () => {
  const progress = (unit: Progress["unit"], done: number, total: number | null): Progress => ({
    path: "http://127.0.0.1/PyPI/all.zip",
    ecosystem: "PyPI",
    unit,
    done,
    total,
  });
  it("is a fraction when the total is known", () => {
    expect(progressFraction(progress("bytes", 512, 2048))).toBe(0.25);
    expect(progressFraction(progress("bytes", 4096, 2048))).toBe(1);
    expect(progressFraction(progress("bytes", 512, null))).toBeNull();
    expect(progressFraction(progress("records", 5, 0))).toBeNull();
  });
  it("says MB while downloading, then records", () => {
    expect(describeProgress(progress("bytes", 1536 * 1024, 3 << 20))).toBe("PyPI: downloading 1.5 MB of 3.0 MB");
    expect(describeProgress(progress("bytes", 100, null))).toBe("PyPI: downloading 100 bytes");
    expect(describeProgress(progress("records", 1200, 3000))).toBe("PyPI: 1,200 of 3,000 records");
    expect(describeProgress({ ...progress("records", 7, null), ecosystem: null })).toBe("7 records");
  });
});

describe("sync results", () => {
  const e = (mode: string, read: number, changed: number, error: string | null = null): EcosystemSync => ({
    ecosystem: "PyPI",
    mode,
    read,
    changed,
    warnings: [],
    error,
  });
  it.each([
    [e("full", 3, 3), "PyPI: full download, 3 records read, 3 new or updated"],
    [e("incremental", 1, 1), "PyPI: 1 changed record fetched, 1 new or updated"],
    [e("unchanged", 0, 0), "PyPI: no changes"],
    [e("failed", 0, 0, "http://x/PyPI/modified_id.csv: 500 Internal Server Error"), "PyPI: failed: http://x/PyPI/modified_id.csv: 500 Internal Server Error"],
  ])("%o → %s", (sync, expected) => {
    expect(describeEcosystemSync(sync)).toBe(expected);
  });
  it("sum up in a few words", () => {
    expect(
      describeSync({
        ecosystems: [e("full", 3, 3), { ...e("unchanged", 0, 0), ecosystem: "npm" }, { ...e("failed", 0, 0, "x"), ecosystem: "Go" }],
        monitoring: null,
      }),
    ).toBe("PyPI (3 new or updated), npm (no changes), Go (failed)");
    expect(describeSync({ ecosystems: [], monitoring: null })).toBe("nothing");
  });
});
