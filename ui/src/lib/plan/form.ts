// The Plan screen's form and its conversion to and from the engine's `Plan`. Numbers and
// times are edited as text and checked here first (the engine checks again when saving).
import type { ApplicationSummary } from "../ipc/bindings/ApplicationSummary";
import type { DeliveryMode } from "../ipc/bindings/DeliveryMode";
import type { Plan } from "../ipc/bindings/Plan";
import { checkTime, checkTimezone, normaliseTime } from "../schedule/form";

export const TIERS = ["critical", "high", "medium", "low"] as const;
export type Tier = (typeof TIERS)[number];
/** Threat bands, as everywhere in Vigil: critical 8–10, severe 4–7, moderate 2–3, low 0–1. */
export const BANDS = [
  { band: "critical", levels: "8–10", level: 9 },
  { band: "severe", levels: "4–7", level: 5 },
  { band: "moderate", levels: "2–3", level: 2 },
  { band: "low", levels: "0–1", level: 0 },
] as const;
export const ROLES = ["owner", "developer", "security", "manager"];

export type TierForm = {
  /** Off: the tier is left out of the plan, its applications' alerts are told to nobody. */
  on: boolean;
  channels: string[];
  roles: string[];
  delivery: DeliveryMode;
  minThreat: string;
};

export type PlanForm = {
  tiers: Record<Tier, TierForm>;
  digestAt: string;
  timezone: string;
  quietOn: boolean;
  quietFrom: string;
  quietTo: string;
  quietExcept: string;
  /** Days per band; "" never escalates. */
  slaDays: Record<string, string>;
  escalateTo: string[];
  escalateChannels: string[];
  waiverDays: string;
  waiverChannels: string[];
  announceResolved: boolean;
};

export function planToForm(plan: Plan): PlanForm {
  const tiers = {} as Record<Tier, TierForm>;
  for (const tier of TIERS) {
    const rule = plan.tiers[tier];
    tiers[tier] = rule
      ? { on: true, channels: [...rule.channels], roles: [...rule.roles], delivery: rule.delivery, minThreat: String(rule.min_threat_level) }
      : { on: false, channels: [], roles: [], delivery: "immediate", minThreat: "0" };
  }
  const slaDays: Record<string, string> = {};
  for (const { band } of BANDS) {
    const days = plan.sla.days[band];
    slaDays[band] = days === undefined ? "" : String(days);
  }
  return {
    tiers,
    digestAt: plan.digest_at,
    timezone: plan.timezone,
    quietOn: plan.quiet_hours !== null,
    quietFrom: plan.quiet_hours?.from ?? "22:00",
    quietTo: plan.quiet_hours?.to ?? "07:00",
    quietExcept: String(plan.quiet_hours?.except_at_least ?? 8),
    slaDays,
    escalateTo: [...plan.sla.escalate_to],
    escalateChannels: [...plan.sla.channels],
    waiverDays: String(plan.waivers.expiring_within_days),
    waiverChannels: [...plan.waivers.channels],
    announceResolved: plan.announce_resolved,
  };
}

/** The plan to save. Call after `checkPlanForm` found nothing. */
export function formToPlan(form: PlanForm): Plan {
  const tiers: Plan["tiers"] = {};
  for (const tier of TIERS) {
    const t = form.tiers[tier];
    if (!t.on) continue;
    tiers[tier] = { channels: t.channels, roles: t.roles, delivery: t.delivery, min_threat_level: Number(t.minThreat) };
  }
  const days: Plan["sla"]["days"] = {};
  for (const { band } of BANDS) {
    const text = form.slaDays[band]?.trim() ?? "";
    if (text !== "") days[band] = Number(text);
  }
  return {
    tiers,
    digest_at: normaliseTime(form.digestAt),
    timezone: form.timezone.trim(),
    owners_only: true,
    quiet_hours: form.quietOn
      ? { from: normaliseTime(form.quietFrom), to: normaliseTime(form.quietTo), except_at_least: Number(form.quietExcept) }
      : null,
    sla: { days, escalate_to: form.escalateTo, channels: form.escalateChannels },
    waivers: { expiring_within_days: Number(form.waiverDays), channels: form.waiverChannels },
    announce_resolved: form.announceResolved,
  };
}

const wholeIn = (text: string, min: number, max: number) => /^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max;

/**
 * Problems by field (`tier.critical.minThreat`, `digestAt`, `sla.severe`, …), before anything is
 * sent. `channels` are the channel names that exist: naming another one is a problem.
 */
export function checkPlanForm(form: PlanForm, channels: readonly string[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const unknown = (names: string[]) => names.find((n) => !channels.includes(n));
  for (const tier of TIERS) {
    const t = form.tiers[tier];
    if (!t.on) continue;
    if (!wholeIn(t.minThreat, 0, 10)) problems[`tier.${tier}.minThreat`] = "A threat level from 0 to 10";
    const missing = unknown(t.channels);
    if (missing !== undefined) problems[`tier.${tier}.channels`] = `There is no channel named ${missing}`;
    else if (t.channels.length === 0) problems[`tier.${tier}.channels`] = "Pick at least one channel, or turn the tier off";
  }
  const digest = checkTime(form.digestAt);
  if (digest) problems.digestAt = digest;
  const zone = checkTimezone(form.timezone);
  if (zone) problems.timezone = zone;
  if (form.quietOn) {
    const from = checkTime(form.quietFrom);
    const to = checkTime(form.quietTo);
    if (from) problems.quietFrom = from;
    if (to) problems.quietTo = to;
    if (!from && !to && normaliseTime(form.quietFrom) === normaliseTime(form.quietTo)) problems.quietTo = "Quiet hours need a different start and end";
    if (!wholeIn(form.quietExcept, 0, 10)) problems.quietExcept = "A threat level from 0 to 10";
  }
  for (const { band } of BANDS) {
    const text = form.slaDays[band]?.trim() ?? "";
    if (text !== "" && !wholeIn(text, 1, 3650)) problems[`sla.${band}`] = "Days from 1 to 3650, or empty: never escalates";
  }
  const escalation = unknown(form.escalateChannels);
  if (escalation !== undefined) problems.escalateChannels = `There is no channel named ${escalation}`;
  if (!wholeIn(form.waiverDays, 0, 365)) problems.waiverDays = "Days from 0 to 365";
  const waiver = unknown(form.waiverChannels);
  if (waiver !== undefined) problems.waiverChannels = `There is no channel named ${waiver}`;
  return problems;
}

/** How many applications each tier holds. */
export function tierCounts(apps: readonly ApplicationSummary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of apps) out[a.tier] = (out[a.tier] ?? 0) + 1;
  return out;
}

/** "release (12 of 14 monitored applications)": the stage most monitored applications watch. */
export function usualStage(apps: readonly ApplicationSummary[]): string | null {
  const monitored = apps.filter((a) => a.monitored);
  if (monitored.length === 0) return null;
  const byStage = new Map<string, number>();
  for (const a of monitored) byStage.set(a.monitored_stage, (byStage.get(a.monitored_stage) ?? 0) + 1);
  const [stage, n] = [...byStage.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return `${stage} (${n} of ${monitored.length} monitored application${monitored.length === 1 ? "" : "s"})`;
}
