//! SPDX 2.x SBOMs (2.2 and 2.3; 2.0 and 2.1 read the same way), JSON and tag-value
//! (https://spdx.github.io/spdx-spec/v2.3/), and SPDX 3.0 JSON-LD, read by `spdx3.rs` into the
//! same [`Doc`].
//!
//! Every package is an entry; files and snippets are not packages and are not read. A package's
//! `purl` external reference (category `PACKAGE-MANAGER`, `PACKAGE_MANAGER` in JSON) names
//! it; a package without one, or with a purl of a type Vigil cannot place, is kept as
//! unidentified, never dropped.
//!
//! The packages the document DESCRIBES (`documentDescribes`, a `DESCRIBES` relationship from the
//! document, or `DESCRIBED_BY` to it) are the SBOM's subject, usually the application itself or
//! the folder it was built from, and are skipped, with one exception: a described package whose
//! purl names a registry package Vigil knows (an SBOM of `pkg:maven/org.example/lib@1.0`) is that
//! package, which can have advisories of its own, so it is recorded. A document that describes
//! every one of several packages (a list of modules; Vigil's own SPDX output) has no separate
//! subject, and all its packages are entries. SPDX 2 says nothing
//! reliable about direct or dev dependencies, so the scope is [`Scope::Unknown`].
//!
//! The license is `licenseDeclared`, else `licenseConcluded` (`NOASSERTION` and `NONE` are no
//! license). Evidence is the SBOM's own path.

use std::{collections::BTreeSet, path::Path};

use serde::{de::IgnoredAny, Deserialize};
use vigil_model::{
    Component, Evidence, Hash, HashAlgorithm, PurlError, Scope, UnidentifiedComponent,
};

use super::{
    cyclonedx::{inside_installed_package, parse_sbom_purl},
    file_name,
    lenient_json::{self, Arr, Obj, Text},
    ExtractOutput, Extractor, FileInput,
};

pub struct Spdx;

