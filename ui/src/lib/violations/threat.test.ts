import { describe, expect, it } from "vitest";
import type { ViolationDto } from "../ipc/bindings/ViolationDto";
import { purlLabel, sortViolations, threatBand } from "./threat";

describe("threatBand", () => {
  it.each([
    [10, "critical"],
    [8, "critical"],
    [7, "severe"],
    [4, "severe"],
    [3, "moderate"],
    [2, "moderate"],
    [1, "low"],
    [0, "low"],
  ] as const)("%d → %s", (level, band) => {
    expect(threatBand(level)).toBe(band);
  });
});

describe("purlLabel", () => {
  it.each([
    ["pkg:npm/lodash@4.17.20", "lodash@4.17.20"],
    ["pkg:npm/%40babel/core@7.0.0", "@babel/core@7.0.0"],
    ["pkg:pypi/django@2.2?arch=x", "django@2.2"],
    ["pkg:npm/bad%E0", "bad%E0"],
  ])("%s → %s", (purl, label) => {
    expect(purlLabel(purl)).toBe(label);
  });
});

describe("sortViolations", () => {
  const v = (threat_level: number, purl: string, policy = "Security-High"): ViolationDto => ({
    policy,
    threat_level,
    purl,
    condition_key: "k",
    advisories: [],
    summary: "",
    license: null,
    conditions: [],
    waiver: null,
    action: null,
    evidence: [],
  });
  it("puts the highest threat first, then orders by component and policy", () => {
    const sorted = sortViolations([v(5, "pkg:npm/b"), v(9, "pkg:npm/z"), v(5, "pkg:npm/a"), v(5, "pkg:npm/a", "A")]);
    expect(sorted.map((x) => `${x.threat_level} ${x.purl} ${x.policy}`)).toEqual([
      "9 pkg:npm/z Security-High",
      "5 pkg:npm/a A",
      "5 pkg:npm/a Security-High",
      "5 pkg:npm/b Security-High",
    ]);
  });
});
