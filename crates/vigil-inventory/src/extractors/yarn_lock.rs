//! Yarn's `yarn.lock`: classic (Yarn 1, "# yarn lockfile v1",
//! https://classic.yarnpkg.com/en/docs/yarn-lock) and berry (Yarn 2 and later, YAML with a
//! `__metadata` entry, https://yarnpkg.com/configuration/yarnrc and the `Project.generateLockfile`
//! source).
//!
//! Classic: each entry is `"a@^1", a@~1.2:` followed by two-space-indented `version "1.2.3"`,
//! `resolved "<url>"` and `integrity sha512-<base64>` lines; the integrity is the npm tarball's
//! SRI digest and is recorded as a hash. What the entry is installed from is told by its
//! descriptors (`a@github:user/repo`, `a@file:../a`) and by `resolved`: a registry tarball URL
//! has npm's `/<name>/-/<name>-<version>.tgz` layout, a git or codeload URL does not.
//!
//! Berry: each entry's `resolution` says exactly what was installed (`lodash@npm:4.17.21`);
//! `npm:` is a registry package, `patch:` wraps another resolution (a patched npm package is
//! still that package for advisories), `workspace:`, `link:` and `portal:` are the project's own
//! folders and are skipped silently, and everything else (git, tarball URLs, `file:`, `exec:`)
//! is not a registry package and becomes a warning. Berry's `checksum` is the digest of Yarn's
//! own cache zip, not of the npm tarball, so it is not recorded as the package's hash.
//!
//! Neither format says which dependencies are dev-only (that is in `package.json`): scope is
//! unknown.

use std::{collections::BTreeMap, path::Path};

use base64::Engine;
use serde::Deserialize;
use vigil_model::{Component, Ecosystem, Evidence, Hash, HashAlgorithm, PackageRef, Scope};

use super::{file_name, yaml, ExtractOutput, Extractor, FileInput};

pub struct YarnLock;

impl Extractor for YarnLock {
    fn name(&self) -> &'static str {
        "npm/yarn-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "yarn.lock"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.contains("# yarn lockfile v1") || is_berry(&head)
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = std::str::from_utf8(input.bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
        let evidence = Evidence(input.path.display().to_string());
        if is_berry(text) {
            read_berry(input.bytes, &evidence)
        } else {
            read_classic(text, &evidence)
        }
    }
}

/// Berry files start (after comments) with their `__metadata` entry.
fn is_berry(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l == "__metadata:")
}

// ---------------------------------------------------------------------------------------------
// Classic
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct ClassicEntry {
    line: usize,
    key: String,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
}

fn read_classic(text: &str, evidence: &Evidence) -> Result<ExtractOutput, String> {
    let mut out = ExtractOutput::default();
    let mut entries: Vec<ClassicEntry> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.trim_start().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        match indent {
            0 => match line.strip_suffix(':') {
                Some(key) => entries.push(ClassicEntry {
                    line: index + 1,
                    key: key.to_string(),
                    ..ClassicEntry::default()
                }),
                None => out.warnings.push(format!(
                    "line {}: not an entry heading (`name@range:`); not read",
                    index + 1
                )),
            },
            2 => {
                let Some(entry) = entries.last_mut() else {
                    return Err(format!(
                        "line {}: a field before any entry; not a yarn.lock",
                        index + 1
                    ));
                };
                let field = line.trim_start();
                if field.ends_with(':') {
                    continue; // `dependencies:` and other blocks, read at deeper indents.
                }
                let (name, value) = field.split_once(' ').unwrap_or((field, ""));
                let value = unquote(value.trim());
                match name {
                    "version" => entry.version = Some(value),
                    "resolved" => entry.resolved = Some(value),
                    "integrity" => entry.integrity = Some(value),
                    _ => {}
                }
            }
            _ => {} // Dependency lists: what an entry needs, not what is installed.
        }
    }
    if entries.is_empty() && !text.contains("yarn lockfile v1") {
        return Err("no entries and no `# yarn lockfile v1` header: not a yarn.lock".into());
    }
    for entry in &entries {
        classic_entry(entry, evidence, &mut out);
    }
    Ok(out)
}

