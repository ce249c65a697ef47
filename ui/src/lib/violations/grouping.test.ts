import { describe, expect, it } from "vitest";
import { advisory, violation } from "./fixtures";
import {
  activeCount,
  groupViolations,
  matchesFilter,
  NO_FILTER,
  policiesIn,
  scoreText,
  sharedWhy,
  upgradeAdvice,
  violationKey,
} from "./grouping";

const waiver = { id: 1, reason: "not reachable", expires: "2027-01-01" };

const lodash = violation("Security-High", 9, "pkg:npm/lodash@4.17.20", {
  advisories: [advisory("GHSA-35jh-r3h4-6jhm", 7.2, { aliases: ["CVE-2021-23337"], fixed: ["4.17.21"] })],
  evidence: ["package-lock.json"],
});
const minimist = violation("Security-High", 9, "pkg:npm/minimist@1.2.5", {
  advisories: [advisory("GHSA-xvch-5gv4-984h", 9.8)],
  waiver,
});
const log4j = violation("Security-Critical", 10, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", {
  advisories: [advisory("GHSA-jfh8-c2jp-5v3q", 10, { kev: true, fixed: ["2.15.0", "2.12.2"] })],
  evidence: ["app.war!/WEB-INF/lib/log4j-core-2.14.1.jar"],
});
const gpl = violation("License-Copyleft", 7, "pkg:npm/readline-sync@1.4.10", { license: "GPL-3.0-only", action: "none" });
const unknown = violation("Component-Unknown", 2, "acme-lib@1.0");
const all = [gpl, lodash, unknown, minimist, log4j];

describe("groupViolations", () => {
  it("groups by policy, highest threat level first, with active and waived counts", () => {
    const groups = groupViolations(all, NO_FILTER, "threat");
    expect(groups.map((g) => [g.policy, g.threatLevel, g.active, g.waived])).toEqual([
      ["Security-Critical", 10, 1, 0],
      ["Security-High", 9, 1, 1],
      ["License-Copyleft", 7, 1, 0],
      ["Component-Unknown", 2, 1, 0],
    ]);
  });

  it("sorts rows by threat: active before waived, then the worst advisory", () => {
    const worse = violation("Security-High", 9, "pkg:npm/a@1", { advisories: [advisory("X", 8.1)] });
    const rows = groupViolations([minimist, lodash, worse], NO_FILTER, "threat")[0].violations;
    expect(rows.map((v) => v.purl)).toEqual(["pkg:npm/a@1", "pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.5"]);
  });

  it("sorts rows by component, and groups by policy name when sorting by policy", () => {
    const rows = groupViolations([minimist, lodash], NO_FILTER, "component")[0].violations;
    expect(rows.map((v) => v.purl)).toEqual(["pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.5"]);
    expect(groupViolations(all, NO_FILTER, "policy").map((g) => g.policy)).toEqual([
      "Component-Unknown",
      "License-Copyleft",
      "Security-Critical",
      "Security-High",
    ]);
  });

  it("leaves out groups the filters empty, but counts the whole policy", () => {
    const groups = groupViolations(all, { ...NO_FILTER, text: "minimist" }, "threat");
    expect(groups).toHaveLength(1);
    expect(groups[0].violations.map((v) => v.purl)).toEqual(["pkg:npm/minimist@1.2.5"]);
    expect([groups[0].active, groups[0].waived]).toEqual([1, 1]);
  });

  it("hides waived rows when asked", () => {
    const groups = groupViolations(all, { ...NO_FILTER, showWaived: false }, "threat");
    expect(groups.flatMap((g) => g.violations).includes(minimist)).toBe(false);
    expect(groups.flatMap((g) => g.violations)).toHaveLength(4);
  });

  it("filters by policy and minimum threat level", () => {
    expect(groupViolations(all, { ...NO_FILTER, policy: "License-Copyleft" }, "threat").map((g) => g.policy)).toEqual([
      "License-Copyleft",
    ]);
    expect(groupViolations(all, { ...NO_FILTER, minThreat: 8 }, "threat").map((g) => g.policy)).toEqual([
      "Security-Critical",
      "Security-High",
    ]);
  });

  it("does not reorder the caller's array", () => {
    const input = [minimist, lodash];
    groupViolations(input, NO_FILTER, "component");
    expect(input).toEqual([minimist, lodash]);
  });
});

