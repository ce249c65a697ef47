//! uv's `uv.lock` (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile; the
//! format is uv's `uv-resolver` `lock` module: `[[package]]` tables with `name`, `version`,
//! `source`, `dependencies`, `[package.optional-dependencies]`,
//! `[package.dev-dependencies]`, `sdist` and `wheels`).
//!
//! `source` says where a package comes from. `{ registry = "…" }` is a package index: a PyPI
//! component. `{ virtual = "…" }` and `{ editable = "…" }` are the project and its workspace
//! members: the project's own code, skipped silently. `{ git = … }`, `{ path = … }`,
//! `{ directory = … }` and `{ url = … }` are code from elsewhere that no index version names:
//! warnings, never components.
//!
//! Scope: the project's packages (virtual and editable) are the roots. What they depend on,
//! extras included, is direct; what that needs in turn is transitive; what only their
//! development groups (`dev-dependencies`) reach is dev. A lock with no root (or a package no
//! root reaches) says nothing: unknown.

use std::{
    collections::{BTreeMap, BTreeSet, VecDeque},
    path::Path,
};

use toml::{Table, Value};
use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, pinned_hash, toml_lock, ExtractOutput, Extractor, FileInput};

pub struct UvLock;

impl Extractor for UvLock {
    fn name(&self) -> &'static str {
        "pypi/uv-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "uv.lock"
    }

    /// uv writes `version` and `requires-python` first, and sources as inline tables.
    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.contains("[[package]]")
            && (head.contains("\nsource = { ") || head.starts_with("version = 1\nrequires-python"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let lock = toml_lock::parse(input.bytes)?;
        let packages: Vec<&Table> = toml_lock::packages(&lock, "uv.lock", &["version"])?
            .iter()
            .filter_map(Value::as_table)
            .collect();
        let scopes = Scopes::of(&packages);
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        for (index, package) in packages.iter().enumerate() {
            let field = |key: &str| package.get(key).and_then(Value::as_str);
            let Some(name) = field("name") else {
                out.warnings
                    .push(format!("[[package]] #{} has no name", index + 1));
                continue;
            };
            let Some((kind, location)) = source(package) else {
                out.warnings
                    .push(format!("{name} has no source; not recorded"));
                continue;
            };
            match kind {
                "registry" => {}
                "virtual" | "editable" => continue, // The project's own code.
                other => {
                    out.warnings.push(format!(
                        "{name} comes from a {other} source ({location}), not a package index; not recorded"
                    ));
                    continue;
                }
            }
            let Some(version) = field("version") else {
                out.warnings
                    .push(format!("{name} has no version; not recorded"));
                continue;
            };
            let mut component = Component::new(
                PackageRef::new(Ecosystem::PyPI, name, Some(version.to_string())),
                scopes.of_name(name),
                evidence.clone(),
            );
            let sdist = package.get("sdist").into_iter();
            let wheels = package
                .get("wheels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            for hash in sdist
                .chain(wheels)
                .filter_map(|file| file.get("hash").and_then(Value::as_str))
                .filter_map(pinned_hash::prefixed_hex)
            {
                if !component.hashes.contains(&hash) {
                    component.hashes.push(hash);
                }
            }
            out.components.push(component);
        }
        Ok(out)
    }
}

/// The kind of source and where: `{ registry = "https://…" }`, or the `registry+https://…`
/// strings of uv's early lockfiles.
fn source(package: &Table) -> Option<(&str, &str)> {
    match package.get("source")? {
        Value::Table(source) => {
            let (kind, location) = source.iter().next()?;
            Some((kind.as_str(), location.as_str().unwrap_or("?")))
        }
        Value::String(source) => source.split_once('+'),
        Value::Integer(_)
        | Value::Float(_)
        | Value::Boolean(_)
        | Value::Datetime(_)
        | Value::Array(_) => None,
    }
}

/// What the project's own packages reach, by normalised name.
struct Scopes {
    has_roots: bool,
    direct: BTreeSet<String>,
    runtime: BTreeSet<String>,
    dev: BTreeSet<String>,
}

impl Scopes {
    fn of(packages: &[&Table]) -> Scopes {
        let key = |name: &str| Ecosystem::PyPI.normalize_name(name);
        let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut direct = Vec::new();
        let mut dev_direct = Vec::new();
        let mut has_roots = false;
        for package in packages {
            let Some(name) = package.get("name").and_then(Value::as_str) else {
                continue;
            };
            let runtime = dependency_names(package.get("dependencies"))
                .chain(grouped_names(package.get("optional-dependencies")));
            let is_root = matches!(source(package), Some(("virtual" | "editable", _)));
            if is_root {
                has_roots = true;
                direct.extend(runtime.map(key));
                dev_direct.extend(grouped_names(package.get("dev-dependencies")).map(key));
            } else {
                edges.entry(key(name)).or_default().extend(runtime.map(key));
            }
        }
        let runtime = reach(&edges, &direct);
        let dev = reach(&edges, &dev_direct);
        Scopes {
            has_roots,
            direct: direct.into_iter().collect(),
            runtime,
            dev,
        }
    }

    fn of_name(&self, name: &str) -> Scope {
        let name = Ecosystem::PyPI.normalize_name(name);
        if !self.has_roots {
            Scope::Unknown
        } else if self.direct.contains(&name) {
            Scope::Direct
        } else if self.runtime.contains(&name) {
            Scope::Transitive
        } else if self.dev.contains(&name) {
            Scope::Dev
        } else {
            Scope::Unknown
        }
    }
}

/// `[{ name = "x", … }, …]`.
fn dependency_names(list: Option<&Value>) -> impl Iterator<Item = &str> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("name").and_then(Value::as_str))
}

