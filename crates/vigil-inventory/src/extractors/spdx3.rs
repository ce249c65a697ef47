//! SPDX 3.0 SBOMs in their JSON-LD serialisation (https://spdx.github.io/spdx-spec/v3.0.1/,
//! "Serialization" → JSON-LD), read into the same [`Doc`] as SPDX 2 so that both follow one set
//! of rules (see `spdx.rs`: which packages are the subject, what is unidentified).
//!
//! A document is an `@context` naming `https://spdx.org/rdf/3.0.x/spdx-context.jsonld` and an
//! `@graph` of elements, each with a `type` and an `spdxId`:
//! - packages are `software_Package` (and its subclasses `dataset_DatasetPackage` and
//!   `ai_AIPackage`): `name`, `software_packageVersion`, the purl in `software_packageUrl` or an
//!   `externalIdentifier` of type `packageUrl`, hashes as `verifiedUsing` `Hash` entries;
//! - licenses are `Relationship` elements `hasDeclaredLicense` / `hasConcludedLicense` from a
//!   package to license elements: a `simplelicensing_LicenseExpression` (its
//!   `simplelicensing_licenseExpression`), or a listed license named by its IRI
//!   (`https://spdx.org/licenses/MIT`), written in the graph or not;
//! - the subject is what an `SpdxDocument` or `software_Sbom` has as `rootElement`, or
//!   `describes` from one of them (SPDX 2's DESCRIBES).
//!
//! Only these fields are kept while parsing (see `lenient_json`), so memory follows them and not
//! the document. Full JSON-LD processing (contexts other than SPDX's, expanded IRIs as keys) is
//! not done: SPDX 3 tools write the compact form the SPDX context defines.

use std::collections::{BTreeMap, BTreeSet};

use serde::{de::IgnoredAny, Deserialize};

use super::{
    lenient_json::{self, Arr, Obj, Text},
    spdx::{Doc, Package},
};

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonLd {
    #[serde(rename = "@context")]
    context: Option<IgnoredAny>,
    #[serde(rename = "@graph")]
    graph: Arr<Obj<Element>>,
}

