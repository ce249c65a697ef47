//! .NET's `*.deps.json`, written beside every built application and library
//! (https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md;
//! the format is Microsoft.Extensions.DependencyModel's: `runtimeTarget`, `targets`, and
//! `libraries` keyed `Name/Version`, each `{type, serviceable, sha512, path, hashPath}`).
//!
//! `libraries` lists what the application was built with. `type: "package"` is a NuGet
//! package: a component, with its `sha512-<base64>` digest of the `.nupkg`. A self-contained
//! application also carries the .NET runtime as `runtimepack.<package id>/<version>`
//! (`runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0`), which is that NuGet package,
//! and where .NET runtime advisories are filed. `project` (the application or another project
//! of its solution), `msbuildproject` and `referenceassembly` (a framework reference) are not
//! packages and are skipped. Any other type (`reference`, a DLL referenced by path) names no
//! package: a warning.
//!
//! Scope: the libraries the application's own entry in `targets` depends on are direct, the
//! other packages transitive; without that entry, unknown.

use std::{collections::BTreeSet, path::Path};

use serde_json::{Map, Value};
use vigil_model::{Component, Ecosystem, Evidence, HashAlgorithm, PackageRef, Scope};

use super::{file_name, pinned_hash, ExtractOutput, Extractor, FileInput};

pub struct DepsJson;

impl Extractor for DepsJson {
    fn name(&self) -> &'static str {
        "nuget/deps-json"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path).ends_with(".deps.json")
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.trim_start().starts_with('{')
            && head.contains("\"runtimeTarget\"")
            && head.contains("\"targets\"")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let deps: Value =
            serde_json::from_slice(input.bytes).map_err(|e| format!("not valid JSON: {e}"))?;
        let libraries = deps
            .get("libraries")
            .and_then(Value::as_object)
            .ok_or("not a .deps.json: it has no \"libraries\" object")?;
        let direct = direct_dependencies(&deps, libraries);
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        for (key, library) in libraries {
            let kind = library.get("type").and_then(Value::as_str).unwrap_or("");
            let key = match kind {
                "package" => key.as_str(),
                "runtimepack" => key.strip_prefix("runtimepack.").unwrap_or(key),
                "project" | "msbuildproject" | "referenceassembly" => continue,
                other => {
                    out.warnings.push(format!(
                        "libraries[{key:?}] is of type {other:?}, not a NuGet package; not recorded"
                    ));
                    continue;
                }
            };
            let Some((id, version)) = key
                .split_once('/')
                .filter(|(i, v)| !i.is_empty() && !v.is_empty())
            else {
                out.warnings.push(format!(
                    "libraries[{key:?}] is not Name/Version; not recorded"
                ));
                continue;
            };
            let scope = match &direct {
                None => Scope::Unknown,
                Some(direct) if direct.contains(&id.to_lowercase()) => Scope::Direct,
                Some(_) => Scope::Transitive,
            };
            let mut component = Component::new(
                PackageRef::new(Ecosystem::NuGet, id, Some(version.to_string())),
                scope,
                evidence.clone(),
            );
            if let Some(hash) = library
                .get("sha512")
                .and_then(Value::as_str)
                .and_then(|h| h.strip_prefix("sha512-"))
                .and_then(|h| pinned_hash::base64(HashAlgorithm::Sha512, h))
            {
                component.hashes.push(hash);
            }
            out.components.push(component);
        }
        Ok(out)
    }
}

/// The (lower-cased) ids the application's project depends on in the runtime target, or
/// `None` when the file does not say which library is the application.
fn direct_dependencies(deps: &Value, libraries: &Map<String, Value>) -> Option<BTreeSet<String>> {
    let target_name = deps.get("runtimeTarget")?.get("name")?.as_str()?;
    let target = deps.get("targets")?.get(target_name)?.as_object()?;
    // The application is the first project library (the SDK writes it first).
    let (app, _) = libraries
        .iter()
        .find(|(_, l)| l.get("type").and_then(Value::as_str) == Some("project"))?;
    let dependencies = target.get(app)?.get("dependencies")?.as_object()?;
    Some(dependencies.keys().map(|id| id.to_lowercase()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_scopes_and_hash_counts};

    fn extract(json: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&DepsJson, "MyApp.deps.json", json)
    }

    /// The shape `dotnet build` writes.
    const DEPS: &str = r#"{
  "runtimeTarget": {"name": ".NETCoreApp,Version=v8.0", "signature": ""},
  "compilationOptions": {},
  "targets": {
    ".NETCoreApp,Version=v8.0": {
      "MyApp/1.0.0": {
        "dependencies": {"Newtonsoft.Json": "13.0.3", "MyLib": "1.0.0"},
        "runtime": {"MyApp.dll": {}}
      },
      "Newtonsoft.Json/13.0.3": {"dependencies": {"System.Buffers": "4.5.1"}},
      "System.Buffers/4.5.1": {},
      "MyLib/1.0.0": {"runtime": {"MyLib.dll": {}}}
    }
  },
  "libraries": {
    "MyApp/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Newtonsoft.Json/13.0.3": {
      "type": "package",
      "serviceable": true,
      "sha512": "sha512-HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==",
      "path": "newtonsoft.json/13.0.3",
      "hashPath": "newtonsoft.json.13.0.3.nupkg.sha512"
    },
    "System.Buffers/4.5.1": {"type": "package", "serviceable": true, "sha512": "sha512-bad"},
    "MyLib/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Legacy.Dll/1.0.0.0": {"type": "reference", "serviceable": false, "sha512": ""},
    "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0": {"type": "runtimepack", "serviceable": false, "sha512": ""},
    "Microsoft.Build/17.0.0": {"type": "msbuildproject"},
    "NoVersion": {"type": "package"}
  }
}"#;

    #[test]
    fn packages_are_components_projects_skipped_and_references_warned() {
        let out = extract(DEPS).unwrap();
        assert_eq!(
            sorted_scopes_and_hash_counts(&out),
            vec![
                (
                    "pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.0".to_string(),
                    "transitive",
                    0
                ),
                ("pkg:nuget/Newtonsoft.Json@13.0.3".to_string(), "direct", 1),
                (
                    "pkg:nuget/System.Buffers@4.5.1".to_string(),
                    "transitive",
                    0
                ),
            ]
        );
        assert_eq!(
            out.components[0].hashes[0].value,
            "1eb0b9057765d3420ff73795fb467ce3c4163c0a02afd3f76c311982e23e8242\
             dc04a00ec62c7fb4b1000070be52f0cd3efe1ad9dd7c94e45e1cc39a80f6becd"
        );
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("Legacy.Dll"));
        assert!(out.warnings[1].contains("NoVersion"));
        assert!(DepsJson.sniff(DEPS.as_bytes()));
        assert!(DepsJson.wants(Path::new("bin/Release/net8.0/MyApp.deps.json")));
    }

    #[test]
    fn malformed_files_are_errors() {
        assert!(extract("{").unwrap_err().contains("JSON"));
        assert!(extract("{\"targets\": {}}")
            .unwrap_err()
            .contains("no \"libraries\""));
        let out = extract("{\"libraries\": {\"A/1.0\": {\"type\": \"package\"}}}").unwrap();
        assert_eq!(out.components[0].scope, Scope::Unknown);
    }
}
