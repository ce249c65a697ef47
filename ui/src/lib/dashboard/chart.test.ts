import { describe, expect, it } from "vitest";
import type { RunOpenViolations } from "../ipc/bindings/RunOpenViolations";
import { buildChart, nearestPoint, STACK_ORDER } from "./chart";

const size = { width: 420, height: 200, left: 30, right: 10, top: 10, bottom: 20 };

function run(id: number, open: [number, number, number, number] | null): RunOpenViolations {
  return {
    run: id,
    trigger: "schedule",
    started_at: `2026-12-0${id}T06:30:00Z`,
    open: open && { critical: open[0], severe: open[1], moderate: open[2], low: open[3] },
  };
}

/** The y coordinates a path visits, in order (M/L commands of d3's linear curve). */
function ys(path: string): number[] {
  return [...path.matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((m) => Number(m[2]));
}

describe("buildChart", () => {
  it("stacks the bands bottom to top, critical first, the top layer reaching each run's total", () => {
    const chart = buildChart([run(1, [2, 1, 0, 5]), run(2, [3, 0, 1, 4])], size);
    expect(chart.layers.map((l) => l.band)).toEqual(STACK_ORDER);
    expect(chart.points.map((p) => p.total)).toEqual([8, 8]);
    // Equal totals: the top of the stack is level, and it is the highest line of the chart.
    const [a, b] = chart.points.map((p) => p.y);
    expect(a).toBe(b);
    const low = ys(chart.layers[3].path);
    expect(Math.min(...low)).toBeCloseTo(a!, 2);
    // Critical sits on the baseline: its lower edge is the plot's bottom.
    expect(Math.max(...ys(chart.layers[0].path))).toBeCloseTo(size.height - size.bottom, 2);
  });

  it("spreads the runs over the plot's width, oldest left, and scales y to a round maximum", () => {
    const chart = buildChart([run(1, [1, 0, 0, 0]), run(2, [0, 0, 0, 7]), run(3, [9, 0, 0, 0])], size);
    expect(chart.points.map((p) => p.x)).toEqual([30, 220, 410]);
    const values = chart.yTicks.map((t) => t.value);
    expect(values[0]).toBe(0);
    expect(values[values.length - 1]).toBeGreaterThanOrEqual(9);
    // A bigger total sits higher on screen (smaller y).
    const [p1, p2, p3] = chart.points;
    expect(p3.y!).toBeLessThan(p2.y!);
    expect(p2.y!).toBeLessThan(p1.y!);
  });

  it("leaves a gap for runs from before open violations were counted, never a made-up zero", () => {
    const chart = buildChart([run(1, null), run(2, null), run(3, [1, 1, 1, 1]), run(4, [2, 2, 2, 2])], size);
    expect(chart.points.map((p) => p.total)).toEqual([null, null, 4, 8]);
    expect(chart.points[0].y).toBeNull();
    // The area starts at run 3's x: nothing is drawn over runs 1 and 2.
    const xs = [...chart.layers[0].path.matchAll(/[ML]([-\d.]+),/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBeCloseTo(chart.points[2].x, 2);
  });

  it("puts a single run in the middle and still draws its axis", () => {
    const chart = buildChart([run(1, [0, 0, 0, 0])], size);
    expect(chart.points[0].x).toBe(220);
    expect(chart.yTicks.length).toBeGreaterThan(1);
    expect(chart.xTicks.map((t) => t.label)).toEqual(["#1"]);
  });

  it("labels at most about six runs along the bottom, always the last", () => {
    const runs = Array.from({ length: 30 }, (_, i) => run(i + 1, [i, 0, 0, 0]));
    const labels = buildChart(runs, size).xTicks.map((t) => t.label);
    expect(labels.length).toBeLessThanOrEqual(7);
    expect(labels[0]).toBe("#1");
    expect(labels[labels.length - 1]).toBe("#30");
  });
});

describe("nearestPoint", () => {
  it("finds the run under the pointer", () => {
    const chart = buildChart([run(1, [1, 0, 0, 0]), run(2, [2, 0, 0, 0]), run(3, [3, 0, 0, 0])], size);
    expect(nearestPoint(chart, 0)?.run).toBe(1);
    expect(nearestPoint(chart, 200)?.run).toBe(2);
    expect(nearestPoint(chart, 400)?.run).toBe(3);
    expect(nearestPoint(buildChart([], size), 10)).toBeNull();
  });
});
