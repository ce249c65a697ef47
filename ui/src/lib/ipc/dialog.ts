// Native file pickers (tauri-plugin-dialog).
import { open } from "@tauri-apps/plugin-dialog";

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
