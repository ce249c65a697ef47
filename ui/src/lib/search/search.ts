// What the search box was asked: an advisory (who is affected?), a purl (where is it used?) or
// an application's name. Pure, so that the guess can be tested.

export type QueryKind = "advisory" | "purl" | "application";

/**
 * Advisory ids by their database's prefix (OSV's list of id prefixes): anything else is
 * searched as an application name, so that an application called `go-web` is not taken for a
 * Go advisory (`GO-2024-1234` needs the year and number).
 */
const ADVISORY = [
  /^CVE-\d{4}-\d{4,}$/i,
  /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i,
  /^(PYSEC|GO|RUSTSEC|OSV|GSD|UVI|MAL|BIT|PSF|RSEC|CURL)-\d{4}-[\w.-]+$/i,
  /^(DSA|DLA|DTSA)-\d+(-\d+)?$/i,
  /^(USN|LSN)-\d+-\d+$/i,
  /^(RHSA|RHBA|RHEA|RLSA|RXSA|ALSA|ALBA|ALEA)-\d{4}:\d+$/i,
  /^(ALPINE|SUSE-SU|openSUSE-SU)-[\w.:-]+$/i,
];

/** The kind of `query`, trimmed; `null` when there is nothing to search for. */
export function queryKind(query: string): QueryKind | null {
  const q = query.trim();
  if (q === "") return null;
  if (/^pkg:[a-z][a-z0-9.+-]*\//i.test(q)) return "purl";
  if (ADVISORY.some((pattern) => pattern.test(q))) return "advisory";
  return "application";
}

/**
 * Application names that contain every word of `query` (any case), those starting with it
 * first, then by name: how a person finds "the shop one" among a thousand.
 */
export function matchingApplications(names: readonly string[], query: string, limit = 50): string[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return [];
  const whole = query.trim().toLowerCase();
  return names
    .filter((name) => {
      const lower = name.toLowerCase();
      return words.every((w) => lower.includes(w));
    })
    .sort((a, b) => {
      const rank = (n: string) => (n.toLowerCase().startsWith(whole) ? 0 : 1);
      return rank(a) - rank(b) || a.localeCompare(b);
    })
    .slice(0, limit);
}

/** Whether a key press should focus the search box: `/` typed outside any text field. */
export function isSearchShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }, target: EventTarget | null): boolean {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return false;
  const element = target as { tagName?: string; isContentEditable?: boolean } | null;
  const tag = element?.tagName?.toUpperCase();
  return !(tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element?.isContentEditable === true);
}
