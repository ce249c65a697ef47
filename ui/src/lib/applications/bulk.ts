// The bulk edit of selected applications: what the form holds, and the one `ApplicationUpdate`
// it sends for every selected application. A field left on "keep" is not sent at all (`null`),
// so a bulk edit never overwrites what it was not asked to change.
import type { ApplicationUpdate } from "../ipc/bindings/ApplicationUpdate";

export interface BulkEdit {
  monitor: "keep" | "on" | "off";
  stage: string | null;
  tier: string | null;
  organization: string;
}

export const EMPTY_BULK_EDIT: BulkEdit = { monitor: "keep", stage: null, tier: null, organization: "" };

export function emptyUpdate(): ApplicationUpdate {
  return {
    monitor: null,
    stage: null,
    organization: null,
    categories: null,
    contacts: null,
    tier: null,
    exposure: null,
    hosting: null,
    users: null,
    status: null,
    public_id: null,
    watch: null,
    watch_labels: null,
    alert_on_baseline: null,
  };
}

export function bulkUpdate(edit: BulkEdit): ApplicationUpdate {
  const update = emptyUpdate();
  if (edit.monitor !== "keep") update.monitor = edit.monitor === "on";
  if (edit.stage !== null) update.stage = edit.stage;
  if (edit.tier !== null) update.tier = edit.tier;
  const organization = edit.organization.trim();
  if (organization !== "") update.organization = organization;
  return update;
}

/** Whether the form would change anything (the Apply button is off until it does). */
export function changesSomething(edit: BulkEdit): boolean {
  return Object.values(bulkUpdate(edit)).some((v) => v !== null);
}

/** "Monitoring off, tier high" for the confirmation toast. */
export function describeBulkEdit(edit: BulkEdit): string {
  const parts: string[] = [];
  if (edit.monitor !== "keep") parts.push(`monitoring ${edit.monitor}`);
  if (edit.stage !== null) parts.push(`stage ${edit.stage}`);
  if (edit.tier !== null) parts.push(`tier ${edit.tier}`);
  if (edit.organization.trim() !== "") parts.push(`organization ${edit.organization.trim()}`);
  return parts.join(", ");
}
