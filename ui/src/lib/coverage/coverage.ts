// The coverage view's pure parts: the gauge and the gaps grouped by why they are gaps.
import type { CoverageGap } from "../ipc/bindings/CoverageGap";
import type { CoverageReport } from "../ipc/bindings/CoverageReport";

export type GapKind = CoverageGap["gap"]["kind"];

export const GAP_TITLES: Record<GapKind, string> = {
  not_monitored: "Must be monitored, is not",
  never_scanned: "Monitored, but the watched stage was never scanned",
  stale: "Monitored, but the latest scan is stale",
};

const ORDER: GapKind[] = ["not_monitored", "never_scanned", "stale"];

/**
 * The gauge: how many of the applications that must be monitored are. Applications no rule
 * names do not count either way; `null` when no rule names any application.
 */
export function gauge(report: CoverageReport): { covered: number; of: number; percent: number } | null {
  const must = report.must_be_monitored;
  if (must === 0) return null;
  const missing = report.gaps.filter((g) => g.gap.kind === "not_monitored").length;
  const covered = Math.max(0, must - missing);
  return { covered, of: must, percent: Math.round((covered / must) * 100) };
}

/** The gaps by kind (worst first), each group sorted by tier then name. */
export function groupGaps(gaps: readonly CoverageGap[]): { kind: GapKind; gaps: CoverageGap[] }[] {
  const tier = (t: string) => ["critical", "high", "medium", "low"].indexOf(t);
  return ORDER.map((kind) => ({
    kind,
    gaps: gaps
      .filter((g) => g.gap.kind === kind)
      .sort((a, b) => tier(a.tier) - tier(b.tier) || a.application.localeCompare(b.application)),
  })).filter((group) => group.gaps.length > 0);
}
