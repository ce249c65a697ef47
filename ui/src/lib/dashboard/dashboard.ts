// The dashboard's pure parts: the onboarding steps, the coverage gauge, opening a top item.
import type { DashboardCoverage } from "../ipc/bindings/DashboardCoverage";
import type { DashboardItem } from "../ipc/bindings/DashboardItem";
import type { Onboarding } from "../ipc/bindings/Onboarding";
import type { Route } from "../navigation.svelte";
import { violationKey } from "../violations/grouping";

export type StepId = "advisory_data" | "applications" | "channel";

export interface Step {
  id: StepId;
  title: string;
  /** How: what the step's buttons do, or what else does it. */
  hint: string;
  done: boolean;
}

const STEPS: Record<StepId, { title: string; hint: string }> = {
  advisory_data: { title: "Get advisory data", hint: "sync from OSV or import a dump" },
  applications: { title: "Add applications", hint: "drop an artifact anywhere, or import a CSV" },
  channel: { title: "Set up a channel", hint: "email, a webhook, Slack, Teams, Jira…" },
};

/** The three first steps, in the order they are done. */
export function onboardingSteps(onboarding: Onboarding): Step[] {
  return (["advisory_data", "applications", "channel"] as const).map((id) => ({ id, ...STEPS[id], done: onboarding[id] }));
}

/** The card shows until every step is done. */
export function showOnboarding(onboarding: Onboarding): boolean {
  return onboardingSteps(onboarding).some((s) => !s.done);
}

/**
 * The gauge: monitored of must be monitored, or, when no rule names an application, monitored
 * of all. `null` with no application at all.
 */
export function coverageGauge(c: DashboardCoverage): { value: number; of: number; percent: number; label: string } | null {
  const [value, of, label] =
    c.must_be_monitored > 0
      ? [c.covered, c.must_be_monitored, "of the applications that must be monitored are"]
      : [c.monitored, c.applications, "applications monitored (no rule says which must be)"];
  if (of === 0) return null;
  return { value, of, percent: Math.round((value / of) * 100), label };
}

/** Where a top item leads: its application's Violations tab with that violation open. */
export function itemRoute(item: DashboardItem): Route {
  return { view: "application", name: item.application, violation: violationKey(item) };
}
