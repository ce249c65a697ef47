import { describe, expect, it } from "vitest";
import { formatAge, isStale, newest, staleAfterMs } from "./age";

const now = new Date("2025-03-10T12:00:00Z");

describe("formatAge", () => {
  it.each([
    [null, "never"],
    ["not a date", "unknown"],
    ["2025-03-10T12:00:30Z", "just now"], // a little in the future: clock skew
    ["2025-03-10T11:59:31Z", "just now"],
    ["2025-03-10T11:59:00Z", "1 minute ago"],
    ["2025-03-10T11:15:00Z", "45 minutes ago"],
    ["2025-03-10T11:00:00Z", "1 hour ago"],
    ["2025-03-09T13:00:00Z", "23 hours ago"],
    ["2025-03-09T12:00:00Z", "yesterday"],
    ["2025-03-07T09:00:00Z", "3 days ago"],
    ["2025-01-10T12:00:00Z", "59 days ago"],
    ["2024-12-01T12:00:00Z", "3 months ago"],
    ["2021-03-01T12:00:00Z", "4 years ago"],
    ["2025-03-07T10:00:00+01:00", "3 days ago"],
  ])("%s → %s", (iso, expected) => {
    expect(formatAge(iso, now)).toBe(expected);
  });
});

describe("isStale", () => {
  it("treats missing or unreadable times as stale", () => {
    expect(isStale(null, now)).toBe(true);
    expect(isStale("garbage", now)).toBe(true);
  });
  it("flags data older than 48 hours unless given another limit", () => {
    expect(isStale("2025-03-08T12:00:00Z", now)).toBe(false);
    expect(isStale("2025-03-08T11:59:00Z", now)).toBe(true);
    expect(isStale("2025-03-08T11:59:00Z", now, staleAfterMs(72))).toBe(false);
  });
});

describe("newest", () => {
  it("picks the latest time and skips nulls", () => {
    expect(newest([null, "2025-03-01T00:00:00Z", "2025-03-05T00:00:00Z", null])).toBe(
      "2025-03-05T00:00:00Z",
    );
    expect(newest([null, null])).toBeNull();
    expect(newest([])).toBeNull();
  });
});

describe("staleAfterMs", () => {
  it("follows the workspace's limit and falls back to 48 hours", () => {
    expect(staleAfterMs(72)).toBe(72 * 3_600_000);
    expect(staleAfterMs(null)).toBe(48 * 3_600_000);
    expect(staleAfterMs(0)).toBe(48 * 3_600_000);
  });
});