describe("matchesFilter", () => {
  it("matches advisory ids, aliases, evidence and license, ignoring case", () => {
    const f = (text: string) => ({ ...NO_FILTER, text });
    expect(matchesFilter(lodash, f("cve-2021-23337"))).toBe(true);
    expect(matchesFilter(lodash, f("GHSA-35JH"))).toBe(true);
    expect(matchesFilter(log4j, f("web-inf/lib"))).toBe(true);
    expect(matchesFilter(gpl, f("gpl-3.0"))).toBe(true);
    expect(matchesFilter(gpl, f("lodash"))).toBe(false);
    expect(matchesFilter(gpl, f("   "))).toBe(true);
  });
});

describe("counts and labels", () => {
  it("counts only violations no waiver covers", () => {
    expect(activeCount(all)).toBe(4);
    expect(activeCount([])).toBe(0);
  });

  it("lists the policies present, worst first", () => {
    expect(policiesIn(all)).toEqual(["Security-Critical", "Security-High", "License-Copyleft", "Component-Unknown"]);
  });

  it("gives one key per policy, component and constraint", () => {
    expect(violationKey(lodash)).not.toBe(violationKey({ ...lodash, condition_key: "other" }));
    expect(violationKey(lodash)).toBe(violationKey({ ...lodash, advisories: [] }));
  });

  it("says which versions fix it, numerically ordered and without repeats", () => {
    expect(upgradeAdvice(log4j.advisories)).toBe("upgrade to 2.12.2 or 2.15.0");
    expect(upgradeAdvice([advisory("A", 5, { fixed: ["1.10.0"] }), advisory("B", 5, { fixed: ["1.9.0", "1.10.0"] })])).toBe(
      "upgrade to 1.9.0 or 1.10.0",
    );
    expect(upgradeAdvice([advisory("A", 5)])).toBeNull();
  });

  it("shows the score, else the rating, else unscored", () => {
    expect(scoreText(advisory("A", 7.25))).toBe("7.3");
    expect(scoreText({ ...advisory("A", null), severity: { score: null, rating: "HIGH", vector: null } })).toBe("high");
    expect(scoreText(advisory("A", null))).toBe("unscored");
  });
});

describe("sharedWhy", () => {
  const cond = (summary: string, reason: string) => ({ summary, reason });
  it("gives the conditions' sentence once when every row shares it", () => {
    const a = violation("Security-High", 9, "pkg:npm/a@1", { conditions: [cond("Severity >= 7", "CVE-1 with 7.5")] });
    const b = violation("Security-High", 9, "pkg:npm/b@1", { conditions: [cond("Severity >= 7", "CVE-2 with 9.8")] });
    expect(sharedWhy([a, b])).toBe("Severity >= 7");
    // A component with several advisories holds the same condition once per advisory.
    const c = violation("Security-High", 9, "pkg:npm/c@1", { conditions: [cond("Severity >= 7", "CVE-3"), cond("Severity >= 7", "CVE-4")] });
    expect(sharedWhy([a, c])).toBe("Severity >= 7");
  });

  it("joins several conditions and falls back to the summary", () => {
    const both = [cond("Severity >= 7", "x"), cond("In KEV", "y")];
    expect(sharedWhy([violation("P", 9, "pkg:npm/a@1", { conditions: both })])).toBe("Severity >= 7 and In KEV");
    const s = { summary: "License in group Copyleft" };
    expect(sharedWhy([violation("P", 7, "pkg:npm/a@1", s), violation("P", 7, "pkg:npm/b@1", s)])).toBe("License in group Copyleft");
  });

  it("is null when rows differ or say nothing", () => {
    const a = violation("P", 7, "pkg:npm/a@1", { summary: "License GPL-3.0" });
    const b = violation("P", 7, "pkg:npm/b@1", { summary: "License AGPL-3.0" });
    expect(sharedWhy([a, b])).toBeNull();
    expect(sharedWhy([violation("P", 7, "pkg:npm/a@1")])).toBeNull();
    expect(sharedWhy([])).toBeNull();
  });
});
