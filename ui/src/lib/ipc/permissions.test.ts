// The webview may call exactly what the UI uses. Four lists must agree: the commands the UI
// invokes (`commands.ts`, the only caller), the shell's handlers (`generate_handler!`), the
// commands that get an `allow-<command>` permission (`build.rs`), and the capability that grants
// them to the main window. A command granted but unused, or a plugin permission the UI never
// needs, widens what a compromised page could do.
import { describe, expect, test } from "vitest";
import capabilityJson from "../../../../src-tauri/capabilities/main.json?raw";
import buildRs from "../../../../src-tauri/build.rs?raw";
import libRs from "../../../../src-tauri/src/lib.rs?raw";
import tauriConf from "../../../../tauri.conf.json?raw";
import commandsTs from "./commands.ts?raw";
import dialogTs from "./dialog.ts?raw";
import eventsTs from "./events.ts?raw";

const kebab = (command: string) => command.replaceAll("_", "-");

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** `call("name"` and `call<T>("name"`: every command the UI invokes. */
function invokedByUi(): string[] {
  return sorted([...commandsTs.matchAll(/\bcall(?:<[^>]*>)?\(\s*"([a-z_]+)"/g)].map((m) => m[1]));
}

function handlers(): string[] {
  const list = libRs.match(/generate_handler!\[([\s\S]*?)\]/);
  if (!list) throw new Error("src-tauri/src/lib.rs has no generate_handler! list");
  return sorted([...list[1].matchAll(/commands::([a-z_]+)/g)].map((m) => m[1]));
}

function permitted(): string[] {
  const list = buildRs.match(/\.commands\(&\[([\s\S]*?)\]\)/);
  if (!list) throw new Error("src-tauri/build.rs lists no commands");
  return sorted([...list[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]));
}

const capability = JSON.parse(capabilityJson) as { windows: string[]; permissions: string[] };

describe("the main window's capability", () => {
  test("the UI invokes only commands the shell handles, and the shell handles only those", () => {
    expect(invokedByUi().length).toBeGreaterThan(10);
    expect(handlers()).toEqual(invokedByUi());
  });

  test("every handled command has its own permission", () => {
    expect(permitted()).toEqual(handlers());
  });

  test("it grants exactly the UI's commands, and of the plugins only what the UI imports", () => {
    const commands = capability.permissions.filter((p) => p.startsWith("allow-"));
    expect(sorted(commands)).toEqual(invokedByUi().map((c) => `allow-${kebab(c)}`));

    const expected: string[] = [];
    if (/\blisten\b/.test(eventsTs)) expected.push("core:event:allow-listen", "core:event:allow-unlisten");
    if (/\bopen\(/.test(dialogTs)) expected.push("dialog:allow-open");
    if (/\bsave\(/.test(dialogTs)) expected.push("dialog:allow-save");
    const plugins = capability.permissions.filter((p) => !p.startsWith("allow-"));
    expect(sorted(plugins)).toEqual(sorted(expected));
    // No blanket sets such as `core:default` or `dialog:default`.
    expect(capability.permissions.some((p) => p.endsWith(":default"))).toBe(false);
    expect(capability.windows).toEqual(["main"]);
  });
});

describe("tauri.conf.json", () => {
  const conf = JSON.parse(tauriConf) as {
    app: { withGlobalTauri: boolean; security: { csp: Record<string, string>; dangerousDisableAssetCspModification?: string[] } };
  };

  test("keeps the Tauri API off the window object", () => {
    expect(conf.app.withGlobalTauri).toBe(false);
  });

  test("has a strict CSP: scripts only from the app, no eval, no remote connections", () => {
    const csp = conf.app.security.csp;
    expect(csp["default-src"]).toBe("'self'");
    expect(csp["script-src"]).toBe("'self'");
    for (const [directive, value] of Object.entries(csp)) {
      expect(value, directive).not.toMatch(/unsafe-eval|\*|https?:\/\/(?!ipc\.localhost)/);
    }
    expect(csp["connect-src"].split(/\s+/).sort()).toEqual(["http://ipc.localhost", "ipc:"]);
    expect(csp["object-src"]).toBe("'none'");
    expect(csp["frame-ancestors"]).toBe("'none'");
    // Only style-src is left to the page (Svelte's inline styles); script nonces stay Tauri's.
    expect(conf.app.security.dangerousDisableAssetCspModification ?? []).toEqual(["style-src"]);
  });
});
