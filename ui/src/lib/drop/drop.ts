// What to do with files dropped on the window: which ones Vigil can scan, and which application
// name to offer for them.

/** Lockfiles and manifests whose own name says nothing about the application. */
const MANIFESTS = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "package.json",
  "requirements.txt",
  "poetry.lock",
  "pipfile.lock",
  "pdm.lock",
  "uv.lock",
  "setup.py",
  "pyproject.toml",
  "cargo.lock",
  "go.mod",
  "go.sum",
  "pom.xml",
  "gradle.lockfile",
  "composer.lock",
  "gemfile.lock",
  "bom.json",
  "bom.xml",
  "sbom.json",
]);

/** Endings of artifacts and SBOMs; the longest matching one is stripped for the name. */
const ARTIFACT_SUFFIXES = [
  ".cdx.json",
  ".cdx.xml",
  ".spdx.json",
  ".sbom.json",
  ".bom.json",
  ".tar.gz",
  ".tgz",
  ".tar",
  ".zip",
  ".jar",
  ".war",
  ".ear",
  ".whl",
  ".egg",
  ".json",
  ".txt",
  ".lock",
];

function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s.length > 0);
}

function matchingSuffix(name: string): string | undefined {
  const lower = name.toLowerCase();
  return ARTIFACT_SUFFIXES.find((suffix) => lower.endsWith(suffix) && lower.length > suffix.length);
}

/**
 * The paths of a drop to scan: every file and folder (the scanner recognises formats by name and
 * by content, and says which files it could not read), in the order dropped, without duplicates.
 */
export function dropPaths(paths: readonly string[]): string[] {
  return [...new Set(paths.filter((p) => p.length > 0))];
}

/** Strips a trailing version such as `-1.2.3`, `_2.0`, or `-1.0.0-SNAPSHOT` from an artifact stem. */
function withoutVersion(stem: string): string {
  const stripped = stem.replace(/[-_.]v?\d+(\.\d+)*([-.][A-Za-z0-9]+)*$/, "");
  // "1.2.3.zip" is all version: keep it rather than offer "1".
  return /[A-Za-z]/.test(stripped) ? stripped : stem;
}

/**
 * The application name to offer for a dropped path: a lockfile or manifest is named after its
 * folder (`/x/shop-api/package-lock.json` → `shop-api`), an artifact after its file name without
 * version (`/builds/shop-api-1.2.3.war` → `shop-api`), a folder after itself.
 */
export function defaultApplicationName(path: string): string {
  const parts = segments(path);
  if (parts.length === 0) return "";
  const name = parts[parts.length - 1];
  const lower = name.toLowerCase();
  const isManifest = MANIFESTS.has(lower) || /^requirements[-_.\w]*\.txt$/.test(lower);
  if (isManifest) {
    const parent = parts.length >= 2 ? parts[parts.length - 2] : "";
    // A drive letter ("C:") is no name.
    return /^[A-Za-z]:$/.test(parent) ? "" : parent;
  }
  const suffix = matchingSuffix(name);
  if (suffix !== undefined) return withoutVersion(name.slice(0, name.length - suffix.length));
  return name;
}

/** The name to offer for a whole drop: the first path that yields one. */
export function defaultNameForDrop(paths: readonly string[]): string {
  for (const path of paths) {
    const name = defaultApplicationName(path);
    if (name !== "") return name;
  }
  return "";
}