impl Extractor for Spdx {
    fn name(&self) -> &'static str {
        "sbom/spdx"
    }

    fn version(&self) -> u32 {
        2
    }

    fn records_licenses(&self) -> bool {
        true
    }

    /// `*.spdx`, `*.spdx.json`, `*-spdx.json`, `*_spdx.json`, and SPDX 3's `*.spdx3.json` and
    /// `*.spdx.jsonld`, not inside an installed package.
    fn wants(&self, path: &Path) -> bool {
        if inside_installed_package(path) {
            return false;
        }
        let name = file_name(path).to_ascii_lowercase();
        name.ends_with(".spdx")
            || [
                ".spdx.json",
                "-spdx.json",
                "_spdx.json",
                ".spdx3.json",
                ".spdx.jsonld",
                ".spdx3.jsonld",
            ]
            .iter()
            .any(|s| name.ends_with(s))
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(&head[..head.len().min(4096)]);
        let trimmed = head.trim_start_matches('\u{feff}').trim_start();
        // Keys may come sorted, with `files` (and their `SPDXID`s) before `spdxVersion`.
        (trimmed.starts_with('{')
            && (head.contains("\"spdxVersion\"")
                || head.contains("\"SPDXRef-")
                || (head.contains("\"@context\"") && head.contains("spdx.org/rdf/3."))))
            || head
                .lines()
                .any(|l| l.trim_start().starts_with("SPDXVersion:"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let bytes = input
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(input.bytes);
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let doc = match first {
            Some(b'{') => read_json(bytes)?,
            Some(_) => read_tag_value(bytes)?,
            None => return Err("empty file".into()),
        };
        Ok(to_output(doc, &Evidence(input.path.display().to_string())))
    }
}

/// What an SPDX document of any version says, as the rules in the module doc read it.
#[derive(Default)]
pub(super) struct Doc {
    pub(super) packages: Vec<Package>,
    /// The ids of what the document describes (its subject).
    pub(super) described: BTreeSet<String>,
    pub(super) warnings: Vec<String>,
}

#[derive(Default)]
pub(super) struct Package {
    pub(super) id: Option<String>,
    pub(super) name: String,
    pub(super) version: Option<String>,
    pub(super) purls: Vec<String>,
    pub(super) declared: Option<String>,
    pub(super) concluded: Option<String>,
    /// `(algorithm, value)` as written.
    pub(super) checksums: Vec<(String, String)>,
}

/// The fields of an SPDX 2 JSON document that are read; the rest (`files`, `snippets`, long
/// texts) is skipped unstored.
#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonDoc {
    #[serde(rename = "spdxVersion")]
    spdx_version: Text,
    #[serde(rename = "SPDXID")]
    spdx_id: Text,
    #[serde(rename = "@context")]
    context: Option<IgnoredAny>,
    #[serde(rename = "@graph")]
    graph: Option<IgnoredAny>,
    #[serde(rename = "documentDescribes")]
    document_describes: Arr<Text>,
    relationships: Arr<Obj<JsonRelationship>>,
    packages: Arr<Obj<JsonPackage>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonRelationship {
    #[serde(rename = "spdxElementId")]
    from: Text,
    #[serde(rename = "relationshipType")]
    kind: Text,
    #[serde(rename = "relatedSpdxElement")]
    to: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: Text,
    name: Text,
    #[serde(rename = "versionInfo")]
    version_info: Text,
    #[serde(rename = "licenseDeclared")]
    license_declared: Text,
    #[serde(rename = "licenseConcluded")]
    license_concluded: Text,
    #[serde(rename = "externalRefs")]
    external_refs: Arr<Obj<JsonExternalRef>>,
    checksums: Arr<Obj<JsonChecksum>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonExternalRef {
    #[serde(rename = "referenceType")]
    reference_type: Text,
    #[serde(rename = "referenceLocator")]
    reference_locator: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonChecksum {
    algorithm: Text,
    #[serde(rename = "checksumValue")]
    checksum_value: Text,
}

fn read_json(bytes: &[u8]) -> Result<Doc, String> {
    // Typed and lenient (see `lenient_json`); serde_json refuses nesting deeper than 128 levels.
    let doc = match lenient_json::from_slice::<Obj<JsonDoc>>(bytes)? {
        Obj::Got(doc) => doc,
        Obj::Missing | Obj::Wrong => return Err("not SPDX: the top level is not an object".into()),
    };
    let version = match doc.spdx_version.get() {
        Some(v) => v,
        None if doc.context.is_some() || doc.graph.is_some() => return super::spdx3::read(bytes),
        None => return Err("not SPDX: no \"spdxVersion\"".into()),
    };
    check_version(version)?;
    let mut out = Doc::default();
    let document_id = doc.spdx_id.get().unwrap_or("SPDXRef-DOCUMENT");
    out.described.extend(
        doc.document_describes
            .items()
            .iter()
            .filter_map(Text::owned),
    );
    for relationship in doc.relationships.items().iter().filter_map(Obj::got) {
        if let (Some(from), Some(kind), Some(to)) = (
            relationship.from.get(),
            relationship.kind.get(),
            relationship.to.get(),
        ) {
            described(&mut out.described, document_id, from, kind, to);
        }
    }
    if matches!(doc.packages, Arr::Wrong) {
        return Err("\"packages\" is not an array".into());
    }
    for (i, package) in doc.packages.items().iter().enumerate() {
        let Some(p) = package.got() else {
            out.warnings.push(format!("packages[{i}] is not an object"));
            continue;
        };
        out.packages.push(Package {
            id: p.spdx_id.owned(),
            name: p.name.owned().unwrap_or_default(),
            version: p.version_info.owned().filter(|v| v != "NOASSERTION"),
            declared: p.license_declared.owned(),
            concluded: p.license_concluded.owned(),
            purls: p
                .external_refs
                .items()
                .iter()
                .filter_map(Obj::got)
                .filter(|r| {
                    r.reference_type
                        .get()
                        .is_some_and(|t| t.eq_ignore_ascii_case("purl"))
                })
                .filter_map(|r| r.reference_locator.owned())
                .collect(),
            checksums: p
                .checksums
                .items()
                .iter()
                .filter_map(Obj::got)
                .filter_map(|c| Some((c.algorithm.owned()?, c.checksum_value.owned()?)))
                .collect(),
        });
    }
    Ok(out)
}

fn check_version(version: &str) -> Result<(), String> {
    if version.starts_with("SPDX-2.") {
        Ok(())
    } else {
        Err(format!(
            "{version} is not supported; SPDX 2.2, 2.3 and 3.0 (JSON-LD) are"
        ))
    }
}

fn described(set: &mut BTreeSet<String>, document: &str, from: &str, kind: &str, to: &str) {
    match kind {
        "DESCRIBES" if from == document => {
            set.insert(to.to_string());
        }
        "DESCRIBED_BY" if to == document => {
            set.insert(from.to_string());
        }
        _ => {}
    }
}

/// Tag-value: `Tag: value` lines; a value may be `<text>...</text>` over several lines.
/// A package runs from its `PackageName:` to the next package, file or snippet.
fn read_tag_value(bytes: &[u8]) -> Result<Doc, String> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 at byte {}", e.valid_up_to()))?;
    let mut out = Doc::default();
    let mut version = None;
    let mut document_id = "SPDXRef-DOCUMENT".to_string();
    let mut relationships = Vec::new();
    let mut current: Option<Package> = None;
    // The document's own `SPDXID` comes before any package, file or snippet.
    let mut in_document_header = true;
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let line = line.trim_end_matches('\r');
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            out.warnings.push(format!(
                "line {}: not a \"Tag: value\" line; ignored",
                index + 1
            ));
            continue;
        };
        let tag = tag.trim();
        let mut value = value.trim().to_string();
        if let Some(rest) = value.strip_prefix("<text>") {
            let mut collected = rest.to_string();
            let mut closed = collected.contains("</text>");
            while !closed {
                let Some((_, next)) = lines.next() else {
                    out.warnings.push(format!(
                        "line {}: <text> is never closed; the rest of the file was not read",
                        index + 1
                    ));
                    break;
                };
                collected.push('\n');
                collected.push_str(next);
                closed = next.contains("</text>");
            }
            if !closed {
                break;
            }
            value = collected
                .split("</text>")
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
        }
        match tag {
            "SPDXVersion" => version = Some(value),
            "PackageName" => {
                in_document_header = false;
                out.packages.extend(current.take());
                current = Some(Package {
                    name: value,
                    ..Package::default()
                });
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => {
                in_document_header = false;
                out.packages.extend(current.take());
            }
            "SPDXID" => match current.as_mut() {
                Some(package) if package.id.is_none() => package.id = Some(value),
                Some(_) => {}
                None if in_document_header => document_id = value,
                None => {}
            },
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let [from, kind, to] = parts[..] {
                    relationships.push((from.to_string(), kind.to_string(), to.to_string()));
                }
            }
            "PackageVersion" if value != "NOASSERTION" && !value.is_empty() => {
                if let Some(p) = current.as_mut() {
                    p.version = Some(value);
                }
            }
            "ExternalRef" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                if let (Some(p), [_category, kind, locator, ..]) = (current.as_mut(), &parts[..]) {
                    if kind.eq_ignore_ascii_case("purl") {
                        p.purls.push(locator.to_string());
                    }
                }
            }
            "PackageLicenseDeclared" => {
                if let Some(p) = current.as_mut() {
                    p.declared = Some(value);
                }
            }
            "PackageLicenseConcluded" => {
                if let Some(p) = current.as_mut() {
                    p.concluded = Some(value);
                }
            }
            "PackageChecksum" => {
                if let (Some(p), Some((alg, digest))) = (current.as_mut(), value.split_once(':')) {
                    p.checksums
                        .push((alg.trim().to_string(), digest.trim().to_string()));
                }
            }
            _ => {}
        }
    }
    out.packages.extend(current.take());
    match version {
        Some(version) => check_version(&version)?,
        None => return Err("not SPDX tag-value: no \"SPDXVersion:\" line".into()),
    }
    for (from, kind, to) in &relationships {
        described(&mut out.described, &document_id, from, kind, to);
    }
    Ok(out)
}

