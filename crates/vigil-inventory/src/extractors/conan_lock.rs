//! Conan's `conan.lock`, Conan 1's graph lock and Conan 2's lockfile
//! (https://docs.conan.io/2/tutorial/versioning/lockfiles.html,
//! https://docs.conan.io/1/versioning/lockfiles.html; the formats are
//! `conan/internal/model/lockfile.py` and Conan 1's `conans/model/graph_lock.py`).
//!
//! - Conan 2 (lock `version` "0.5"): `requires`, `build_requires` and `python_requires` list
//!   references `name/version[@user/channel]#revision%timestamp` (or `[reference, package ids]`);
//!   `config_requires` are configuration bundles, not code, and are not read.
//! - Conan 1 (lock `version` "0.0" to "0.4"): `graph_lock.nodes` keyed by id, each with `ref`
//!   (or `pref`, `reference:package_id#revision`, before 0.4), `requires` and `build_requires`
//!   (a list of node ids, or before 0.3 an object from reference to node id), `python_requires`
//!   (references) and `context`. Node `0`, a node with a `path`, or one without a reference is
//!   the consumer: the project itself, skipped.
//!
//! A user and channel (`zlib/1.2.11@bincrafters/stable`) say who packaged the recipe, not what
//! it builds: Conan recipes package upstream libraries under their own names and versions, and
//! ConanCenter's advisories are about those libraries, so the component is `zlib` 1.2.11 either
//! way, as osv-scalibr records it. (ConanCenter itself used `@conan/stable` until 2020.)
//!
//! Scope: Conan 2 locks say only which requirements are for building: build and Python
//! requirements are dev (tools and recipe code, not linked into the application), the rest
//! unknown. Conan 1 locks have the graph: what the consumer requires is direct, what only a
//! build requirement (or the build context) brings is dev, the rest transitive.

use std::{collections::BTreeMap, path::Path};

use serde_json::{Map, Value};
use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct ConanLock;

impl Extractor for ConanLock {
    fn name(&self) -> &'static str {
        "conan/conan-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "conan.lock"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        let compact: String = head.split_whitespace().collect();
        compact.starts_with('{')
            && (compact.contains("\"graph_lock\":{")
                || (compact.contains("\"version\":\"0.5\"")
                    && [
                        "\"requires\":[",
                        "\"build_requires\":[",
                        "\"python_requires\":[",
                    ]
                    .iter()
                    .any(|k| compact.contains(k))))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let lock: Value =
            serde_json::from_slice(input.bytes).map_err(|e| format!("not valid JSON: {e}"))?;
        let lock = lock
            .as_object()
            .ok_or("not a conan.lock: the top level is not an object")?;
        let mut found = Found::default();
        if let Some(graph) = lock.get("graph_lock") {
            let nodes = graph
                .get("nodes")
                .and_then(Value::as_object)
                .ok_or("graph_lock has no \"nodes\" object")?;
            read_v1(nodes, &mut found);
        } else if ["requires", "build_requires", "python_requires"]
            .iter()
            .any(|k| lock.contains_key(*k))
        {
            for (key, scope) in [
                ("requires", Scope::Unknown),
                ("build_requires", Scope::Dev),
                ("python_requires", Scope::Dev),
            ] {
                match lock.get(key) {
                    None => {}
                    Some(Value::Array(refs)) => {
                        for (index, entry) in refs.iter().enumerate() {
                            // A string, or [reference, {package ids}].
                            let reference = entry
                                .as_str()
                                .or_else(|| entry.get(0).and_then(Value::as_str));
                            match reference {
                                Some(reference) => found.add(reference, scope, key),
                                None => found
                                    .warnings
                                    .push(format!("{key}[{index}] is not a reference")),
                            }
                        }
                    }
                    Some(_) => found
                        .warnings
                        .push(format!("\"{key}\" is not a list; not read")),
                }
            }
        } else if lock.get("version").is_some() {
            // `conan lock create` of a project without dependencies writes only the version.
        } else {
            return Err("not a conan.lock: it has neither \"graph_lock\" nor \"requires\"".into());
        }
        let evidence = Evidence(input.path.display().to_string());
        Ok(ExtractOutput {
            components: found
                .components
                .into_iter()
                .map(|((name, version), scope)| {
                    Component::new(
                        PackageRef::new(Ecosystem::ConanCenter, name, Some(version)),
                        scope,
                        evidence.clone(),
                    )
                })
                .collect(),
            unidentified: Vec::new(),
            warnings: found.warnings,
        })
    }
}

/// Components by (name, version), the most specific scope kept.
#[derive(Default)]
struct Found {
    components: BTreeMap<(String, String), Scope>,
    warnings: Vec<String>,
}

