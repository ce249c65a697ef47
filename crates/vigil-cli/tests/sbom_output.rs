//! The SBOMs Vigil writes, judged by the official tools users' pipelines run on them: SPDX 2.3
//! by spdx-tools' validator (what `pyspdxtools -i FILE` runs), CycloneDX 1.6 by its JSON schema
//! in strict mode (cyclonedx-python-lib). Both come from the venv `make setup-test` makes, and
//! run through `tests/validators/validate_sboms.py`, one process per format for many files.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sbom-output")
}

/// `vigil scan INPUT --format FORMAT --output OUT`, with a data folder of its own. An input
/// with nothing in it (a VEX document, an SBOM of its subject alone) exits 1 with its warning,
/// and its document is still written.
fn scan_to(input: &Path, format: &str, out: &Path, data: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "scan",
            input.to_str().unwrap(),
            "--format",
            format,
            "--output",
        ])
        .arg(out)
        .env("VIGIL_DATA_DIR", data)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)) && out.is_file(),
        "scan {} --format {format}: {}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The validator's errors for each file, in the order given.
fn validate(kind: &str, files: &[PathBuf]) -> Vec<Vec<String>> {
    let python = vigil_testkit::python_importing(&["spdx_tools", "cyclonedx"]);
    let script = vigil_testkit::repo_root().join("tests/validators/validate_sboms.py");
    let output = Command::new(python)
        .arg(script)
        .arg(kind)
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the {kind} validator failed to run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), files.len(), "one verdict per file");
    lines
        .iter()
        .map(|line| {
            line["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn licenses_of_every_kind_and_odd_references_give_documents_the_validators_accept() {
    let dir = tempfile::tempdir().unwrap();
    let mut spdx = Vec::new();
    let mut cyclonedx = Vec::new();
    for input in ["licenses.cdx.json", "empty.cdx.json"] {
        let stem = input.trim_end_matches(".cdx.json");
        let (s, c) = (
            dir.path().join(format!("{stem}.spdx.json")),
            dir.path().join(format!("{stem}.out.cdx.json")),
        );
        scan_to(&fixtures().join(input), "spdx", &s, dir.path());
        scan_to(&fixtures().join(input), "cyclonedx", &c, dir.path());
        spdx.push(s);
        cyclonedx.push(c);
    }
    for (kind, files) in [("spdx", &spdx), ("cyclonedx", &cyclonedx)] {
        for (file, errors) in files.iter().zip(validate(kind, files)) {
            assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        }
    }

    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&spdx[0]).unwrap()).unwrap();
    let extracted: Vec<(&str, &str)> = doc["hasExtractedLicensingInfos"]
        .as_array()
        .expect("a LicenseRef is used, so it is defined")
        .iter()
        .map(|e| {
            (
                e["licenseId"].as_str().unwrap(),
                e["extractedText"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(extracted, [("LicenseRef-public-domain", "Public Domain")]);
    let package = |name: &str| {
        doc["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no package {name}"))
            .clone()
    };
    assert_eq!(
        package("org.openjdk:jol-core")["licenseDeclared"],
        "GPL-2.0-only WITH Classpath-exception-2.0"
    );
    assert_eq!(
        package("com.google.guava:guava")["licenseDeclared"],
        "Apache-2.0"
    );
    let own_terms = package("six");
    assert_eq!(own_terms["licenseDeclared"], "NOASSERTION");
    assert_eq!(
        own_terms["licenseComments"],
        "declared as: Some Vendor's Own Terms v7"
    );
    let url = package("runner-image");
    assert!(
        url.get("externalRefs").is_none(),
        "a URL is no purl locator: {url}"
    );
    assert_eq!(
        url["comment"],
        "listed with the reference https://github.com/actions/virtual-environments"
    );

    let empty: Value = serde_json::from_str(&std::fs::read_to_string(&spdx[1]).unwrap()).unwrap();
    assert_eq!(empty["packages"][0]["SPDXID"], "SPDXRef-Artifact");
    assert_eq!(
        empty["relationships"][0]["relatedSpdxElement"],
        "SPDXRef-Artifact"
    );
}

/// What the validators get wrong, each checked against the SPDX license list itself.
/// license-expression (under spdx-tools) takes every id ending in `-exception` for an
/// exception, but `MPL-2.0-no-copyleft-exception` is a license of the list (licenses.json).
const VALIDATOR_MISREADINGS: &[&str] = &["MPL-2.0-no-copyleft-exception"];

#[test]
fn every_real_sbom_rescanned_is_valid_spdx_and_cyclonedx() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !base.join("sbom").is_dir() {
        eprintln!("SKIPPED: ../shared/data/sbom is missing");
        return;
    }
    let licenses: Value =
        serde_json::from_str(&std::fs::read_to_string(base.join("spdx/licenses.json")).unwrap())
            .unwrap();
    for id in VALIDATOR_MISREADINGS {
        assert!(
            licenses["licenses"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["licenseId"] == *id),
            "{id} is a license of the SPDX list, so the validator's complaint is its own"
        );
    }
    let mut inputs = Vec::new();
    let mut stack = vec![base.join("sbom")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.ends_with(".json") || n.ends_with(".spdx") || n.ends_with(".xml")
            }) {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    assert!(inputs.len() >= 60, "the shared SBOMs: {}", inputs.len());
    let dir = tempfile::tempdir().unwrap();
    let (mut spdx, mut cyclonedx) = (Vec::new(), Vec::new());
    for (i, input) in inputs.iter().enumerate() {
        let (s, c) = (
            dir.path().join(format!("{i}.spdx.json")),
            dir.path().join(format!("{i}.cdx.json")),
        );
        scan_to(input, "spdx", &s, dir.path());
        scan_to(input, "cyclonedx", &c, dir.path());
        spdx.push(s);
        cyclonedx.push(c);
    }
    let mut failures = Vec::new();
    for (kind, files) in [("spdx", &spdx), ("cyclonedx", &cyclonedx)] {
        for (input, errors) in inputs.iter().zip(validate(kind, files)) {
            let errors: Vec<String> = errors
                .into_iter()
                .filter(|e| !VALIDATOR_MISREADINGS.iter().any(|id| e.contains(id)))
                .collect();
            if !errors.is_empty() {
                failures.push(format!("{kind} of {}: {errors:?}", input.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    eprintln!(
        "{} real SBOMs rescanned: every SPDX 2.3 and CycloneDX 1.6 output valid",
        inputs.len()
    );
}
