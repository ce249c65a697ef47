import { describe, expect, it } from "vitest";
import { bulkUpdate, changesSomething, describeBulkEdit, EMPTY_BULK_EDIT, emptyUpdate } from "./bulk";

describe("bulk-edit payloads", () => {
  it("nothing chosen sends nothing and cannot be applied", () => {
    expect(bulkUpdate(EMPTY_BULK_EDIT)).toEqual(emptyUpdate());
    expect(changesSomething(EMPTY_BULK_EDIT)).toBe(false);
  });
  it("monitoring off touches only the switch", () => {
    const update = bulkUpdate({ ...EMPTY_BULK_EDIT, monitor: "off" });
    expect(update).toEqual({ ...emptyUpdate(), monitor: false });
    expect(changesSomething({ ...EMPTY_BULK_EDIT, monitor: "off" })).toBe(true);
  });
  it("several fields at once, the organization trimmed", () => {
    expect(bulkUpdate({ monitor: "on", stage: "release", tier: "high", organization: "  Payments " })).toEqual({
      ...emptyUpdate(),
      monitor: true,
      stage: "release",
      tier: "high",
      organization: "Payments",
    });
  });
  it("a blank organization keeps each application's own", () => {
    expect(bulkUpdate({ ...EMPTY_BULK_EDIT, organization: "   " }).organization).toBeNull();
    expect(changesSomething({ ...EMPTY_BULK_EDIT, organization: "   " })).toBe(false);
  });
  it("never sends contacts, categories or other profile fields", () => {
    const update = bulkUpdate({ monitor: "on", stage: "build", tier: "low", organization: "X" });
    for (const field of ["contacts", "categories", "exposure", "hosting", "users", "status", "public_id", "watch", "watch_labels", "alert_on_baseline"] as const) {
      expect(update[field]).toBeNull();
    }
  });
  it("describes the change for the toast", () => {
    expect(describeBulkEdit({ monitor: "off", stage: null, tier: "high", organization: "" })).toBe("monitoring off, tier high");
  });
});
