// Components of an inventory, grouped by ecosystem for display.
import type { ComponentDto } from "../ipc/bindings/ComponentDto";
import type { LicenseDto } from "../ipc/bindings/LicenseDto";

export interface EcosystemGroup {
  ecosystem: string;
  components: ComponentDto[];
}

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/**
 * Groups by ecosystem (ecosystems in name order, case-insensitive), each group sorted by
 * component name, then version (numeric-aware, so 4.10.0 comes after 4.9.0; no version last).
 */
export function groupByEcosystem(components: readonly ComponentDto[]): EcosystemGroup[] {
  const groups = new Map<string, ComponentDto[]>();
  for (const component of components) {
    const list = groups.get(component.ecosystem);
    if (list) list.push(component);
    else groups.set(component.ecosystem, [component]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => collator.compare(a, b) || a.localeCompare(b))
    .map(([ecosystem, list]) => ({ ecosystem, components: list.sort(compareComponents) }));
}

export function compareComponents(a: ComponentDto, b: ComponentDto): number {
  const byName = collator.compare(a.name, b.name) || a.name.localeCompare(b.name);
  if (byName !== 0) return byName;
  if (a.version === b.version) return 0;
  if (a.version === null) return 1;
  if (b.version === null) return -1;
  return collator.compare(a.version, b.version);
}

/** A license as shown: its SPDX expression, else the text as declared, else a dash. */
export function licenseText(license: LicenseDto | null): string {
  if (license === null) return "—";
  return license.expression ?? (license.raw.trim() || "—");
}
