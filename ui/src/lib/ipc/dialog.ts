// Native file pickers (tauri-plugin-dialog).
import { open, save } from "@tauri-apps/plugin-dialog";

/** Asks for OSV advisory exports; resolves to the chosen paths, or [] when cancelled. */
export async function pickAdvisoryFiles(): Promise<string[]> {
  const chosen = await open({
    title: "Import advisories",
    multiple: true,
    directory: false,
    filters: [{ name: "OSV advisories (zip, json)", extensions: ["zip", "json"] }],
  });
  if (chosen === null) return [];
  return Array.isArray(chosen) ? chosen : [chosen];
}

/** Asks for one file; resolves to its path, or null when cancelled. */
async function pickOne(title: string, filter: { name: string; extensions: string[] }): Promise<string | null> {
  const chosen = await open({ title, multiple: false, directory: false, filters: [filter] });
  if (chosen === null) return null;
  return Array.isArray(chosen) ? (chosen[0] ?? null) : chosen;
}

export function pickPoliciesFile(): Promise<string | null> {
  return pickOne("Import policies", { name: "Vigil policies (YAML)", extensions: ["yaml", "yml"] });
}

export function pickPlanFile(): Promise<string | null> {
  return pickOne("Import the notification plan", { name: "Vigil plan (YAML)", extensions: ["yaml", "yml"] });
}

export async function choosePlanExportPath(): Promise<string | null> {
  return save({
    title: "Export the notification plan",
    defaultPath: "vigil-plan.yaml",
    filters: [{ name: "Vigil plan (YAML)", extensions: ["yaml", "yml"] }],
  });
}

export function pickVexFile(): Promise<string | null> {
  return pickOne("Import VEX", { name: "OpenVEX or CycloneDX VEX (JSON)", extensions: ["json"] });
}

/** Asks where to save; resolves to the path, or null when cancelled. */
export async function choosePoliciesExportPath(): Promise<string | null> {
  return save({
    title: "Export policies",
    defaultPath: "vigil-policies.yaml",
    filters: [{ name: "Vigil policies (YAML)", extensions: ["yaml", "yml"] }],
  });
}

export async function chooseVexExportPath(): Promise<string | null> {
  return save({
    title: "Export OpenVEX",
    defaultPath: "vigil-waivers.openvex.json",
    filters: [{ name: "OpenVEX (JSON)", extensions: ["json"] }],
  });
}

export function pickApplicationsCsv(): Promise<string | null> {
  return pickOne("Import applications", { name: "Applications (CSV with a header row)", extensions: ["csv"] });
}

/** Asks for a folder; resolves to its path, or null when cancelled. */
export async function pickFolder(title: string): Promise<string | null> {
  const chosen = await open({ title, multiple: false, directory: true });
  if (chosen === null) return null;
  return Array.isArray(chosen) ? (chosen[0] ?? null) : chosen;
}
