// The waive form: its defaults from the violation it is opened on, what it checks before
// sending, and the waiver it sends.
import type { NewWaiver } from "../ipc/bindings/NewWaiver";
import type { ViolationDto } from "../ipc/bindings/ViolationDto";
import type { WaiverScopeKind } from "../ipc/bindings/WaiverScopeKind";
import { addDays, isDate } from "./dates";

/** How long a waiver holds unless its creator says otherwise (the engine's default too). */
export const DEFAULT_WAIVER_DAYS = 90;

export interface WaiveContext {
  application: string;
  /** The application's organization, when it has one (the organization scope needs it). */
  organization: string | null;
  violation: ViolationDto;
  /** Today, `YYYY-MM-DD`. */
  today: string;
}

export interface WaiveForm {
  scope: WaiverScopeKind;
  /** Every version of the component's package, not only this one. */
  allVersions: boolean;
  /** Every policy, not only the violated one. */
  allPolicies: boolean;
  /** An advisory id, or "" for any. */
  advisory: string;
  reason: string;
  /** `YYYY-MM-DD`, the last day the waiver holds. */
  expires: string;
}

/** Splits a purl into the package part and its version: `pkg:npm/a@1?x=y` → [`pkg:npm/a?x=y`, `1`]. */
export function splitPurlVersion(purl: string): { package: string; version: string | null } {
  const suffixAt = purl.search(/[?#]/);
  const head = suffixAt < 0 ? purl : purl.slice(0, suffixAt);
  const suffix = suffixAt < 0 ? "" : purl.slice(suffixAt);
  const lastSlash = head.lastIndexOf("/");
  const at = head.indexOf("@", lastSlash + 1);
  if (at < 0) return { package: purl, version: null };
  return { package: head.slice(0, at) + suffix, version: decodeURIComponent(head.slice(at + 1)) };
}

export function isPurl(text: string): boolean {
  return /^pkg:[A-Za-z][A-Za-z0-9.+-]*\/.+/.test(text);
}

export function defaultWaiveForm(ctx: WaiveContext): WaiveForm {
  const { version } = splitPurlVersion(ctx.violation.purl);
  return {
    scope: "application",
    allVersions: version === null,
    allPolicies: false,
    advisory: ctx.violation.advisories.length === 1 ? ctx.violation.advisories[0].id : "",
    reason: "",
    expires: addDays(ctx.today, DEFAULT_WAIVER_DAYS),
  };
}

/** What is wrong with the form, field by field; empty when it can be sent. */
export function waiveFormProblems(form: WaiveForm, ctx: WaiveContext): Partial<Record<keyof WaiveForm | "component", string>> {
  const problems: Partial<Record<keyof WaiveForm | "component", string>> = {};
  if (!isPurl(ctx.violation.purl)) {
    problems.component = "This component has no package URL, so no waiver can name it.";
  } else if (!form.allVersions && splitPurlVersion(ctx.violation.purl).version === null) {
    problems.allVersions = "The component has no version: waive all its versions.";
  }
  if (form.scope === "organization" && !ctx.organization) {
    problems.scope = `${ctx.application} belongs to no organization.`;
  }
  if (form.reason.trim() === "") problems.reason = "Say why this is acceptable.";
  if (!isDate(form.expires)) problems.expires = "Give the last day as YYYY-MM-DD.";
  else if (form.expires < ctx.today) problems.expires = "The expiry is in the past.";
  return problems;
}

export function toNewWaiver(form: WaiveForm, ctx: WaiveContext): NewWaiver {
  const { package: pkg } = splitPurlVersion(ctx.violation.purl);
  const scopeName =
    form.scope === "application" ? ctx.application : form.scope === "organization" ? ctx.organization : null;
  return {
    scope: form.scope,
    scope_name: scopeName,
    component: form.allVersions ? pkg : ctx.violation.purl,
    all_versions: form.allVersions,
    policy: form.allPolicies ? null : ctx.violation.policy,
    advisory: form.advisory.trim() === "" ? null : form.advisory.trim(),
    reason: form.reason.trim(),
    expires: form.expires,
  };
}

/** The waiver in one sentence, shown above the Waive button. */
export function describeWaive(form: WaiveForm, ctx: WaiveContext): string {
  const { package: pkg, version } = splitPurlVersion(ctx.violation.purl);
  const component = form.allVersions || version === null ? `every version of ${pkg}` : ctx.violation.purl;
  const policy = form.allPolicies ? "every policy" : ctx.violation.policy;
  const where =
    form.scope === "application"
      ? `in ${ctx.application}`
      : form.scope === "organization"
        ? `in every application of ${ctx.organization ?? "its organization"}`
        : "everywhere";
  const advisory = form.advisory.trim() === "" ? "" : ` for ${form.advisory.trim()}`;
  return `Accepts ${component} under ${policy}${advisory} ${where}, until ${form.expires} inclusive.`;
}
