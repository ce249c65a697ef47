// Errors cross the IPC boundary as `{code, message}`; anything else (a Tauri error string, a
// thrown Error) is turned into one here so the UI can always show `message` and branch on `code`.
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorDto } from "./bindings/ErrorDto";

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "invalid_input",
  "unreadable_input",
  "schema_too_new",
  "not_found",
  "internal",
]);

export function isErrorDto(value: unknown): value is ErrorDto {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && CODES.has(v.code) && typeof v.message === "string";
}

export function toErrorDto(error: unknown): ErrorDto {
  if (isErrorDto(error)) return error;
  if (typeof error === "string") return { code: "internal", message: error };
  if (error instanceof Error) return { code: "internal", message: error.message };
  return { code: "internal", message: "Something went wrong." };
}
