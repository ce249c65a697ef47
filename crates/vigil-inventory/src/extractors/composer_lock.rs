//! Composer's `composer.lock` (https://getcomposer.org/doc/01-basic-usage.md#composer-lock-the-lock-file).
//!
//! `packages` are installed for production, `packages-dev` only with `--dev`. Names are
//! Packagist's `vendor/name`. Versions are kept as Composer wrote them (`v5.4.1`, `2.0.4`,
//! `dev-main`): OSV's Packagist ranges are written without the `v`, but Vigil's Packagist
//! version order normalises versions the way Composer does (`v5.4.1` is `5.4.1.0`), so the text
//! as written matches and the purl stays the one Composer users recognise. A package whose
//! `dist` is a local `path` repository is the project's own folder, not a package from a
//! repository, and is a warning. `dist.shasum` is the SHA-1 of the dist archive, recorded when
//! Composer filled it in (it is often empty for GitHub zipballs). `license` is a list of SPDX
//! ids under any of which the package may be used.

use std::path::Path;

use serde::Deserialize;
use vigil_model::{Component, Ecosystem, Evidence, Hash, HashAlgorithm, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct ComposerLock;

impl Extractor for ComposerLock {
    fn name(&self) -> &'static str {
        "packagist/composer-lock"
    }

    fn version(&self) -> u32 {
        1
    }

    fn records_licenses(&self) -> bool {
        true
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "composer.lock"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.trim_start().starts_with('{')
            && (head.contains("\"content-hash\"") || head.contains("getcomposer.org"))
            && head.contains("\"packages")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let lock: Lock =
            serde_json::from_slice(input.bytes).map_err(|e| format!("not a composer.lock: {e}"))?;
        if lock.packages.is_none() && lock.packages_dev.is_none() {
            return Err(
                "not a composer.lock: it has neither \"packages\" nor \"packages-dev\"".into(),
            );
        }
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        let lists = [
            ("packages", lock.packages, Scope::Unknown),
            ("packages-dev", lock.packages_dev, Scope::Dev),
        ];
        for (list, packages, scope) in lists {
            for (index, package) in packages.unwrap_or_default().into_iter().enumerate() {
                let at = format!("{list}[{index}]");
                match package.0 {
                    Ok(package) => read_package(package, scope, &at, &evidence, &mut out),
                    Err(problem) => out.warnings.push(format!("{at}: {problem}; not read")),
                }
            }
        }
        Ok(out)
    }
}

#[derive(Deserialize)]
struct Lock {
    packages: Option<Vec<Lenient<Package>>>,
    #[serde(rename = "packages-dev")]
    packages_dev: Option<Vec<Lenient<Package>>>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<String>,
    version: Option<String>,
    dist: Option<Dist>,
    #[serde(default)]
    license: Licenses,
}

#[derive(Deserialize)]
struct Dist {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    shasum: Option<String>,
}

/// Composer writes a list; hand-edited files sometimes have a single string.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Licenses {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

/// One entry that may be malformed without spoiling the others.
struct Lenient<T>(Result<T, String>);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Lenient(
            serde_json::from_value(value).map_err(|e| e.to_string()),
        ))
    }
}

