// The row keys for a short list that is all on the page (Policies, Search): the rule of
// rowKeys.ts applied to the rendered rows. Long lists use VirtualRows, which applies it itself.
import { isRowKey, targetRow } from "./rowKeys";

/** Moves the focus from the event's row among `rows`; true when the key was a row key. */
export function moveRowFocus(event: KeyboardEvent, rows: readonly HTMLElement[]): boolean {
  if (!isRowKey(event.key)) return false;
  event.preventDefault();
  const from = rows.indexOf(event.currentTarget as HTMLElement);
  if (from === -1) return true;
  const page = Math.max(1, Math.floor(window.innerHeight / 24) - 4);
  const next = targetRow(event.key, from, rows.length, page);
  if (next !== null) rows[next].focus();
  return true;
}
