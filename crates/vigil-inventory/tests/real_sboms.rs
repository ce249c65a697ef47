//! The SBOM extractors on the real CycloneDX and SPDX documents in `../shared/data/sbom`; each
//! test says SKIPPED when that folder is absent. Set `VIGIL_SHARED_DATA` to the `data` folder
//! when the repository is not beside `shared/`.
//!
//! The expected counts were computed independently of Vigil, with Python's `json` and
//! `xml.etree.ElementTree` over the same files:
//!
//! - CycloneDX: every `component` under the top-level `components`, recursively through each
//!   component's own `components`, plus those nested in `metadata.component` (which is itself
//!   not counted): `jcount(doc["components"]) + jcount(doc["metadata"]["component"]["components"])`.
//! - SPDX 2: the number of `packages` (tag-value: `PackageName:` lines), minus the packages the
//!   document DESCRIBES (`documentDescribes`, `DESCRIBES` from `SPDXRef-DOCUMENT`) unless their
//!   purl is of a type Vigil supports, or unless the document describes every one of several
//!   packages (then there is no separate subject).
//! - SPDX 3: the same rule over the `@graph`'s `software_Package` elements, the subject being
//!   the `rootElement` of the `SpdxDocument` or `software_Sbom`.

mod common;

use std::path::Path;

use vigil_inventory::{
    extractors::{CycloneDx, Spdx},
    ExtractOutput, Extractor, FileInput,
};

use common::{extract, purls, shared_data, sniffed_by};

/// `(file, components + unidentified)` for every CycloneDX SBOM in the folder.
const CYCLONEDX: &[(&str, usize)] = &[
    ("CBOM/Protocol/bom.json", 8),
    ("SBOM/cern-lhc-vdm-editor-e564943/bom.json", 43),
    ("SBOM/cern-lhc-vdm-editor-e564943/bom.xml", 43),
    ("SBOM/dropwizard-1.3.15/bom.json", 167),
    ("SBOM/dropwizard-1.3.15/bom.xml", 167),
    ("SBOM/juice-shop/v11.1.2/bom.json", 840),
    ("SBOM/juice-shop/v11.1.2/bom.xml", 840),
    ("SBOM/juice-shop/via_npm/bare/bom.1.3.xml", 1115),
    ("SBOM/juice-shop/via_npm/flat/bom.1.4.json", 1115),
    ("SBOM/keycloak-10.0.2/bom.json", 903),
    ("SBOM/keycloak-10.0.2/bom.xml", 903),
    ("SBOM/laravel-7.12.0/bom.1.1.xml", 62),
    ("SBOM/laravel-7.12.0/bom.1.2.json", 62),
    ("SBOM/laravel-7.12.0/bom.1.3.json", 62),
    ("SBOM/laravel-7.12.0/bom.1.4.json", 62),
    ("SBOM/laravel-7.12.0/bom.1.4.xml", 62),
    ("SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json", 201),
    ("SBOM/proton-bridge/proton-bridge-v1.8.0.bom.xml", 201),
    ("SBOM/protonmail-webclient-v4-0912dff/bom.json", 883),
    ("VEX/CISA-Use-Cases/Case-8/bom-1.json", 0),
    ("VEX/CISA-Use-Cases/Case-8/bom-2.json", 0),
    ("VEX/bom.json", 3),
    ("bom-shelter/elixir-cdx.xml", 584),
    ("bom-shelter/ghidra-sbom-cdx.json", 109),
    ("bom-shelter/harp-darwin-amd64.sbom.json", 814),
    ("bom-shelter/joc-cockpit-sbom-cdx.json", 160),
    ("bom-shelter/mediawiki-cdx.xml", 196),
    ("bom-shelter/redis-commander-sbom-cdx.json", 514),
    ("bom-shelter/traefix-cdx.xml", 266),
    ("dependency-track/bom-issue2519.xml", 2184),
    ("dependency-track/bom-issue4455.json", 23),
    ("dependency-track/valid-bom-1.5.json", 2),
    ("dependency-track/valid-bom-1.6.json", 2),
    ("dependency-track/valid-bom-1.6.xml", 3),
];

/// VEX documents: `vulnerabilities` and no components at all.
const CYCLONEDX_VEX: &[&str] = &[
    "VEX/CISA-Use-Cases/Case-2/vex.json",
    "VEX/CISA-Use-Cases/Case-8/vex.json",
    "VEX/vex.json",
];