/// The fields of any graph element that Vigil reads; which apply depends on its `type`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Element {
    #[serde(rename = "type", alias = "@type")]
    kind: Text,
    #[serde(rename = "spdxId", alias = "@id")]
    id: Text,
    // CreationInfo
    #[serde(rename = "specVersion")]
    spec_version: Text,
    // SpdxDocument, software_Sbom
    #[serde(rename = "rootElement")]
    root_element: Arr<Text>,
    // Packages
    name: Text,
    #[serde(rename = "software_packageVersion")]
    version: Text,
    #[serde(rename = "software_packageUrl")]
    package_url: Text,
    #[serde(rename = "externalIdentifier")]
    external_identifier: Arr<Obj<ExternalIdentifier>>,
    #[serde(rename = "verifiedUsing")]
    verified_using: Arr<Obj<IntegrityMethod>>,
    // Relationship
    from: Text,
    #[serde(rename = "relationshipType")]
    relationship_type: Text,
    to: Arr<Text>,
    // simplelicensing_LicenseExpression
    #[serde(rename = "simplelicensing_licenseExpression")]
    license_expression: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExternalIdentifier {
    #[serde(rename = "externalIdentifierType")]
    kind: Text,
    identifier: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IntegrityMethod {
    #[serde(rename = "type", alias = "@type")]
    kind: Text,
    algorithm: Text,
    #[serde(rename = "hashValue")]
    hash_value: Text,
}

/// The type's name without a vocabulary prefix, for types written as IRIs
/// (`https://spdx.org/rdf/3.0.1/terms/Software/Package` → `Package` in profile `Software`).
fn type_is(kind: Option<&str>, compact: &str, profile_and_name: &str) -> bool {
    kind.is_some_and(|k| k == compact || k.ends_with(&format!("/{profile_and_name}")))
}

fn is_package(kind: Option<&str>) -> bool {
    type_is(kind, "software_Package", "Software/Package")
        || type_is(kind, "dataset_DatasetPackage", "Dataset/DatasetPackage")
        || type_is(kind, "ai_AIPackage", "AI/AIPackage")
}

fn is_document_or_bom(kind: Option<&str>) -> bool {
    type_is(kind, "SpdxDocument", "Core/SpdxDocument")
        || type_is(kind, "software_Sbom", "Software/Sbom")
        || type_is(kind, "Bom", "Core/Bom")
}

/// Relationship types as the vocabulary names them; an IRI ends with the same name.
fn relationship_is(kind: Option<&str>, name: &str) -> bool {
    kind.is_some_and(|k| k == name || k.ends_with(&format!("/{name}")))
}

/// The license a license element or IRI stands for, as SPDX expression text.
fn license_text(id: &str, expressions: &BTreeMap<&str, &str>) -> Option<String> {
    if let Some(expression) = expressions.get(id) {
        return Some(expression.to_string());
    }
    // A listed license by its IRI, which need not be in the graph.
    id.strip_prefix("https://spdx.org/licenses/")
        .or_else(|| id.strip_prefix("http://spdx.org/licenses/"))
        .filter(|name| !name.is_empty() && !name.contains('/'))
        .map(str::to_string)
}

pub(super) fn read(bytes: &[u8]) -> Result<Doc, String> {
    let doc = match lenient_json::from_slice::<Obj<JsonLd>>(bytes)? {
        Obj::Got(doc) => doc,
        Obj::Missing | Obj::Wrong => return Err("not SPDX: the top level is not an object".into()),
    };
    let elements: Vec<&Element> = match &doc.graph {
        Arr::Got(items) => items.iter().filter_map(Obj::got).collect(),
        Arr::Wrong => return Err("SPDX 3: \"@graph\" is not an array".into()),
        Arr::Missing => {
            return Err(
                "SPDX 3: no \"@graph\" (a single top-level element is not read; SPDX 3 tools \
                 write a graph)"
                    .into(),
            )
        }
    };
    if doc.context.is_none() {
        return Err("not SPDX 3: no \"@context\"".into());
    }
    // CreationInfo's specVersion says which SPDX this is; an SPDX 3 document must have one.
    let versions: BTreeSet<&str> = elements
        .iter()
        .filter_map(|e| e.spec_version.get())
        .collect();
    match versions.iter().find(|v| !v.starts_with("3.")) {
        Some(other) => return Err(format!("SPDX 3: specVersion {other:?} is not 3.x")),
        None if versions.is_empty() => {
            return Err("not SPDX 3: no element has a \"specVersion\" (CreationInfo)".into())
        }
        None => {}
    }
    let mut out = Doc::default();
    let skipped = match &doc.graph {
        Arr::Got(items) => items.iter().filter(|i| i.got().is_none()).count(),
        Arr::Missing | Arr::Wrong => 0,
    };
    if skipped > 0 {
        out.warnings.push(format!(
            "{skipped} \"@graph\" entries are not objects; ignored"
        ));
    }

    let expressions: BTreeMap<&str, &str> = elements
        .iter()
        .filter_map(|e| Some((e.id.get()?, e.license_expression.get()?)))
        .collect();
    let documents: BTreeSet<&str> = elements
        .iter()
        .filter(|e| is_document_or_bom(e.kind.get()))
        .filter_map(|e| e.id.get())
        .collect();
    let mut declared: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut concluded: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for element in &elements {
        if is_document_or_bom(element.kind.get()) {
            out.described
                .extend(element.root_element.items().iter().filter_map(Text::owned));
            continue;
        }
        let (Some(from), kind) = (element.from.get(), element.relationship_type.get()) else {
            continue;
        };
        let targets = element.to.items().iter().filter_map(Text::get);
        if relationship_is(kind, "describes") && documents.contains(from) {
            out.described.extend(targets.map(String::from));
        } else if relationship_is(kind, "hasDeclaredLicense") {
            let texts = targets.filter_map(|to| license_text(to, &expressions));
            declared.entry(from).or_default().extend(texts);
        } else if relationship_is(kind, "hasConcludedLicense") {
            let texts = targets.filter_map(|to| license_text(to, &expressions));
            concluded.entry(from).or_default().extend(texts);
        }
    }
    // A package with several license targets has all of them.
    let joined = |texts: Option<&Vec<String>>| -> Option<String> {
        let texts = texts.filter(|t| !t.is_empty())?;
        Some(match texts.as_slice() {
            [one] => one.clone(),
            many => many
                .iter()
                .map(|t| match t.contains(' ') {
                    true => format!("({t})"),
                    false => t.clone(),
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        })
    };
    for element in elements.iter().filter(|e| is_package(e.kind.get())) {
        let id = element.id.get();
        let mut purls: Vec<String> = element.package_url.owned().into_iter().collect();
        for identifier in element
            .external_identifier
            .items()
            .iter()
            .filter_map(Obj::got)
        {
            if identifier
                .kind
                .get()
                .is_some_and(|k| k == "packageUrl" || k.ends_with("/packageUrl"))
            {
                if let Some(purl) = identifier.identifier.owned() {
                    if !purls.contains(&purl) {
                        purls.push(purl);
                    }
                }
            }
        }
        out.packages.push(Package {
            id: id.map(String::from),
            name: element.name.owned().unwrap_or_default(),
            version: element.version.owned().filter(|v| v != "NOASSERTION"),
            purls,
            declared: id.and_then(|id| joined(declared.get(id))),
            concluded: id.and_then(|id| joined(concluded.get(id))),
            checksums: element
                .verified_using
                .items()
                .iter()
                .filter_map(Obj::got)
                // A PackageVerificationCode is a digest of the files, not of the package.
                .filter(|m| {
                    m.kind
                        .get()
                        .is_none_or(|k| k == "Hash" || k.ends_with("/Hash"))
                })
                .filter_map(|m| Some((m.algorithm.owned()?, m.hash_value.owned()?)))
                .collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use vigil_model::HashAlgorithm;

    use crate::extractors::{
        spdx::Spdx,
        test_support::{self, purls},
        ExtractOutput, Extractor,
    };

    fn read(text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&Spdx, "app.spdx3.json", text)
    }

    /// Written after the SPDX 3.0.1 specification's JSON-LD examples (annex "Serialization",
    /// and the package, hash and license classes), with what SBOM tools put in them: the purl
    /// once as `software_packageUrl` and once as an external identifier, a listed license by
    /// IRI, two declared licenses on one package.
    const DOCUMENT: &str = r#"{
      "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
      "@graph": [
        {"type": "CreationInfo", "@id": "_:creationinfo", "specVersion": "3.0.1",
         "created": "2024-03-06T00:00:00Z", "createdBy": ["https://example.com/Agent/tool"]},
        {"type": "SpdxDocument", "spdxId": "https://example.com/doc", "creationInfo": "_:creationinfo",
         "rootElement": ["https://example.com/sbom"]},
        {"type": "software_Sbom", "spdxId": "https://example.com/sbom", "creationInfo": "_:creationinfo",
         "rootElement": ["https://example.com/pkg/app"], "software_sbomType": ["build"]},
        {"type": "software_Package", "spdxId": "https://example.com/pkg/app", "name": "app",
         "software_packageVersion": "1.0.0", "creationInfo": "_:creationinfo"},
        {"type": "software_Package", "spdxId": "https://example.com/pkg/json-stream", "name": "JSONStream",
         "software_packageVersion": "1.3.5", "creationInfo": "_:creationinfo",
         "externalIdentifier": [
           {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23",
            "identifier": "cpe:2.3:a:jsonstream:jsonstream:1.3.5:*:*:*:*:*:*:*"},
           {"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
            "identifier": "pkg:npm/JSONStream@1.3.5"}],
         "verifiedUsing": [
           {"type": "Hash", "algorithm": "sha256",
            "hashValue": "1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90A"},
           {"type": "Hash", "algorithm": "blake2b256", "hashValue": "00"},
           {"type": "PackageVerificationCode", "algorithm": "sha1",
            "hashValue": "be2fb65c6b22b81f1b273442d70479a41a3093e7"}]},
        {"type": "software_Package", "spdxId": "https://example.com/pkg/toml", "name": "toml",
         "software_packageVersion": "v1.4.0", "creationInfo": "_:creationinfo",
         "software_packageUrl": "pkg:golang/github.com/BurntSushi/toml@v1.4.0"},
        {"type": "software_Package", "spdxId": "https://example.com/pkg/firmware", "name": "firmware",
         "software_packageVersion": "NOASSERTION", "creationInfo": "_:creationinfo"},
        {"type": "software_File", "spdxId": "https://example.com/file/readme", "name": "README",
         "creationInfo": "_:creationinfo"},
        {"type": "simplelicensing_LicenseExpression", "spdxId": "https://example.com/license/mit-or-apache",
         "simplelicensing_licenseExpression": "MIT OR Apache-2.0", "creationInfo": "_:creationinfo"},
        {"type": "Relationship", "spdxId": "https://example.com/rel/1", "from": "https://example.com/pkg/json-stream",
         "relationshipType": "hasDeclaredLicense", "to": ["https://example.com/license/mit-or-apache"],
         "creationInfo": "_:creationinfo"},
        {"type": "Relationship", "spdxId": "https://example.com/rel/2", "from": "https://example.com/pkg/toml",
         "relationshipType": "hasConcludedLicense", "to": ["https://spdx.org/licenses/MIT"],
         "creationInfo": "_:creationinfo"},
        {"type": "Relationship", "spdxId": "https://example.com/rel/3", "from": "https://example.com/pkg/firmware",
         "relationshipType": "hasDeclaredLicense",
         "to": ["https://spdx.org/licenses/MIT", "https://example.com/license/mit-or-apache"],
         "creationInfo": "_:creationinfo"},
        {"type": "Relationship", "spdxId": "https://example.com/rel/4", "from": "https://example.com/pkg/app",
         "relationshipType": "dependsOn",
         "to": ["https://example.com/pkg/json-stream", "https://example.com/pkg/toml"],
         "creationInfo": "_:creationinfo"}
      ]
    }"#;

    #[test]
    fn packages_purls_licenses_and_hashes_are_read_and_the_subject_is_skipped() {
        let out = read(DOCUMENT).unwrap();
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let found = test_support::licensed(&out);
        assert_eq!(
            found,
            [
                (
                    "pkg:npm/JSONStream@1.3.5".to_string(),
                    Some("MIT OR Apache-2.0".to_string())
                ),
                (
                    "pkg:golang/github.com/BurntSushi/toml@v1.4.0".into(),
                    Some("MIT".into())
                ),
            ]
        );
        let hashes = &out.components[0].hashes;
        assert_eq!(hashes.len(), 1, "{hashes:?}");
        assert_eq!(hashes[0].algorithm, HashAlgorithm::Sha256);
        assert_eq!(
            hashes[0].value,
            "1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a"
        );
        assert_eq!(out.unidentified.len(), 1);
        let firmware = &out.unidentified[0];
        assert_eq!(
            (firmware.name.as_str(), &firmware.version),
            ("firmware", &None)
        );
        assert_eq!(
            firmware.license.as_ref().unwrap().expression.as_deref(),
            Some("MIT AND (MIT OR Apache-2.0)")
        );
    }

    #[test]
    fn a_document_that_describes_its_packages_by_relationship_lists_the_others() {
        // SPDX 2's DESCRIBES as SPDX 3 writes it: `describes` from the document.
        let text = DOCUMENT
            .replace(r#""rootElement": ["https://example.com/pkg/app"], "#, "")
            .replace(
                r#""relationshipType": "dependsOn""#,
                r#""relationshipType": "describes""#,
            )
            .replace(
                r#""from": "https://example.com/pkg/app""#,
                r#""from": "https://example.com/sbom""#,
            );
        let out = read(&text).unwrap();
        // Described: JSONStream and toml, which have registry purls and so stay; app is no
        // longer the subject and is unidentified.
        let purls = purls(&out);
        assert_eq!(purls.len(), 2, "{purls:?}");
        let names: Vec<&str> = out.unidentified.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["app", "firmware"]);
    }

    #[test]
    fn malformed_and_foreign_documents_are_errors_that_say_why() {
        let context = r#""@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld""#;
        let cases = [
            (format!("{{{context}, \"@graph\": 3}}"), "\"@graph\" is not an array"),
            (format!("{{{context}}}"), "no \"@graph\""),
            (format!("{{{context}, \"@graph\": []}}"), "no element has a \"specVersion\""),
            (
                format!("{{{context}, \"@graph\": [{{\"type\": \"CreationInfo\", \"specVersion\": \"2.3\"}}]}}"),
                "specVersion \"2.3\" is not 3.x",
            ),
            (format!("{{{context}, \"@graph\": [{{\"type\": "), "not valid JSON"),
            (
                "{\"@graph\": [{\"type\": \"CreationInfo\", \"specVersion\": \"3.0.1\"}]}".to_string(),
                "no \"@context\"",
            ),
        ];
        for (text, expected) in cases {
            let err = read(&text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn odd_entries_are_warnings_and_hostile_nesting_is_bounded() {
        let deep = "[".repeat(50_000) + &"]".repeat(50_000);
        let text = format!(
            r#"{{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
              {{"type": "CreationInfo", "specVersion": "3.0.1"}}, 7, "x",
              {{"type": "software_Package", "spdxId": "p", "name": "lodash",
                "software_packageUrl": 42, "to": {{}}, "verifiedUsing": "no",
                "externalIdentifier": [{{"externalIdentifierType": "packageUrl",
                                        "identifier": "pkg:npm/lodash@4.17.21"}}],
                "comment": {deep}}}]}}"#
        );
        let out = read(&text).unwrap();
        assert_eq!(
            out.warnings,
            ["2 \"@graph\" entries are not objects; ignored"]
        );
        let purls = purls(&out);
        assert_eq!(purls, ["pkg:npm/lodash@4.17.21"]);
        // Nesting where a string is expected is skipped by the parser without recursion: the
        // document still reads, and the package with no usable purl is unidentified.
        let deep = format!(
            r#"{{"@context": "x", "@graph": [{{"specVersion": "3.0.1"}}, {{"type": "software_Package",
               "name": "deep", "externalIdentifier": [{{"identifier": {}"x"{}}}]}}]}}"#,
            "[{\"identifier\": ".repeat(50_000),
            "}]".repeat(50_000)
        );
        let out = read(&deep).unwrap();
        assert_eq!(out.unidentified.len(), 1);
        assert!(out.components.is_empty());
    }

    #[test]
    fn spdx_3_files_are_recognised_by_name_and_content() {
        assert!(Spdx.wants(Path::new("out/app.spdx3.json")));
        assert!(Spdx.wants(Path::new("out/app.spdx.jsonld")));
        assert!(Spdx.sniff(DOCUMENT.as_bytes()));
        assert!(!Spdx.sniff(br#"{"@context": "https://schema.org", "@graph": []}"#));
    }
}
