// Events from the Rust side and the window (file drops).
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWebviewWindow } from "@tauri-apps/api/webviewWindow";
import type { MonitorReport } from "./bindings/MonitorReport";

/** Emitted by the shell after every monitoring run, wherever it was started (tray, window). */
export const MONITORING_FINISHED = "monitoring-finished";

export function onMonitoringFinished(handler: (report: MonitorReport) => void): Promise<UnlistenFn> {
  return listen<MonitorReport>(MONITORING_FINISHED, (event) => handler(event.payload));
}

/** Emitted by the shell's agent thread when a sync or the intake folder changed data. */
export const DATA_CHANGED = "data-changed";

export function onDataChanged(handler: () => void): Promise<UnlistenFn> {
  return listen(DATA_CHANGED, () => handler());
}

/** Emitted by the shell when deliveries were sent, failed or disabled a channel. */
export const DELIVERIES_CHANGED = "deliveries-changed";

export function onDeliveriesChanged(handler: () => void): Promise<UnlistenFn> {
  return listen(DELIVERIES_CHANGED, () => handler());
}

/** What a click on a desktop notification asks the window to open (`src-tauri/src/desktop.rs`). */
export type NotificationTarget =
  | { view: "application"; name: string }
  | { view: "runs"; run: number | null }
  | { view: "waivers" }
  | { view: "channels" };

export function onNotificationClicked(handler: (target: NotificationTarget) => void): Promise<UnlistenFn> {
  // Events with plain payloads: an application's name, a run's id, a screen's name.
  const all = Promise.all([
    listen<string>("open-application", (event) => handler({ view: "application", name: event.payload })),
    listen<number>("open-run", (event) => handler({ view: "runs", run: event.payload })),
    listen<string>("open-view", (event) => {
      if (event.payload === "runs") handler({ view: "runs", run: null });
      else if (event.payload === "waivers" || event.payload === "channels") handler({ view: event.payload });
    }),
  ]);
  return all.then((stops) => () => stops.forEach((stop) => stop()));
}

export type FileDrag =
  | { type: "enter"; paths: string[] }
  | { type: "over" }
  | { type: "drop"; paths: string[] }
  | { type: "leave" };

export function onFileDrag(handler: (drag: FileDrag) => void): Promise<UnlistenFn> {
  return getCurrentWebviewWindow().onDragDropEvent((event) => {
    const payload = event.payload;
    switch (payload.type) {
      case "enter":
        handler({ type: "enter", paths: payload.paths });
        break;
      case "over":
        handler({ type: "over" });
        break;
      case "drop":
        handler({ type: "drop", paths: payload.paths });
        break;
      case "leave":
        handler({ type: "leave" });
        break;
    }
  });
}