fn classic_entry(entry: &ClassicEntry, evidence: &Evidence, out: &mut ExtractOutput) {
    let at = format!("line {} ({})", entry.line, entry.key);
    let descriptors: Vec<String> = split_descriptors(&entry.key);
    let mut name = None;
    for descriptor in &descriptors {
        let (alias, range) = split_name(descriptor);
        // `alias@npm:real@^1` installs `real`; `a@npm:^1` is a plain range.
        let (real, range) = match range.strip_prefix("npm:") {
            Some(target) if target.trim_start_matches('@').contains('@') => split_name(target),
            Some(range) => (alias, range),
            None => (alias, range),
        };
        if range.starts_with("link:")
            || range.starts_with("portal:")
            || range.starts_with("workspace:")
        {
            return; // The project's own folders.
        }
        if range.contains(':') || range.contains('/') {
            out.warnings.push(format!(
                "{at}: installed from {range}, not a registry; not recorded"
            ));
            return;
        }
        name.get_or_insert(real);
    }
    let Some(name) = name.filter(|n| valid_npm_name(n)) else {
        out.warnings.push(format!(
            "{at}: no package name can be read from the heading"
        ));
        return;
    };
    if let Some(resolved) = &entry.resolved {
        if !registry_tarball(resolved) {
            out.warnings.push(format!(
                "{at}: resolved to {resolved}, not a registry tarball; not recorded"
            ));
            return;
        }
    }
    let Some(version) = entry.version.as_deref().filter(|v| looks_like_version(v)) else {
        out.warnings
            .push(format!("{at}: no usable version; not recorded"));
        return;
    };
    let mut component = Component::new(
        PackageRef::new(Ecosystem::Npm, name, Some(version.to_string())),
        Scope::Unknown,
        evidence.clone(),
    );
    if let Some(integrity) = &entry.integrity {
        component.hashes = sri_hashes(integrity);
    }
    out.components.push(component);
}

/// `"a@^1", a@~1.2` → `["a@^1", "a@~1.2"]`.
fn split_descriptors(key: &str) -> Vec<String> {
    key.split(", ")
        .map(|d| unquote(d.trim()))
        .filter(|d| !d.is_empty())
        .collect()
}

/// Yarn classic quotes values with JSON string syntax.
fn unquote(value: &str) -> String {
    if value.starts_with('"') {
        serde_json::from_str::<String>(value)
            .unwrap_or_else(|_| value.trim_matches('"').to_string())
    } else {
        value.to_string()
    }
}

/// `@scope/name@range` → (`@scope/name`, `range`); a descriptor without a range gives "".
fn split_name(descriptor: &str) -> (&str, &str) {
    let from = usize::from(descriptor.starts_with('@'));
    match descriptor[from..].find('@') {
        Some(i) => (&descriptor[..from + i], &descriptor[from + i + 1..]),
        None => (descriptor, ""),
    }
}

/// npm's tarball layout, `<registry>/<name>/-/<basename>-<version>.tgz`, served over HTTP by
/// the public registry and by private ones (Artifactory, Nexus, Verdaccio, GitLab).
fn registry_tarball(resolved: &str) -> bool {
    (resolved.starts_with("https://") || resolved.starts_with("http://"))
        && resolved.contains("/-/")
}

// ---------------------------------------------------------------------------------------------
// Berry
// ---------------------------------------------------------------------------------------------

/// An entry's `version` repeats what its resolution says; the resolution is what is read.
#[derive(Deserialize)]
struct BerryEntry {
    resolution: Option<String>,
}

fn read_berry(bytes: &[u8], evidence: &Evidence) -> Result<ExtractOutput, String> {
    let lock: BTreeMap<String, Option<BerryEntry>> = yaml::parse(bytes)?;
    let mut out = ExtractOutput::default();
    for (key, entry) in &lock {
        if key == "__metadata" {
            continue;
        }
        let Some(resolution) = entry.as_ref().and_then(|e| e.resolution.as_deref()) else {
            out.warnings
                .push(format!("entry {key:?} has no resolution; not recorded"));
            continue;
        };
        match berry_resolution(resolution, 0) {
            Resolution::Npm(name, version) => {
                if !valid_npm_name(&name) || !looks_like_version(&version) {
                    out.warnings.push(format!(
                        "entry {key:?}: {resolution:?} is not a package name and version; not recorded"
                    ));
                    continue;
                }
                out.components.push(Component::new(
                    PackageRef::new(Ecosystem::Npm, name, Some(version)),
                    Scope::Unknown,
                    evidence.clone(),
                ));
            }
            Resolution::Own => {}
            Resolution::Elsewhere => out.warnings.push(format!(
                "entry {key:?} is installed from {resolution}, not a registry; not recorded"
            )),
        }
    }
    Ok(out)
}

enum Resolution {
    /// A registry package: name and version.
    Npm(String, String),
    /// The project's own folders: workspaces, links, portals.
    Own,
    /// Git, tarball URLs, `file:`, `exec:`, or anything not understood.
    Elsewhere,
}

