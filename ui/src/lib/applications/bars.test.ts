import { describe, expect, it } from "vitest";
import { describeBands, MIN_WIDTH, segments } from "./bars";

const b = (critical: number, severe: number, moderate: number, low: number) => ({ critical, severe, moderate, low });
const sum = (xs: { width: number }[]) => xs.reduce((a, x) => a + x.width, 0);

describe("threat bar proportions", () => {
  it("no violations: no segments", () => {
    expect(segments(b(0, 0, 0, 0), 10)).toEqual([]);
  });
  it("the widest row fills the bar, worst band first", () => {
    expect(segments(b(1, 1, 0, 2), 4)).toEqual([
      { band: "critical", count: 1, width: 25 },
      { band: "severe", count: 1, width: 25 },
      { band: "low", count: 2, width: 50 },
    ]);
  });
  it("a smaller row is shorter in proportion to the widest", () => {
    const s = segments(b(0, 2, 0, 0), 8);
    expect(s).toEqual([{ band: "severe", count: 2, width: 25 }]);
  });
  it("a scale below the row's own total is taken as the total", () => {
    expect(sum(segments(b(3, 0, 0, 0), 1))).toBe(100);
  });
  it("three criticals beside 700 low stay visible and the bar stays within 100%", () => {
    const s = segments(b(3, 0, 0, 700), 703);
    expect(s[0].band).toBe("critical");
    expect(s[0].width).toBeGreaterThanOrEqual(MIN_WIDTH);
    expect(sum(s)).toBeLessThanOrEqual(100.01);
    expect(sum(s)).toBeGreaterThan(99.9);
  });
  it("a tiny row among big ones still shows each of its bands", () => {
    const s = segments(b(1, 1, 0, 0), 1000);
    expect(s.map((x) => x.width)).toEqual([MIN_WIDTH, MIN_WIDTH]);
  });
});

it("describes the bands in words", () => {
  expect(describeBands(b(2, 1, 0, 0))).toBe("2 critical, 1 severe");
  expect(describeBands(b(0, 0, 0, 0))).toBe("no open violations");
});
