import { describe, expect, it } from "vitest";
import type { WaiverDto } from "../ipc/bindings/WaiverDto";
import { componentText, daysLeftText, expiryCounts, expiryState, scopeText, sortWaivers } from "./expiry";

function w(id: number, expires: string, days_left: number, extra: Partial<WaiverDto> = {}): WaiverDto {
  return {
    id,
    scope: "application",
    scope_name: "shop-api",
    component: "pkg:npm/lodash@4.17.20",
    all_versions: false,
    policy: null,
    advisory: null,
    reason: "r",
    expires,
    days_left,
    created_at: "2026-11-26T10:00:00Z",
    created_by: "ana",
    source: null,
    ...extra,
  };
}

describe("expiryState", () => {
  it("highlights the last 14 days and marks expired ones", () => {
    expect(expiryState(-1)).toBe("expired");
    expect(expiryState(0)).toBe("soon");
    expect(expiryState(14)).toBe("soon");
    expect(expiryState(15)).toBe("ok");
  });

  it("counts both for the heading", () => {
    expect(expiryCounts([w(1, "a", -3), w(2, "b", 0), w(3, "c", 10), w(4, "d", 90)])).toEqual({ expired: 1, soon: 2 });
  });
});

describe("daysLeftText", () => {
  it("says how long is left, or how long ago it ended", () => {
    expect([-5, -1, 0, 1, 45].map(daysLeftText)).toEqual([
      "expired 5 days ago",
      "expired yesterday",
      "last day today",
      "1 day left",
      "45 days left",
    ]);
  });
});

describe("sortWaivers", () => {
  it("puts the soonest expiry first, then component and id, without touching the input", () => {
    const input = [w(3, "2027-02-01", 67), w(1, "2026-11-20", -6), w(2, "2027-02-01", 67, { component: "pkg:npm/a@1" }), w(4, "2027-02-01", 67)];
    expect(sortWaivers(input).map((x) => x.id)).toEqual([1, 2, 3, 4]);
    expect(input.map((x) => x.id)).toEqual([3, 1, 2, 4]);
  });
});

describe("labels", () => {
  it("names the scope and the component", () => {
    expect(scopeText(w(1, "x", 1))).toBe("application shop-api");
    expect(scopeText(w(1, "x", 1, { scope: "organization", scope_name: "acme" }))).toBe("organization acme");
    expect(scopeText(w(1, "x", 1, { scope: "everywhere", scope_name: null }))).toBe("everywhere");
    expect(componentText(w(1, "x", 1, { component: "pkg:npm/lodash", all_versions: true }))).toBe("pkg:npm/lodash (all versions)");
  });
});
