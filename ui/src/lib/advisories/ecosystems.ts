import type { EcosystemStatus } from "../ipc/bindings/EcosystemStatus";

const collator = new Intl.Collator("en", { sensitivity: "base" });

/** Ecosystems in the order a person looks them up: by name, ignoring case (npm, PyPI, RubyGems). */
export function sortEcosystems(ecosystems: readonly EcosystemStatus[]): EcosystemStatus[] {
  return [...ecosystems].sort(
    (a, b) => collator.compare(a.ecosystem, b.ecosystem) || a.ecosystem.localeCompare(b.ecosystem),
  );
}
