import { describe, expect, it } from "vitest";
import { addTags } from "./tags";

describe("addTags", () => {
  it("splits at commas, trims, and skips blanks and duplicates", () => {
    expect(addTags(["owner"], " security, owner,, manager ")).toEqual(["owner", "security", "manager"]);
    expect(addTags([], "   ")).toEqual([]);
  });

  it("returns a new list", () => {
    const tags = ["a"];
    expect(addTags(tags, "b")).not.toBe(tags);
    expect(tags).toEqual(["a"]);
  });
});
