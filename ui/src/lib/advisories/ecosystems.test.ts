import { describe, expect, it } from "vitest";
import type { EcosystemStatus } from "../ipc/bindings/EcosystemStatus";
import { sortEcosystems } from "./ecosystems";

const e = (ecosystem: string): EcosystemStatus => ({
  ecosystem,
  advisories: 1,
  withdrawn: 0,
  imported_at: null,
  last_sync: null,
  last_error: null,
  age_seconds: null,
  matched: true,
});

describe("sortEcosystems", () => {
  it("orders by name without regard to case, and leaves the input alone", () => {
    const input = [e("PyPI"), e("npm"), e("Go"), e("crates.io"), e("Maven")];
    expect(sortEcosystems(input).map((x) => x.ecosystem)).toEqual(["crates.io", "Go", "Maven", "npm", "PyPI"]);
    expect(input[0].ecosystem).toBe("PyPI");
  });
});
