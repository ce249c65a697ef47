//! Pipenv's `Pipfile.lock` (https://pipenv.pypa.io/en/latest/pipfile.html; the format is
//! pypa/pipfile's: a JSON object with `_meta`, and `default` and `develop`, each mapping a
//! package name to `{version: "==1.2.3", hashes: ["sha256:…"], markers, index}`).
//!
//! `default` is the whole resolved set for running the project, direct and transitive alike,
//! so its packages have scope unknown; `develop` adds the development set: dev, unless the same
//! version is also in `default`. An entry without `version` is installed from git, a path or a
//! URL (`editable`, `git`, `path`, `file`): a warning, never a component.

use std::{collections::BTreeMap, path::Path};

use serde_json::{Map, Value};
use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, pinned_hash, ExtractOutput, Extractor, FileInput};

pub struct PipfileLock;

impl Extractor for PipfileLock {
    fn name(&self) -> &'static str {
        "pypi/pipfile-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "Pipfile.lock"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.trim_start().starts_with('{')
            && head.contains("\"_meta\"")
            && head.contains("\"pipfile-spec\"")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let lock: Value =
            serde_json::from_slice(input.bytes).map_err(|e| format!("not valid JSON: {e}"))?;
        let lock = lock
            .as_object()
            .ok_or("not a Pipfile.lock: the top level is not an object")?;
        if !["_meta", "default", "develop"]
            .iter()
            .any(|k| lock.contains_key(*k))
        {
            return Err(
                "not a Pipfile.lock: it has no \"_meta\", \"default\" or \"develop\"".into(),
            );
        }
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        // One component per name and version; `default` read first so it decides the scope.
        let mut found: BTreeMap<(String, String), Component> = BTreeMap::new();
        for (section, scope) in [("default", Scope::Unknown), ("develop", Scope::Dev)] {
            let packages = match lock.get(section) {
                None | Some(Value::Null) => continue,
                Some(Value::Object(packages)) => packages,
                Some(_) => {
                    out.warnings
                        .push(format!("\"{section}\" is not an object; not read"));
                    continue;
                }
            };
            for (name, entry) in packages {
                let Some(entry) = entry.as_object() else {
                    out.warnings
                        .push(format!("{section}.{name} is not an object"));
                    continue;
                };
                let Some(version) = pinned_version(entry) else {
                    out.warnings.push(format!(
                        "{section}.{name} pins no version ({}); not recorded",
                        describe(entry)
                    ));
                    continue;
                };
                let key = (name.to_string(), version.to_string());
                let component = found.entry(key).or_insert_with(|| {
                    Component::new(
                        PackageRef::new(Ecosystem::PyPI, name, Some(version.to_string())),
                        scope,
                        evidence.clone(),
                    )
                });
                for hash in entry
                    .get("hashes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter_map(pinned_hash::prefixed_hex)
                {
                    if !component.hashes.contains(&hash) {
                        component.hashes.push(hash);
                    }
                }
            }
        }
        out.components = found.into_values().collect();
        Ok(out)
    }
}

/// `==1.2.3` or `===1.2.3`.
fn pinned_version(entry: &Map<String, Value>) -> Option<&str> {
    let version = entry.get("version")?.as_str()?.trim();
    let version = version
        .strip_prefix("===")
        .or_else(|| version.strip_prefix("=="))?
        .trim();
    (!version.is_empty()).then_some(version)
}

fn describe(entry: &Map<String, Value>) -> String {
    for key in ["git", "path", "file", "version"] {
        if let Some(value) = entry.get(key).and_then(Value::as_str) {
            return format!("{key} {value}");
        }
    }
    if entry.contains_key("editable") {
        return "editable".into();
    }
    "no \"version\"".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes_and_hash_counts};

    fn extract(json: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&PipfileLock, "Pipfile.lock", json)
    }

    #[test]
    fn default_is_unknown_develop_is_dev_and_unpinned_entries_are_warnings() {
        let a = "a1".repeat(32);
        let b = "b2".repeat(32);
        let out = extract(&format!(
            r#"{{"_meta": {{"pipfile-spec": 6}},
            "default": {{
                "Requests": {{"version": "==2.31.0", "hashes": ["sha256:{a}", "sha256:{b}", "md5:bad"]}},
                "shared": {{"version": "==1.0"}},
                "fork": {{"git": "https://github.com/x/fork", "ref": "abc", "editable": true}},
                "ranged": {{"version": ">=1.0"}}
            }},
            "develop": {{
                "shared": {{"version": "==1.0", "hashes": ["sha256:{a}"]}},
                "pytest": {{"version": "==8.0.0"}},
                "local": {{"path": "./local"}}
            }}}}"#
        ))
        .unwrap();
        assert_eq!(
            sorted_scopes_and_hash_counts(&out),
            vec![
                ("pkg:pypi/pytest@8.0.0".to_string(), "dev", 0),
                ("pkg:pypi/requests@2.31.0".to_string(), "unknown", 2),
                ("pkg:pypi/shared@1.0".to_string(), "unknown", 1),
            ]
        );
        assert_eq!(out.warnings.len(), 3, "{:?}", out.warnings);
        assert!(out.warnings[0]
            .contains("default.fork pins no version (git https://github.com/x/fork)"));
        assert!(out.warnings[1].contains("default.ranged pins no version (version >=1.0)"));
        assert!(out.warnings[2].contains("develop.local pins no version (path ./local)"));
    }

    #[test]
    fn malformed_files_are_errors_or_warnings() {
        assert!(extract("{").unwrap_err().contains("JSON"));
        assert!(extract("[]").unwrap_err().contains("not an object"));
        assert!(extract("{\"name\": 1}")
            .unwrap_err()
            .contains("no \"_meta\""));
        let out = extract("{\"default\": [], \"develop\": {\"x\": 1}}").unwrap();
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(extract(&deep).unwrap_err().contains("JSON"));
    }

    #[test]
    fn sniffs_pipfile_locks_only() {
        assert!(PipfileLock.sniff(b"{\n  \"_meta\": {\n \"hash\": {}, \"pipfile-spec\": 6"));
        assert!(!PipfileLock.sniff(b"{\"lockfileVersion\": 3}"));
    }
}
