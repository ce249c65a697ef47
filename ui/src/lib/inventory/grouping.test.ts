import { describe, expect, it } from "vitest";
import type { ComponentDto } from "../ipc/bindings/ComponentDto";
import { groupByEcosystem, licenseText } from "./grouping";

function c(ecosystem: string, name: string, version: string | null): ComponentDto {
  return { purl: `pkg:x/${name}@${version}`, ecosystem, name, version, scope: "direct", evidence: [], license: null, hashes: [], identified_by: "exact" };
}

describe("groupByEcosystem", () => {
  it("returns nothing for an empty inventory", () => {
    expect(groupByEcosystem([])).toEqual([]);
  });

  it("groups by ecosystem in name order and sorts each group by name and version", () => {
    const groups = groupByEcosystem([
      c("PyPI", "requests", "2.31.0"),
      c("npm", "lodash", "4.17.20"),
      c("npm", "@babel/core", "7.0.0"),
      c("npm", "Express", "4.18.2"),
      c("PyPI", "django", "4.2.0"),
      c("npm", "lodash", "4.9.0"),
      c("npm", "lodash", null),
    ]);
    expect(groups.map((g) => g.ecosystem)).toEqual(["npm", "PyPI"]);
    expect(groups[0].components.map((x) => `${x.name}@${x.version}`)).toEqual([
      "@babel/core@7.0.0",
      "Express@4.18.2",
      "lodash@4.9.0",
      "lodash@4.17.20",
      "lodash@null",
    ]);
    expect(groups[1].components.map((x) => x.name)).toEqual(["django", "requests"]);
  });

  it("does not reorder the caller's array", () => {
    const input = [c("npm", "b", "1"), c("npm", "a", "1")];
    groupByEcosystem(input);
    expect(input.map((x) => x.name)).toEqual(["b", "a"]);
  });
});

describe("licenseText", () => {
  it("prefers the SPDX expression, then the declared text", () => {
    expect(licenseText({ expression: "MIT OR Apache-2.0", raw: "MIT/Apache-2.0" })).toBe("MIT OR Apache-2.0");
    expect(licenseText({ expression: null, raw: "Custom licence v2" })).toBe("Custom licence v2");
    expect(licenseText({ expression: null, raw: "  " })).toBe("—");
    expect(licenseText(null)).toBe("—");
  });
});
