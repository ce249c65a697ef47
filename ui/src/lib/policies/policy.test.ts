import { describe, expect, it } from "vitest";
import type { Condition } from "../ipc/bindings/Condition";
import type { Policy } from "../ipc/bindings/Policy";
import {
  cleanPolicy,
  CONDITION_KINDS,
  conditionKind,
  defaultCondition,
  describeCondition,
  describeConstraint,
  draftOf,
  draftProblems,
  newConstraint,
  newPolicy,
  policyKinds,
  strongestAction,
  withAction,
} from "./policy";

function policy(conditions: Condition[][], extra: Partial<Policy> = {}): Policy {
  return {
    ...newPolicy([]),
    name: "P",
    constraints: conditions.map((c, i) => ({ name: `c${i}`, match: "all", conditions: c })),
    ...extra,
  };
}

describe("policyKinds", () => {
  it("names the kind from the conditions", () => {
    expect(policyKinds(policy([[{ cvss: { at_least: 9 } }]]))).toEqual(["Security"]);
    expect(policyKinds(policy([["malicious"]]))).toEqual(["Security"]);
    expect(policyKinds(policy([[{ license_group: ["banned"] }]]))).toEqual(["License"]);
    expect(policyKinds(policy([["no_license"]]))).toEqual(["License"]);
    expect(policyKinds(policy([["unknown"]]))).toEqual(["Component"]);
    expect(policyKinds(policy([[{ purl: [{ purl: "pkg:npm/event-stream@3.3.6" }] }]]))).toEqual(["Component"]);
  });

  it("lists mixed kinds in a fixed order, and nothing for no conditions", () => {
    expect(policyKinds(policy([["unknown"], ["kev", "invalid_license"]]))).toEqual(["Security", "License", "Component"]);
    expect(policyKinds(policy([]))).toEqual([]);
  });
});

describe("conditions", () => {
  it("has a default for every kind that is of that kind", () => {
    for (const { kind } of CONDITION_KINDS) expect(conditionKind(defaultCondition(kind))).toBe(kind);
  });

  it("describes each condition in a few words", () => {
    expect(describeCondition({ cvss: { at_least: 7, below: 9 } })).toBe("CVSS 7 to 9");
    expect(describeCondition({ cvss: { at_least: 9 } })).toBe("CVSS ≥ 9");
    expect(describeCondition({ cvss: { below: 4, at_least: null } })).toBe("CVSS < 4");
    expect(describeCondition({ rating: ["high", "critical"] })).toBe("rating high or critical");
    expect(describeCondition("unscored")).toBe("no score in any source");
    expect(describeCondition({ fix_available: false })).toBe("no fix available");
    expect(describeCondition({ epss_at_least: 0.5 })).toBe("EPSS ≥ 0.5");
    expect(describeCondition({ license_not_in: ["MIT", "ISC"] })).toBe("license not within MIT, ISC");
    expect(describeCondition({ purl: [{ purl: "pkg:maven/org.apache.logging.log4j/log4j-core", below: "2.17.1" }] })).toBe(
      "purl pkg:maven/org.apache.logging.log4j/log4j-core < 2.17.1",
    );
  });

  it("joins a constraint's conditions by its match", () => {
    expect(describeConstraint({ name: "x", match: "all", conditions: [{ cvss: { at_least: 9 } }, "kev"] })).toBe("CVSS ≥ 9 and in KEV");
    expect(describeConstraint({ name: "x", match: "any", conditions: ["no_license", "invalid_license"] })).toBe(
      "no license or invalid SPDX license",
    );
  });
});

describe("the stage × action matrix", () => {
  it("sets one stage without touching the others or the original", () => {
    const p = policy([["kev"]]);
    const changed = withAction(p, "stage-release", "fail");
    expect(changed.actions).toEqual({ develop: "none", build: "warn", "stage-release": "fail", release: "warn", operate: "warn" });
    expect(p.actions["stage-release"]).toBe("warn");
  });

  it("knows the strongest action", () => {
    const none = { develop: "none", build: "none", "stage-release": "none", release: "none", operate: "none" } as const;
    expect(strongestAction(none)).toBe("none");
    expect(strongestAction({ ...none, build: "warn" })).toBe("warn");
    expect(strongestAction({ ...none, build: "warn", operate: "fail" })).toBe("fail");
  });
});

describe("drafts", () => {
  it("copies deeply, filling targets the engine left out", () => {
    const p = policy([[{ rating: ["high"] }]], { targets: {} });
    const d = draftOf(p);
    const first = d.constraints[0].conditions[0];
    if (typeof first !== "string" && "rating" in first) first.rating.push("low");
    expect(p.constraints[0].conditions[0]).toEqual({ rating: ["high"] });
    expect(d.targets).toEqual({ contacts: [], roles: [], channels: [] });
  });

  it("names new policies and constraints uniquely", () => {
    expect(newPolicy(["New policy", "New policy 2"]).name).toBe("New policy 3");
    expect(newConstraint([{ name: "Condition", match: "all", conditions: [] }]).name).toBe("Condition 2");
    expect(draftProblems(newPolicy([]), [])).toEqual([]);
  });

  it("reports what the form can tell before saving", () => {
    const p = policy([[{ cvss: { at_least: 9, below: 7 } }], [], [{ purl: [{ purl: "log4j" }] }], [{ epss_at_least: 2 }]], {
      name: " ",
      threat_level: 11,
    });
    p.constraints[1].name = "c0";
    expect(draftProblems(p, [])).toEqual([
      "The policy needs a name.",
      "The threat level is a whole number from 0 to 10.",
      "Constraint “c0”: CVSS at least 9 and below 7 matches nothing.",
      "Two constraints are named “c0”.",
      "Constraint “c0” needs at least one condition.",
      "Constraint “c2”: “log4j” is not a purl (pkg:type/name).",
      "Constraint “c3”: EPSS is a probability from 0 to 1.",
    ]);
  });

  it("refuses a name another policy has, empty CVSS bounds and empty lists", () => {
    const p = policy([[{ cvss: { at_least: null, below: null } }, { rating: [] }, { license_not_in: [] }]], { name: "Security-High" });
    expect(draftProblems(p, ["Security-High"])).toEqual([
      "Another policy is already named “Security-High”.",
      "Constraint “c0”: a CVSS condition needs at least or below.",
      "Constraint “c0”: pick at least one rating.",
      "Constraint “c0”: the allow list is empty.",
    ]);
  });

  it("cleans what is sent: trimmed names and tags, blank bounds and versions dropped", () => {
    const p = policy(
      [[{ cvss: { at_least: 9, below: Number.NaN } }, { purl: [{ purl: " pkg:npm/a ", below: " ", at_least: "1.0" }] }, { license_not_in: ["MIT", " MIT", ""] }]],
      { name: " Mine ", targets: { contacts: ["a@x", " a@x", ""], roles: ["owner"], channels: [] } },
    );
    const clean = cleanPolicy(p);
    expect(clean.name).toBe("Mine");
    expect(clean.targets).toEqual({ contacts: ["a@x"], roles: ["owner"], channels: [] });
    expect(clean.constraints[0].conditions).toEqual([
      { cvss: { at_least: 9, below: null } },
      { purl: [{ purl: "pkg:npm/a", below: null, at_least: "1.0" }] },
      { license_not_in: ["MIT"] },
    ]);
  });
});