/// `(file, components + unidentified)` for every SPDX document in the folder.
const SPDX: &[(&str, usize)] = &[
    ("bom-shelter/chartmuseum-v0.14.0.spdx", 175),
    ("bom-shelter/chronicle-sbom.spdx.json", 575),
    ("bom-shelter/constellation-spdx.json", 1303),
    ("bom-shelter/flux_0.26.3_sbom.spdx", 244),
    ("bom-shelter/flux_0.26.3_sbom.spdx.json", 244),
    ("bom-shelter/grype-sbom.spdx.json", 1160),
    ("bom-shelter/julia.spdx", 33),
    ("bom-shelter/julia.spdx.json", 33),
    ("bom-shelter/k8s-release-sbom.spdx", 105),
    ("bom-shelter/missionlz.spdx.json", 1),
    ("bom-shelter/powershell.spdx.json", 330),
    ("bom-shelter/usbutils.spdx", 0),
    ("bom-shelter/win-x64-manifest.spdx.json", 87),
    (
        "spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/03-SBOMwDependency.json",
        1,
    ),
    (
        "spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/04-SBOMwSecurity.json",
        1,
    ),
    (
        "spdx-examples/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json",
        3,
    ),
    ("spdx-examples/software/example1/spdx2.2/example1.spdx", 0),
    (
        "spdx-examples/software/example10/spdx2.3/hello-source.spdx.json",
        0,
    ),
    ("spdx-examples/software/example11/spdx2.3/sbom.spdx.json", 4),
    (
        "spdx-examples/software/example12/spdx2.2/hello-src.spdx.json",
        0,
    ),
    (
        "spdx-examples/software/example14/spdx2.3/examplemaven-0.0.1-enriched.spdx.json",
        5,
    ),
    (
        "spdx-examples/software/example6/spdx2.2/example6-bin.spdx",
        0,
    ),
    (
        "spdx-examples/software/example6/spdx2.2/example6-lib.spdx",
        4,
    ),
    (
        "spdx-examples/software/example7/spdx2.2/example7-bin.spdx.json",
        0,
    ),
    (
        "spdx-examples/software/example7/spdx2.2/example7-golang.spdx.json",
        1,
    ),
    (
        "spdx-examples/software/example7/spdx2.2/example7-third-party-modules.spdx.json",
        3,
    ),
    (
        "spdx-examples/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json",
        5,
    ),
    (
        "spdx-examples/software/example9/spdx2.2/appbomination.spdx.json",
        6,
    ),
];

/// Every file under `dir` except the bom-shelter CSV indexes, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().and_then(|e| e.to_str()) != Some("csv") {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_cyclonedx_sbom_is_read_whole() {
    let Some(dir) = shared_data("sbom/cyclonedx") else {
        return;
    };
    // The table covers the whole folder, so a new file there must be added to it.
    let mut listed: Vec<String> = CYCLONEDX
        .iter()
        .map(|(f, _)| f.to_string())
        .chain(CYCLONEDX_VEX.iter().map(|f| f.to_string()))
        .collect();
    listed.sort();
    assert_eq!(files_under(&dir), listed);
    for (file, expected) in CYCLONEDX {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(sniffed_by(&bytes), Some("sbom/cyclonedx"), "{file}");
        let out = extract(&CycloneDx, &path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            out.components.len() + out.unidentified.len(),
            *expected,
            "{file}: {} components, {} unidentified, warnings {:?}",
            out.components.len(),
            out.unidentified.len(),
            out.warnings
        );
    }
    for file in CYCLONEDX_VEX {
        let err = extract(&CycloneDx, &dir.join(file)).unwrap_err();
        assert!(err.contains("VEX"), "{file}: {err}");
    }
}

#[test]
fn every_spdx_sbom_is_read_whole() {
    let Some(dir) = shared_data("sbom/spdx") else {
        return;
    };
    let spdx3 = "spdx-examples/software/example9/spdx3.0/appbomination.spdx3.json";
    let mut listed: Vec<String> = SPDX
        .iter()
        .map(|(f, _)| f.to_string())
        .chain([spdx3.to_string()])
        .collect();
    listed.sort();
    assert_eq!(files_under(&dir), listed);
    for (file, expected) in SPDX {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(sniffed_by(&bytes), Some("sbom/spdx"), "{file}");
        let out = extract(&Spdx, &path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            out.components.len() + out.unidentified.len(),
            *expected,
            "{file}: {} components, {} unidentified, warnings {:?}",
            out.components.len(),
            out.unidentified.len(),
            out.warnings
        );
    }
    let bytes = std::fs::read(dir.join(spdx3)).unwrap();
    assert_eq!(sniffed_by(&bytes), Some("sbom/spdx"), "{spdx3}");
}