fn berry_resolution(resolution: &str, depth: usize) -> Resolution {
    let (name, reference) = split_name(resolution);
    let (protocol, rest) = reference.split_once(':').unwrap_or(("", reference));
    match protocol {
        // The resolution names the package npm serves, whatever alias the project uses.
        // A package from another registry may carry its tarball URL after `::`
        // (`foo@npm:1.0.0::__archiveUrl=https%3A%2F%2F...`): still that npm package.
        "npm" => {
            let version = rest.split("::").next().unwrap_or(rest);
            Resolution::Npm(name.to_string(), version.to_string())
        }
        "workspace" | "link" | "portal" => Resolution::Own,
        // `resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1&hash=07638b`:
        // the patched package is still the npm package it patches, as far as advisories go.
        "patch" if depth < 4 => {
            let wrapped = rest.split('#').next().unwrap_or("");
            let decoded = wrapped
                .replace("%3A", ":")
                .replace("%40", "@")
                .replace("%2F", "/");
            berry_resolution(&decoded, depth + 1)
        }
        _ => Resolution::Elsewhere,
    }
}

// ---------------------------------------------------------------------------------------------
// Shared with pnpm
// ---------------------------------------------------------------------------------------------

/// npm package names: `name` or `@scope/name`, no spaces, no URL or path syntax.
pub(super) fn valid_npm_name(name: &str) -> bool {
    let bare = match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, rest)) if !scope.is_empty() => rest,
            _ => return false,
        },
        None => name,
    };
    !bare.is_empty()
        && !bare
            .chars()
            .any(|c| c == '/' || c == ':' || c == '@' || c.is_whitespace())
}

/// The registry only serves semver versions, which begin with a digit; a git ref, a branch or
/// a URL in a version's place is not a registry package.
pub(super) fn looks_like_version(version: &str) -> bool {
    version.starts_with(|c: char| c.is_ascii_digit())
        && !version
            .chars()
            .any(|c| c == '/' || c == ':' || c.is_whitespace())
}

