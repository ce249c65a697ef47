import { describe, expect, it } from "vitest";
import type { CoverageGap } from "../ipc/bindings/CoverageGap";
import type { CoverageReport } from "../ipc/bindings/CoverageReport";
import { gauge, groupGaps } from "./coverage";

const gap = (application: string, tier: string, g: CoverageGap["gap"]): CoverageGap => ({ application, organization: "Root", tier, gap: g, message: "" });

const report = (must: number, gaps: CoverageGap[]): CoverageReport => ({
  rules: [],
  stale_after_days: 30,
  applications: 10,
  monitored: 5,
  must_be_monitored: must,
  gaps,
});

describe("coverage", () => {
  it("the gauge counts only the must-be-monitored ones that are not", () => {
    const gaps = [
      gap("a", "low", { kind: "not_monitored", rule: "r" }),
      gap("b", "low", { kind: "stale", days: 40, last_scan_at: "2025-01-01T00:00:00Z" }),
    ];
    expect(gauge(report(4, gaps))).toEqual({ covered: 3, of: 4, percent: 75 });
    expect(gauge(report(0, []))).toBeNull();
    expect(gauge(report(2, []))).toEqual({ covered: 2, of: 2, percent: 100 });
  });
  it("groups gaps by kind, worst kind first, then tier and name", () => {
    const groups = groupGaps([
      gap("z", "low", { kind: "stale", days: 40, last_scan_at: "x" }),
      gap("b", "low", { kind: "not_monitored", rule: "r" }),
      gap("a", "critical", { kind: "not_monitored", rule: "r" }),
      gap("c", "high", { kind: "never_scanned", stage: "build" }),
    ]);
    expect(groups.map((g) => [g.kind, g.gaps.map((x) => x.application)])).toEqual([
      ["not_monitored", ["a", "b"]],
      ["never_scanned", ["c"]],
      ["stale", ["z"]],
    ]);
  });
});
