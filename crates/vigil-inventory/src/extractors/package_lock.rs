//! npm's `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1, 2 and 3
//! (https://docs.npmjs.com/cli/configuring-npm/package-lock-json).
//!
//! v2 and v3 list every installed package under `packages`, keyed by its folder
//! (`node_modules/a/node_modules/b`); v1 nests `dependencies`. Workspace folders and `link`
//! entries are the project's own code, not packages from a registry, and are skipped.

use std::{collections::BTreeSet, path::Path};

use serde_json::{Map, Value};
use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct PackageLock;

/// v1 trees are recursive; real ones are a few levels deep.
const MAX_V1_DEPTH: usize = 64;

impl Extractor for PackageLock {
    fn name(&self) -> &'static str {
        "npm/package-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(file_name(path), "package-lock.json" | "npm-shrinkwrap.json")
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(&head[..head.len().min(4096)]);
        head.trim_start().starts_with('{') && head.contains("\"lockfileVersion\"")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let lock: Value =
            serde_json::from_slice(input.bytes).map_err(|e| format!("not valid JSON: {e}"))?;
        let lock = lock
            .as_object()
            .ok_or("not a package-lock: the top level is not an object")?;
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        match (lock.get("packages"), lock.get("dependencies")) {
            (Some(Value::Object(packages)), _) => read_packages(packages, &evidence, &mut out),
            (_, Some(Value::Object(dependencies))) => {
                let direct: BTreeSet<&str> = dependencies.keys().map(String::as_str).collect();
                read_v1(dependencies, &direct, 0, &evidence, &mut out)
            }
            _ => {
                return Err(
                    "not a package-lock: it has neither \"packages\" nor \"dependencies\"".into(),
                )
            }
        }
        Ok(out)
    }
}

fn read_packages(packages: &Map<String, Value>, evidence: &Evidence, out: &mut ExtractOutput) {
    let root = packages.get("").and_then(Value::as_object);
    let direct: BTreeSet<&str> = [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ]
    .iter()
    .filter_map(|field| root.and_then(|r| r.get(*field)).and_then(Value::as_object))
    .flat_map(|deps| deps.keys().map(String::as_str))
    .collect();
    for (key, entry) in packages {
        let Some(folder_name) = key.rsplit_once("node_modules/").map(|(_, name)| name) else {
            continue; // "" (the root) and workspace folders such as "packages/ui".
        };
        let Some(entry) = entry.as_object() else {
            out.warnings
                .push(format!("packages[{key:?}] is not an object"));
            continue;
        };
        if entry.get("link").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        // An aliased install (`"foo": "npm:bar@1"`) lives in `node_modules/foo` but is `bar`.
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(folder_name);
        let Some(version) = entry.get("version").and_then(Value::as_str) else {
            out.warnings
                .push(format!("packages[{key:?}] has no version"));
            continue;
        };
        // A git or local install is not the registry package its folder is named after
        // (`node_modules/is-number-1` may hold a fork of is-number): naming it
        // `pkg:npm/is-number-1@3.0.0` would invent a component.
        if let Some(resolved) = entry
            .get("resolved")
            .and_then(Value::as_str)
            .filter(|r| !from_registry(r))
        {
            out.warnings.push(format!(
                "packages[{key:?}] is installed from {resolved}, not a registry; not recorded"
            ));
            continue;
        }
        let top_level =
            key.matches("node_modules/").count() == 1 && key.starts_with("node_modules/");
        let scope = if entry.get("dev").and_then(Value::as_bool) == Some(true) {
            Scope::Dev
        } else if top_level && direct.contains(folder_name) {
            Scope::Direct
        } else {
            Scope::Transitive
        };
        out.components
            .push(component(name, version, scope, evidence));
    }
}

