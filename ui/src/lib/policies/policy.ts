// What the Policies screen shows and edits: a policy's kind, its stage × action matrix, its
// conditions in words, and drafts for the editor. The engine validates what is saved; this
// module only keeps the editor honest (every condition kind gets a sensible starting value).
import type { Action } from "../ipc/bindings/Action";
import type { Condition } from "../ipc/bindings/Condition";
import type { Constraint } from "../ipc/bindings/Constraint";
import type { Policy } from "../ipc/bindings/Policy";
import type { PolicyScope } from "../ipc/bindings/PolicyScope";
import type { Rating } from "../ipc/bindings/Rating";
import type { StageActions } from "../ipc/bindings/StageActions";
import type { ThreatGroup } from "../ipc/bindings/ThreatGroup";

export type Stage = keyof StageActions;
export const STAGES: readonly Stage[] = ["develop", "build", "stage-release", "release", "operate"];
export const ACTIONS: readonly Action[] = ["none", "warn", "fail"];
export const RATINGS: readonly Rating[] = ["none", "low", "medium", "high", "critical"];
export const THREAT_GROUPS: readonly ThreatGroup[] = ["banned", "copyleft", "weak-copyleft", "liberal", "unknown"];

export type PolicyKind = "Security" | "License" | "Component";

/** Every kind of condition the engine knows, by the key its JSON form uses. */
export type ConditionKind =
  | "cvss"
  | "rating"
  | "unscored"
  | "kev"
  | "epss_at_least"
  | "fix_available"
  | "malicious"
  | "license_group"
  | "license_not_in"
  | "no_license"
  | "invalid_license"
  | "purl"
  | "unknown";

export const CONDITION_KINDS: readonly { kind: ConditionKind; label: string; of: PolicyKind }[] = [
  { kind: "cvss", label: "CVSS score", of: "Security" },
  { kind: "rating", label: "Severity rating", of: "Security" },
  { kind: "unscored", label: "No score in any source", of: "Security" },
  { kind: "kev", label: "In the KEV catalog", of: "Security" },
  { kind: "epss_at_least", label: "EPSS at least", of: "Security" },
  { kind: "fix_available", label: "Fix available", of: "Security" },
  { kind: "malicious", label: "Malicious package (MAL-)", of: "Security" },
  { kind: "license_group", label: "License in threat group", of: "License" },
  { kind: "license_not_in", label: "License outside allow list", of: "License" },
  { kind: "no_license", label: "No license", of: "License" },
  { kind: "invalid_license", label: "Not a valid SPDX expression", of: "License" },
  { kind: "purl", label: "Component matches purl", of: "Component" },
  { kind: "unknown", label: "Unknown component (no purl or version)", of: "Component" },
];

export function conditionKind(condition: Condition): ConditionKind {
  return (typeof condition === "string" ? condition : Object.keys(condition)[0]) as ConditionKind;
}

export function kindOfCondition(condition: Condition): PolicyKind {
  const kind = conditionKind(condition);
  return CONDITION_KINDS.find((k) => k.kind === kind)?.of ?? "Component";
}

/**
 * What a policy is about, from its conditions: Security, License or Component, in that order
 * when a policy mixes them. Empty for a policy without conditions.
 */
export function policyKinds(policy: Policy): PolicyKind[] {
  const found = new Set(policy.constraints.flatMap((c) => c.conditions.map(kindOfCondition)));
  return (["Security", "License", "Component"] as const).filter((k) => found.has(k));
}

/** A starting value for a condition of `kind`, as the editor adds it. */
export function defaultCondition(kind: ConditionKind): Condition {
  switch (kind) {
    case "cvss":
      return { cvss: { at_least: 7, below: null } };
    case "rating":
      return { rating: ["high", "critical"] };
    case "epss_at_least":
      return { epss_at_least: 0.1 };
    case "fix_available":
      return { fix_available: true };
    case "license_group":
      return { license_group: ["banned"] };
    case "license_not_in":
      return { license_not_in: ["MIT", "Apache-2.0"] };
    case "purl":
      return { purl: [{ purl: "", below: null, at_least: null }] };
    default:
      return kind;
  }
}

