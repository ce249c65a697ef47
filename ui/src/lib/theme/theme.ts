// Which palette the window shows: the chosen theme, or the system's when the choice is System.
import type { Theme } from "../ipc/bindings/Theme";

export type Palette = "light" | "dark";

export const THEMES: readonly { value: Theme; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

export function palette(choice: Theme, systemDark: boolean): Palette {
  switch (choice) {
    case "system":
      return systemDark ? "dark" : "light";
    case "light":
      return "light";
    case "dark":
      return "dark";
  }
}
