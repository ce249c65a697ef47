/**
 * Adds what was typed to a tag list: split at commas, trimmed, blanks and duplicates left out
 * (the list keeps its order; a new copy is returned).
 */
export function addTags(tags: readonly string[], typed: string): string[] {
  const out = [...tags];
  for (const part of typed.split(",")) {
    const tag = part.trim();
    if (tag !== "" && !out.includes(tag)) out.push(tag);
  }
  return out;
}
