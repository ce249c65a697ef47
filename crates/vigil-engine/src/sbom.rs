//! Inventories as SBOMs: CycloneDX 1.6 JSON and SPDX 2.3 JSON.
//!
//! Components are in purl order and unidentified ones by name, so that two runs over the same
//! input differ only in the serial number / document namespace and the timestamp.

use serde_json::{json, Value};

use crate::api::{ComponentDto, HashDto, LicenseDto, UnidentifiedDto};

/// A CycloneDX 1.6 JSON document (https://cyclonedx.org/docs/1.6/json/).
pub fn cyclonedx(
    components: &[ComponentDto],
    unidentified: &[UnidentifiedDto],
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let mut sorted: Vec<&ComponentDto> = components.iter().collect();
    sorted.sort_by(|a, b| a.purl.cmp(&b.purl));
    let mut out: Vec<Value> = sorted.into_iter().map(cyclonedx_component).collect();
    for (index, c) in sorted_unidentified(unidentified).into_iter().enumerate() {
        let mut component = json!({"type": "library", "bom-ref": format!("unidentified-{}", index + 1), "name": c.name});
        if let Some(version) = &c.version {
            component["version"] = json!(version);
        }
        if let Some(purl) = &c.purl {
            component["purl"] = json!(purl);
        }
        cyclonedx_details(&mut component, c.license.as_ref(), &c.hashes, &c.evidence);
        out.push(component);
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", uuid::Uuid::new_v4()),
        "version": 1,
        "metadata": {
            "timestamp": crate::rfc3339(now),
            "tools": {"components": [{"type": "application", "name": "vigil", "version": env!("CARGO_PKG_VERSION")}]}
        },
        "components": out,
    })
}

fn cyclonedx_component(c: &ComponentDto) -> Value {
    let (group, name) = match c.name.rsplit_once('/') {
        Some((group, name)) if c.ecosystem == "npm" => (Some(group), name),
        _ => match c.name.split_once(':') {
            Some((group, name)) if c.ecosystem == "Maven" => (Some(group), name),
            _ => (None, c.name.as_str()),
        },
    };
    let mut component = json!({
        "type": "library",
        "bom-ref": c.purl,
        "name": name,
        "purl": c.purl,
    });
    if let Some(group) = group {
        component["group"] = json!(group);
    }
    if let Some(version) = &c.version {
        component["version"] = json!(version);
    }
    if c.scope == "dev" {
        component["scope"] = json!("excluded");
    }
    cyclonedx_details(&mut component, c.license.as_ref(), &c.hashes, &c.evidence);
    if let Some(identity) = cyclonedx_identity(c) {
        component["evidence"]["identity"] = identity;
    }
    component
}

/// How the purl was established, when it is less than certain: CycloneDX 1.6's
/// `evidence.identity` (https://cyclonedx.org/docs/1.6/json/#components_items_evidence_identity),
/// with the manifest that named it. An exact identification (a lockfile, a `pom.properties`)
/// is the norm and says nothing more.
fn cyclonedx_identity(c: &ComponentDto) -> Option<Value> {
    let identified_by = vigil_model::Identification::parse(&c.identified_by);
    match identified_by {
        vigil_model::Identification::Exact => None,
        vigil_model::Identification::Manifest => {
            let confidence = identified_by.confidence();
            let manifest = c
                .evidence
                .iter()
                .find(|e| e.ends_with("META-INF/MANIFEST.MF"));
            let mut method = json!({"technique": "manifest-analysis", "confidence": confidence});
            if let Some(manifest) = manifest {
                method["value"] = json!(manifest);
            }
            Some(json!([{"field": "purl", "confidence": confidence, "methods": [method]}]))
        }
    }
}

