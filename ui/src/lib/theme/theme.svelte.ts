// The window's theme: read from the engine's settings at start, applied as `data-theme` on
// <html> (app.css keeps one palette per value), and followed live while the choice is System.
import type { Theme } from "../ipc/bindings/Theme";
import * as ipc from "../ipc/commands";
import { palette } from "./theme";

const system = typeof window !== "undefined" ? window.matchMedia("(prefers-color-scheme: dark)") : null;

class ThemeState {
  choice = $state<Theme>("system");

  constructor() {
    system?.addEventListener("change", () => this.apply());
    this.apply();
  }

  apply() {
    if (typeof document === "undefined") return;
    document.documentElement.dataset.theme = palette(this.choice, system?.matches ?? false);
  }

  async load() {
    try {
      this.choice = await ipc.theme();
    } catch {
      // The system's palette stays: a theme that cannot be read is no reason to stop.
    }
    this.apply();
  }

  /** Stores the choice; throws (with the engine's error) when it could not be stored. */
  async set(choice: Theme) {
    const previous = this.choice;
    this.choice = choice;
    this.apply();
    try {
      this.choice = await ipc.setTheme(choice);
    } catch (error) {
      this.choice = previous;
      throw error;
    } finally {
      this.apply();
    }
  }
}

export const theme = new ThemeState();