/// `{ group = [{ name = "x" }, …], … }`.
fn grouped_names(groups: Option<&Value>) -> impl Iterator<Item = &str> {
    groups
        .and_then(Value::as_table)
        .into_iter()
        .flat_map(|groups| groups.values())
        .flat_map(|list| dependency_names(Some(list)))
}

fn reach(edges: &BTreeMap<String, Vec<String>>, start: &[String]) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<&str> = start.iter().map(String::as_str).collect();
    while let Some(name) = queue.pop_front() {
        if seen.insert(name.to_string()) {
            queue.extend(edges.get(name).into_iter().flatten().map(String::as_str));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes_and_hash_counts};

    fn extract(text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&UvLock, "uv.lock", text)
    }

    #[test]
    fn registry_packages_with_scopes_from_the_project_and_other_sources_as_warnings() {
        let a = "a0".repeat(32);
        let b = "b0".repeat(32);
        let out = extract(&format!(
            r#"version = 1
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = {{ editable = "." }}
dependencies = [{{ name = "requests" }}, {{ name = "ruff" }}]

[package.optional-dependencies]
cli = [{{ name = "Click" }}]

[package.dev-dependencies]
dev = [{{ name = "pytest" }}, {{ name = "requests" }}]

[[package]]
name = "requests"
version = "2.31.0"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{{ name = "urllib3" }}]
sdist = {{ url = "https://x/requests.tar.gz", hash = "sha256:{a}", size = 1 }}
wheels = [{{ url = "https://x/requests.whl", hash = "sha256:{b}", size = 1 }}]

[[package]]
name = "urllib3"
version = "2.0.0"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "click"
version = "8.1.7"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "pytest"
version = "8.0.0"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{{ name = "pluggy" }}]

[[package]]
name = "pluggy"
version = "1.5.0"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "orphan"
version = "1.0"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "ruff"
version = "0.8.1"
source = {{ git = "https://github.com/astral-sh/ruff#84748be" }}

[[package]]
name = "wheelfile"
version = "1.0"
source = {{ path = "dist/wheelfile-1.0-py3-none-any.whl" }}

[[package]]
name = "nosource"
version = "1.0"
"#
        ))
        .unwrap();
        assert_eq!(
            sorted_scopes_and_hash_counts(&out),
            vec![
                ("pkg:pypi/click@8.1.7".to_string(), "direct", 0),
                ("pkg:pypi/orphan@1.0".to_string(), "unknown", 0),
                ("pkg:pypi/pluggy@1.5.0".to_string(), "dev", 0),
                ("pkg:pypi/pytest@8.0.0".to_string(), "dev", 0),
                ("pkg:pypi/requests@2.31.0".to_string(), "direct", 2),
                ("pkg:pypi/urllib3@2.0.0".to_string(), "transitive", 0),
            ]
        );
        assert_eq!(out.warnings.len(), 3, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("ruff comes from a git source"));
        assert!(out.warnings[1].contains("wheelfile comes from a path source"));
        assert!(out.warnings[2].contains("nosource has no source"));
    }

    #[test]
    fn malformed_files_are_errors_or_warnings() {
        assert!(extract("[[package]\n").unwrap_err().contains("TOML"));
        assert!(extract("[tool]\n").unwrap_err().contains("no [[package]]"));
        assert!(extract("version = 1\n").unwrap().components.is_empty());
        let out = extract("version = 1\n[[package]]\nversion = \"1\"\n").unwrap();
        assert_eq!(out.warnings.len(), 1);
    }

    #[test]
    fn sniffs_uv_locks_only() {
        assert!(UvLock.sniff(b"version = 1\nrequires-python = \">=3.10\"\n\n[[package]]\nname = \"emoji\"\nversion = \"2.14.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n"));
        assert!(!UvLock.sniff(b"[[package]]\nname = \"x\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"));
    }
}
