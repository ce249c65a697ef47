import { describe, expect, test } from "vitest";
import { Selection } from "./selection";
import { defaultControls, describeCount, portfolioKey, toFilter, violationRef } from "./portfolio";
import type { PortfolioViolation } from "../ipc/bindings/PortfolioViolation";

const order = ["a", "b", "c", "d", "e"];

describe("Selection", () => {
  test("a click toggles one row", () => {
    const s = new Selection().click("b", order);
    expect([...s.keys]).toEqual(["b"]);
    expect(s.click("b", order).size).toBe(0);
  });

  test("a shift-click selects the range from the last clicked row, either direction", () => {
    const down = new Selection().click("b", order).click("d", order, true);
    expect([...down.keys].sort()).toEqual(["b", "c", "d"]);
    const up = new Selection().click("e", order).click("c", order, true);
    expect([...up.keys].sort()).toEqual(["c", "d", "e"]);
  });

  test("a shift-click on a selected row clears the range", () => {
    const all = new Selection().toggleAll(order);
    const s = all.click("b", order).click("d", order, true);
    expect([...s.keys].sort()).toEqual(["a", "e"]);
  });

  test("a shift-click with no anchor is a plain click", () => {
    expect([...new Selection().click("c", order, true).keys]).toEqual(["c"]);
  });

  test("all selects every listed row, and clears them when all were selected", () => {
    const all = new Selection(["a"]).toggleAll(order);
    expect(all.size).toBe(5);
    expect(all.toggleAll(order).size).toBe(0);
    expect(new Selection().toggleAll([]).size).toBe(0);
  });

  test("within keeps only what is still listed", () => {
    const s = new Selection(["a", "c", "x"], "x").within(order);
    expect([...s.keys].sort()).toEqual(["a", "c"]);
    expect(s.anchor).toBeNull();
    const same = new Selection(["a"], "a");
    expect(same.within(order)).toBe(same);
  });
});

function row(application: string, purl: string): PortfolioViolation {
  return {
    application,
    organization: null,
    stage: "build",
    version_label: null,
    acknowledgement: null,
    violation: {
      policy: "Security-High",
      threat_level: 9,
      purl,
      condition_key: "0",
      advisories: [],
      license: null,
      conditions: [],
      summary: "",
      waiver: null,
      action: null,
      evidence: [],
    },
  };
}

describe("portfolio rows", () => {
  test("a key tells applications and components apart and does not mix their parts", () => {
    expect(portfolioKey(row("a", "pkg:npm/x@1"))).not.toEqual(portfolioKey(row("b", "pkg:npm/x@1")));
    expect(portfolioKey(row("a b", "c"))).not.toEqual(portfolioKey(row("a", "b c")));
    expect(violationRef(row("a", "pkg:npm/x@1"))).toEqual({ application: "a", policy: "Security-High", purl: "pkg:npm/x@1", condition_key: "0" });
  });

  test("the filter sends only what is set", () => {
    expect(toFilter(defaultControls)).toMatchObject({ min_threat: null, kind: null, text: null, include_waived: false, include_acknowledged: true });
    expect(toFilter({ ...defaultControls, text: "  log4j ", minThreat: 8, kind: "security" })).toMatchObject({ text: "log4j", min_threat: 8, kind: "security" });
  });

  test("the count says when the engine's limit cut the list", () => {
    expect(describeCount(3, 3)).toBe("3 violations");
    expect(describeCount(1, 1)).toBe("1 violation");
    expect(describeCount(10_000, 54_298)).toMatch(/^10,000 of 54,298 shown/);
  });
});
