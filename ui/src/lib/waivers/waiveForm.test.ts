import { describe, expect, it } from "vitest";
import { advisory, violation } from "../violations/fixtures";
import { addDays, isDate, localToday } from "./dates";
import { defaultWaiveForm, describeWaive, splitPurlVersion, toNewWaiver, waiveFormProblems, type WaiveContext } from "./waiveForm";

const lodash = violation("Security-High", 9, "pkg:npm/lodash@4.17.20", { advisories: [advisory("GHSA-35jh-r3h4-6jhm", 7.2)] });
const ctx: WaiveContext = { application: "shop-api", organization: null, violation: lodash, today: "2026-11-26" };

describe("splitPurlVersion", () => {
  it("splits off the version, keeping qualifiers and scoped names", () => {
    expect(splitPurlVersion("pkg:npm/lodash@4.17.20")).toEqual({ package: "pkg:npm/lodash", version: "4.17.20" });
    expect(splitPurlVersion("pkg:npm/%40babel/core@7.0.0")).toEqual({ package: "pkg:npm/%40babel/core", version: "7.0.0" });
    expect(splitPurlVersion("pkg:maven/org.apache/log4j-core@2.14.1?type=jar")).toEqual({
      package: "pkg:maven/org.apache/log4j-core?type=jar",
      version: "2.14.1",
    });
    expect(splitPurlVersion("pkg:golang/github.com/a/b@v1.2.3%2Bincompatible")).toEqual({
      package: "pkg:golang/github.com/a/b",
      version: "v1.2.3+incompatible",
    });
    expect(splitPurlVersion("pkg:npm/lodash")).toEqual({ package: "pkg:npm/lodash", version: null });
  });
});

describe("defaultWaiveForm", () => {
  it("waives this version, this policy, in this application, for the only advisory, for 90 days", () => {
    expect(defaultWaiveForm(ctx)).toEqual({
      scope: "application",
      allVersions: false,
      allPolicies: false,
      advisory: "GHSA-35jh-r3h4-6jhm",
      reason: "",
      expires: "2027-02-24",
    });
  });

  it("leaves the advisory open when there are several or none, and takes every version when there is none", () => {
    const two = { ...ctx, violation: { ...lodash, advisories: [advisory("A", 5), advisory("B", 6)] } };
    expect(defaultWaiveForm(two).advisory).toBe("");
    const versionless = { ...ctx, violation: violation("Component-Unknown", 2, "pkg:npm/left-pad") };
    expect(defaultWaiveForm(versionless)).toMatchObject({ advisory: "", allVersions: true });
  });
});

describe("waiveFormProblems", () => {
  it("needs a reason and a future or today's expiry", () => {
    const form = defaultWaiveForm(ctx);
    expect(waiveFormProblems(form, ctx)).toEqual({ reason: "Say why this is acceptable." });
    expect(waiveFormProblems({ ...form, reason: "  " }, ctx)).toEqual({ reason: "Say why this is acceptable." });
    expect(waiveFormProblems({ ...form, reason: "ok", expires: "2026-11-26" }, ctx)).toEqual({});
    expect(waiveFormProblems({ ...form, reason: "ok", expires: "2026-11-25" }, ctx)).toEqual({ expires: "The expiry is in the past." });
    expect(waiveFormProblems({ ...form, reason: "ok", expires: "2027-02-30" }, ctx)).toEqual({ expires: "Give the last day as YYYY-MM-DD." });
    expect(waiveFormProblems({ ...form, reason: "ok", expires: "" }, ctx)).toEqual({ expires: "Give the last day as YYYY-MM-DD." });
  });

  it("refuses the organization scope without an organization, and components without a purl", () => {
    const form = { ...defaultWaiveForm(ctx), reason: "ok" };
    expect(waiveFormProblems({ ...form, scope: "organization" }, ctx)).toEqual({ scope: "shop-api belongs to no organization." });
    expect(waiveFormProblems({ ...form, scope: "organization" }, { ...ctx, organization: "acme" })).toEqual({});
    const sbom = { ...ctx, violation: violation("Component-Unknown", 2, "acme-lib@1.0") };
    expect(waiveFormProblems({ ...form, allVersions: true }, sbom)).toEqual({
      component: "This component has no package URL, so no waiver can name it.",
    });
  });

  it("needs every version when the component has none", () => {
    const versionless = { ...ctx, violation: violation("Component-Unknown", 2, "pkg:npm/left-pad") };
    expect(waiveFormProblems({ ...defaultWaiveForm(versionless), reason: "ok", allVersions: false }, versionless)).toEqual({
      allVersions: "The component has no version: waive all its versions.",
    });
  });
});

describe("toNewWaiver", () => {
  it("sends this version under this policy in this application", () => {
    const form = { ...defaultWaiveForm(ctx), reason: "  not reachable " };
    expect(toNewWaiver(form, ctx)).toEqual({
      scope: "application",
      scope_name: "shop-api",
      component: "pkg:npm/lodash@4.17.20",
      all_versions: false,
      policy: "Security-High",
      advisory: "GHSA-35jh-r3h4-6jhm",
      reason: "not reachable",
      expires: "2027-02-24",
    });
  });

  it("sends every version as the versionless purl, every policy as null, everywhere without a name", () => {
    const form = { ...defaultWaiveForm(ctx), reason: "ok", allVersions: true, allPolicies: true, scope: "everywhere" as const, advisory: "" };
    expect(toNewWaiver(form, ctx)).toMatchObject({
      scope: "everywhere",
      scope_name: null,
      component: "pkg:npm/lodash",
      all_versions: true,
      policy: null,
      advisory: null,
    });
    expect(toNewWaiver({ ...form, scope: "organization" }, { ...ctx, organization: "acme" }).scope_name).toBe("acme");
  });

  it("describes the waiver in one sentence", () => {
    const form = { ...defaultWaiveForm(ctx), reason: "ok" };
    expect(describeWaive(form, ctx)).toBe(
      "Accepts pkg:npm/lodash@4.17.20 under Security-High for GHSA-35jh-r3h4-6jhm in shop-api, until 2027-02-24 inclusive.",
    );
    expect(describeWaive({ ...form, allVersions: true, allPolicies: true, scope: "everywhere", advisory: "" }, ctx)).toBe(
      "Accepts every version of pkg:npm/lodash under every policy everywhere, until 2027-02-24 inclusive.",
    );
  });
});

describe("dates", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-11-26", 90)).toBe("2027-02-24");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("knows real dates", () => {
    expect(isDate("2028-02-29")).toBe(true);
    expect(isDate("2027-02-29")).toBe(false);
    expect(isDate("2027-1-01")).toBe(false);
    expect(isDate("2027-13-01")).toBe(false);
  });

  it("takes today in the local time zone", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});
