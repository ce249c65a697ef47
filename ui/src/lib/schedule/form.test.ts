import { describe, expect, it } from "vitest";
import { checkTime, checkTimezone, describeSyncEvery, normaliseTime } from "./form";

describe("the schedule form", () => {
  it.each([
    ["06:30", null],
    ["6:30", null],
    ["23:59", null],
    ["24:00", "24:00 is not a time of day"],
    ["12:60", "12:60 is not a time of day"],
    ["0630", '"0630" is not a time (HH:MM)'],
    ["", '"" is not a time (HH:MM)'],
  ])("%s → %s", (value, expected) => {
    expect(checkTime(value)).toBe(expected);
  });
  it("normalises the hour", () => {
    expect(normaliseTime(" 6:30 ")).toBe("06:30");
  });
  it("knows IANA zones and treats empty as the system's", () => {
    expect(checkTimezone("Europe/Berlin")).toBeNull();
    expect(checkTimezone("")).toBeNull();
    expect(checkTimezone("Mars/Olympus")).toBe('"Mars/Olympus" is not a time zone (an IANA name such as Europe/Berlin)');
  });
  it.each([
    [0, "off"],
    [3600, "every hour"],
    [900, "every 15 minutes"],
    [7200, "every 2 hours"],
    [90 * 60, "every 90 minutes"],
    [10, "every 10 seconds"],
  ])("sync every %d s: %s", (seconds, expected) => {
    expect(describeSyncEvery(seconds)).toBe(expected);
  });
});
