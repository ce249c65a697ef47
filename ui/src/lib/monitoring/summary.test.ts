import { describe, expect, it } from "vitest";
import type { AlertKind } from "../ipc/bindings/AlertKind";
import type { MonitorReport } from "../ipc/bindings/MonitorReport";
import { describeRun } from "./summary";

function report(applications: number, kinds: AlertKind[]): MonitorReport {
  return {
    run_id: 1,
    trigger: "window",
    started_at: "2025-03-10T12:00:00Z",
    applications,
    evaluated: applications,
    baseline: 0,
    alerts: kinds.map((kind, i) => ({
      id: i + 1,
      kind,
      changed: [],
      changes: [],
      application: "shop-api",
      violation: {
        policy: "Security-High",
        threat_level: 9,
        purl: "pkg:npm/lodash@4.17.20",
        condition_key: "k",
        advisories: [],
        summary: "",
        license: null,
        conditions: [],
        waiver: null,
        action: null,
        evidence: [],
      },
    })),
    advisory_data: { ecosystems: [], max_age_hours: 48 },
  };
}

describe("describeRun", () => {
  it.each([
    [report(0, []), "No changes in 0 applications"],
    [report(1, []), "No changes in 1 application"],
    [report(2, ["new", "new", "resolved"]), "2 new, 1 resolved in 2 applications"],
    [report(3, ["changed"]), "1 changed in 3 applications"],
  ])("%#", (r, text) => {
    expect(describeRun(r)).toBe(text);
  });
});