fn to_output(doc: Doc, evidence: &Evidence) -> ExtractOutput {
    let mut out = ExtractOutput {
        warnings: doc.warnings,
        ..ExtractOutput::default()
    };
    let is_described = |p: &Package| p.id.as_ref().is_some_and(|id| doc.described.contains(id));
    // A document that describes every one of several packages (a list of third-party modules,
    // Vigil's own SPDX output) has no separate subject: those packages are the inventory.
    let all_described = doc.packages.len() > 1 && doc.packages.iter().all(is_described);
    for package in doc.packages.iter() {
        let label = match &package.id {
            Some(id) => format!("package {:?} ({id})", package.name),
            None => format!("package {:?}", package.name),
        };
        let mut invalid = Vec::new();
        let mut identified = None;
        for purl in &package.purls {
            match parse_sbom_purl(purl) {
                Ok(found) => {
                    identified = Some(found);
                    break;
                }
                Err(PurlError::Invalid { reason, .. }) => {
                    invalid.push(format!("{purl:?} ({reason})"));
                }
                Err(PurlError::UnsupportedType { .. } | PurlError::UnsupportedDistro { .. }) => {}
            }
        }
        let is_subject = is_described(package) && !all_described;
        if is_subject && identified.is_none() {
            continue;
        }
        if identified.is_none() && !invalid.is_empty() {
            out.warnings.push(format!(
                "{label}: purl {} is not valid; kept as unidentified",
                invalid.join(", ")
            ));
        }
        let license = package
            .declared
            .as_deref()
            .and_then(crate::license::declared)
            .or_else(|| {
                package
                    .concluded
                    .as_deref()
                    .and_then(crate::license::declared)
            });
        let hashes: Vec<Hash> = package
            .checksums
            .iter()
            .filter_map(|(alg, value)| {
                let value = value.trim().to_ascii_lowercase();
                (!value.is_empty() && value.bytes().all(|b| b.is_ascii_hexdigit())).then_some(())?;
                Some(Hash {
                    algorithm: HashAlgorithm::parse(alg.trim())?,
                    value,
                })
            })
            .collect();
        match identified {
            Some(mut found) => {
                if found.version.is_none() {
                    found.version = package.version.clone();
                }
                let mut component = Component::new(found, Scope::Unknown, evidence.clone());
                component.license = license;
                component.hashes = hashes;
                out.components.push(component);
            }
            None => out.unidentified.push(UnidentifiedComponent {
                name: package.name.clone(),
                version: package.version.clone(),
                purl: package.purls.first().cloned(),
                license,
                hashes,
                evidence: vec![evidence.clone()],
            }),
        }
    }
    if out.components.is_empty() && out.unidentified.is_empty() {
        out.warnings
            .push("the SBOM lists no packages besides its subject".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, purls};

    fn read(name: &str, text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&Spdx, name, text)
    }

    const JSON: &str = r#"{
      "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "app",
      "documentDescribes": ["SPDXRef-app"],
      "packages": [
        {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.0",
         "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:github/acme/app@1.0"}]},
        {"SPDXID": "SPDXRef-lodash", "name": "lodash", "versionInfo": "4.17.20",
         "licenseDeclared": "MIT", "licenseConcluded": "NOASSERTION",
         "checksums": [{"algorithm": "SHA1", "checksumValue": "B0C9B8A1A9E9F1A9E0C2E3B0C1F3B1A0E3C4D5E6"},
                       {"algorithm": "MD2", "checksumValue": "00"}],
         "externalRefs": [
           {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
            "referenceLocator": "cpe:2.3:a:lodash:lodash:4.17.20:*:*:*:*:*:*:*"},
           {"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
            "referenceLocator": "pkg:npm/lodash@4.17.20"}]},
        {"SPDXID": "SPDXRef-jackson", "name": "jackson-databind", "versionInfo": "2.9.8",
         "licenseDeclared": "NOASSERTION", "licenseConcluded": "Apache-2.0",
         "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
            "referenceLocator": "pkg:maven/com.fasterxml.jackson.core/jackson-databind"}]},
        {"SPDXID": "SPDXRef-zlib", "name": "zlib", "versionInfo": "1.2.13",
         "licenseDeclared": "Zlib"}
      ],
      "relationships": [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
         "relatedSpdxElement": "SPDXRef-app"},
        {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON",
         "relatedSpdxElement": "SPDXRef-lodash"}
      ]
    }"#;

    #[test]
    fn json_packages_with_purls_are_components_and_the_subject_is_skipped() {
        let out = read("app.spdx.json", JSON).unwrap();
        assert_eq!(
            purls(&out),
            [
                "pkg:npm/lodash@4.17.20",
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8"
            ]
        );
        assert!(out.components.iter().all(|c| c.scope == Scope::Unknown));
        let lodash = &out.components[0];
        assert_eq!(lodash.license.as_ref().unwrap().raw, "MIT");
        assert_eq!(
            lodash.hashes,
            [Hash {
                algorithm: HashAlgorithm::Sha1,
                value: "b0c9b8a1a9e9f1a9e0c2e3b0c1f3b1a0e3c4d5e6".into()
            }]
        );
        assert_eq!(
            out.components[1].license.as_ref().unwrap().raw,
            "Apache-2.0",
            "licenseConcluded when nothing is declared"
        );
        assert_eq!(out.unidentified.len(), 1);
        assert_eq!(out.unidentified[0].name, "zlib");
        assert_eq!(out.unidentified[0].version.as_deref(), Some("1.2.13"));
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn a_described_package_with_a_registry_purl_is_that_package() {
        let doc = r#"{"spdxVersion":"SPDX-2.2","SPDXID":"SPDXRef-DOCUMENT",
          "packages":[{"SPDXID":"SPDXRef-root","name":"lib","versionInfo":"1.0",
            "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl",
              "referenceLocator":"pkg:maven/org.example/lib@1.0"}]},
            {"SPDXID":"SPDXRef-dir","name":"./src"},
            {"SPDXID":"SPDXRef-dep","name":"dep","versionInfo":"2.0",
             "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl",
              "referenceLocator":"pkg:maven/org.example/dep@2.0"}]}],
          "relationships":[
            {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-root"},
            {"spdxElementId":"SPDXRef-dir","relationshipType":"DESCRIBED_BY","relatedSpdxElement":"SPDXRef-DOCUMENT"}]}"#;
        let out = read("lib.spdx.json", doc).unwrap();
        assert_eq!(
            purls(&out),
            [
                "pkg:maven/org.example/lib@1.0",
                "pkg:maven/org.example/dep@2.0"
            ]
        );
        assert!(
            out.unidentified.is_empty(),
            "the described folder is the subject"
        );
    }

    #[test]
    fn when_every_package_is_described_there_is_no_separate_subject() {
        // The shape of Vigil's own `--format spdx` output: the document DESCRIBES each package.
        let doc = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",
          "packages":[
            {"SPDXID":"SPDXRef-Package-1","name":"lodash","versionInfo":"4.17.20",
             "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl",
               "referenceLocator":"pkg:npm/lodash@4.17.20"}]},
            {"SPDXID":"SPDXRef-Unidentified-1","name":"libssl","versionInfo":"3.0",
             "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl",
               "referenceLocator":"pkg:generic/libssl@3.0"}]},
            {"SPDXID":"SPDXRef-Unidentified-2","name":"blob"}],
          "relationships":[
            {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-Package-1"},
            {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-Unidentified-1"},
            {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-Unidentified-2"}]}"#;
        let out = read("vigil.spdx.json", doc).unwrap();
        assert_eq!(purls(&out), ["pkg:npm/lodash@4.17.20"]);
        let unidentified: Vec<(&str, Option<&str>)> = out
            .unidentified
            .iter()
            .map(|u| (u.name.as_str(), u.purl.as_deref()))
            .collect();
        assert_eq!(
            unidentified,
            [("libssl", Some("pkg:generic/libssl@3.0")), ("blob", None)]
        );
        // One described package alone is the document's subject.
        let single = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",
          "documentDescribes":["SPDXRef-hello"],"packages":[{"SPDXID":"SPDXRef-hello","name":"hello"}]}"#;
        let out = read("hello.spdx.json", single).unwrap();
        assert!(out.components.is_empty() && out.unidentified.is_empty());
    }

    const TAG_VALUE: &str = "SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: app
DocumentComment: <text>A comment
that spans: several lines
PackageName: not-a-package
</text>

FileName: ./README
SPDXID: SPDXRef-readme
FileChecksum: SHA1: 0000000000000000000000000000000000000000

## A package
PackageName: app
SPDXID: SPDXRef-app
PackageVersion: 1.0

PackageName: requests
SPDXID: SPDXRef-requests
PackageVersion: 2.31.0
PackageChecksum: SHA256: ABCDEF0123
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: Apache-2.0
PackageDescription: <text>HTTP for
Humans.</text>
ExternalRef: SECURITY cpe23Type cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*
ExternalRef: PACKAGE-MANAGER purl pkg:pypi/requests@2.31.0

PackageName: busybox
SPDXID: SPDXRef-busybox
PackageVersion: 1.36
PackageLicenseDeclared: GPL-2.0-only

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app
Relationship: SPDXRef-app DEPENDS_ON SPDXRef-requests
";

    #[test]
    fn tag_value_packages_multi_line_text_and_relationships() {
        let out = read("app.spdx", TAG_VALUE).unwrap();
        assert_eq!(purls(&out), ["pkg:pypi/requests@2.31.0"]);
        let requests = &out.components[0];
        assert_eq!(
            requests.license.as_ref().unwrap().expression.as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(
            requests.hashes,
            [Hash {
                algorithm: HashAlgorithm::Sha256,
                value: "abcdef0123".into()
            }]
        );
        let unidentified: Vec<&str> = out.unidentified.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            unidentified,
            ["busybox"],
            "app is the subject; the <text> line is no package"
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn truncated_and_foreign_documents() {
        let truncated = "SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n\
            PackageName: a\nSPDXID: SPDXRef-a\nExternalRef: PACKAGE-MANAGER purl pkg:npm/a@1\n\
            PackageComment: <text>never closed\nPackageName: b\n";
        let out = read("x.spdx", truncated).unwrap();
        assert_eq!(purls(&out), ["pkg:npm/a@1"]);
        assert!(
            out.warnings[0].contains("line 6: <text> is never closed"),
            "{:?}",
            out.warnings
        );
        assert!(read("x.spdx", "PackageName: a\n")
            .unwrap_err()
            .contains("no \"SPDXVersion:\""));
        assert!(read("x.spdx", "SPDXVersion: SPDX-3.0\n")
            .unwrap_err()
            .contains("not supported"));
        assert!(read(
            "x.spdx.json",
            r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}"#
        )
        .unwrap_err()
        .contains("SPDX 3"));
        assert!(
            read("x.spdx.json", r#"{"spdxVersion": "SPDX-2.3", "packages": "#)
                .unwrap_err()
                .contains("not valid JSON")
        );
        let deep = format!(
            "{{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{}{}]}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        // Nesting where no field is read is skipped by the parser without recursion: the
        // entry is reported, nothing overflows.
        let out = read("x.spdx.json", &deep).unwrap();
        assert_eq!(out.warnings[0], "packages[0] is not an object");
        let deep_object = format!(
            "{{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{{\"name\":{}1{}}}]}}",
            "{\"a\":".repeat(100_000),
            "}".repeat(100_000)
        );
        let out = read("x.spdx.json", &deep_object).unwrap();
        assert_eq!(
            out.unidentified[0].name, "",
            "a name that is not text is no name"
        );
        assert!(read("x.spdx", "").unwrap_err().contains("empty"));
        assert!(read("x.spdx", "SPDXVersion: SPDX-2.3\n\u{0}\u{ff}")
            .is_ok_and(|o| o.components.is_empty()));
    }

    #[test]
    fn names_and_content_choose_the_files() {
        for name in [
            "app.spdx",
            "app.spdx.json",
            "constellation-spdx.json",
            "a_spdx.json",
        ] {
            assert!(Spdx.wants(Path::new(name)), "{name}");
        }
        for name in [
            "spdx.txt",
            "bom.json",
            "app.spdx.yaml",
            "node_modules/x/test/app.spdx.json",
        ] {
            assert!(!Spdx.wants(Path::new(name)), "{name}");
        }
        assert!(Spdx.sniff(JSON.as_bytes()));
        assert!(Spdx.sniff(TAG_VALUE.as_bytes()));
        assert!(Spdx.sniff(br#"{"files": [{"SPDXID": "SPDXRef-File-a"}]}"#));
        assert!(!Spdx.sniff(br#"{"bomFormat": "CycloneDX"}"#));
    }
}