fn read_package(
    package: Package,
    scope: Scope,
    at: &str,
    evidence: &Evidence,
    out: &mut ExtractOutput,
) {
    let (Some(name), Some(version)) = (package.name, package.version) else {
        out.warnings
            .push(format!("{at} has no name or no version; not recorded"));
        return;
    };
    let at = format!("{at} ({name})");
    if !name.contains('/') || name.contains(char::is_whitespace) {
        out.warnings.push(format!(
            "{at}: {name:?} is not a vendor/name package; not recorded"
        ));
        return;
    }
    if let Some(dist) = &package.dist {
        if dist.kind.as_deref() == Some("path") {
            out.warnings.push(format!(
                "{at} is the local folder {}, not a package from a repository; not recorded",
                dist.url.as_deref().unwrap_or("?")
            ));
            return;
        }
    }
    let mut component = Component::new(
        PackageRef::new(Ecosystem::Packagist, &name, Some(version)),
        scope,
        evidence.clone(),
    );
    component.license = match &package.license {
        Licenses::None => None,
        Licenses::One(one) => crate::license::declared(one),
        Licenses::Many(many) => crate::license::declared_any(many.iter().map(String::as_str)),
    };
    if let Some(sha1) = package
        .dist
        .as_ref()
        .and_then(|d| d.shasum.as_deref())
        .filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        component.hashes.push(Hash {
            algorithm: HashAlgorithm::Sha1,
            value: sha1.to_ascii_lowercase(),
        });
    }
    out.components.push(component);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    fn extract(json: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&ComposerLock, "composer.lock", json)
    }

    #[test]
    fn packages_dev_licenses_hashes_and_local_paths() {
        let out = extract(
            r#"{"content-hash":"x","packages":[
              {"name":"symfony/http-kernel","version":"v5.4.1","license":["MIT"],
               "dist":{"type":"zip","url":"https://api.github.com/x","shasum":"70B03B6C7868CED71ED0B3CA596AD83E76C2ADC0"}},
              {"name":"Drupal/Core","version":"10.4.5","license":["GPL-2.0-or-later","MIT"],"dist":{"type":"zip","shasum":""}},
              {"name":"acme/local","version":"dev-main","dist":{"type":"path","url":"../local"}},
              {"name":"php","version":"8.1"},
              {"version":"1.0.0"},
              7
            ],"packages-dev":[
              {"name":"phpunit/phpunit","version":"9.5.0","license":"BSD-3-Clause"}
            ]}"#,
        )
        .unwrap();
        let summary: Vec<(String, &str, Option<String>)> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.purl(),
                    c.scope.as_str(),
                    c.license.as_ref().and_then(|l| l.expression.clone()),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "pkg:composer/symfony/http-kernel@v5.4.1".to_string(),
                    "unknown",
                    Some("MIT".to_string())
                ),
                (
                    "pkg:composer/drupal/core@10.4.5".to_string(),
                    "unknown",
                    Some("GPL-2.0-or-later OR MIT".to_string())
                ),
                (
                    "pkg:composer/phpunit/phpunit@9.5.0".to_string(),
                    "dev",
                    Some("BSD-3-Clause".to_string())
                ),
            ]
        );
        assert_eq!(
            out.components[0].hashes,
            [Hash {
                algorithm: HashAlgorithm::Sha1,
                value: "70b03b6c7868ced71ed0b3ca596ad83e76c2adc0".into()
            }]
        );
        assert!(out.components[1].hashes.is_empty());
        assert_eq!(out.warnings.len(), 4, "{:?}", out.warnings);
        for expected in ["acme/local", "\"php\"", "packages[4]", "packages[5]"] {
            assert!(
                out.warnings.iter().any(|w| w.contains(expected)),
                "{expected}: {:?}",
                out.warnings
            );
        }
    }

    #[test]
    fn malformed_files_are_errors_that_say_why() {
        assert!(extract("{\"packages\": [")
            .unwrap_err()
            .contains("not a composer.lock"));
        assert!(extract("{\"name\": \"x\"}")
            .unwrap_err()
            .contains("neither"));
        assert!(extract("[]").unwrap_err().contains("not a composer.lock"));
        let deep = format!(
            "{{\"packages\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(extract(&deep).unwrap_err().contains("not a composer.lock"));
        assert!(ComposerLock.sniff(b"{\n  \"_readme\": [\"Read more about it at https://getcomposer.org/doc\"],\n  \"content-hash\": \"x\",\n  \"packages\": ["));
        assert!(!ComposerLock.sniff(b"{\"lockfileVersion\": 3, \"packages\": {}}"));
    }
}
