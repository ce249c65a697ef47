//! NuGet's `packages.lock.json`
//! (https://learn.microsoft.com/en-us/nuget/consume-packages/package-references-in-project-files#locking-dependencies;
//! the format is NuGet.ProjectModel's `PackagesLockFileFormat`: `version`, then
//! `dependencies` keyed by target framework (`net8.0`, `net8.0/linux-x64`), each mapping a
//! package id to `{type, requested, resolved, contentHash, dependencies}`).
//!
//! `type` is `Direct`, `Transitive`, `CentralTransitive` (a transitive package pinned by
//! central package management) or `Project` (another project of the solution: the
//! application's own code, skipped). `contentHash` is the base64 SHA-512 of the `.nupkg`.
//! The same package in several frameworks is one component, direct if any framework has it
//! direct.

use std::{collections::BTreeMap, path::Path};

use serde_json::Value;
use vigil_model::{Component, Ecosystem, Evidence, HashAlgorithm, PackageRef, Scope};

use super::{file_name, pinned_hash, ExtractOutput, Extractor, FileInput};

pub struct NuGetLock;

impl Extractor for NuGetLock {
    fn name(&self) -> &'static str {
        "nuget/packages-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "packages.lock.json"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        let compact: String = head.split_whitespace().collect();
        compact.starts_with("{\"version\":")
            && compact.contains("\"dependencies\":{")
            && !compact.contains("\"lockfileVersion\"")
            && (compact.contains("\"resolved\":") || compact.contains("\"dependencies\":{}"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let lock: Value =
            serde_json::from_slice(input.bytes).map_err(|e| format!("not valid JSON: {e}"))?;
        let frameworks = lock
            .get("dependencies")
            .and_then(Value::as_object)
            .ok_or("not a packages.lock.json: it has no \"dependencies\" object")?;
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        let mut found: BTreeMap<(String, String), Component> = BTreeMap::new();
        for (framework, packages) in frameworks {
            let Some(packages) = packages.as_object() else {
                out.warnings
                    .push(format!("dependencies.{framework:?} is not an object"));
                continue;
            };
            for (id, entry) in packages {
                let scope = match entry.get("type").and_then(Value::as_str) {
                    Some("Project") => continue,
                    Some("Direct") => Scope::Direct,
                    Some("Transitive" | "CentralTransitive") => Scope::Transitive,
                    _ => Scope::Unknown,
                };
                let Some(version) = entry.get("resolved").and_then(Value::as_str) else {
                    out.warnings.push(format!(
                        "{framework}: {id} has no resolved version; not recorded"
                    ));
                    continue;
                };
                let key = (id.to_lowercase(), version.to_string());
                let component = found.entry(key).or_insert_with(|| {
                    Component::new(
                        PackageRef::new(Ecosystem::NuGet, id, Some(version.to_string())),
                        scope,
                        evidence.clone(),
                    )
                });
                component.scope = component.scope.min(scope);
                if let Some(hash) = entry
                    .get("contentHash")
                    .and_then(Value::as_str)
                    .and_then(|h| pinned_hash::base64(HashAlgorithm::Sha512, h))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes_and_hash_counts};

    fn extract(json: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&NuGetLock, "packages.lock.json", json)
    }

    #[test]
    fn frameworks_merge_projects_are_skipped_and_hashes_decode() {
        let hash = format!("{}==", "A".repeat(86));
        let out = extract(&format!(
            r#"{{"version": 2, "dependencies": {{
              "net6.0": {{
                "Newtonsoft.Json": {{"type": "Transitive", "resolved": "13.0.3", "contentHash": "{hash}"}},
                "Serilog": {{"type": "CentralTransitive", "requested": "[3.0.0, )", "resolved": "3.1.1"}},
                "MyLib": {{"type": "Project", "dependencies": {{"Serilog": "[3.0.0, )"}}}},
                "Broken": {{"type": "Direct"}}
              }},
              "net8.0": {{
                "newtonsoft.json": {{"type": "Direct", "requested": "[13.0.3, )", "resolved": "13.0.3", "contentHash": "{hash}"}},
                "Serilog": {{"type": "Direct", "resolved": "3.1.2"}}
              }},
              "net8.0/linux-x64": []
            }}}}"#
        ))
        .unwrap();
        assert_eq!(
            sorted_scopes_and_hash_counts(&out),
            vec![
                ("pkg:nuget/Newtonsoft.Json@13.0.3".to_string(), "direct", 1),
                ("pkg:nuget/Serilog@3.1.1".to_string(), "transitive", 0),
                ("pkg:nuget/Serilog@3.1.2".to_string(), "direct", 0),
            ]
        );
        assert_eq!(out.components[0].hashes[0].algorithm, HashAlgorithm::Sha512);
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("Broken has no resolved version"));
        assert!(out.warnings[1].contains("linux-x64"));
    }

    #[test]
    fn malformed_files_are_errors() {
        assert!(extract("{").unwrap_err().contains("JSON"));
        assert!(extract("{\"version\": 1}")
            .unwrap_err()
            .contains("no \"dependencies\""));
        assert!(extract("{\"version\": 0, \"dependencies\": {}}")
            .unwrap()
            .components
            .is_empty());
    }

    #[test]
    fn sniffs_nuget_locks_only() {
        assert!(NuGetLock.sniff(b"{\n  \"version\": 1,\n  \"dependencies\": {\n    \"net6.0\": {\n      \"A\": {\n        \"type\": \"Direct\",\n        \"requested\": \"[1, )\",\n        \"resolved\": \"1.0.0\""));
        assert!(NuGetLock.sniff(b"{\n  \"version\": 0,\n  \"dependencies\": {}\n}"));
        assert!(!NuGetLock.sniff(b"{\"name\": \"x\", \"version\": \"1.0.0\", \"lockfileVersion\": 1, \"dependencies\": {\"a\": {\"resolved\": \"x\"}}}"));
    }
}