fn cyclonedx_details(
    component: &mut Value,
    license: Option<&LicenseDto>,
    hashes: &[HashDto],
    evidence: &[String],
) {
    if let Some(license) = license {
        component["licenses"] = match &license.expression {
            Some(expression) => json!([{"expression": expression}]),
            None => json!([{"license": {"name": license.raw}}]),
        };
    }
    if !hashes.is_empty() {
        component["hashes"] = hashes
            .iter()
            .map(|h| json!({"alg": h.alg, "content": h.value}))
            .collect::<Vec<_>>()
            .into();
    }
    if !evidence.is_empty() {
        component["evidence"] = json!({
            "occurrences": evidence.iter().map(|location| json!({"location": location})).collect::<Vec<_>>()
        });
    }
}

/// An SPDX 2.3 JSON document (https://spdx.github.io/spdx-spec/v2.3/) describing `name`, with
/// one package per component and its purl as a PACKAGE-MANAGER external reference. Every
/// `LicenseRef-` an expression uses has its `hasExtractedLicensingInfos` entry, as the SPDX
/// validator (`pyspdxtools`) requires.
pub fn spdx(
    name: &str,
    components: &[ComponentDto],
    unidentified: &[UnidentifiedDto],
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let mut sorted: Vec<&ComponentDto> = components.iter().collect();
    sorted.sort_by(|a, b| a.purl.cmp(&b.purl));
    let mut packages = Vec::new();
    let mut relationships = Vec::new();
    let mut extracted = ExtractedLicenses::default();
    for (index, c) in sorted.into_iter().enumerate() {
        let id = format!("SPDXRef-Package-{}", index + 1);
        let mut package = spdx_package(
            &id,
            &c.name,
            c.version.as_deref(),
            c.license.as_ref(),
            &c.hashes,
            &mut extracted,
        );
        package["externalRefs"] = json!([{
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": c.purl,
        }]);
        packages.push(package);
        relationships.push(json!({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": id}));
    }
    for (index, c) in sorted_unidentified(unidentified).into_iter().enumerate() {
        let id = format!("SPDXRef-Unidentified-{}", index + 1);
        let mut package = spdx_package(
            &id,
            &c.name,
            c.version.as_deref(),
            c.license.as_ref(),
            &c.hashes,
            &mut extracted,
        );
        match &c.purl {
            // SPDX wants a purl locator shaped `pkg:type/name`; an SBOM's "purl" may be a URL.
            Some(purl) if shaped_like_purl(purl) => {
                package["externalRefs"] = json!([{
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": purl,
                }]);
            }
            Some(other) => package["comment"] = json!(format!("listed with the reference {other}")),
            None => {}
        }
        packages.push(package);
        relationships.push(json!({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": id}));
    }
    if packages.is_empty() {
        // SPDX wants the document to describe something: with no component, the artifact.
        packages.push(json!({
            "SPDXID": "SPDXRef-Artifact",
            "name": name,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "comment": "the scanned artifact; Vigil found no component in it",
        }));
        relationships.push(json!({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-Artifact"}));
    }
    let mut document = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": format!("https://vigil.invalid/spdx/{}/{}", spdx_safe(name), uuid::Uuid::new_v4()),
        "creationInfo": {
            "created": now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "creators": [format!("Tool: vigil-{}", env!("CARGO_PKG_VERSION"))],
        },
        "packages": packages,
        "relationships": relationships,
    });
    if !extracted.0.is_empty() {
        document["hasExtractedLicensingInfos"] = extracted.into_json();
    }
    document
}

/// The `LicenseRef-`s the document's expressions use, each with the first declared text that
/// became it: SPDX 2.3 requires an extracted-licensing entry for each.
#[derive(Default)]
struct ExtractedLicenses(std::collections::BTreeMap<String, String>);

impl ExtractedLicenses {
    /// The expression as `licenseDeclared` may carry it, recording its `LicenseRef-`s; `None`
    /// when SPDX 2.3 cannot say it: a `DocumentRef-` (this document references no other) or
    /// an `AdditionRef-` (SPDX 3 only).
    fn declare(&mut self, expression: &str, raw: &str) -> Option<String> {
        let parsed = spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX).ok()?;
        let mut refs = Vec::new();
        for requirement in parsed.requirements() {
            if matches!(requirement.req.addition, Some(spdx::AdditionItem::Other(_))) {
                return None;
            }
            if let spdx::LicenseItem::Other(other) = &requirement.req.license {
                if other.doc_ref.is_some() {
                    return None;
                }
                refs.push(format!("LicenseRef-{}", other.lic_ref));
            }
        }
        for id in refs {
            self.0.entry(id).or_insert_with(|| raw.to_string());
        }
        Some(expression.to_string())
    }

    fn into_json(self) -> Value {
        self.0
            .into_iter()
            .map(|(id, raw)| {
                let name = id.trim_start_matches("LicenseRef-").to_string();
                json!({
                    "licenseId": id,
                    "name": name,
                    "extractedText": raw,
                    "comment": "the license as the component's own metadata declares it; Vigil keeps no other text of it",
                })
            })
            .collect::<Vec<_>>()
            .into()
    }
}

fn spdx_package(
    id: &str,
    name: &str,
    version: Option<&str>,
    license: Option<&LicenseDto>,
    hashes: &[HashDto],
    extracted: &mut ExtractedLicenses,
) -> Value {
    // Only an expression SPDX itself accepts may stand in licenseDeclared; other text would
    // make the document invalid, so it is NOASSERTION with the raw text kept in a comment.
    let expression = license.and_then(|l| {
        let expression = l.expression.as_deref()?;
        extracted.declare(expression, &l.raw)
    });
    let mut package = json!({
        "SPDXID": id,
        "name": name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": expression.as_deref().unwrap_or("NOASSERTION"),
        "copyrightText": "NOASSERTION",
    });
    if let Some(version) = version {
        package["versionInfo"] = json!(version);
    }
    if let Some(license) = license.filter(|_| expression.is_none()) {
        package["licenseComments"] = json!(format!("declared as: {}", license.raw));
    }
    let checksums: Vec<Value> = hashes
        .iter()
        .map(|h| json!({"algorithm": h.alg.replace('-', ""), "checksumValue": h.value}))
        .collect();
    if !checksums.is_empty() {
        package["checksums"] = checksums.into();
    }
    package
}

fn sorted_unidentified(unidentified: &[UnidentifiedDto]) -> Vec<&UnidentifiedDto> {
    let mut sorted: Vec<&UnidentifiedDto> = unidentified.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.name, &a.version, &a.evidence).cmp(&(&b.name, &b.version, &b.evidence))
    });
    sorted
}

/// `pkg:type/name…`, the shape SPDX 2.3 requires of a purl locator (its appendix VI).
fn shaped_like_purl(text: &str) -> bool {
    text.strip_prefix("pkg:")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(ty, name)| !ty.is_empty() && !name.is_empty())
}

fn spdx_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod identity_tests {
    use super::*;

    fn jar(purl: &str, identified_by: &str) -> ComponentDto {
        ComponentDto {
            purl: purl.into(),
            ecosystem: "Maven".into(),
            name: "log4j:log4j".into(),
            version: Some("1.2.17".into()),
            scope: "unknown".into(),
            evidence: vec!["lib/log4j-1.2-1.2.17.jar!/META-INF/MANIFEST.MF".into()],
            license: None,
            hashes: Vec::new(),
            identified_by: identified_by.into(),
        }
    }

    #[test]
    fn a_component_identified_by_its_manifest_says_so_in_cyclonedx_evidence() {
        let bom = cyclonedx(
            &[
                jar("pkg:maven/log4j/log4j@1.2.17", "manifest"),
                jar("pkg:maven/log4j/log4j@1.2.18", "exact"),
            ],
            &[],
            chrono::DateTime::UNIX_EPOCH,
        );
        let evidence = &bom["components"][0]["evidence"];
        assert_eq!(
            evidence["identity"],
            json!([{"field": "purl", "confidence": 0.7, "methods": [{
                "technique": "manifest-analysis",
                "confidence": 0.7,
                "value": "lib/log4j-1.2-1.2.17.jar!/META-INF/MANIFEST.MF"
            }]}])
        );
        assert_eq!(evidence["occurrences"].as_array().unwrap().len(), 1);
        assert!(bom["components"][1]["evidence"].get("identity").is_none());
    }
}
