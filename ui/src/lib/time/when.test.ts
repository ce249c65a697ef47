import { describe, expect, it } from "vitest";
import { formatDuration, formatIn, formatNextRun, formatStamp } from "./when";

describe("the next run", () => {
  const now = new Date("2025-03-10T12:00:00Z");
  it.each([
    ["2025-03-10T14:30:00Z", "UTC", "today at 14:30"],
    ["2025-03-11T06:30:00Z", "UTC", "tomorrow at 06:30"],
    ["2025-03-13T06:30:00Z", "UTC", "Thu 13 Mar at 06:30"],
    // 05:30 UTC is 06:30 in Berlin (CET, before the March change).
    ["2025-03-11T05:30:00Z", "Europe/Berlin", "tomorrow at 06:30"],
    // 23:30 UTC on the 10th is already the 11th in Tokyo.
    ["2025-03-10T23:30:00Z", "Asia/Tokyo", "tomorrow at 08:30"],
  ])("%s in %s → %s", (iso, zone, expected) => {
    expect(formatNextRun(iso, now, zone)).toBe(expected);
  });
  it("across the spring change in Berlin the clock time stays 06:30", () => {
    const before = new Date("2025-03-29T12:00:00Z");
    // 30 March 2025: CEST starts, 06:30 local is 04:30 UTC.
    expect(formatNextRun("2025-03-30T04:30:00Z", before, "Europe/Berlin")).toBe("tomorrow at 06:30");
  });
  it("paused and unreadable", () => {
    expect(formatNextRun(null, now, "UTC")).toBe("paused");
    expect(formatNextRun("soon", now, "UTC")).toBe("unknown");
  });
});

describe("spans", () => {
  it.each([
    [30_000, "now"],
    [60_000, "in 1 minute"],
    [12 * 60_000, "in 12 minutes"],
    [3 * 3_600_000, "in 3 hours"],
    [49 * 3_600_000, "in 2 days"],
  ])("%d ms → %s", (ms, expected) => {
    expect(formatIn(ms)).toBe(expected);
  });
  it.each([
    ["2025-03-10T12:00:00Z", "2025-03-10T12:00:00.400Z", "0.4 s"],
    ["2025-03-10T12:00:00Z", "2025-03-10T12:00:12Z", "12 s"],
    ["2025-03-10T12:00:00Z", "2025-03-10T12:01:12Z", "1 min 12 s"],
    ["2025-03-10T12:00:00Z", "2025-03-10T13:03:00Z", "1 h 3 min"],
    ["2025-03-10T12:00:00Z", "2025-03-10T11:00:00Z", "—"],
    ["x", "2025-03-10T11:00:00Z", "—"],
  ])("%s → %s: %s", (a, b, expected) => {
    expect(formatDuration(a, b)).toBe(expected);
  });
  it("stamps in a zone", () => {
    expect(formatStamp("2025-03-10T12:05:00Z", "Europe/Berlin")).toBe("10 Mar 2025 13:05");
    expect(formatStamp("nope")).toBe("nope");
  });
});
