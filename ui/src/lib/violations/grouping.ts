// The application's Violations tab: violations filtered, grouped by policy and sorted.
import type { AdvisoryRef } from "../ipc/bindings/AdvisoryRef";
import type { ViolationDto } from "../ipc/bindings/ViolationDto";

export type ViolationSort = "threat" | "component" | "policy";

export interface ViolationFilter {
  /** Matched, case-insensitively, against the purl, policy, advisory ids and aliases, license and summary. */
  text: string;
  /** A policy name, or "" for every policy. */
  policy: string;
  /** Only violations of policies at this threat level or above. */
  minThreat: number;
  showWaived: boolean;
}

export const NO_FILTER: ViolationFilter = { text: "", policy: "", minThreat: 0, showWaived: true };

export interface PolicyGroup {
  policy: string;
  threatLevel: number;
  /** Active (not waived) violations of this policy, filters aside. */
  active: number;
  /** Waived violations of this policy, filters aside. */
  waived: number;
  /** The rows shown, after filtering and sorting. */
  violations: ViolationDto[];
}

/** A violation's stable identity within one application (policy, component, constraint). */
export function violationKey<V extends Pick<ViolationDto, "policy" | "purl" | "condition_key">>(v: V): string {
  return `${v.policy}\u0000${v.purl}\u0000${v.condition_key}`;
}

/** Open violations: those no waiver covers (what the application's count counts). */
export function activeCount(violations: readonly ViolationDto[]): number {
  return violations.filter((v) => v.waiver === null).length;
}

export function matchesFilter(v: ViolationDto, filter: ViolationFilter): boolean {
  if (!filter.showWaived && v.waiver !== null) return false;
  if (filter.policy !== "" && v.policy !== filter.policy) return false;
  if (v.threat_level < filter.minThreat) return false;
  const needle = filter.text.trim().toLowerCase();
  if (needle === "") return true;
  const haystack = [
    v.purl,
    v.policy,
    v.summary,
    v.license ?? "",
    ...v.evidence,
    ...v.advisories.flatMap((a) => [a.id, ...a.aliases]),
  ];
  return haystack.some((s) => s.toLowerCase().includes(needle));
}

/** The highest CVSS score among a violation's advisories; -1 when none has one. */
export function topScore(v: ViolationDto): number {
  return Math.max(-1, ...v.advisories.map((a) => a.severity?.score ?? -1));
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

function byComponent(a: ViolationDto, b: ViolationDto): number {
  return collator.compare(a.purl, b.purl) || a.condition_key.localeCompare(b.condition_key);
}

function rowOrder(sort: ViolationSort): (a: ViolationDto, b: ViolationDto) => number {
  if (sort === "threat") {
    // Within a policy every row has the same threat level: the worst advisory first, and
    // active before waived.
    return (a, b) =>
      Number(a.waiver !== null) - Number(b.waiver !== null) || topScore(b) - topScore(a) || byComponent(a, b);
  }
  return byComponent;
}

/**
 * Groups violations by policy. Groups are ordered by threat level (highest first, then name),
 * or by policy name when sorting by policy; rows by `sort`. Groups whose rows are all
 * filtered out are left out; the counts are of the whole policy, so that a filter never
 * hides how much is open.
 */
export function groupViolations(
  violations: readonly ViolationDto[],
  filter: ViolationFilter,
  sort: ViolationSort,
): PolicyGroup[] {
  const groups = new Map<string, PolicyGroup>();
  for (const v of violations) {
    let group = groups.get(v.policy);
    if (!group) {
      group = { policy: v.policy, threatLevel: v.threat_level, active: 0, waived: 0, violations: [] };
      groups.set(v.policy, group);
    }
    group.threatLevel = Math.max(group.threatLevel, v.threat_level);
    if (v.waiver === null) group.active++;
    else group.waived++;
    if (matchesFilter(v, filter)) group.violations.push(v);
  }
  const order = rowOrder(sort);
  const byName = (a: PolicyGroup, b: PolicyGroup) => collator.compare(a.policy, b.policy) || a.policy.localeCompare(b.policy);
  return [...groups.values()]
    .filter((g) => g.violations.length > 0)
    .map((g) => ({ ...g, violations: g.violations.sort(order) }))
    .sort(sort === "policy" ? byName : (a, b) => b.threatLevel - a.threatLevel || byName(a, b));
}

/** The policies present, for the filter's picker: highest threat level first. */
export function policiesIn(violations: readonly ViolationDto[]): string[] {
  return groupViolations(violations, NO_FILTER, "threat").map((g) => g.policy);
}

/** "upgrade to 2.17.1" / "upgrade to 2.12.2 or 2.17.1"; null when no advisory has a fix. */
export function upgradeAdvice(advisories: readonly AdvisoryRef[]): string | null {
  const fixes = [...new Set(advisories.flatMap((a) => a.fixed))].sort(collator.compare);
  if (fixes.length === 0) return null;
  return `upgrade to ${fixes.join(" or ")}`;
}

/** An advisory's score as shown on its chip: the CVSS score, else the rating, else "unscored". */
export function scoreText(a: AdvisoryRef): string {
  if (!a.severity) return "unscored";
  return a.severity.score !== null ? a.severity.score.toFixed(1) : a.severity.rating.toLowerCase();
}

/**
 * The sentence that says why every row of a group holds, when they all share it: the
 * conditions' summaries ("Security Vulnerability Severity >= 7"), else the violations' own
 * summary. Shown once in the group's header instead of on every row; null when rows differ
 * (each row's own reason is then in its details).
 */
export function sharedWhy(violations: readonly ViolationDto[]): string | null {
  let shared: string | null = null;
  for (const v of violations) {
    // One advisory per condition: the same summary many times over says it once.
    const why = v.conditions.length > 0 ? [...new Set(v.conditions.map((c) => c.summary))].join(" and ") : v.summary;
    if (why === "") return null;
    if (shared === null) shared = why;
    else if (shared !== why) return null;
  }
  return shared;
}
