/** "1 record", "2 records", "1,204 records"; `plural` for irregular words. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? singular : plural}`;
}
