// Evidence paths as a row can show them: relative to what was scanned, and cut in the middle.
// The engine records each path whole and absolute (`/home/me/build/app.war!/WEB-INF/lib/x.jar`);
// in a list, everything before the scanned artifact is the same on every row and only pushes
// what differs out of sight.

/** Where a path's part on disk ends: an archive's inner entries follow the first `!/`. */
function outerPart(path: string): string {
  const bang = path.indexOf("!/");
  return bang < 0 ? path : path.slice(0, bang);
}

/** The directories of a path on disk, without its last segment (the file or folder itself). */
function directories(path: string): string[] {
  const parts = outerPart(path).split(/[/\\]/);
  parts.pop();
  return parts;
}

/**
 * The longest directory prefix (with its trailing separator) that every path shares on disk.
 * It never takes a path's own file name, nor anything inside an archive, so a single SBOM stays
 * `bom.json` and a war's entries stay `app.war!/WEB-INF/lib/x.jar`. "" when there is none.
 */
export function commonBase(paths: Iterable<string>): string {
  let shared: string[] | null = null;
  let first = "";
  for (const path of paths) {
    const dirs = directories(path);
    if (shared === null) {
      shared = dirs;
      first = path;
      continue;
    }
    let n = 0;
    while (n < shared.length && n < dirs.length && shared[n] === dirs[n]) n++;
    shared = shared.slice(0, n);
    if (shared.length === 0) return "";
  }
  if (shared === null || shared.length === 0) return "";
  // Rebuild from the first path itself so that its own separators (`/` or `\`) are kept.
  let end = 0;
  for (let i = 0; i < shared.length; i++) end += shared[i].length + 1;
  return first.slice(0, end);
}

/** `path` without `base` (from `commonBase`); unchanged when it does not start with it. */
export function relativeTo(path: string, base: string): string {
  return base !== "" && path.startsWith(base) && path.length > base.length ? path.slice(base.length) : path;
}

/** Every evidence path an application's latest scan reports, for `commonBase`. */
export function evidencePaths(lists: Iterable<{ evidence: readonly string[] }>): string[] {
  const all: string[] = [];
  for (const item of lists) all.push(...item.evidence);
  return all;
}

/**
 * At most `maxChars` characters, cut in the middle: the start and the file name survive, so
 * `keycloak.war!/WEB-INF/lib/…/jboss-logging-3.4.1.Final.jar` still says where and what. A
 * file name longer than the budget keeps its end (the version and extension). `separators`
 * say where the last part begins (`:` keeps a Maven artifact id whole after its group).
 */
export function shorten(path: string, maxChars: number, separators = "/\\"): string {
  if (path.length <= maxChars) return path;
  if (maxChars <= 1) return "…";
  const slash = Math.max(...[...separators].map((s) => path.lastIndexOf(s)));
  const name = path.slice(slash + 1);
  if (name.length + 1 >= maxChars) return "…" + path.slice(path.length - (maxChars - 1));
  const tail = path.slice(slash); // the separator and the name
  const head = maxChars - 1 - tail.length;
  return path.slice(0, head) + "…" + tail;
}
