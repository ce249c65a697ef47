// Grouped tables (violations by policy, components by ecosystem) as one list of rows for
// VirtualRows: each group's header row, then its rows.

export type GroupedRow<G, R> = { kind: "group"; group: G } | { kind: "row"; group: G; row: R };

export function flattenGroups<G, R>(groups: readonly G[], rowsOf: (group: G) => readonly R[]): GroupedRow<G, R>[] {
  const out: GroupedRow<G, R>[] = [];
  for (const group of groups) {
    out.push({ kind: "group", group });
    for (const row of rowsOf(group)) out.push({ kind: "row", group, row });
  }
  return out;
}