/// Subresource-integrity digests (`sha512-<base64> sha1-<base64>`) as lowercase hex hashes.
pub(super) fn sri_hashes(sri: &str) -> Vec<Hash> {
    sri.split_whitespace()
        .filter_map(|digest| {
            let (algorithm, b64) = digest.split_once('-')?;
            let algorithm = HashAlgorithm::parse(algorithm)?;
            let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
            let value = bytes.iter().map(|b| format!("{b:02x}")).collect();
            Some(Hash { algorithm, value })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_purls};

    fn extract(text: &str) -> ExtractOutput {
        test_support::extract(&YarnLock, "yarn.lock", text).unwrap()
    }

    #[test]
    fn classic_entries_aliases_scopes_and_integrity() {
        let out = extract(
            r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.11"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.11.tgz#f4ad"
  integrity sha512-Zt1yodBx1UcyiePMSkWnU4hPqhwq7hGi2nFL1LeA3EUl+q2LQx16MISgJ0+z7dnmgvP9QtIleuETGOiOH1RcIw==
  dependencies:
    "@babel/highlight" "^7.10.4"

"strip-cjs@npm:strip-ansi@^6.0.1", strip-ansi@^6.0.1:
  version "6.0.1"
  resolved "https://registry.yarnpkg.com/strip-ansi/-/strip-ansi-6.0.1.tgz"
  integrity sha1-dp66rz9KY6rTr56NMEybvnm/sOY=

"is-number@github:jonschlinkert/is-number#master":
  version "2.0.0"
  resolved "https://codeload.github.com/jonschlinkert/is-number/tar.gz/d5ac0584"

minimist@0.0.8, "minimist@ssh://github.com/substack/minimist.git#0.0.8":
  version "0.0.8"
  resolved "ssh://github.com/substack/minimist.git#3754568b"

local@file:../local:
  version "1.0.0"

linked@link:../linked:
  version "0.0.0"
"#,
        );
        assert_eq!(
            sorted_purls(&out),
            [
                "pkg:npm/%40babel/code-frame@7.12.11",
                "pkg:npm/strip-ansi@6.0.1"
            ]
        );
        assert!(out.components.iter().all(|c| c.scope == Scope::Unknown));
        let babel = &out.components[0];
        // `base64 -d | xxd -p` of the integrity above.
        assert_eq!(
            babel.hashes,
            [Hash {
                algorithm: HashAlgorithm::Sha512,
                value: "66dd72a1d071d5473289e3cc4a45a753884faa1c2aee11a2da714bd4b780dc45\
                        25faad8b431d7a3084a0274fb3edd9e682f3fd42d2257ae11318e88e1f545c23"
                    .into()
            }]
        );
        assert_eq!(
            out.components[1].hashes,
            [Hash {
                algorithm: HashAlgorithm::Sha1,
                value: "769ebaaf3f4a63aad3af9e8d304c9bbe79bfb0e6".into()
            }]
        );
        assert_eq!(out.warnings.len(), 3, "{:?}", out.warnings);
        for expected in ["is-number", "minimist", "file:../local"] {
            assert!(
                out.warnings.iter().any(|w| w.contains(expected)),
                "{expected}: {:?}",
                out.warnings
            );
        }
    }

    #[test]
    fn berry_resolutions_patches_and_protocols() {
        let out = extract(
            r#"# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@types/node@npm:^18.0.0":
  version: 18.19.3
  resolution: "@types/node@npm:18.19.3"
  checksum: 10c0/ffffffff
  languageName: node
  linkType: hard

"ansi-cjs@npm:ansi-regex@^5.0.0":
  version: 5.0.1
  resolution: "ansi-regex@npm:5.0.1"

"resolve@patch:resolve@npm%3A^1.22.1#~builtin<compat/resolve>":
  version: 1.22.1
  resolution: "resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1&hash=07638b"

"private@npm:^1.0.0":
  version: 1.0.0
  resolution: "private@npm:1.0.0::__archiveUrl=https%3A%2F%2Fnpm.example.com%2Fprivate%2F-%2Fprivate-1.0.0.tgz"

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."

"tool@link:../tool::locator=app%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "tool@link:../tool::locator=app%40workspace%3A."

"vue@https://github.com/vuejs/vue.git":
  version: 2.5.0
  resolution: "vue@https://github.com/vuejs/vue.git#commit=0948d999f2fddf9f90991956493f976273c5da1f"

"gen@exec:./gen.js":
  version: 1.0.0
  resolution: "gen@exec:./gen.js#./gen.js::hash=1&locator=app%40workspace%3A."
"#,
        );
        assert_eq!(
            sorted_purls(&out),
            [
                "pkg:npm/%40types/node@18.19.3",
                "pkg:npm/ansi-regex@5.0.1",
                "pkg:npm/private@1.0.0",
                "pkg:npm/resolve@1.22.1"
            ]
        );
        assert!(
            out.components.iter().all(|c| c.hashes.is_empty()),
            "berry checksums hash Yarn's cache zip, not the package"
        );
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings.iter().any(|w| w.contains("vue")));
        assert!(out.warnings.iter().any(|w| w.contains("exec:")));
    }

    #[test]
    fn names_and_versions() {
        assert_eq!(split_name("@s/n@^1"), ("@s/n", "^1"));
        assert_eq!(split_name("n@npm:r@1"), ("n", "npm:r@1"));
        assert_eq!(split_name("n"), ("n", ""));
        assert!(valid_npm_name("@s/n") && valid_npm_name("a.b_c-d"));
        assert!(!valid_npm_name("@s") && !valid_npm_name("a/b") && !valid_npm_name("@/b"));
        assert!(looks_like_version("1.0.0-beta.1") && !looks_like_version("master"));
    }

    #[test]
    fn sniffing_and_malformed_files() {
        assert!(YarnLock.sniff(b"# yarn lockfile v1\n\na@1:\n"));
        assert!(YarnLock.sniff(b"# comment\n\n__metadata:\n  version: 6\n"));
        assert!(!YarnLock.sniff(b"lockfileVersion: '9.0'\n"));
        let err =
            test_support::extract_bytes(&YarnLock, "yarn.lock", b"__metadata:\n  version: [\n")
                .unwrap_err();
        assert!(err.contains("not valid YAML"), "{err}");
        let err =
            test_support::extract_bytes(&YarnLock, "yarn.lock", b"  version \"1\"\n").unwrap_err();
        assert!(err.contains("not a yarn.lock"), "{err}");
        let err =
            test_support::extract_bytes(&YarnLock, "yarn.lock", b"hello world\n").unwrap_err();
        assert!(err.contains("not a yarn.lock"), "{err}");
        let err = test_support::extract_bytes(
            &YarnLock,
            "yarn.lock",
            b"# yarn lockfile v1\n\na@^1:\n  version \"\xff\"\n",
        )
        .unwrap_err();
        assert!(err.contains("not UTF-8"), "{err}");
        let err =
            test_support::extract_bytes(&YarnLock, "yarn.lock", b"hello world\n").unwrap_err();
        assert!(err.contains("not a yarn.lock"), "{err}");
        // Truncated mid-entry: what was read is kept, the rest is a warning.
        let out = extract("# yarn lockfile v1\n\na@^1:\n  version \"1.0.0\"\n  resolved \"https://r.example/a/-/a-1.0.0.tgz\"\n\nb@^2:\n  vers");
        assert_eq!(sorted_purls(&out), ["pkg:npm/a@1.0.0"]);
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    }
}
