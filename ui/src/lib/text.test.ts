import { describe, expect, it } from "vitest";
import { count } from "./text";

describe("count", () => {
  it.each([
    [0, "record", undefined, "0 records"],
    [1, "record", undefined, "1 record"],
    [2, "violation", undefined, "2 violations"],
    [1204, "record", undefined, "1,204 records"],
    [1, "vulnerability", "vulnerabilities", "1 vulnerability"],
    [3, "vulnerability", "vulnerabilities", "3 vulnerabilities"],
  ])("%d %s", (n, singular, plural, expected) => {
    expect(count(n, singular, plural)).toBe(expected);
  });
});
