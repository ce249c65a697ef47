import { describe, expect, it } from "vitest";
import type { Theme } from "../ipc/bindings/Theme";
import { palette, THEMES } from "./theme";

describe("palette", () => {
  const cases: [Theme, boolean, string][] = [
    ["system", false, "light"],
    ["system", true, "dark"],
    ["light", true, "light"],
    ["dark", false, "dark"],
  ];
  it.each(cases)("%s with the system dark=%s shows %s", (choice, systemDark, expected) => {
    expect(palette(choice, systemDark)).toBe(expected);
  });
  it("offers System first: the default follows the desktop", () => {
    expect(THEMES.map((t) => t.value)).toEqual(["system", "light", "dark"]);
  });
});