/// SPDX's own example 9 (App-BOM-ination) is published as SPDX 2.2 and as SPDX 3.0.1 JSON-LD:
/// both say the same, so read as SPDX 3 it must give what its 2.2 edition gives, and the 3.0.1
/// edition's facts, checked with Python's `json` over the file: six packages besides the
/// subject App-BOM-ination (the `rootElement` and `describes` target), four with a Maven
/// `software_packageUrl`, licenses from `hasDeclaredLicense` to `LicenseExpression` elements
/// (`NOASSERTION` for two, which then fall back to the concluded one).
#[test]
fn spdx_3_json_ld_reads_as_its_spdx_2_edition() {
    let Some(dir) = shared_data("sbom/spdx/spdx-examples/software/example9") else {
        return;
    };
    let v3 = extract(&Spdx, &dir.join("spdx3.0/appbomination.spdx3.json")).unwrap();
    let v2 = extract(&Spdx, &dir.join("spdx2.2/appbomination.spdx.json")).unwrap();
    let summary = |out: &ExtractOutput| {
        let mut components: Vec<(String, Option<String>)> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.purl(),
                    c.license.as_ref().and_then(|l| l.expression.clone()),
                )
            })
            .collect();
        components.sort();
        let mut unidentified: Vec<(String, Option<String>, Option<String>)> = out
            .unidentified
            .iter()
            .map(|u| {
                (
                    u.name.clone(),
                    u.version.clone(),
                    u.license.as_ref().and_then(|l| l.expression.clone()),
                )
            })
            .collect();
        unidentified.sort();
        (components, unidentified)
    };
    let (components, unidentified) = summary(&v3);
    let expression = |e: &str| Some(e.to_string());
    assert_eq!(
        components,
        [
            (
                "pkg:maven/junit/junit@4.12".to_string(),
                expression("EPL-1.0")
            ),
            (
                "pkg:maven/org.apache.commons/commons-lang3@3.4".into(),
                expression("Apache-2.0")
            ),
            (
                "pkg:maven/org.hamcrest/hamcrest-core@1.3".into(),
                expression("BSD-3-Clause")
            ),
            (
                "pkg:maven/org.slf4j/slf4j-api@1.7.21".into(),
                expression("Apache-2.0")
            ),
        ]
    );
    assert_eq!(
        unidentified,
        [
            (
                "Faust Proprietary File".to_string(),
                None,
                expression("LicenseRef-1")
            ),
            ("Gradle".into(), None, expression("Apache-2.0")),
        ]
    );
    assert_eq!(summary(&v2), summary(&v3));
    assert!(v3.warnings.is_empty(), "{:?}", v3.warnings);
}

fn sorted_purls(out: &ExtractOutput) -> Vec<String> {
    let mut found = purls(out);
    found.sort();
    found
}

