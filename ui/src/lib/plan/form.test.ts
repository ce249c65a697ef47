import { describe, expect, it } from "vitest";
import type { ApplicationSummary } from "../ipc/bindings/ApplicationSummary";
import type { Plan } from "../ipc/bindings/Plan";
import { checkPlanForm, formToPlan, planToForm, tierCounts, usualStage } from "./form";

function plan(over: Partial<Plan> = {}): Plan {
  return {
    tiers: {},
    digest_at: "08:00",
    timezone: "",
    owners_only: true,
    quiet_hours: null,
    sla: { days: { critical: 7, severe: 30, moderate: 90 }, escalate_to: ["manager"], channels: [] },
    waivers: { expiring_within_days: 14, channels: [] },
    announce_resolved: true,
    ...over,
  };
}

describe("the plan form", () => {
  it("round-trips a full plan", () => {
    const full = plan({
      tiers: {
        critical: { channels: ["appsec-mail", "hooks"], roles: ["owner", "security"], delivery: "immediate", min_threat_level: 0 },
        low: { channels: ["hooks"], roles: [], delivery: "digest", min_threat_level: 7 },
      },
      digest_at: "07:30",
      timezone: "Europe/Berlin",
      quiet_hours: { from: "22:00", to: "06:00", except_at_least: 9 },
      sla: { days: { critical: 3, low: 365 }, escalate_to: ["manager", "security"], channels: ["appsec-mail"] },
      waivers: { expiring_within_days: 21, channels: ["hooks"] },
      announce_resolved: false,
    });
    const form = planToForm(full);
    expect(form.tiers.high.on).toBe(false);
    expect(form.slaDays).toEqual({ critical: "3", severe: "", moderate: "", low: "365" });
    expect(checkPlanForm(form, ["appsec-mail", "hooks"])).toEqual({});
    expect(formToPlan(form)).toEqual(full);
  });

  it("an open plan (no tier) stays open; quiet hours off are null", () => {
    const form = planToForm(plan());
    expect(Object.values(form.tiers).every((t) => !t.on)).toBe(true);
    expect(formToPlan(form)).toEqual(plan());
  });

  it("turning a tier on adds it, an off tier is left out, times are normalised", () => {
    const form = planToForm(plan());
    form.tiers.high = { on: true, channels: ["hooks"], roles: ["owner"], delivery: "digest", minThreat: "4" };
    form.quietOn = true;
    form.quietFrom = "9:00";
    form.quietTo = "17:00";
    form.digestAt = "6:05";
    const out = formToPlan(form);
    expect(out.tiers).toEqual({ high: { channels: ["hooks"], roles: ["owner"], delivery: "digest", min_threat_level: 4 } });
    expect(out.quiet_hours).toEqual({ from: "09:00", to: "17:00", except_at_least: 8 });
    expect(out.digest_at).toBe("06:05");
  });

  it("checks each field and names unknown channels", () => {
    const form = planToForm(plan());
    form.tiers.critical = { on: true, channels: ["gone"], roles: [], delivery: "immediate", minThreat: "11" };
    form.tiers.medium = { on: true, channels: [], roles: [], delivery: "immediate", minThreat: "2" };
    form.digestAt = "25:00";
    form.timezone = "Mars/Olympus";
    form.quietOn = true;
    form.quietFrom = "22:00";
    form.quietTo = "22:00";
    form.quietExcept = "x";
    form.slaDays.severe = "0";
    form.escalateChannels = ["nope"];
    form.waiverDays = "-1";
    expect(checkPlanForm(form, ["hooks"])).toEqual({
      "tier.critical.minThreat": "A threat level from 0 to 10",
      "tier.critical.channels": "There is no channel named gone",
      "tier.medium.channels": "Pick at least one channel, or turn the tier off",
      digestAt: "25:00 is not a time of day",
      timezone: '"Mars/Olympus" is not a time zone (an IANA name such as Europe/Berlin)',
      quietTo: "Quiet hours need a different start and end",
      quietExcept: "A threat level from 0 to 10",
      "sla.severe": "Days from 1 to 3650, or empty: never escalates",
      escalateChannels: "There is no channel named nope",
      waiverDays: "Days from 0 to 365",
    });
  });
});

describe("the portfolio beside the plan", () => {
  const app = (tier: string, monitored: boolean, stage: string) => ({ tier, monitored, monitored_stage: stage }) as ApplicationSummary;
  it("counts applications per tier", () => {
    expect(tierCounts([app("high", true, "release"), app("high", false, "build"), app("low", true, "release")])).toEqual({ high: 2, low: 1 });
  });
  it("names the stage most monitored applications watch", () => {
    expect(usualStage([app("high", true, "release"), app("high", true, "release"), app("low", true, "operate"), app("low", false, "build")])).toBe(
      "release (2 of 3 monitored applications)",
    );
    expect(usualStage([app("high", false, "build")])).toBeNull();
  });
});
