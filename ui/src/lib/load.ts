import type { ErrorDto } from "./ipc/bindings/ErrorDto";

/** Something fetched from the engine: still loading, there, or failed with a message to show. */
export type Loadable<T> =
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "error"; error: ErrorDto };
