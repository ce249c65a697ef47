//! CycloneDX SBOMs, JSON and XML, specification 1.2 to 1.6 (1.0 and 1.1 XML read the same way)
//! (https://cyclonedx.org/specification/overview/, https://github.com/CycloneDX/specification).
//!
//! Both encodings are read into one small model and turned into components the same way:
//!
//! - `components` nest at any depth (a component's own `components`); every one is an entry.
//! - `metadata.component` is the subject of the SBOM (the application itself), not one of its
//!   dependencies: it is skipped, but components nested inside it are read.
//! - A component's `purl` names the package. A component without one, or whose purl is of a type
//!   Vigil cannot place (`pkg:generic`, `pkg:github`...), is kept as unidentified, never dropped;
//!   an invalid purl is also kept as unidentified, with a warning.
//! - `hashes` and `licenses` (`license.id`, `license.name`, `expression`; several join with OR)
//!   are kept.
//! - Scope: `optional` and `excluded` mean the component is not part of the running application
//!   (cyclonedx-npm and cyclonedx-maven use them for dev, test and provided dependencies), so they
//!   become [`Scope::Dev`]. Otherwise, when the `dependencies` graph lists what the subject
//!   depends on, those are [`Scope::Direct`] and the rest [`Scope::Transitive`]; without that
//!   graph the scope is [`Scope::Unknown`].
//! - Evidence is the SBOM's own path.
//!
//! A VEX document (vulnerabilities, no components) is not an inventory and is refused as such.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use serde::{de::IgnoredAny, Deserialize};
use vigil_model::{
    Component, Evidence, Hash, HashAlgorithm, PackageRef, PurlError, Scope, UnidentifiedComponent,
};

use super::{
    file_name,
    lenient_json::{self, Arr, Obj, Text},
    xml, ExtractOutput, Extractor, FileInput, Spdx,
};

pub struct CycloneDx;

const XML_NAMESPACE: &str = "http://cyclonedx.org/schema/bom/";

impl Extractor for CycloneDx {
    fn name(&self) -> &'static str {
        "sbom/cyclonedx"
    }

    fn version(&self) -> u32 {
        1
    }

    fn records_licenses(&self) -> bool {
        true
    }

    /// A `.json` or `.xml` file whose name has `bom`, `sbom`, `cdx` or `cyclonedx` as a word:
    /// `bom.json`, `bom.1.4.xml`, `app.cdx.json`, `elixir-cdx.xml`, `valid-bom-1.5.json`, and
    /// the ambiguous `sbom.json` / `app.sbom.json` (an SPDX document under such a name is handed
    /// to the SPDX reader). Names with `spdx` as a word are the SPDX reader's. Not inside an
    /// installed package (see [`inside_installed_package`]).
    fn wants(&self, path: &Path) -> bool {
        if inside_installed_package(path) {
            return false;
        }
        let name = file_name(path).to_ascii_lowercase();
        let Some(stem) = name
            .strip_suffix(".json")
            .or_else(|| name.strip_suffix(".xml"))
        else {
            return false;
        };
        let words: Vec<&str> = stem.split(['.', '-', '_']).collect();
        words
            .iter()
            .any(|w| matches!(*w, "bom" | "sbom" | "cdx" | "cyclonedx"))
            && !words.contains(&"spdx")
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(&head[..head.len().min(4096)]);
        let trimmed = head.trim_start_matches('\u{feff}').trim_start();
        (trimmed.starts_with('{') && head.contains("\"bomFormat\"") && head.contains("CycloneDX"))
            || (trimmed.starts_with('<') && head.contains(XML_NAMESPACE))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let bytes = input
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(input.bytes);
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let bom = match first {
            Some(b'{') => match read_json(bytes)? {
                Some(bom) => bom,
                // An SPDX document under an ambiguous name (`sbom.json`).
                None => return Spdx.extract(input),
            },
            Some(b'<') => read_xml(bytes)?,
            _ => return Err("not CycloneDX: neither a JSON object nor XML".into()),
        };
        to_output(bom, &Evidence(input.path.display().to_string()))
    }
}

/// What both encodings say, in one shape.
#[derive(Default)]
struct Bom {
    subject: Option<String>,
    entries: Vec<Entry>,
    /// `ref` → `dependsOn`.
    dependencies: BTreeMap<String, Vec<String>>,
    vulnerabilities: usize,
    warnings: Vec<String>,
}

