// Multi-select over a list, as a mail client does it: a click toggles one row, a shift-click
// sets the range from the last clicked row to this one to that row's new state, "all" takes
// every row the filter shows. Keys are the rows' identities, so a selection survives a
// refresh that re-sorts, and drops what is no longer listed.

export class Selection {
  readonly keys: ReadonlySet<string>;
  /** The row the last plain click was on: where a shift-click's range starts. */
  readonly anchor: string | null;

  constructor(keys: Iterable<string> = [], anchor: string | null = null) {
    this.keys = new Set(keys);
    this.anchor = anchor;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get size(): number {
    return this.keys.size;
  }

  /** A click on `key`'s checkbox; with `shift`, the range from the anchor to it (in `order`). */
  click(key: string, order: readonly string[], shift = false): Selection {
    const next = new Set(this.keys);
    const on = !this.keys.has(key);
    const from = shift && this.anchor !== null ? order.indexOf(this.anchor) : -1;
    const to = order.indexOf(key);
    if (from >= 0 && to >= 0) {
      const [a, b] = from <= to ? [from, to] : [to, from];
      for (const k of order.slice(a, b + 1)) {
        if (on) next.add(k);
        else next.delete(k);
      }
    } else if (on) next.add(key);
    else next.delete(key);
    return new Selection(next, key);
  }

  /** Every row listed, or none when all of them were selected already. */
  toggleAll(order: readonly string[]): Selection {
    const all = order.length > 0 && order.every((k) => this.keys.has(k));
    return new Selection(all ? [] : order, null);
  }

  /** Only what is still listed (after a refresh or a narrower filter). */
  within(order: readonly string[]): Selection {
    const listed = new Set(order);
    const kept = [...this.keys].filter((k) => listed.has(k));
    return kept.length === this.keys.size ? this : new Selection(kept, this.anchor !== null && listed.has(this.anchor) ? this.anchor : null);
  }
}