#[test]
fn json_and_xml_of_one_project_give_the_same_components() {
    let Some(dir) = shared_data("sbom/cyclonedx/SBOM") else {
        return;
    };
    for (json, xml) in [
        (
            "cern-lhc-vdm-editor-e564943/bom.json",
            "cern-lhc-vdm-editor-e564943/bom.xml",
        ),
        ("dropwizard-1.3.15/bom.json", "dropwizard-1.3.15/bom.xml"),
        ("juice-shop/v11.1.2/bom.json", "juice-shop/v11.1.2/bom.xml"),
        (
            "juice-shop/via_npm/flat/bom.1.4.json",
            "juice-shop/via_npm/bare/bom.1.3.xml",
        ),
        ("keycloak-10.0.2/bom.json", "keycloak-10.0.2/bom.xml"),
        ("laravel-7.12.0/bom.1.4.json", "laravel-7.12.0/bom.1.4.xml"),
        ("laravel-7.12.0/bom.1.2.json", "laravel-7.12.0/bom.1.1.xml"),
        (
            "proton-bridge/proton-bridge-v1.8.0.bom.json",
            "proton-bridge/proton-bridge-v1.8.0.bom.xml",
        ),
    ] {
        let a = extract(&CycloneDx, &dir.join(json)).unwrap();
        let b = extract(&CycloneDx, &dir.join(xml)).unwrap();
        assert_eq!(sorted_purls(&a), sorted_purls(&b), "{json} / {xml}");
        let hashes = |o: &ExtractOutput| {
            o.components
                .iter()
                .map(|c| c.hashes.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(hashes(&a), hashes(&b), "{json} / {xml}");
    }
}

#[test]
fn dropwizard_components_carry_their_hashes_and_licenses() {
    let Some(path) = shared_data("sbom/cyclonedx/SBOM/dropwizard-1.3.15/bom.json") else {
        return;
    };
    let out = extract(&CycloneDx, &path).unwrap();
    // `jq '.components[0]'`: jackson-annotations 2.9.10 with MD5, SHA-1, SHA-256, SHA-384,
    // SHA-512 and SHA3 digests, and `{"license": {"id": "Apache-2.0"}}`.
    let first = &out.components[0];
    assert_eq!(
        first.purl(),
        "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10"
    );
    let algorithms: Vec<&str> = first.hashes.iter().map(|h| h.algorithm.as_str()).collect();
    assert_eq!(
        algorithms,
        ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"]
    );
    assert_eq!(
        first.hashes[1].value,
        "53ab2f0f92e87ea4874c8c6997335c211d81e636"
    );
    assert_eq!(
        first.license.as_ref().and_then(|l| l.expression.as_deref()),
        Some("Apache-2.0")
    );
    assert_eq!(first.evidence[0].0, path.display().to_string());
}

#[test]
fn npm_sboms_say_which_components_are_direct_and_dev() {
    let Some(path) = shared_data("sbom/cyclonedx/SBOM/juice-shop/via_npm/flat/bom.1.4.json") else {
        return;
    };
    let out = extract(&CycloneDx, &path).unwrap();
    // Python: components with scope optional/excluded (76); of the others, those in the
    // `dependsOn` of metadata.component's bom-ref (71); the rest (968).
    let count =
        |scope: vigil_model::Scope| out.components.iter().filter(|c| c.scope == scope).count();
    assert_eq!(count(vigil_model::Scope::Dev), 76);
    assert_eq!(count(vigil_model::Scope::Direct), 71);
    assert_eq!(count(vigil_model::Scope::Transitive), 968);
    let scope_of = |purl: &str| {
        out.components
            .iter()
            .find(|c| c.purl() == purl)
            .map(|c| c.scope)
    };
    assert_eq!(
        scope_of("pkg:npm/body-parser@1.20.2"),
        Some(vigil_model::Scope::Direct)
    );
    assert_eq!(
        scope_of("pkg:npm/%40gar/promisify@1.1.3"),
        Some(vigil_model::Scope::Dev)
    );
}

#[test]
fn components_nested_in_the_subject_are_read_and_the_subject_is_not() {
    let Some(path) = shared_data("sbom/cyclonedx/bom-shelter/harp-darwin-amd64.sbom.json") else {
        return;
    };
    let out = extract(&CycloneDx, &path).unwrap();
    let found = purls(&out);
    // metadata.component is pkg:golang/github.com/elastic/harp@v0.2.10 and holds 109 components.
    assert!(!found.contains(&"pkg:golang/github.com/elastic/harp@v0.2.10".to_string()));
    assert!(
        found.contains(&"pkg:golang/github.com/elastic/harp/api/gen/go/cso/v1@v0.2.10".to_string())
    );
    assert_eq!(found.len(), 814);
}

#[test]
fn components_without_a_usable_purl_are_kept_as_unidentified() {
    let Some(dir) = shared_data("sbom/cyclonedx/bom-shelter") else {
        return;
    };
    // ghidra: 47 of its 109 components have no purl (`jq '[.components[] | select(.purl == null)] | length'`).
    let out = extract(&CycloneDx, &dir.join("ghidra-sbom-cdx.json")).unwrap();
    assert_eq!((out.components.len(), out.unidentified.len()), (62, 47));
    assert!(out.unidentified.iter().all(|u| u.purl.is_none()));
    // traefik: Syft's `pkg:alpine/...` purls are Alpine packages.
    let out = extract(&CycloneDx, &dir.join("traefix-cdx.xml")).unwrap();
    assert!(purls(&out)
        .contains(&"pkg:apk/alpine/alpine-baselayout@3.2.0-r18?distro=alpine-3.15".to_string()));
}

#[test]
fn spdx_json_and_tag_value_of_one_release_agree() {
    let Some(dir) = shared_data("sbom/spdx/bom-shelter") else {
        return;
    };
    let json = extract(&Spdx, &dir.join("flux_0.26.3_sbom.spdx.json")).unwrap();
    let tag_value = extract(&Spdx, &dir.join("flux_0.26.3_sbom.spdx")).unwrap();
    assert_eq!(sorted_purls(&json), sorted_purls(&tag_value));
    assert!(purls(&tag_value).contains(&"pkg:golang/github.com/google/go-cmp@v0.5.6".to_string()));
    let json = extract(&Spdx, &dir.join("julia.spdx.json")).unwrap();
    let tag_value = extract(&Spdx, &dir.join("julia.spdx")).unwrap();
    let names = |o: &ExtractOutput| {
        let mut n: Vec<String> = o.unidentified.iter().map(|u| u.name.clone()).collect();
        n.sort();
        n
    };
    assert_eq!(names(&json), names(&tag_value));
}

#[test]
fn spdx_example_with_a_registry_root_package() {
    let Some(path) =
        shared_data("sbom/spdx/spdx-examples/software/example11/spdx2.3/sbom.spdx.json")
    else {
        return;
    };
    let out = extract(&Spdx, &path).unwrap();
    // The described root is pkg:deb/debian/libselinux1-dev (a registry package): it is kept.
    assert_eq!(
        purls(&out),
        [
            "pkg:deb/debian/libselinux1-dev@3.1-3",
            "pkg:cargo/hyper@0.14",
            "pkg:cargo/tokio@1.19.2",
            "pkg:cargo/pretty_env_logger@0.4.0"
        ]
    );
    // licenseDeclared is NOASSERTION for the crates: licenseConcluded is used.
    let licenses: Vec<Option<&str>> = out
        .components
        .iter()
        .map(|c| c.license.as_ref().and_then(|l| l.expression.as_deref()))
        .collect();
    assert_eq!(
        licenses,
        [
            Some("Apache-2.0"),
            Some("MIT"),
            Some("MIT"),
            Some("MIT OR Apache-2.0")
        ]
    );
}

#[test]
fn the_scanner_routes_sboms_by_name_in_folders_and_by_content_when_named() {
    use vigil_inventory::{scan_paths, ScanLimits};
    let Some(dir) = shared_data("sbom") else {
        return;
    };
    // In a folder walk, SBOMs are chosen by name; none of them fails.
    let inventory = scan_paths(std::slice::from_ref(&dir), &ScanLimits::default());
    let failures: Vec<_> = inventory
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("sbom/"))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(inventory
        .components
        .iter()
        .any(|c| c.purl() == "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10"));
    // Named explicitly, files whose names say nothing are recognised by their content.
    for (file, purl) in [
        (
            "spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/03-SBOMwDependency.json",
            None,
        ),
        ("cyclonedx/VEX/vex.json", None),
        ("spdx/bom-shelter/missionlz.spdx.json", None),
        (
            "cyclonedx/dependency-track/valid-bom-1.6.xml",
            Some("pkg:maven/com.acme/tomcat-catalina@9.0.14"),
        ),
    ] {
        let inventory = scan_paths(&[dir.join(file)], &ScanLimits::default());
        let unknown: Vec<_> = inventory
            .warnings
            .iter()
            .filter(|w| w.message == "no extractor recognises this file")
            .collect();
        assert!(unknown.is_empty(), "{file}: {unknown:#?}");
        if let Some(purl) = purl {
            assert!(
                inventory.components.iter().any(|c| c.purl() == purl),
                "{file}: {:?}",
                inventory
                    .components
                    .iter()
                    .map(|c| c.purl())
                    .collect::<Vec<_>>()
            );
        }
        if file.ends_with("vex.json") {
            assert!(
                inventory
                    .warnings
                    .iter()
                    .any(|w| w.message.starts_with("sbom/cyclonedx: a VEX document")),
                "{:?}",
                inventory.warnings
            );
        }
    }
}

/// The share of the declared licenses of the real SBOMs' components (identified or not) that
/// become an SPDX expression: what `license::declared` resolves on texts others wrote.
#[test]
fn nearly_every_declared_license_of_the_real_sboms_becomes_an_spdx_expression() {
    let (Some(cyclonedx), Some(spdx)) = (shared_data("sbom/cyclonedx"), shared_data("sbom/spdx"))
    else {
        return;
    };
    let documents = CYCLONEDX
        .iter()
        .map(|(file, _)| (&CycloneDx as &dyn Extractor, cyclonedx.join(file)))
        .chain(
            SPDX.iter()
                .map(|(file, _)| (&Spdx as &dyn Extractor, spdx.join(file))),
        );
    let mut resolved = 0usize;
    let mut unresolved = std::collections::BTreeMap::<String, usize>::new();
    let mut distinct = std::collections::BTreeMap::<String, bool>::new();
    for (extractor, path) in documents {
        let out = extract(extractor, &path).unwrap();
        let licenses = out
            .components
            .iter()
            .filter_map(|c| c.license.as_ref())
            .chain(out.unidentified.iter().filter_map(|u| u.license.as_ref()));
        for license in licenses {
            distinct.insert(license.raw.clone(), license.expression.is_some());
            match &license.expression {
                Some(_) => resolved += 1,
                None => *unresolved.entry(license.raw.clone()).or_default() += 1,
            }
        }
    }
    let total = resolved + unresolved.values().sum::<usize>();
    let share = resolved as f64 / total as f64;
    let mut left: Vec<_> = unresolved.into_iter().collect();
    left.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let distinct_share = distinct.values().filter(|r| **r).count() as f64 / distinct.len() as f64;
    eprintln!(
        "{resolved} of {total} declared licenses ({:.1}%; {:.1}% of the {} distinct texts) are \
         SPDX expressions; left as written: {left:#?}",
        share * 100.0,
        distinct_share * 100.0,
        distinct.len()
    );
    assert!(share >= 0.99, "{:.2}%", share * 100.0);
}

/// The SPDX 3.0 documents in the test data of `ntia-conformance-checker` 6.0.0 (the SPDX
/// project's SBOM checker), from its source distribution on PyPI: what they say was read with
/// Python's `json`. `has_sbom.json` has four packages under an Sbom whose `rootElement` is the
/// product, none with a purl; `compliant_bsi_spdx3.json` has one package, the root, whose purl is
/// `pkg:generic/...`.
#[test]
fn spdx_3_documents_of_the_ntia_checker_are_read() {
    let Some(sdist) = common::pip_download(
        "ntia-conformance-checker==6.0.0",
        "ntia_conformance_checker-6.0.0.tar.gz",
        true,
    ) else {
        return;
    };
    let wanted = [
        "ntia_conformance_checker-6.0.0/tests/data/spdx3/has_sbom.json",
        "ntia_conformance_checker-6.0.0/tests/data/bsi/compliant_bsi_spdx3.json",
    ];
    let mut files = std::collections::BTreeMap::new();
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(&sdist).unwrap());
    for entry in tar::Archive::new(gz).entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        if wanted.contains(&path.as_str()) {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            files.insert(path, bytes);
        }
    }
    assert_eq!(files.len(), 2, "{:?}", files.keys());
    let read = |name: &str| {
        let bytes = &files[name];
        assert_eq!(sniffed_by(bytes), Some("sbom/spdx"), "{name}");
        Spdx.extract(&FileInput {
            path: Path::new(name),
            bytes,
        })
        .unwrap()
    };

    let out = read(wanted[0]);
    assert!(out.components.is_empty());
    let mut unidentified: Vec<(&str, Option<&str>)> = out
        .unidentified
        .iter()
        .map(|u| (u.name.as_str(), u.version.as_deref()))
        .collect();
    unidentified.sort();
    assert_eq!(
        unidentified,
        [
            (
                "alpine:latest",
                Some("69665d02cb32192e52e07644d76bc6f25abeb5410edc1c7a81a10ba3f0efb90a")
            ),
            ("npm-elliptic", Some("6.5.2")),
            ("openssl", Some("3.0.4")),
        ]
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);

    let out = read(wanted[1]);
    assert!(out.components.is_empty() && out.unidentified.is_empty());
    assert_eq!(
        out.warnings,
        ["the SBOM lists no packages besides its subject"]
    );
}
