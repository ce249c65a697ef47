// The portfolio Violations view's plain logic: row identities, the filter sent to the engine.
import type { FindingKind } from "../ipc/bindings/FindingKind";
import type { PortfolioFilter } from "../ipc/bindings/PortfolioFilter";
import type { PortfolioViolation } from "../ipc/bindings/PortfolioViolation";
import type { ViolationRef } from "../ipc/bindings/ViolationRef";

/** A violation's identity across the portfolio: application, policy, purl, constraint. */
export function portfolioKey(row: PortfolioViolation): string {
  const v = row.violation;
  return JSON.stringify([row.application, v.policy, v.purl, v.condition_key]);
}

export function violationRef(row: PortfolioViolation): ViolationRef {
  const v = row.violation;
  return { application: row.application, policy: v.policy, purl: v.purl, condition_key: v.condition_key };
}

export interface PortfolioControls {
  text: string;
  /** 0: any threat level. */
  minThreat: number;
  kind: FindingKind | "";
  showWaived: boolean;
  showAcknowledged: boolean;
}

export const defaultControls: PortfolioControls = { text: "", minThreat: 0, kind: "", showWaived: false, showAcknowledged: true };

export function toFilter(c: PortfolioControls): PortfolioFilter {
  const text = c.text.trim();
  return {
    application: null,
    policy: null,
    min_threat: c.minThreat > 0 ? c.minThreat : null,
    max_threat: null,
    kind: c.kind === "" ? null : c.kind,
    include_waived: c.showWaived,
    include_acknowledged: c.showAcknowledged,
    text: text === "" ? null : text,
    limit: null,
  };
}

/** "12 open violations", or "10,000 of 54,298 shown" when the engine's limit cut the list. */
export function describeCount(shown: number, total: number): string {
  const n = (x: number) => x.toLocaleString("en");
  if (shown < total) return `${n(shown)} of ${n(total)} shown (narrow the filter to see the rest)`;
  return `${n(total)} violation${total === 1 ? "" : "s"}`;
}