#[derive(Default)]
struct Entry {
    bom_ref: Option<String>,
    group: Option<String>,
    name: String,
    version: Option<String>,
    purl: Option<String>,
    scope: Option<String>,
    /// `(alg, content)` as written.
    hashes: Vec<(String, String)>,
    licenses: Vec<String>,
}

/// The fields of a CycloneDX JSON document that are read; the rest is skipped unstored.
#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonBom {
    #[serde(rename = "bomFormat")]
    bom_format: Text,
    #[serde(rename = "spdxVersion")]
    spdx_version: Text,
    metadata: Obj<JsonMetadata>,
    components: Arr<Obj<JsonComponent>>,
    dependencies: Arr<Obj<JsonDependency>>,
    vulnerabilities: Arr<IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonMetadata {
    component: Obj<JsonComponent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonComponent {
    #[serde(rename = "bom-ref")]
    bom_ref: Text,
    group: Text,
    name: Text,
    version: Text,
    purl: Text,
    scope: Text,
    hashes: Arr<Obj<JsonHash>>,
    licenses: Arr<Obj<JsonLicenseChoice>>,
    components: Arr<Obj<JsonComponent>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonHash {
    alg: Text,
    content: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonLicenseChoice {
    license: Obj<JsonLicense>,
    expression: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonLicense {
    id: Text,
    name: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonDependency {
    #[serde(rename = "ref")]
    reference: Text,
    #[serde(rename = "dependsOn")]
    depends_on: Arr<Text>,
}

/// `None` when the document is SPDX, not CycloneDX.
fn read_json(bytes: &[u8]) -> Result<Option<Bom>, String> {
    // Typed and lenient: memory follows the fields read, and serde_json's recursion limit
    // (128 levels) turns hostile nesting into an error, here and in the walk below.
    let doc = match lenient_json::from_slice::<Obj<JsonBom>>(bytes)? {
        Obj::Got(doc) => doc,
        Obj::Missing | Obj::Wrong => {
            return Err("not CycloneDX: the top level is not an object".into())
        }
    };
    if doc.bom_format.get() != Some("CycloneDX") {
        if doc.spdx_version.get().is_some() {
            return Ok(None);
        }
        return Err("not CycloneDX: no \"bomFormat\": \"CycloneDX\"".into());
    }
    let mut bom = Bom::default();
    if let Some(subject) = doc.metadata.got().and_then(|m| m.component.got()) {
        bom.subject = subject.bom_ref.owned();
        json_components(&subject.components, "metadata.component", &mut bom);
    }
    json_components(&doc.components, "", &mut bom);
    for dependency in doc.dependencies.items().iter().filter_map(Obj::got) {
        let Some(from) = dependency.reference.owned() else {
            continue;
        };
        let to = dependency.depends_on.items().iter().filter_map(Text::owned);
        bom.dependencies.entry(from).or_default().extend(to);
    }
    bom.vulnerabilities = doc.vulnerabilities.items().len();
    Ok(Some(bom))
}

fn json_components(list: &Arr<Obj<JsonComponent>>, at: &str, bom: &mut Bom) {
    let prefix = if at.is_empty() {
        String::new()
    } else {
        format!("{at}.")
    };
    let list = match list {
        Arr::Got(list) => list,
        Arr::Missing => return,
        Arr::Wrong => {
            bom.warnings
                .push(format!("{prefix}components is not an array; not read"));
            return;
        }
    };
    for (i, component) in list.iter().enumerate() {
        let here = format!("{prefix}components[{i}]");
        let Some(c) = component.got() else {
            bom.warnings.push(format!("{here} is not an object"));
            continue;
        };
        let hashes = c.hashes.items().iter().filter_map(Obj::got);
        let licenses = c.licenses.items().iter().filter_map(Obj::got);
        bom.entries.push(Entry {
            bom_ref: c.bom_ref.owned(),
            group: c.group.owned(),
            name: c.name.owned().unwrap_or_default(),
            version: c.version.owned(),
            purl: c.purl.owned(),
            scope: c.scope.owned(),
            hashes: hashes
                .filter_map(|h| Some((h.alg.owned()?, h.content.owned()?)))
                .collect(),
            licenses: licenses
                .filter_map(|choice| {
                    let license = choice.license.got();
                    license
                        .and_then(|l| l.id.owned().or_else(|| l.name.owned()))
                        .or_else(|| choice.expression.owned())
                })
                .collect(),
        });
        json_components(&c.components, &here, bom);
    }
}

/// The elements of a CycloneDX XML document that are read; the others are skipped unstored.
fn xml_keep(parent: &str, name: &str) -> bool {
    match parent {
        "" => true,
        "bom" => matches!(
            name,
            "metadata" | "components" | "dependencies" | "vulnerabilities"
        ),
        "metadata" | "components" => name == "component",
        "component" => matches!(
            name,
            "group" | "name" | "version" | "purl" | "scope" | "hashes" | "licenses" | "components"
        ),
        "hashes" => name == "hash",
        "licenses" => matches!(name, "license" | "expression"),
        "license" => matches!(name, "id" | "name"),
        "dependencies" | "dependency" => name == "dependency",
        "vulnerabilities" => name == "vulnerability",
        _ => false,
    }
}

fn read_xml(bytes: &[u8]) -> Result<Bom, String> {
    let mut bom = Bom::default();
    let mut top_level = 0;
    // Each top-level component (and the subject) is read as soon as it closes and then
    // dropped, so the tree never holds the whole list.
    let root = xml::parse_streaming(bytes, &xml_keep, &mut |ancestors, element| {
        let path: Vec<&str> = ancestors.iter().map(|a| a.name.as_str()).collect();
        match (path.as_slice(), element.name.as_str()) {
            (["bom", "components"], "component") => {
                xml_component(&element, format!("components[{top_level}]"), &mut bom);
                top_level += 1;
                None
            }
            (["bom", "metadata"], "component") => {
                bom.subject = element.attr("bom-ref").map(String::from);
                xml_components(&element, "metadata.component", &mut bom);
                None
            }
            _ => Some(element),
        }
    })?;
    let namespaced = root
        .attrs
        .iter()
        .any(|(k, v)| (k == "xmlns" || k.starts_with("xmlns:")) && v.starts_with(XML_NAMESPACE));
    if root.name != "bom" || !namespaced {
        return Err(format!(
            "not CycloneDX: the root element is <{}>, not <bom> in the {XML_NAMESPACE}1.x namespace",
            root.name
        ));
    }
    if let Some(dependencies) = root.child("dependencies") {
        for dependency in dependencies.children_named("dependency") {
            let Some(from) = dependency.attr("ref") else {
                continue;
            };
            let to = dependency
                .children_named("dependency")
                .filter_map(|d| d.attr("ref").map(String::from));
            bom.dependencies
                .entry(from.to_string())
                .or_default()
                .extend(to);
        }
    }
    bom.vulnerabilities = root
        .child("vulnerabilities")
        .map_or(0, |v| v.children_named("vulnerability").count());
    Ok(bom)
}

/// The components nested in `parent` (a component's own `<components>`).
fn xml_components(parent: &xml::Element, at: &str, bom: &mut Bom) {
    let Some(list) = parent.child("components") else {
        return;
    };
    for (i, c) in list.children_named("component").enumerate() {
        xml_component(c, format!("{at}.components[{i}]"), bom);
    }
}

fn xml_component(c: &xml::Element, here: String, bom: &mut Bom) {
    let text = |name: &str| c.child_text(name).map(String::from);
    let mut entry = Entry {
        bom_ref: c.attr("bom-ref").map(String::from),
        group: text("group"),
        name: text("name").unwrap_or_default(),
        version: text("version"),
        purl: text("purl"),
        scope: text("scope"),
        ..Entry::default()
    };
    for hash in c
        .child("hashes")
        .into_iter()
        .flat_map(|h| h.children_named("hash"))
    {
        if let Some(alg) = hash.attr("alg") {
            entry
                .hashes
                .push((alg.to_string(), hash.text.trim().to_string()));
        }
    }
    if let Some(licenses) = c.child("licenses") {
        for choice in &licenses.children {
            let raw = match choice.name.as_str() {
                "license" => choice
                    .child_text("id")
                    .or_else(|| choice.child_text("name")),
                "expression" => Some(choice.text.trim()).filter(|t| !t.is_empty()),
                _ => None,
            };
            if let Some(raw) = raw {
                entry.licenses.push(raw.to_string());
            }
        }
    }
    bom.entries.push(entry);
    xml_components(c, &here, bom);
}

fn to_output(bom: Bom, evidence: &Evidence) -> Result<ExtractOutput, String> {
    let mut out = ExtractOutput {
        warnings: bom.warnings,
        ..ExtractOutput::default()
    };
    let direct: Option<BTreeSet<&str>> = bom
        .subject
        .as_ref()
        .and_then(|s| bom.dependencies.get(s))
        .filter(|to| !to.is_empty())
        .map(|to| to.iter().map(String::as_str).collect());
    for entry in &bom.entries {
        let scope = match entry.scope.as_deref() {
            Some("optional" | "excluded") => Scope::Dev,
            _ => match (&direct, &entry.bom_ref) {
                (Some(direct), Some(r)) if direct.contains(r.as_str()) => Scope::Direct,
                (Some(_), _) => Scope::Transitive,
                (None, _) => Scope::Unknown,
            },
        };
        let license = crate::license::declared_any(entry.licenses.iter().map(String::as_str));
        let hashes = hashes(&entry.hashes);
        let display = entry_name(entry);
        let package = match entry.purl.as_deref().map(parse_sbom_purl) {
            Some(Ok(mut package)) => {
                if package.version.is_none() {
                    package.version = entry.version.clone();
                }
                Some(package)
            }
            Some(Err(PurlError::Invalid { reason, .. })) => {
                out.warnings.push(format!(
                    "component {display:?}: its purl {:?} is not valid ({reason}); kept as unidentified",
                    entry.purl.as_deref().unwrap_or("")
                ));
                None
            }
            Some(Err(PurlError::UnsupportedType { .. } | PurlError::UnsupportedDistro { .. }))
            | None => None,
        };
        match package {
            Some(package) => {
                let mut component = Component::new(package, scope, evidence.clone());
                component.license = license;
                component.hashes = hashes;
                out.components.push(component);
            }
            None => out.unidentified.push(UnidentifiedComponent {
                name: display,
                version: entry.version.clone(),
                purl: entry.purl.clone(),
                license,
                hashes,
                evidence: vec![evidence.clone()],
            }),
        }
    }
    if out.components.is_empty() && out.unidentified.is_empty() {
        if bom.vulnerabilities > 0 {
            return Err(format!(
                "a VEX document ({} vulnerabilities, no components): not an SBOM inventory",
                bom.vulnerabilities
            ));
        }
        out.warnings
            .push("the SBOM lists no components besides its subject".into());
    }
    Ok(out)
}

/// Whether a path is inside a package installed by a package manager (`node_modules/x/`,
/// `site-packages/x/`): an SBOM or pom.xml there is that package's test fixture or its own
/// build file, not the scanned application's inventory. (An SBOM inside a jar, such as Spring
/// Boot's `META-INF/sbom/application.cdx.json`, does describe the jar, and is read.)
pub(super) fn inside_installed_package(path: &Path) -> bool {
    path.components().any(|c| {
        matches!(
            c.as_os_str().to_str(),
            Some("node_modules" | "site-packages" | "dist-packages")
        )
    })
}

/// [`PackageRef::parse_purl`], reading also `pkg:alpine/name@version`, which Syft wrote for
/// Alpine packages before the purl spec settled on `pkg:apk/alpine/...` (bom-shelter's
/// mediawiki and traefik SBOMs, grype's own SPDX SBOM).
pub(super) fn parse_sbom_purl(purl: &str) -> Result<PackageRef, PurlError> {
    match purl.trim().strip_prefix("pkg:alpine/") {
        Some(rest) => PackageRef::parse_purl(&format!("pkg:apk/alpine/{rest}")),
        None => PackageRef::parse_purl(purl),
    }
}

fn entry_name(entry: &Entry) -> String {
    match &entry.group {
        Some(group) if !entry.name.is_empty() => format!("{group}/{}", entry.name),
        Some(group) => group.clone(),
        None => entry.name.clone(),
    }
}

/// Algorithms Vigil records; the others (SHA3, BLAKE) are left out.
fn hashes(raw: &[(String, String)]) -> Vec<Hash> {
    raw.iter()
        .filter_map(|(alg, content)| {
            let value = content.trim().to_ascii_lowercase();
            (!value.is_empty() && value.bytes().all(|b| b.is_ascii_hexdigit())).then_some(())?;
            Some(Hash {
                algorithm: HashAlgorithm::parse(alg)?,
                value,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, scoped};

    fn read(name: &str, text: &str) -> Result<ExtractOutput, String> {
        test_support::extract(&CycloneDx, name, text)
    }

    const JSON: &str = r#"{
      "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
      "metadata": {"component": {"type": "application", "name": "shop", "bom-ref": "app",
        "purl": "pkg:npm/shop@1.0.0",
        "components": [{"name": "vendored", "version": "2.0.0", "bom-ref": "v",
                        "purl": "pkg:npm/vendored@2.0.0"}]}},
      "components": [
        {"type": "library", "bom-ref": "a", "name": "log4j-core", "group": "org.apache.logging.log4j",
         "version": "2.14.1", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
         "hashes": [{"alg": "SHA-1", "content": "9141212B8507AB50A45525B545B39D224614528B"},
                    {"alg": "SHA3-256", "content": "aa"}],
         "licenses": [{"license": {"id": "Apache-2.0"}}],
         "components": [
           {"bom-ref": "b", "name": "inner", "version": "1.0", "purl": "pkg:pypi/Inner@1.0",
            "licenses": [{"license": {"name": "MIT License"}}, {"expression": "BSD-3-Clause"}]}
         ]},
        {"bom-ref": "c", "name": "jest", "version": "29.0.0", "purl": "pkg:npm/jest@29.0.0", "scope": "optional"},
        {"bom-ref": "d", "name": "excluded", "version": "1", "purl": "pkg:npm/excluded@1", "scope": "excluded"},
        {"bom-ref": "e", "name": "libssl", "version": "3.0", "purl": "pkg:generic/libssl@3.0"},
        {"bom-ref": "f", "name": "config.yaml", "type": "file",
         "hashes": [{"alg": "SHA-256", "content": "ABCDEF"}]},
        {"bom-ref": "g", "name": "broken", "purl": "pkg:maven/no-namespace@1"},
        {"bom-ref": "h", "name": "versionless-purl", "version": "4.0.0", "purl": "pkg:cargo/serde"}
      ],
      "dependencies": [{"ref": "app", "dependsOn": ["a", "e", "h"]}, {"ref": "a", "dependsOn": ["b"]}]
    }"#;

    #[test]
    fn json_components_nest_and_the_subject_is_not_a_dependency() {
        let out = read("bom.json", JSON).unwrap();
        assert_eq!(
            scoped(&out),
            [
                ("pkg:npm/vendored@2.0.0".to_string(), Scope::Transitive),
                (
                    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1".to_string(),
                    Scope::Direct
                ),
                ("pkg:pypi/inner@1.0".to_string(), Scope::Transitive),
                ("pkg:npm/jest@29.0.0".to_string(), Scope::Dev),
                ("pkg:npm/excluded@1".to_string(), Scope::Dev),
                ("pkg:cargo/serde@4.0.0".to_string(), Scope::Direct),
            ]
        );
        let log4j = &out.components[1];
        assert_eq!(
            log4j.hashes,
            [Hash {
                algorithm: HashAlgorithm::Sha1,
                value: "9141212b8507ab50a45525b545b39d224614528b".into()
            }],
            "SHA3 is not an algorithm Vigil records"
        );
        assert_eq!(
            log4j.license.as_ref().unwrap().expression.as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(log4j.evidence, [Evidence("bom.json".into())]);
        let inner = out.components[2].license.as_ref().unwrap();
        assert_eq!(inner.raw, "MIT License OR BSD-3-Clause");
        assert_eq!(inner.expression.as_deref(), Some("MIT OR BSD-3-Clause"));

        let unidentified: Vec<(&str, Option<&str>)> = out
            .unidentified
            .iter()
            .map(|u| (u.name.as_str(), u.purl.as_deref()))
            .collect();
        assert_eq!(
            unidentified,
            [
                ("libssl", Some("pkg:generic/libssl@3.0")),
                ("config.yaml", None),
                ("broken", Some("pkg:maven/no-namespace@1")),
            ]
        );
        assert_eq!(out.unidentified[1].hashes[0].value, "abcdef");
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert!(out.warnings[0].contains("\"broken\"") && out.warnings[0].contains("not valid"));
    }

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" serialNumber="urn:uuid:1" version="1">
  <metadata>
    <component type="application" bom-ref="app"><name>shop</name>
      <components><component type="library" bom-ref="v"><name>vendored</name><version>2.0.0</version>
        <purl>pkg:npm/vendored@2.0.0</purl></component></components>
    </component>
  </metadata>
  <components>
    <component type="library" bom-ref="a">
      <group>org.apache.logging.log4j</group><name>log4j-core</name><version>2.14.1</version>
      <hashes><hash alg="SHA-256">ABCD</hash><hash alg="BLAKE3">ff</hash></hashes>
      <licenses><license><id>Apache-2.0</id></license></licenses>
      <purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1</purl>
      <components>
        <component type="library" bom-ref="b"><name>inner</name><version>1.0</version>
          <licenses><expression>MIT OR Apache-2.0</expression></licenses>
          <purl>pkg:golang/github.com/a/inner@v1.0.0</purl></component>
      </components>
    </component>
    <component type="library" bom-ref="c"><name>jest</name><version>29.0.0</version>
      <scope>optional</scope><purl>pkg:npm/jest@29.0.0</purl></component>
    <component type="library" bom-ref="e"><name>tool</name><version>1</version>
      <purl>pkg:github/a/tool@1</purl></component>
    <component type="operating-system" bom-ref="os"><name>debian</name><version>12</version></component>
  </components>
  <dependencies>
    <dependency ref="app"><dependency ref="a"/></dependency>
    <dependency ref="a"><dependency ref="b"/></dependency>
  </dependencies>
</bom>"#;

    #[test]
    fn xml_reads_the_same_model() {
        let out = read("bom.xml", XML).unwrap();
        assert_eq!(
            scoped(&out),
            [
                ("pkg:npm/vendored@2.0.0".to_string(), Scope::Transitive),
                (
                    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1".to_string(),
                    Scope::Direct
                ),
                (
                    "pkg:golang/github.com/a/inner@v1.0.0".to_string(),
                    Scope::Transitive
                ),
                ("pkg:npm/jest@29.0.0".to_string(), Scope::Dev),
            ]
        );
        assert_eq!(
            out.components[1].hashes,
            [Hash {
                algorithm: HashAlgorithm::Sha256,
                value: "abcd".into()
            }]
        );
        assert_eq!(
            out.components[1].license.as_ref().unwrap().raw,
            "Apache-2.0"
        );
        assert_eq!(
            out.components[2]
                .license
                .as_ref()
                .unwrap()
                .expression
                .as_deref(),
            Some("MIT OR Apache-2.0")
        );
        let unidentified: Vec<(&str, Option<&str>, Option<&str>)> = out
            .unidentified
            .iter()
            .map(|u| (u.name.as_str(), u.version.as_deref(), u.purl.as_deref()))
            .collect();
        assert_eq!(
            unidentified,
            [
                ("tool", Some("1"), Some("pkg:github/a/tool@1")),
                ("debian", Some("12"), None)
            ]
        );
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    }

    #[test]
    fn without_a_dependency_graph_the_scope_is_unknown() {
        let out = read(
            "x.cdx.json",
            r#"{"bomFormat":"CycloneDX","specVersion":"1.2","components":[
                {"name":"a","version":"1","purl":"pkg:npm/a@1"}]}"#,
        )
        .unwrap();
        assert_eq!(scoped(&out), [("pkg:npm/a@1".to_string(), Scope::Unknown)]);
    }

    #[test]
    fn vex_documents_are_not_inventories() {
        let vex = r#"{"bomFormat":"CycloneDX","specVersion":"1.4","vulnerabilities":[
            {"id":"CVE-2021-44228","affects":[{"ref":"urn:cdx:x/1#a"}]}]}"#;
        let err = read("vex.json", vex).unwrap_err();
        assert!(err.contains("VEX"), "{err}");
        let xml_vex = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><vulnerabilities>
            <vulnerability><id>CVE-1</id></vulnerability></vulnerabilities></bom>"#;
        assert!(read("vex.xml", xml_vex).unwrap_err().contains("VEX"));
        // A document with nothing but its subject is an empty inventory, said so.
        let empty = r#"{"bomFormat":"CycloneDX","specVersion":"1.4",
            "metadata":{"component":{"name":"ABC","type":"application"}}}"#;
        let out = read("bom.json", empty).unwrap();
        assert!(out.components.is_empty() && out.unidentified.is_empty());
        assert_eq!(
            out.warnings,
            ["the SBOM lists no components besides its subject"]
        );
    }

    #[test]
    fn other_documents_and_hostile_ones_are_errors() {
        assert!(read("bom.json", r#"{"spdx": 1}"#)
            .unwrap_err()
            .contains("bomFormat"));
        assert!(read("bom.xml", "<project/>")
            .unwrap_err()
            .contains("<project>"));
        assert!(read("bom.json", "{\"bomFormat\": \"CycloneDX\", \"compo")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(read("bom.json", "").unwrap_err().contains("neither"));
        // Deeply nested components: serde_json's recursion limit, not a stack overflow.
        let deep = format!(
            "{{\"bomFormat\":\"CycloneDX\",\"components\":[{}{}]}}",
            "{\"name\":\"x\",\"components\":[".repeat(100_000),
            "]}".repeat(100_000)
        );
        assert!(read("bom.json", &deep)
            .unwrap_err()
            .contains("recursion limit"));
        let deep_xml = format!(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components>{}{}</components></bom>",
            "<component><components>".repeat(50_000),
            "</components></component>".repeat(50_000)
        );
        assert!(read("bom.xml", &deep_xml)
            .unwrap_err()
            .contains("deeper than"));
        let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library">
<name>&xxe;</name><purl>pkg:npm/a@1</purl></component></components></bom>"#;
        assert!(read("bom.xml", xxe)
            .unwrap_err()
            .contains("declares entities"));
        let mut laughs = String::from("<!DOCTYPE bom [<!ENTITY a \"ha\">");
        for i in 1..10 {
            laughs.push_str(&format!("<!ENTITY a{i} \"{}\">", "&a;".repeat(10)));
        }
        laughs.push_str("]><bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components><component><name>&a9;</name></component></components></bom>");
        assert!(read("bom.xml", &laughs)
            .unwrap_err()
            .contains("declares entities"));
    }

    #[test]
    fn names_and_content_choose_the_files() {
        for name in [
            "bom.json",
            "bom.xml",
            "bom.1.4.json",
            "app.cdx.json",
            "elixir-cdx.xml",
            "harp.sbom.json",
            "sbom.json",
            "proton-bridge-v1.8.0.bom.xml",
            "x.cyclonedx.json",
            "valid-bom-1.5.json",
            "app.jar!/META-INF/sbom/application.cdx.json",
        ] {
            assert!(CycloneDx.wants(Path::new(name)), "{name}");
        }
        for name in [
            "package.json",
            "bomb.json",
            "x.spdx.json",
            "pom.xml",
            "bom.txt",
        ] {
            assert!(!CycloneDx.wants(Path::new(name)), "{name}");
        }
        assert!(CycloneDx.sniff(JSON.as_bytes()));
        assert!(CycloneDx.sniff(XML.as_bytes()));
        assert!(!CycloneDx.sniff(br#"{"spdxVersion": "SPDX-2.3"}"#));
    }

    #[test]
    fn an_spdx_document_under_an_ambiguous_name_goes_to_the_spdx_reader() {
        let spdx = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":[
            {"SPDXID":"SPDXRef-a","name":"a","versionInfo":"1",
             "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl",
                              "referenceLocator":"pkg:npm/a@1"}]}]}"#;
        let out = read("app.sbom.json", spdx).unwrap();
        assert_eq!(scoped(&out), [("pkg:npm/a@1".to_string(), Scope::Unknown)]);
        // Keys sorted, `spdxVersion` far from the start.
        let sorted = format!(
            r#"{{"files": [{{"fileName": "{}"}}], {}"#,
            "x".repeat(10_000),
            &spdx[1..]
        );
        let out = read("sbom.json", &sorted).unwrap();
        assert_eq!(scoped(&out), [("pkg:npm/a@1".to_string(), Scope::Unknown)]);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let out = read(
            "bom.json",
            "\u{feff}{\"bomFormat\":\"CycloneDX\",\"components\":[{\"name\":\"a\",\"purl\":\"pkg:npm/a@1\"}]}",
        )
        .unwrap();
        assert_eq!(scoped(&out), [("pkg:npm/a@1".to_string(), Scope::Unknown)]);
        assert!(CycloneDx.sniff("\u{feff}{\"bomFormat\":\"CycloneDX\"}".as_bytes()));
    }

    #[test]
    fn syft_alpine_purls_are_apk_packages() {
        let out = read(
            "bom.json",
            r#"{"bomFormat":"CycloneDX","components":[{"name":"musl","version":"1.2.3-r0",
               "purl":"pkg:alpine/musl@1.2.3-r0?arch=x86_64&distro=alpine-3.16.0"}]}"#,
        )
        .unwrap();
        assert_eq!(
            scoped(&out),
            [(
                "pkg:apk/alpine/musl@1.2.3-r0?distro=alpine-3.16".to_string(),
                Scope::Unknown
            )]
        );
    }
}
