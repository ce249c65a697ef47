// The Waivers screen: soonest expiry first, those ending within two weeks highlighted.
import type { WaiverDto } from "../ipc/bindings/WaiverDto";

/** Waivers that end within this many days are highlighted. */
export const EXPIRING_SOON_DAYS = 14;

export type ExpiryState = "expired" | "soon" | "ok";

export function expiryState(daysLeft: number): ExpiryState {
  if (daysLeft < 0) return "expired";
  if (daysLeft <= EXPIRING_SOON_DAYS) return "soon";
  return "ok";
}

/** "expired 3 days ago", "expired yesterday", "last day today", "1 day left", "45 days left". */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft < -1) return `expired ${-daysLeft} days ago`;
  if (daysLeft === -1) return "expired yesterday";
  if (daysLeft === 0) return "last day today";
  if (daysLeft === 1) return "1 day left";
  return `${daysLeft} days left`;
}

/** Soonest expiry first (expired ones at the top), then by component and id. */
export function sortWaivers(waivers: readonly WaiverDto[]): WaiverDto[] {
  return [...waivers].sort(
    (a, b) => a.expires.localeCompare(b.expires) || a.component.localeCompare(b.component) || a.id - b.id,
  );
}

export function scopeText(w: WaiverDto): string {
  if (w.scope === "everywhere") return "everywhere";
  return `${w.scope === "application" ? "application" : "organization"} ${w.scope_name ?? ""}`.trim();
}

export function componentText(w: WaiverDto): string {
  return w.all_versions ? `${w.component} (all versions)` : w.component;
}

/** Counts for the screen's heading: how many are expired, and how many end soon. */
export function expiryCounts(waivers: readonly WaiverDto[]): { expired: number; soon: number } {
  let expired = 0;
  let soon = 0;
  for (const w of waivers) {
    const state = expiryState(w.days_left);
    if (state === "expired") expired++;
    else if (state === "soon") soon++;
  }
  return { expired, soon };
}
