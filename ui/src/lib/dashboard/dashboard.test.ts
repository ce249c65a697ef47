import { describe, expect, it } from "vitest";
import type { DashboardItem } from "../ipc/bindings/DashboardItem";
import { violationKey } from "../violations/grouping";
import { coverageGauge, itemRoute, onboardingSteps, showOnboarding } from "./dashboard";

describe("onboarding", () => {
  it("lists the three steps in order, ticked as the engine says, and hides once all are done", () => {
    const steps = onboardingSteps({ advisory_data: true, applications: false, channel: false });
    expect(steps.map((s) => [s.id, s.done])).toEqual([
      ["advisory_data", true],
      ["applications", false],
      ["channel", false],
    ]);
    expect(showOnboarding({ advisory_data: true, applications: true, channel: false })).toBe(true);
    expect(showOnboarding({ advisory_data: true, applications: true, channel: true })).toBe(false);
  });
});

describe("coverageGauge", () => {
  const base = { applications: 10, monitored: 6, must_be_monitored: 4, covered: 3, gaps: 2 };
  it("measures the applications that must be monitored when a rule names some", () => {
    expect(coverageGauge(base)).toMatchObject({ value: 3, of: 4, percent: 75 });
  });
  it("falls back to monitored of all, and to nothing with no application", () => {
    expect(coverageGauge({ ...base, must_be_monitored: 0, covered: 0 })).toMatchObject({ value: 6, of: 10, percent: 60 });
    expect(coverageGauge({ applications: 0, monitored: 0, must_be_monitored: 0, covered: 0, gaps: 0 })).toBeNull();
  });
});

describe("itemRoute", () => {
  it("opens the item's violation by the same key the Violations tab uses", () => {
    const item: DashboardItem = {
      kind: "NEW",
      application: "shop",
      policy: "Security-High",
      purl: "pkg:pypi/requests@2.8.1",
      condition_key: "security",
      threat_level: 7,
      advisories: ["GHSA-x"],
      summary: "",
      changed: [],
    };
    const route = itemRoute(item);
    expect(route).toEqual({ view: "application", name: "shop", violation: violationKey(item) });
    expect(violationKey(item)).not.toBe(violationKey({ ...item, condition_key: "license" }));
  });
});
