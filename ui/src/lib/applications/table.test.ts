import { describe, expect, it } from "vitest";
import { distinct, nextSort, NO_FILTERS, visibleRows, type AppRow, type Filters } from "./table";

function row(name: string, over: Partial<AppRow> = {}): AppRow {
  return {
    id: name.length,
    name,
    organization: "Root",
    tier: "medium",
    owner: null,
    monitored: true,
    stage: "build",
    status: "active",
    lastScanAt: null,
    components: 0,
    violations: 0,
    bands: { critical: 0, severe: 0, moderate: 0, low: 0 },
    ...over,
  };
}

const rows = [
  row("shop-api", { organization: "Payments", tier: "critical", owner: "ana@example.com", lastScanAt: "2025-03-10T00:00:00Z", violations: 3, bands: { critical: 3, severe: 0, moderate: 0, low: 0 } }),
  row("shop-web", { organization: "Payments", tier: "high", lastScanAt: "2025-03-01T00:00:00Z", violations: 700, bands: { critical: 0, severe: 0, moderate: 0, low: 700 } }),
  row("billing", { organization: "Finance", tier: "low", monitored: false, status: "retired", violations: 1, bands: { critical: 0, severe: 1, moderate: 0, low: 0 } }),
  row("intranet", { tier: "medium", owner: "bo@example.com", lastScanAt: "2025-03-05T00:00:00Z" }),
];

const names = (r: AppRow[]) => r.map((x) => x.name);
const f = (over: Partial<Filters>): Filters => ({ ...NO_FILTERS, ...over });

describe("filters", () => {
  it.each<[Partial<Filters>, string[]]>([
    [{}, ["billing", "intranet", "shop-api", "shop-web"]],
    [{ search: "SHOP" }, ["shop-api", "shop-web"]],
    [{ search: "ana@" }, ["shop-api"]],
    [{ search: "finance" }, ["billing"]],
    [{ search: "  " }, ["billing", "intranet", "shop-api", "shop-web"]],
    [{ organization: "Payments" }, ["shop-api", "shop-web"]],
    [{ tier: "low" }, ["billing"]],
    [{ monitored: "no" }, ["billing"]],
    [{ monitored: "yes" }, ["intranet", "shop-api", "shop-web"]],
    [{ status: "retired" }, ["billing"]],
    [{ organization: "Payments", tier: "high" }, ["shop-web"]],
    [{ organization: "Payments", monitored: "no" }, []],
  ])("%o → %o", (filters, expected) => {
    expect(names(visibleRows(rows, f(filters), { key: "name", descending: false }))).toEqual(expected);
  });
});

describe("sort", () => {
  it("violations: the worst band first, so three critical outrank 700 low", () => {
    expect(names(visibleRows(rows, NO_FILTERS, { key: "violations", descending: true }))).toEqual([
      "shop-api",
      "billing",
      "shop-web",
      "intranet",
    ]);
  });
  it("tier: critical first, ascending", () => {
    expect(names(visibleRows(rows, NO_FILTERS, { key: "tier", descending: false }))).toEqual(["shop-api", "shop-web", "intranet", "billing"]);
  });
  it("last scan: newest first descending, never scanned last", () => {
    expect(names(visibleRows(rows, NO_FILTERS, { key: "lastScan", descending: true }))).toEqual(["shop-api", "intranet", "shop-web", "billing"]);
  });
  it("owner: applications without one go last", () => {
    expect(names(visibleRows(rows, NO_FILTERS, { key: "owner", descending: false }))).toEqual(["shop-api", "intranet", "billing", "shop-web"]);
  });
  it("stage: monitored ones before the others", () => {
    expect(names(visibleRows(rows, NO_FILTERS, { key: "stage", descending: false })).at(-1)).toBe("billing");
  });
  it("ties keep name order whichever the direction", () => {
    expect(names(visibleRows(rows, f({ organization: "Payments" }), { key: "organization", descending: true }))).toEqual(["shop-api", "shop-web"]);
  });
  it("does not reorder its input", () => {
    const input = [...rows];
    visibleRows(input, NO_FILTERS, { key: "violations", descending: true });
    expect(input).toEqual(rows);
  });
});

describe("nextSort", () => {
  it("flips the same column and starts others in their natural direction", () => {
    expect(nextSort({ key: "name", descending: false }, "name")).toEqual({ key: "name", descending: true });
    expect(nextSort({ key: "name", descending: false }, "violations")).toEqual({ key: "violations", descending: true });
    expect(nextSort({ key: "violations", descending: true }, "organization")).toEqual({ key: "organization", descending: false });
    expect(nextSort({ key: "name", descending: true }, "lastScan")).toEqual({ key: "lastScan", descending: true });
  });
});

it("distinct values for a filter, sorted", () => {
  expect(distinct(rows, (r) => r.organization)).toEqual(["Finance", "Payments", "Root"]);
});