fn read_v1(
    dependencies: &Map<String, Value>,
    direct: &BTreeSet<&str>,
    depth: usize,
    evidence: &Evidence,
    out: &mut ExtractOutput,
) {
    if depth > MAX_V1_DEPTH {
        out.warnings.push(format!(
            "dependencies nested deeper than {MAX_V1_DEPTH} levels were not read"
        ));
        return;
    }
    for (name, entry) in dependencies {
        let Some(entry) = entry.as_object() else {
            continue;
        };
        match entry.get("version").and_then(Value::as_str) {
            Some(version) => match registry_version(name, version) {
                Some((real_name, version)) => {
                    let scope = if entry.get("dev").and_then(Value::as_bool) == Some(true) {
                        Scope::Dev
                    } else if depth == 0 && direct.contains(name.as_str()) {
                        Scope::Direct
                    } else {
                        Scope::Transitive
                    };
                    out.components
                        .push(component(real_name, version, scope, evidence));
                }
                None => out.warnings.push(format!(
                    "{name}@{version} is not from a registry; not recorded"
                )),
            },
            None => out
                .warnings
                .push(format!("dependency {name:?} has no version")),
        }
        if let Some(Value::Object(nested)) = entry.get("dependencies") {
            read_v1(nested, direct, depth + 1, evidence, out);
        }
    }
}

fn from_registry(resolved: &str) -> bool {
    ![
        "git+",
        "git:",
        "github:",
        "gitlab:",
        "bitbucket:",
        "file:",
        "link:",
    ]
    .iter()
    .any(|p| resolved.starts_with(p))
}

/// v1 spells an alias as `npm:real-name@1.2.3` and local or git installs as URLs.
fn registry_version<'a>(name: &'a str, version: &'a str) -> Option<(&'a str, &'a str)> {
    if let Some(alias) = version.strip_prefix("npm:") {
        let at = alias[1..].find('@')? + 1;
        return Some((&alias[..at], &alias[at + 1..]));
    }
    let local_or_remote = ["file:", "link:", "git", "github:", "http:", "https:"];
    if local_or_remote
        .iter()
        .any(|prefix| version.starts_with(prefix))
    {
        return None;
    }
    Some((name, version))
}

fn component(name: &str, version: &str, scope: Scope, evidence: &Evidence) -> Component {
    Component::new(
        PackageRef::new(Ecosystem::Npm, name, Some(version.to_string())),
        scope,
        evidence.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes};

    fn extract(json: &str) -> ExtractOutput {
        test_support::extract(&PackageLock, "package-lock.json", json).unwrap()
    }

    #[test]
    fn v3_packages_with_aliases_scopes_links_and_workspaces() {
        let out = extract(
            r#"{"lockfileVersion":3,"packages":{
              "":{"dependencies":{"a":"^1","alias":"npm:@s/real@^2"},"devDependencies":{"d":"1"}},
              "node_modules/a":{"version":"1.0.0"},
              "node_modules/a/node_modules/b":{"version":"2.0.0"},
              "node_modules/alias":{"name":"@s/real","version":"2.1.0"},
              "node_modules/d":{"version":"3.0.0","dev":true},
              "node_modules/ws":{"resolved":"packages/ws","link":true},
              "node_modules/fork":{"version":"3.0.0","resolved":"git+ssh://git@github.com/x/fork.git#abc"},
              "packages/ws":{"name":"ws","version":"0.0.1"}
            }}"#,
        );
        assert_eq!(
            sorted_scopes(&out),
            vec![
                ("pkg:npm/%40s/real@2.1.0".to_string(), "direct"),
                ("pkg:npm/a@1.0.0".to_string(), "direct"),
                ("pkg:npm/b@2.0.0".to_string(), "transitive"),
                ("pkg:npm/d@3.0.0".to_string(), "dev"),
            ]
        );
        assert_eq!(
            out.warnings.len(),
            1,
            "the git install is reported, not invented: {:?}",
            out.warnings
        );
    }

    #[test]
    fn v1_nested_dependencies_and_aliases() {
        let out = extract(
            r#"{"lockfileVersion":1,"dependencies":{
              "a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0"}}},
              "x":{"version":"npm:@s/y@1.2.3"},
              "local":{"version":"file:../local"}
            }}"#,
        );
        assert_eq!(
            sorted_scopes(&out),
            vec![
                ("pkg:npm/%40s/y@1.2.3".to_string(), "direct"),
                ("pkg:npm/a@1.0.0".to_string(), "direct"),
                ("pkg:npm/b@2.0.0".to_string(), "transitive"),
            ]
        );
        assert_eq!(
            out.warnings.len(),
            1,
            "the file: install is reported, not invented"
        );
    }

    #[test]
    fn malformed_files_are_errors_that_say_why() {
        let err = test_support::extract_bytes(&PackageLock, "x", b"[1,2").unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
        let err = test_support::extract_bytes(&PackageLock, "x", b"{\"name\":1}").unwrap_err();
        assert!(err.contains("neither"), "{err}");
    }
}
