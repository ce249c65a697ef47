// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { moveRowFocus } from "./rowFocus";

describe("moveRowFocus", () => {
  it("moves among the rendered rows by the shared rule and leaves other keys alone", () => {
    const rows = Array.from({ length: 5 }, (_, i) => {
      const row = document.createElement("button");
      row.textContent = `row ${i}`;
      document.body.append(row);
      return row;
    });
    const handled: boolean[] = [];
    for (const row of rows) row.addEventListener("keydown", (e) => handled.push(moveRowFocus(e, rows)));
    const press = (key: string) => (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));

    rows[0].focus();
    press("ArrowDown");
    expect(document.activeElement).toBe(rows[1]);
    press("End");
    expect(document.activeElement).toBe(rows[4]);
    press("ArrowDown");
    expect(document.activeElement).toBe(rows[4]);
    press("Home");
    expect(document.activeElement).toBe(rows[0]);
    press("/");
    expect(document.activeElement).toBe(rows[0]);
    expect(handled).toEqual([true, true, true, true, false]);
  });
});
