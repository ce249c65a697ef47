// The dashboard's chart: open violations by threat band after each of the last runs, stacked
// (critical at the bottom, where the eye starts). d3-shape computes the stack and the area
// paths, d3-scale the axes; Svelte draws the SVG.
import { scaleLinear, scalePoint } from "d3-scale";
import { area, stack, type SeriesPoint } from "d3-shape";
import type { RunOpenViolations } from "../ipc/bindings/RunOpenViolations";
import type { ThreatCounts } from "../ipc/bindings/ThreatCounts";
import type { ThreatBand } from "../violations/threat";

/** Bottom to top. */
export const STACK_ORDER: ThreatBand[] = ["critical", "severe", "moderate", "low"];

export interface Size {
  width: number;
  height: number;
  /** Room for the axes' labels. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

export interface ChartPoint {
  run: number;
  startedAt: string;
  trigger: string;
  x: number;
  /** The top of the stack; `null` for a run from before Vigil counted open violations. */
  y: number | null;
  open: ThreatCounts | null;
  total: number | null;
}

export interface Chart {
  layers: { band: ThreatBand; path: string }[];
  points: ChartPoint[];
  yTicks: { value: number; y: number }[];
  /** Run labels along the bottom: the first, the last and a few between. */
  xTicks: { label: string; x: number }[];
  /** Where the plot area starts and ends, for the hover bands. */
  plot: { x0: number; x1: number; y0: number; y1: number };
  /** The horizontal distance between two runs (the width of one run's hover band). */
  step: number;
}

type Row = { run: number; counted: boolean } & Record<ThreatBand, number>;

export function totalOf(open: ThreatCounts): number {
  return open.critical + open.severe + open.moderate + open.low;
}

/** Builds the chart for `runs` (oldest first) in a box of `size`. */
export function buildChart(runs: readonly RunOpenViolations[], size: Size): Chart {
  const plot = { x0: size.left, x1: size.width - size.right, y0: size.top, y1: size.height - size.bottom };
  const rows: Row[] = runs.map((r) => ({
    run: Number(r.run),
    counted: r.open !== null,
    critical: r.open?.critical ?? 0,
    severe: r.open?.severe ?? 0,
    moderate: r.open?.moderate ?? 0,
    low: r.open?.low ?? 0,
  }));
  const x = scalePoint<number>()
    .domain(rows.map((r) => r.run))
    .range([plot.x0, plot.x1])
    .padding(rows.length === 1 ? 0.5 : 0);
  const max = Math.max(0, ...runs.map((r) => (r.open ? totalOf(r.open) : 0)));
  const y = scaleLinear()
    .domain([0, Math.max(max, 1)])
    .nice(4)
    .range([plot.y1, plot.y0]);
  const series = stack<Row, ThreatBand>().keys(STACK_ORDER)(rows);
  const shape = area<SeriesPoint<Row>>()
    .defined((p) => p.data.counted)
    .x((p) => x(p.data.run) ?? plot.x0)
    .y0((p) => y(p[0]))
    .y1((p) => y(p[1]));
  const layers = series.map((s) => ({ band: s.key, path: shape(s) ?? "" }));
  const points = runs.map((r, i) => {
    const total = r.open ? totalOf(r.open) : null;
    return {
      run: Number(r.run),
      startedAt: r.started_at,
      trigger: r.trigger,
      x: x(Number(r.run)) ?? plot.x0,
      y: total === null ? null : y(total),
      open: r.open,
      total,
      index: i,
    };
  });
  const yTicks = y.ticks(4).filter(Number.isInteger).map((value) => ({ value, y: y(value) }));
  const every = Math.max(1, Math.ceil(points.length / 6));
  const xTicks = points
    .filter((_, i) => i % every === 0 || i === points.length - 1)
    .map((p) => ({ label: `#${p.run}`, x: p.x }));
  const step = points.length > 1 ? (plot.x1 - plot.x0) / (points.length - 1) : plot.x1 - plot.x0;
  return { layers, points, yTicks, xTicks, plot, step };
}

/** The run under the pointer at `px` (the nearest point), or `null` with none. */
export function nearestPoint(chart: Chart, px: number): ChartPoint | null {
  let best: ChartPoint | null = null;
  for (const p of chart.points) {
    if (best === null || Math.abs(p.x - px) < Math.abs(best.x - px)) best = p;
  }
  return best;
}
