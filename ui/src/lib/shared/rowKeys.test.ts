import { describe, expect, it } from "vitest";
import { isRowKey, targetRow, type RowKey } from "./rowKeys";

describe("targetRow", () => {
  const cases: [RowKey, number, number, number, number | null][] = [
    // key, from, count, page, expected
    ["ArrowDown", 0, 10, 5, 1],
    ["ArrowDown", 9, 10, 5, null],
    ["ArrowUp", 3, 10, 5, 2],
    ["ArrowUp", 0, 10, 5, null],
    ["PageDown", 2, 10, 5, 7],
    ["PageDown", 7, 10, 5, 9],
    ["PageDown", 9, 10, 5, null],
    ["PageUp", 7, 10, 5, 2],
    ["PageUp", 3, 10, 5, 0],
    ["Home", 6, 10, 5, 0],
    ["Home", 0, 10, 5, null],
    ["End", 2, 10000, 30, 9999],
    ["ArrowDown", 0, 0, 5, null],
    ["PageDown", 0, 10, 0, 1],
  ];
  it.each(cases)("%s from %i of %i (page %i) goes to %s", (key, from, count, page, expected) => {
    expect(targetRow(key, from, count, page)).toBe(expected);
  });

  // Rows 0 and 4 are group headers.
  const rowOnly = (i: number) => i !== 0 && i !== 4;
  it("skips rows that take no focus in the key's direction", () => {
    expect(targetRow("ArrowDown", 3, 8, 5, rowOnly)).toBe(5);
    expect(targetRow("ArrowUp", 5, 8, 5, rowOnly)).toBe(3);
    expect(targetRow("Home", 6, 8, 5, rowOnly)).toBe(1);
  });
  it("stays put when only headers lie beyond", () => {
    expect(targetRow("ArrowUp", 1, 8, 5, rowOnly)).toBeNull();
    expect(targetRow("PageUp", 1, 8, 5, rowOnly)).toBeNull();
  });
  it("falls back towards the start when the end is a header", () => {
    expect(targetRow("End", 1, 5, 5, rowOnly)).toBe(3);
  });
});

describe("isRowKey", () => {
  it("answers the navigation keys and leaves the rest to the page", () => {
    expect(isRowKey("PageDown")).toBe(true);
    expect(isRowKey("/")).toBe(false);
    expect(isRowKey("Enter")).toBe(false);
  });
});