impl Found {
    fn add(&mut self, reference: &str, scope: Scope, context: &str) {
        match parse_reference(reference) {
            Ok((name, version)) => {
                let entry = self
                    .components
                    .entry((name.to_string(), version.to_string()))
                    .or_insert(scope);
                *entry = (*entry).min(scope);
            }
            Err(reason) => self
                .warnings
                .push(format!("{context}: {reference:?} {reason}; not recorded")),
        }
    }
}

/// `name/version[@user/channel][#revision[%timestamp]][:package_id[#revision]]` → name and
/// version.
fn parse_reference(reference: &str) -> Result<(&str, &str), &'static str> {
    let recipe = reference
        .split([':', '#', '%'])
        .next()
        .unwrap_or(reference)
        .trim();
    let name_version = recipe.split('@').next().unwrap_or(recipe);
    name_version
        .split_once('/')
        .filter(|(n, v)| !n.is_empty() && !v.is_empty() && !v.contains('/'))
        .ok_or("is not name/version")
}

fn read_v1(nodes: &Map<String, Value>, found: &mut Found) {
    // `["1", "2"]`, or before lock 0.3 `{"zlib/1.2.11#rev": "1"}`.
    let node_ids = |node: &Value, key: &str| -> Vec<String> {
        let ids: Vec<&Value> = match node.get(key) {
            Some(Value::Array(ids)) => ids.iter().collect(),
            Some(Value::Object(ids)) => ids.values().collect(),
            _ => Vec::new(),
        };
        ids.into_iter()
            .filter_map(|id| match id {
                Value::String(id) => Some(id.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
            })
            .collect()
    };
    let reference = |node: &Value| {
        node.get("ref")
            .and_then(Value::as_str)
            .or_else(|| node.get("pref").and_then(Value::as_str))
            .map(str::to_string)
    };
    let is_consumer = |id: &str, node: &Value| {
        id == "0" || node.get("path").is_some() || reference(node).is_none()
    };
    let mut direct = Vec::new();
    let mut build = Vec::new();
    for (id, node) in nodes {
        if is_consumer(id, node) {
            direct.extend(node_ids(node, "requires"));
        }
        build.extend(node_ids(node, "build_requires"));
    }
    for (id, node) in nodes {
        for python in node
            .get("python_requires")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            found.add(
                python,
                Scope::Dev,
                &format!("nodes[{id:?}].python_requires"),
            );
        }
        if is_consumer(id, node) {
            continue;
        }
        let Some(reference) = reference(node) else {
            continue;
        };
        let scope = if direct.contains(id) {
            Scope::Direct
        } else if build.contains(id) || node.get("context").and_then(Value::as_str) == Some("build")
        {
            Scope::Dev
        } else {
            Scope::Transitive
        };
        found.add(&reference, scope, &format!("nodes[{id:?}]"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes};

    fn extract(json: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&ConanLock, "conan.lock", json)
    }

    /// What `conan lock create .` (Conan 2.x) writes.
    const V2: &str = r#"{
    "version": "0.5",
    "requires": [
        "zlib/1.2.13#97d5730b529b4224045fe7090592d4c1%1692672717.68",
        "openssl/3.1.2#8879e931d726a8aad7f372e28470faa1%1691051151.327",
        ["fmt/10.1.1#8d0d6a2b6f6ba5a1e3f1b5c8a2f6b0d1%1694432391.218", {"abc": null}],
        "mylib/1.0@mycompany/stable#aa11%1",
        "noversion#aa11",
        42
    ],
    "build_requires": [
        "cmake/3.27.4#e7a2b1e8d1c2d3f4a5b6c7d8e9f0a1b2%1693310426.372",
        "zlib/1.2.13#97d5730b529b4224045fe7090592d4c1%1692672717.68"
    ],
    "python_requires": [
        "pyreq/1.0#abcdef%1"
    ],
    "config_requires": []
}"#;

    #[test]
    fn conan_2_lock() {
        let out = extract(V2).unwrap();
        assert_eq!(
            sorted_scopes(&out),
            vec![
                ("pkg:conan/cmake@3.27.4".to_string(), "dev"),
                ("pkg:conan/fmt@10.1.1".to_string(), "unknown"),
                ("pkg:conan/mylib@1.0".to_string(), "unknown"),
                ("pkg:conan/openssl@3.1.2".to_string(), "unknown"),
                ("pkg:conan/pyreq@1.0".to_string(), "dev"),
                ("pkg:conan/zlib@1.2.13".to_string(), "dev"),
            ]
        );
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("\"noversion#aa11\" is not name/version"));
        assert!(out.warnings[1].contains("requires[5] is not a reference"));
        assert!(ConanLock.sniff(V2.as_bytes()));
    }

    /// What `conan lock create conanfile.txt` (Conan 1.x, lock version 0.4) writes.
    const V1: &str = r#"{
 "graph_lock": {
  "nodes": {
   "0": {
    "options": "zlib:shared=False",
    "requires": ["1", "2"],
    "build_requires": ["4"],
    "path": "conanfile.txt",
    "context": "host"
   },
   "1": {
    "ref": "zlib/1.2.11#3d2f4b5e6a7c8d9e0f1a2b3c4d5e6f70",
    "options": "shared=False",
    "package_id": "6af9cc7cb931c5ad942174fd7838eb655717c709",
    "prev": "0",
    "context": "host"
   },
   "2": {
    "ref": "openssl/1.1.1k",
    "requires": ["3"],
    "python_requires": ["pyreq/0.1#123"],
    "context": "host"
   },
   "3": {
    "pref": "bzip2/1.0.8@_/_#rev:pkgid#prev",
    "context": "host"
   },
   "4": {
    "ref": "cmake/3.20.0",
    "requires": ["5"],
    "context": "build"
   },
   "5": {
    "ref": "ninja/1.10.2",
    "context": "build"
   },
   "6": {
    "ref": "internal/2.0@corp/testing"
   },
   "7": {"options": ""}
  },
  "revisions_enabled": true
 },
 "version": "0.4",
 "profile_host": "[settings]\nos=Linux\n"
}"#;

    #[test]
    fn conan_1_graph_lock() {
        let out = extract(V1).unwrap();
        assert_eq!(
            sorted_scopes(&out),
            vec![
                ("pkg:conan/bzip2@1.0.8".to_string(), "transitive"),
                ("pkg:conan/cmake@3.20.0".to_string(), "dev"),
                ("pkg:conan/internal@2.0".to_string(), "transitive"),
                ("pkg:conan/ninja@1.10.2".to_string(), "dev"),
                ("pkg:conan/openssl@1.1.1k".to_string(), "direct"),
                ("pkg:conan/pyreq@0.1".to_string(), "dev"),
                ("pkg:conan/zlib@1.2.11".to_string(), "direct"),
            ]
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        assert!(ConanLock.sniff(V1.as_bytes()));
    }

    /// Conan before 1.28 (locks 0.0 to 0.2): `pref`, `requires` as an object from reference to
    /// node id, a root keyed by a UUID whose `pref` is null, user/channel references.
    #[test]
    fn old_conan_1_graph_locks() {
        let out = extract(
            r#"{
  "profile": "[settings]\nos=Linux\n",
  "graph_lock": {
    "nodes": {
      "7d8c1a2e-0000-11ed-8a66-b537134a228d": {
        "pref": null,
        "requires": {"openssl/1.1.1g@conan/stable#rev1": "7d8c1a2f-0000-11ed-8a66-b537134a228d"}
      },
      "7d8c1a2f-0000-11ed-8a66-b537134a228d": {
        "pref": "openssl/1.1.1g@conan/stable#rev1:pkgid1#prev1",
        "requires": {"zlib/1.2.11@bincrafters/testing#rev2": "7d8c1a30-0000-11ed-8a66-b537134a228d"}
      },
      "7d8c1a30-0000-11ed-8a66-b537134a228d": {
        "pref": "zlib/1.2.11@bincrafters/testing#rev2:pkgid2#prev2"
      }
    }
  }
}"#,
        )
        .unwrap();
        assert_eq!(
            sorted_scopes(&out),
            vec![
                ("pkg:conan/openssl@1.1.1g".to_string(), "direct"),
                ("pkg:conan/zlib@1.2.11".to_string(), "transitive"),
            ]
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let out = extract(
            r#"{"graph_lock": {"nodes": {
              "0": {"pref": "app/1.0:pkgid", "requires": {"fmt/9.1.0#r": "1"}, "path": "/src/conanfile.py"},
              "1": {"pref": "fmt/9.1.0#r:pkgid#prev"}
            }}, "version": "0.2"}"#,
        )
        .unwrap();
        assert_eq!(
            sorted_scopes(&out),
            vec![("pkg:conan/fmt@9.1.0".to_string(), "direct")]
        );
    }

    #[test]
    fn malformed_files_are_errors_or_warnings() {
        assert!(extract("{").unwrap_err().contains("JSON"));
        assert!(extract("[]").unwrap_err().contains("not an object"));
        assert!(extract("{\"name\": 1}").unwrap_err().contains("neither"));
        assert!(extract("{\"graph_lock\": {}}")
            .unwrap_err()
            .contains("nodes"));
        assert!(extract("{\"version\": \"0.5\"}")
            .unwrap()
            .components
            .is_empty());
        let out =
            extract("{\"requires\": \"zlib/1\", \"build_requires\": [\"noversion\"]}").unwrap();
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(!ConanLock.sniff(b"{\"version\": 1, \"dependencies\": {}}"));
    }
}
