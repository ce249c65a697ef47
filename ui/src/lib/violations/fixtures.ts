// Test data: violations and policies shaped as the engine sends them.
import type { AdvisoryRef } from "../ipc/bindings/AdvisoryRef";
import type { ViolationDto } from "../ipc/bindings/ViolationDto";

export function advisory(id: string, score: number | null, extra: Partial<AdvisoryRef> = {}): AdvisoryRef {
  return {
    id,
    aliases: [],
    summary: "",
    severity: score === null ? null : { score, rating: score >= 9 ? "CRITICAL" : score >= 7 ? "HIGH" : "MEDIUM", vector: null },
    kev: false,
    epss: null,
    fixed: [],
    ...extra,
  };
}

export function violation(policy: string, threat_level: number, purl: string, extra: Partial<ViolationDto> = {}): ViolationDto {
  return {
    policy,
    threat_level,
    purl,
    condition_key: "c",
    advisories: [],
    license: null,
    conditions: [],
    summary: "",
    waiver: null,
    action: "warn",
    evidence: [],
    ...extra,
  };
}
