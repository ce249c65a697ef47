// Threat levels are coloured the same way everywhere: 8–10 red, 4–7 orange, 2–3 yellow, 0–1 grey.
import type { ViolationDto } from "../ipc/bindings/ViolationDto";

export type ThreatBand = "critical" | "severe" | "moderate" | "low";

export function threatBand(level: number): ThreatBand {
  if (level >= 8) return "critical";
  if (level >= 4) return "severe";
  if (level >= 2) return "moderate";
  return "low";
}

/** The package name (and version) a purl names: `pkg:npm/%40babel/core@7.0.0` → `@babel/core@7.0.0`. */
export function purlLabel(purl: string): string {
  const body = purl.replace(/^pkg:[^/]+\//, "").split(/[?#]/)[0];
  try {
    return decodeURIComponent(body);
  } catch {
    return body;
  }
}

/** Highest threat level first, then by component, then by policy: a stable reading order. */
export function sortViolations(violations: readonly ViolationDto[]): ViolationDto[] {
  return [...violations].sort(
    (a, b) =>
      b.threat_level - a.threat_level ||
      a.purl.localeCompare(b.purl) ||
      a.policy.localeCompare(b.policy) ||
      a.condition_key.localeCompare(b.condition_key),
  );
}
