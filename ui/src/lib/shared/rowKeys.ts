// Where a key moves the focus in a list of rows: the one keyboard rule every table shares
// (↑/↓ one row, PageUp/PageDown a screenful, Home/End the ends). Pure, so that it is tested
// without a window; VirtualRows applies it.

/** The keys a list answers; anything else is left to the page (`/` focuses search). */
export const ROW_KEYS = ["ArrowDown", "ArrowUp", "PageDown", "PageUp", "Home", "End"] as const;
export type RowKey = (typeof ROW_KEYS)[number];

export function isRowKey(key: string): key is RowKey {
  return (ROW_KEYS as readonly string[]).includes(key);
}

/**
 * The row `key` moves to from row `from` among `count` rows, `page` rows to a screen, skipping
 * the rows `canFocus` refuses (group headers). Null when there is nowhere to go, so that the
 * caller keeps the focus where it is.
 */
export function targetRow(
  key: RowKey,
  from: number,
  count: number,
  page: number,
  canFocus: (index: number) => boolean = () => true,
): number | null {
  if (count === 0) return null;
  const step = Math.max(1, page);
  let goal: number;
  let direction: 1 | -1;
  switch (key) {
    case "ArrowDown":
      goal = from + 1;
      direction = 1;
      break;
    case "ArrowUp":
      goal = from - 1;
      direction = -1;
      break;
    case "PageDown":
      goal = Math.min(count - 1, from + step);
      direction = 1;
      break;
    case "PageUp":
      goal = Math.max(0, from - step);
      direction = -1;
      break;
    case "Home":
      goal = 0;
      direction = 1;
      break;
    case "End":
      goal = count - 1;
      direction = -1;
      break;
  }
  if (goal < 0 || goal >= count) return null;
  // Past a row that takes no focus in the key's direction; at the end, back towards the start.
  for (let i = goal; i >= 0 && i < count; i += direction) if (canFocus(i)) return i === from ? null : i;
  for (let i = goal - direction; i >= 0 && i < count; i -= direction) if (canFocus(i)) return i === from ? null : i;
  return null;
}
