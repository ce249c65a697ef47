// The small stacked bar of open violations by threat band. Widths are relative to the widest
// application on screen so bars compare across rows; a band with any violation stays visible.
import type { ThreatBand } from "../violations/threat";
import type { Bands } from "./table";

export interface Segment {
  band: ThreatBand;
  count: number;
  /** Percent of the bar's full width. */
  width: number;
}

const ORDER: ThreatBand[] = ["critical", "severe", "moderate", "low"];

/** A non-zero band never shrinks below this share of the bar, so three criticals beside 700
 * license findings still show as a red sliver. */
export const MIN_WIDTH = 4;

export function total(bands: Bands): number {
  return bands.critical + bands.severe + bands.moderate + bands.low;
}

/**
 * The segments of one bar, worst band first; `scale` is the largest total among the rows shown
 * (at least this bar's own). Widths sum to at most 100.
 */
export function segments(bands: Bands, scale: number): Segment[] {
  const all = total(bands);
  if (all === 0) return [];
  const full = Math.max(scale, all);
  const barWidth = (all / full) * 100;
  const present = ORDER.filter((band) => bands[band] > 0);
  const raw = present.map((band) => Math.max((bands[band] / all) * barWidth, MIN_WIDTH));
  // The minimum widths can push past the bar's own width: shrink the big ones back.
  const over = raw.reduce((a, b) => a + b, 0) - Math.max(barWidth, MIN_WIDTH * present.length);
  const shrinkable = raw.reduce((a, w) => a + (w > MIN_WIDTH ? w - MIN_WIDTH : 0), 0);
  return present.map((band, i) => {
    let width = raw[i];
    if (over > 0 && shrinkable > 0 && width > MIN_WIDTH) {
      width -= ((width - MIN_WIDTH) / shrinkable) * over;
    }
    return { band, count: bands[band], width: Math.round(width * 100) / 100 };
  });
}

/** "2 critical, 1 severe" for the bar's title and screen readers; "none" when empty. */
export function describeBands(bands: Bands): string {
  const parts = ORDER.filter((band) => bands[band] > 0).map((band) => `${bands[band]} ${band}`);
  return parts.length === 0 ? "no open violations" : parts.join(", ");
}
