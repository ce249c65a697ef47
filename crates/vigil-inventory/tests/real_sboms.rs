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
//!   purl is of a type Vigil supports.

use std::path::{Path, PathBuf};

use vigil_inventory::{
    extractors::{CycloneDx, Spdx},
    ExtractOutput, Extractor, FileInput,
};

fn shared(relative: &str) -> Option<PathBuf> {
    let candidates = [
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")),
        std::env::var_os("VIGIL_SHARED_DATA").map(PathBuf::from),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .map(|base| base.join(relative))
        .find(|p| p.exists());
    if found.is_none() {
        eprintln!("SKIPPED: {relative} is missing (../shared/data is not here and VIGIL_SHARED_DATA is not set)");
    }
    found
}

fn extract(extractor: &dyn Extractor, path: &Path) -> Result<ExtractOutput, String> {
    let bytes = std::fs::read(path).unwrap();
    extractor.extract(&FileInput {
        path,
        bytes: &bytes,
    })
}

fn purls(out: &ExtractOutput) -> Vec<String> {
    out.components.iter().map(|c| c.purl()).collect()
}

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
        0,
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
    let Some(dir) = shared("sbom/cyclonedx") else {
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
        assert!(CycloneDx.sniff(&bytes), "{file} is recognised by content");
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
    let Some(dir) = shared("sbom/spdx") else {
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
        assert!(Spdx.sniff(&bytes), "{file} is recognised by content");
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
    let err = extract(&Spdx, &dir.join(spdx3)).unwrap_err();
    assert!(err.contains("SPDX 3"), "{err}");
}
