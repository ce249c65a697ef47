import { describe, expect, it } from "vitest";
import type { AlertRecord } from "../ipc/bindings/AlertRecord";
import { describeCounts, kindClass, sortAlerts } from "./alerts";

function alert(id: number, kind: string, threat_level: number, component: string): AlertRecord {
  return { id, kind, application: "a", policy: "P", threat_level, component, advisories: [], changed: [], changes: [], summary: "", run: 1, trigger: "window", created_at: "2025-03-10T12:00:00Z" };
}

describe("alerts", () => {
  it("kinds map to their classes", () => {
    expect([kindClass("NEW"), kindClass("CHANGED"), kindClass("RESOLVED"), kindClass("new")]).toEqual(["new", "changed", "resolved", "new"]);
  });
  it("sort NEW before CHANGED before RESOLVED, worst first", () => {
    const sorted = sortAlerts([alert(1, "RESOLVED", 9, "a"), alert(2, "NEW", 3, "b"), alert(3, "CHANGED", 9, "c"), alert(4, "NEW", 9, "d")]);
    expect(sorted.map((a) => a.id)).toEqual([4, 2, 3, 1]);
  });
  it.each([
    [{ new: 0, changed: 0, resolved: 0, baseline: 0 }, "nothing changed"],
    [{ new: 2, changed: 1, resolved: 0, baseline: 0 }, "2 new, 1 changed"],
    [{ new: 0, changed: 0, resolved: 0, baseline: 14 }, "nothing changed · baseline of 14"],
    [{ new: 0, changed: 0, resolved: 3, baseline: 1 }, "3 resolved · baseline of 1"],
  ])("%o → %s", (counts, expected) => {
    expect(describeCounts(counts)).toBe(expected);
  });
});