function bound(value: number | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** One short line for a condition, as the policy list shows it ("CVSS 7 to 9", "in KEV"). */
export function describeCondition(condition: Condition): string {
  if (typeof condition === "string") {
    switch (condition) {
      case "unscored":
        return "no score in any source";
      case "kev":
        return "in KEV";
      case "malicious":
        return "malicious package";
      case "no_license":
        return "no license";
      case "invalid_license":
        return "invalid SPDX license";
      case "unknown":
        return "unknown component";
    }
  }
  if ("cvss" in condition) {
    const low = bound(condition.cvss.at_least);
    const high = bound(condition.cvss.below);
    if (low !== null && high !== null) return `CVSS ${low} to ${high}`;
    if (low !== null) return `CVSS ≥ ${low}`;
    if (high !== null) return `CVSS < ${high}`;
    return "any CVSS score";
  }
  if ("rating" in condition) return `rating ${condition.rating.join(" or ")}`;
  if ("epss_at_least" in condition) return `EPSS ≥ ${condition.epss_at_least}`;
  if ("fix_available" in condition) return condition.fix_available ? "fix available" : "no fix available";
  if ("license_group" in condition) return `license ${condition.license_group.join(" or ")}`;
  if ("license_not_in" in condition) return `license not within ${condition.license_not_in.join(", ")}`;
  return `purl ${condition.purl
    .map((p) => p.purl + (p.at_least ? ` ≥ ${p.at_least}` : "") + (p.below ? ` < ${p.below}` : ""))
    .join(", ")}`;
}

/** A constraint in words: its conditions joined by its match. */
export function describeConstraint(constraint: Constraint): string {
  const joiner = constraint.match === "any" ? " or " : " and ";
  return constraint.conditions.map(describeCondition).join(joiner);
}

/** The policy with `stage` set to `action` (a copy; the policy is not changed). */
export function withAction(policy: Policy, stage: Stage, action: Action): Policy {
  return { ...policy, actions: { ...policy.actions, [stage]: action } };
}

/** The strongest action the policy takes at any stage. */
export function strongestAction(actions: StageActions): Action {
  const all = STAGES.map((s) => actions[s]);
  if (all.includes("fail")) return "fail";
  if (all.includes("warn")) return "warn";
  return "none";
}

export function describeScope(scope: PolicyScope): string {
  if (scope === "everywhere") return "everywhere";
  if ("organization" in scope) return `organization ${scope.organization}`;
  return `category ${scope.category}`;
}

/**
 * A deep copy for the editor, so that cancelling leaves the list untouched. (Svelte's state
 * proxies cannot be structured-cloned; a JSON round trip suits these plain data types.)
 */
export function draftOf(policy: Policy): Policy {
  const copy = JSON.parse(JSON.stringify(policy)) as Policy;
  copy.targets = { contacts: copy.targets.contacts ?? [], roles: copy.targets.roles ?? [], channels: copy.targets.channels ?? [] };
  return copy;
}

export function newPolicy(existing: readonly string[]): Policy {
  let name = "New policy";
  for (let i = 2; existing.includes(name); i++) name = `New policy ${i}`;
  return {
    name,
    threat_level: 5,
    enabled: true,
    monitoring: false,
    reference: false,
    scope: "everywhere",
    actions: { develop: "none", build: "warn", "stage-release": "warn", release: "warn", operate: "warn" },
    targets: { contacts: [], roles: [], channels: [] },
    constraints: [newConstraint([])],
  };
}

export function newConstraint(existing: readonly Constraint[]): Constraint {
  let name = "Condition";
  for (let i = 2; existing.some((c) => c.name === name); i++) name = `Condition ${i}`;
  return { name, match: "all", conditions: [defaultCondition("cvss")] };
}

/**
 * What the editor can tell before asking the engine: problems a person fixes in the form.
 * The engine's own checks (the same as a policies file gets) still run on Save.
 */
export function draftProblems(policy: Policy, others: readonly string[]): string[] {
  const problems: string[] = [];
  const name = policy.name.trim();
  if (name === "") problems.push("The policy needs a name.");
  else if (others.includes(name)) problems.push(`Another policy is already named “${name}”.`);
  if (!Number.isInteger(policy.threat_level) || policy.threat_level < 0 || policy.threat_level > 10) {
    problems.push("The threat level is a whole number from 0 to 10.");
  }
  if (policy.constraints.length === 0) problems.push("The policy needs at least one constraint.");
  const names = new Set<string>();
  policy.constraints.forEach((c, i) => {
    const label = c.name.trim() === "" ? `Constraint ${i + 1}` : `Constraint “${c.name}”`;
    if (c.name.trim() === "") problems.push(`${label} needs a name.`);
    else if (names.has(c.name.trim())) problems.push(`Two constraints are named “${c.name.trim()}”.`);
    names.add(c.name.trim());
    if (c.conditions.length === 0) problems.push(`${label} needs at least one condition.`);
    for (const condition of c.conditions) {
      const problem = conditionProblem(condition);
      if (problem) problems.push(`${label}: ${problem}`);
    }
  });
  return problems;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function conditionProblem(condition: Condition): string | null {
  if (typeof condition === "string") return null;
  if ("cvss" in condition) {
    const { at_least, below } = condition.cvss;
    const low = isNumber(at_least) ? at_least : null;
    const high = isNumber(below) ? below : null;
    if (low === null && high === null) return "a CVSS condition needs at least or below.";
    for (const v of [low, high]) if (v !== null && (v < 0 || v > 10)) return "CVSS scores are from 0 to 10.";
    if (low !== null && high !== null && low >= high) return `CVSS at least ${low} and below ${high} matches nothing.`;
    return null;
  }
  if ("rating" in condition) return condition.rating.length === 0 ? "pick at least one rating." : null;
  if ("epss_at_least" in condition) {
    const v = condition.epss_at_least;
    return isNumber(v) && v >= 0 && v <= 1 ? null : "EPSS is a probability from 0 to 1.";
  }
  if ("license_group" in condition) return condition.license_group.length === 0 ? "pick at least one license group." : null;
  if ("license_not_in" in condition) return condition.license_not_in.length === 0 ? "the allow list is empty." : null;
  if ("purl" in condition) {
    if (condition.purl.length === 0) return "add at least one purl pattern.";
    for (const p of condition.purl) if (!p.purl.trim().startsWith("pkg:")) return `“${p.purl}” is not a purl (pkg:type/name).`;
    return null;
  }
  return null;
}

/**
 * The policy as it is sent to the engine: names trimmed, empty CVSS bounds and purl pattern
 * versions left out, tags without blanks or duplicates.
 */
export function cleanPolicy(policy: Policy): Policy {
  const tags = (list: string[] | undefined) => [...new Set((list ?? []).map((t) => t.trim()).filter((t) => t !== ""))];
  const text = (value: string | null | undefined) => (value && value.trim() !== "" ? value.trim() : null);
  return {
    ...policy,
    name: policy.name.trim(),
    targets: { contacts: tags(policy.targets.contacts), roles: tags(policy.targets.roles), channels: tags(policy.targets.channels) },
    constraints: policy.constraints.map((c) => ({
      ...c,
      name: c.name.trim(),
      conditions: c.conditions.map((condition): Condition => {
        if (typeof condition === "string") return condition;
        if ("cvss" in condition) {
          const at_least = isNumber(condition.cvss.at_least) ? condition.cvss.at_least : null;
          const below = isNumber(condition.cvss.below) ? condition.cvss.below : null;
          return { cvss: { at_least, below } };
        }
        if ("license_not_in" in condition) return { license_not_in: tags(condition.license_not_in) };
        if ("purl" in condition) {
          return {
            purl: condition.purl.map((p) => ({ purl: p.purl.trim(), below: text(p.below), at_least: text(p.at_least) })),
          };
        }
        return condition;
      }),
    })),
  };
}
