// The Applications table's rows: what each column shows, and the search, filters and sort
// over them. Pure, so that the table's behaviour is tested without a window.
import type { ApplicationSummary } from "../ipc/bindings/ApplicationSummary";
import type { ThreatCounts } from "../ipc/bindings/ThreatCounts";

/** Open violations by threat band (critical 8–10, severe 4–7, moderate 2–3, low 0–1). */
export type Bands = ThreatCounts;

export const TIERS = ["critical", "high", "medium", "low"] as const;
export const STAGES = ["develop", "build", "stage-release", "release", "operate"] as const;

/** One row of the table. */
export interface AppRow {
  id: number;
  name: string;
  organization: string;
  tier: string;
  owner: string | null;
  /** Whether monitoring runs for it (its switch or an organization above). */
  monitored: boolean;
  stage: string;
  status: string;
  lastScanAt: string | null;
  components: number;
  violations: number;
  bands: Bands;
}

export function toRow(summary: ApplicationSummary): AppRow {
  return {
    id: summary.id,
    name: summary.name,
    organization: summary.organization ?? "Root",
    tier: summary.tier,
    owner: summary.owner,
    monitored: summary.monitored,
    stage: summary.monitored_stage,
    status: summary.status,
    lastScanAt: summary.last_scan_at,
    components: summary.components,
    violations: summary.violations,
    bands: summary.violations_by_threat,
  };
}

export type SortKey = "name" | "organization" | "tier" | "owner" | "stage" | "lastScan" | "violations";

export interface Sort {
  key: SortKey;
  descending: boolean;
}

export interface Filters {
  /** Matched case-insensitively against name, organization and owner. */
  search: string;
  organization: string | null;
  tier: string | null;
  monitored: "yes" | "no" | null;
  status: string | null;
}

export const NO_FILTERS: Filters = { search: "", organization: null, tier: null, monitored: null, status: null };

export function matches(row: AppRow, filters: Filters): boolean {
  const needle = filters.search.trim().toLowerCase();
  if (needle !== "") {
    const hay = [row.name, row.organization, row.owner ?? ""].join("\n").toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  if (filters.organization !== null && row.organization !== filters.organization) return false;
  if (filters.tier !== null && row.tier !== filters.tier) return false;
  if (filters.monitored === "yes" && !row.monitored) return false;
  if (filters.monitored === "no" && row.monitored) return false;
  if (filters.status !== null && row.status !== filters.status) return false;
  return true;
}

/** Critical first: a tier's place in TIERS (unknown tiers last). */
function tierRank(tier: string): number {
  const i = (TIERS as readonly string[]).indexOf(tier);
  return i === -1 ? TIERS.length : i;
}

/**
 * Violations sort by the worst band first (three critical outrank 700 low), then the total.
 * Never-scanned applications count as the oldest scans.
 */
function compare(a: AppRow, b: AppRow, key: SortKey): number {
  switch (key) {
    case "name":
      return a.name.localeCompare(b.name);
    case "organization":
      return a.organization.localeCompare(b.organization);
    case "tier":
      return tierRank(a.tier) - tierRank(b.tier);
    case "owner":
      return (a.owner ?? "\uffff").localeCompare(b.owner ?? "\uffff");
    case "stage":
      return Number(b.monitored) - Number(a.monitored) || a.stage.localeCompare(b.stage);
    case "lastScan":
      return scanTime(a.lastScanAt) - scanTime(b.lastScanAt);
    case "violations":
      return (
        a.bands.critical - b.bands.critical ||
        a.bands.severe - b.bands.severe ||
        a.bands.moderate - b.bands.moderate ||
        a.bands.low - b.bands.low ||
        a.violations - b.violations
      );
  }
}

function scanTime(iso: string | null): number {
  if (iso === null) return -Infinity;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? -Infinity : ms;
}

/** The rows that pass the filters, sorted; ties keep name order so the table never jumps. */
export function visibleRows(rows: readonly AppRow[], filters: Filters, sort: Sort): AppRow[] {
  const sign = sort.descending ? -1 : 1;
  return rows
    .filter((r) => matches(r, filters))
    .sort((a, b) => sign * compare(a, b, sort.key) || a.name.localeCompare(b.name));
}

/** Clicking a column header: the same column flips, another starts in its natural order. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, descending: !current.descending };
  // Worst first for violations and tier, most recent first for scans, A–Z for the rest.
  return { key, descending: key === "violations" || key === "lastScan" };
}

/** The distinct values of a column, sorted, for a filter's options. */
export function distinct(rows: readonly AppRow[], pick: (row: AppRow) => string): string[] {
  return [...new Set(rows.map(pick))].sort((a, b) => a.localeCompare(b));
}
