import { describe, expect, it } from "vitest";
import type { ScanProgress } from "../ipc/bindings/ScanProgress";
import { applyProgress, fileName, finishRows, formatBytes, initialRows, rowFraction, rowText, type ScanRow } from "./progress";

const p = (artifact: string, bytes_read: number, total_bytes: number, components: number, done = false): ScanProgress => ({
  artifact,
  bytes_read,
  total_bytes,
  components,
  done,
});

describe("scan rows", () => {
  it("start as one waiting row per artifact", () => {
    expect(initialRows(["/x/app", "/x/requirements.txt"])).toEqual([
      { artifact: "/x/app", bytesRead: 0, totalBytes: 0, components: 0, state: "waiting" },
      { artifact: "/x/requirements.txt", bytesRead: 0, totalBytes: 0, components: 0, state: "waiting" },
    ]);
  });

  it("follow their own artifact's messages: sized, reading, done", () => {
    let rows = initialRows(["/x/app", "/x/requirements.txt"]);
    rows = applyProgress(rows, p("/x/app", 0, 4096, 0));
    rows = applyProgress(rows, p("/x/requirements.txt", 0, 23, 0));
    expect(rows.map((r) => [r.state, r.totalBytes])).toEqual([
      ["waiting", 4096],
      ["waiting", 23],
    ]);
    rows = applyProgress(rows, p("/x/app", 1024, 4096, 3));
    expect(rows[0]).toMatchObject({ state: "reading", bytesRead: 1024, components: 3 });
    expect(rows[1].state).toBe("waiting");
    rows = applyProgress(rows, p("/x/app", 2048, 4096, 5, true));
    expect(rows[0]).toMatchObject({ state: "done", bytesRead: 2048, components: 5 });
    // A late message does not reopen a finished row.
    rows = applyProgress(rows, p("/x/app", 100, 4096, 1));
    expect(rows[0]).toMatchObject({ state: "done", bytesRead: 2048 });
    // Messages about something else are ignored.
    expect(applyProgress(rows, p("/elsewhere", 1, 1, 1))).toEqual(rows);
  });

  it("end by the scan's outcome: all cancelled (nothing is stored), unfinished ones failed, or all done", () => {
    let rows: ScanRow[] = initialRows(["/a", "/b", "/c"]);
    rows = applyProgress(rows, p("/a", 10, 10, 1, true));
    rows = applyProgress(rows, p("/b", 5, 10, 1));
    expect(finishRows(rows, "cancelled").map((r) => r.state)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(finishRows(rows, "cancelled")[0]).toMatchObject({ bytesRead: 10, components: 1 });
    expect(finishRows(rows, "failed").map((r) => r.state)).toEqual(["done", "failed", "failed"]);
    expect(finishRows(rows, "finished").map((r) => r.state)).toEqual(["done", "done", "done"]);
  });

  it("fill their bar by bytes, never past full, and fully once done", () => {
    const row = (bytesRead: number, totalBytes: number, state: ScanRow["state"] = "reading"): ScanRow => ({
      artifact: "/a",
      bytesRead,
      totalBytes,
      components: 0,
      state,
    });
    expect(rowFraction(row(512, 1024))).toBe(0.5);
    expect(rowFraction(row(2048, 1024))).toBe(1);
    expect(rowFraction(row(10, 0))).toBe(0);
    expect(rowFraction(row(10, 1000, "done"))).toBe(1);
  });

  it("say what they read and found", () => {
    const base = { artifact: "/x/app.war", components: 0 };
    expect(rowText({ ...base, bytesRead: 0, totalBytes: 0, state: "waiting" })).toBe("waiting");
    expect(rowText({ ...base, bytesRead: 0, totalBytes: 2048, state: "waiting" })).toBe("waiting · 2.0 KB");
    expect(rowText({ ...base, bytesRead: 1536, totalBytes: 3 << 20, components: 1, state: "reading" })).toBe(
      "1.5 KB of 3.0 MB · 1 component",
    );
    expect(rowText({ ...base, bytesRead: 900, totalBytes: 0, components: 2, state: "reading" })).toBe(
      "900 bytes · 2 components",
    );
    expect(rowText({ ...base, bytesRead: 23, totalBytes: 23, components: 1234, state: "done" })).toBe(
      "23 bytes read · 1,234 components",
    );
    expect(rowText({ ...base, bytesRead: 0, totalBytes: 23, state: "cancelled" })).toBe("cancelled");
    expect(rowText({ ...base, bytesRead: 2048, totalBytes: 4096, components: 3, state: "cancelled" })).toBe(
      "cancelled after 2.0 KB · 3 components",
    );
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [1023, "1023 bytes"],
    [1024, "1.0 KB"],
    [1536, "1.5 KB"],
    [10 * 1024, "10 KB"],
    [5 * 1024 * 1024 + 300 * 1024, "5.3 MB"],
    [300 * 1024 * 1024, "300 MB"],
    [3 * 1024 ** 3, "3.0 GB"],
    [-1, "?"],
  ])("%d → %s", (n, expected) => {
    expect(formatBytes(n)).toBe(expected);
  });
});

describe("fileName", () => {
  it("is the last segment of a path", () => {
    expect(fileName("/x/shop-api/")).toBe("shop-api");
    expect(fileName("C:\\x\\app.war")).toBe("app.war");
    expect(fileName("")).toBe("");
  });
});
