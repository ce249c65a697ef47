//! Every vector of `../shared/data/version-vectors` (osv-scalibr's `semantic/testdata`: lines
//! `<a> <op> <b>`, ops `<`, `=`, `>`), checked in both directions in each ecosystem its file is
//! for. Where a vector (from osv.dev's comparators, or written for osv-scalibr's lenient
//! parsers) disagrees with the ecosystem's reference implementation, the reference wins: the
//! vector is listed in `version_vectors/exceptions.txt` with the reference's answer and the
//! reason, and the test checks that Vigil gives the reference's answer. Every other vector must
//! pass, and every listed exception must still be needed.
//!
//! Skipped, saying so, when `../shared` is not there.

use std::{
    cmp::Ordering,
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use vigil_advisories::version::compare;
use vigil_model::Ecosystem;

/// The OSV ecosystems each file is for (from osv-scalibr's `semantic/compare_test.go`).
const FILES: &[(&str, &[&str])] = &[
    ("alpine-versions.txt", &["Alpine"]),
    ("alpine-versions-generated.txt", &["Alpine"]),
    ("debian-versions.txt", &["Debian"]),
    ("debian-versions-generated.txt", &["Debian"]),
    ("maven-versions.txt", &["Maven"]),
    ("maven-versions-generated.txt", &["Maven"]),
    ("nuget-versions.txt", &["NuGet"]),
    ("packagist-versions.txt", &["Packagist"]),
    ("packagist-versions-generated.txt", &["Packagist"]),
    ("pub-versions.txt", &["Pub"]),
    ("pypi-versions.txt", &["PyPI"]),
    ("pypi-versions-generated.txt", &["PyPI"]),
    ("redhat-versions.txt", &["Red Hat"]),
    ("rubygems-versions.txt", &["RubyGems"]),
    ("rubygems-versions-generated.txt", &["RubyGems"]),
    ("semver-versions.txt", &["npm", "crates.io", "Go", "Hex"]),
];

/// Files for ecosystems Vigil does not cover.
const NOT_COVERED: &[(&str, &str)] = &[
    ("cran-versions.txt", "CRAN"),
    ("cran-versions-generated.txt", "CRAN"),
    ("hackage-versions.txt", "Hackage"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Order(Ordering),
    /// The ecosystem rejects one of the two versions.
    Invalid,
}

impl Outcome {
    fn parse(text: &str) -> Outcome {
        match text {
            "<" => Outcome::Order(Ordering::Less),
            "=" => Outcome::Order(Ordering::Equal),
            ">" => Outcome::Order(Ordering::Greater),
            "invalid" => Outcome::Invalid,
            other => panic!("unknown outcome {other:?}"),
        }
    }

    fn reverse(self) -> Outcome {
        match self {
            Outcome::Order(order) => Outcome::Order(order.reverse()),
            Outcome::Invalid => Outcome::Invalid,
        }
    }
}

fn outcome(ecosystem: Ecosystem, a: &str, b: &str) -> Outcome {
    match compare(ecosystem, a, b) {
        Ok(order) => Outcome::Order(order),
        Err(_) => Outcome::Invalid,
    }
}

/// `(file, ecosystem, vector)` → (reference outcome, reason).
type Exceptions = BTreeMap<(String, String, String), (Outcome, String)>;

/// Reads `exceptions.txt`: `## <reason>` opens a group; each line after it is
/// `<file> | <ecosystem> | <vector as written> | <reference answer: <, =, > or invalid>`.
fn exceptions() -> Exceptions {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/version_vectors/exceptions.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut reason = None;
    let mut out = Exceptions::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(header) = line.strip_prefix("## ") {
            reason = Some(header.trim().to_string());
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(" | ").collect();
        let [file, ecosystem, vector, answer] = fields[..] else {
            panic!(
                "{}:{}: expected 4 fields separated by ' | ': {line}",
                path.display(),
                number + 1
            );
        };
        let reason = reason
            .clone()
            .unwrap_or_else(|| panic!("{}:{}: no ## reason above", path.display(), number + 1));
        let key = (file.to_string(), ecosystem.to_string(), vector.to_string());
        let previous = out.insert(key, (Outcome::parse(answer), reason));
        assert!(
            previous.is_none(),
            "{}:{}: listed twice: {line}",
            path.display(),
            number + 1
        );
    }
    out
}

fn vectors_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/version-vectors");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: {} is missing (../shared/data is not here)",
            dir.display()
        );
        None
    }
}

#[test]
fn every_version_vector_passes_or_is_a_listed_exception() {
    let Some(dir) = vectors_dir() else { return };
    let exceptions = exceptions();
    let mut used = BTreeSet::new();
    let mut failures = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let (mut total_passed, mut total_exceptions) = (0, 0);
    for name in &names {
        if let Some((_, ecosystem)) = NOT_COVERED.iter().find(|(file, _)| file == name) {
            println!("{name}: not checked: Vigil does not cover {ecosystem}");
            continue;
        }
        let Some((_, ecosystems)) = FILES.iter().find(|(file, _)| file == name) else {
            panic!("{name}: a vector file this test does not know; say which ecosystem it is for");
        };
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        for ecosystem_name in *ecosystems {
            let ecosystem = Ecosystem::from_osv(ecosystem_name).unwrap();
            let (mut passed, mut excepted) = (0, 0);
            for line in text.lines() {
                if line.is_empty() || line.starts_with("# ") || line.starts_with("// ") {
                    continue;
                }
                let parts: Vec<&str> = line.split(' ').collect();
                let [a, op, b] = parts[..] else {
                    panic!("{name}: not `<a> <op> <b>`: {line:?}")
                };
                let vector = Outcome::parse(op);
                let key = (name.clone(), ecosystem_name.to_string(), line.to_string());
                let expected = match exceptions.get(&key) {
                    Some((reference, _)) => {
                        used.insert(key.clone());
                        *reference
                    }
                    None => vector,
                };
                let (forward, backward) = (outcome(ecosystem, a, b), outcome(ecosystem, b, a));
                if forward == expected && backward == expected.reverse() {
                    if exceptions.contains_key(&key) {
                        excepted += 1;
                    } else {
                        passed += 1;
                    }
                } else {
                    failures.push(format!(
                        "{name} | {ecosystem_name} | {line} | expected {expected:?}, got {forward:?} (and {backward:?} reversed)"
                    ));
                }
            }
            println!("{name} as {ecosystem_name}: {passed} passed, {excepted} listed exceptions (reference's answer checked)");
            total_passed += passed;
            total_exceptions += excepted;
        }
    }
    println!("all files: {total_passed} passed, {total_exceptions} listed exceptions");
    let stale: Vec<_> = exceptions
        .keys()
        .filter(|key| !used.contains(*key))
        .collect();
    assert!(
        stale.is_empty(),
        "exceptions that match no vector any more: {stale:#?}"
    );
    assert!(
        failures.is_empty(),
        "{} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
