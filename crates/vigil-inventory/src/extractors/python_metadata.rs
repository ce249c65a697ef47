//! Installed Python distributions and wheels: `*.dist-info/METADATA`
//! (https://packaging.python.org/en/latest/specifications/core-metadata/), `*.egg-info/PKG-INFO`,
//! the single-file `*.egg-info` older setuptools writes and an egg's `EGG-INFO/PKG-INFO`, all
//! RFC 822-style headers.
//!
//! The license comes from `License-Expression` (PEP 639, an SPDX expression), else `License`
//! (free text, sometimes the whole license; then the classifiers, when there are any, say it
//! better), else the `License :: OSI Approved :: X License` classifiers, any of which applies.
//! A wheel's own SHA-256 is recorded by the walker on the component of its top-level
//! `.dist-info`.

use std::path::Path;

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{file_name, ExtractOutput, Extractor, FileInput};

pub struct PythonMetadata;

impl Extractor for PythonMetadata {
    fn name(&self) -> &'static str {
        "python/metadata"
    }

    fn version(&self) -> u32 {
        1
    }

    fn records_licenses(&self) -> bool {
        true
    }

    fn wants(&self, path: &Path) -> bool {
        let folder = path.parent().map(file_name).unwrap_or("");
        match file_name(path) {
            "METADATA" => folder.ends_with(".dist-info"),
            // `EGG-INFO/PKG-INFO` is an egg's (a zip's) own metadata.
            "PKG-INFO" => folder.ends_with(".egg-info") || folder == "EGG-INFO",
            name => name.ends_with(".egg-info"),
        }
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = String::from_utf8_lossy(input.bytes);
        let headers = parse_headers(&text);
        let get = |key: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let (Some(name), Some(version)) = (get("Name"), get("Version")) else {
            return Err("no Name or no Version header".into());
        };
        let mut component = Component::new(
            PackageRef::new(Ecosystem::PyPI, name, Some(version.to_string())),
            Scope::Unknown,
            Evidence(input.path.display().to_string()),
        );
        let classifiers: Vec<&str> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("Classifier"))
            .filter_map(|(_, v)| v.strip_prefix("License ::"))
            .filter_map(|v| v.rsplit("::").next())
            .map(str::trim)
            .collect();
        // A multi-line or long License field is the license text itself, not its name.
        let license_field = get("License")
            .filter(|l| classifiers.is_empty() || (!l.contains('\n') && l.len() <= 100));
        component.license = match (get("License-Expression"), license_field) {
            (Some(expression), _) => crate::license::declared(expression),
            (None, Some(license)) => crate::license::declared(license),
            (None, None) => crate::license::declared_any(classifiers),
        };
        Ok(ExtractOutput {
            components: vec![component],
            ..ExtractOutput::default()
        })
    }
}

/// The header block (up to the first blank line; the body is the description). A line
/// starting with whitespace continues the previous header.
fn parse_headers(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            out.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    #[test]
    fn dist_info_and_egg_info_are_wanted() {
        for (path, wanted) in [
            ("lib/site-packages/six-1.16.0.dist-info/METADATA", true),
            (
                "six-1.16.0-py2.py3-none-any.whl!/six-1.16.0.dist-info/METADATA",
                true,
            ),
            ("site-packages/foo.egg-info/PKG-INFO", true),
            ("foo-1.0-py3.8.egg!/EGG-INFO/PKG-INFO", true),
            ("site-packages/foo-1.0-py3.8.egg-info", true),
            ("src/METADATA", false),
            ("foo-1.0.tar.gz!/foo-1.0/PKG-INFO", false),
        ] {
            assert_eq!(PythonMetadata.wants(Path::new(path)), wanted, "{path}");
        }
    }

    fn extract(text: &str) -> ExtractOutput {
        test_support::extract(
            &PythonMetadata,
            "site-packages/Foo_Bar-1.0.dist-info/METADATA",
            text,
        )
        .unwrap()
    }

    #[test]
    fn name_version_and_license_in_order_of_precedence() {
        for (metadata, expression, raw) in [
            (
                "Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0\nLicense-Expression: MIT OR Apache-2.0\nLicense: BSD\n\nMIT body",
                Some("MIT OR Apache-2.0"),
                "MIT OR Apache-2.0",
            ),
            (
                "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\nLicense: MIT\nClassifier: License :: OSI Approved :: BSD License\n",
                Some("MIT"),
                "MIT",
            ),
            (
                "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\nLicense: Copyright (c) 2010\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n",
                Some("MIT"),
                "MIT License",
            ),
        ] {
            let out = extract(metadata);
            let c = &out.components[0];
            assert_eq!(c.purl(), "pkg:pypi/foo-bar@1.0");
            assert_eq!(c.scope, Scope::Unknown);
            let license = c.license.as_ref().unwrap();
            assert_eq!(license.expression.as_deref(), expression, "{metadata}");
            assert_eq!(license.raw, raw);
        }
    }

    #[test]
    fn metadata_without_name_or_version_is_an_error() {
        let err = test_support::extract_bytes(
            &PythonMetadata,
            "x.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: x\n",
        )
        .unwrap_err();
        assert!(err.contains("no Version"), "{err}");
    }
}
