import { describe, expect, it } from "vitest";
import { flattenGroups } from "./groupRows";

describe("flattenGroups", () => {
  it("puts each group's header before its rows, in order", () => {
    const groups = [
      { name: "npm", items: ["a", "b"] },
      { name: "PyPI", items: [] },
      { name: "Maven", items: ["c"] },
    ];
    const flat = flattenGroups(groups, (g) => g.items).map((r) => (r.kind === "group" ? `#${r.group.name}` : `${r.group.name}/${r.row}`));
    expect(flat).toEqual(["#npm", "npm/a", "npm/b", "#PyPI", "#Maven", "Maven/c"]);
  });
});
