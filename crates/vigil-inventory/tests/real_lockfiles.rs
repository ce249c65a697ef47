//! Extractors on the real lockfiles in `../shared/data/lockfiles`; each test says SKIPPED when
//! that folder is absent.

mod common;

use std::path::Path;

/// The purls a scan of the file finds, and its warnings.
fn purls(path: &Path) -> (Vec<String>, Vec<String>) {
    let inventory = common::scan(path);
    (common::purls(&inventory), common::warnings(&inventory))
}

#[test]
fn npm_aliases_resolve_to_the_real_package_in_v1_and_v2() {
    for file in [
        "package-lock-json/alias.v1.json",
        "package-lock-json/alias.v2.json",
    ] {
        let Some(path) = common::shared_lockfile(file) else {
            return;
        };
        let (found, warnings) = purls(&path);
        assert_eq!(
            found,
            [
                "pkg:npm/%40babel/code-frame@7.0.0",
                "pkg:npm/string-width@4.2.0",
                "pkg:npm/string-width@5.1.2"
            ],
            "{file}"
        );
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
    }
}

#[test]
fn nested_dependencies_keep_both_versions() {
    for file in [
        "package-lock-json/nested-dependencies.v1.json",
        "package-lock-json/nested-dependencies.v2.json",
    ] {
        let Some(path) = common::shared_lockfile(file) else {
            return;
        };
        let (found, _) = purls(&path);
        assert_eq!(
            found,
            [
                "pkg:npm/postcss-calc@7.0.1",
                "pkg:npm/postcss@6.0.23",
                "pkg:npm/postcss@7.0.16",
                "pkg:npm/supports-color@5.5.0",
                "pkg:npm/supports-color@6.1.0"
            ],
            "{file}"
        );
    }
}

#[test]
fn git_installs_are_reported_not_named_after_their_folder() {
    let Some(path) = common::shared_lockfile("package-lock-json/commits.v2.json") else {
        return;
    };
    let (found, warnings) = purls(&path);
    assert!(
        !found.iter().any(|p| p.contains("is-number-1")),
        "{found:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("is-number-1") && w.contains("git+ssh")),
        "{warnings:?}"
    );
}

#[test]
fn a_real_workspace_lockfile_reads_every_installed_package() {
    let Some(path) = common::shared_lockfile("package-lock-json/yaak/package-lock.json") else {
        return;
    };
    let (found, warnings) = purls(&path);
    // Count independently: installed folders with a version that are not links.
    let lock: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let mut expected: Vec<String> = lock["packages"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, entry)| {
            key.contains("node_modules/")
                && entry.get("link").is_none()
                && entry.get("version").is_some()
        })
        .map(|(key, entry)| {
            let name = entry["name"]
                .as_str()
                .unwrap_or_else(|| key.rsplit("node_modules/").next().unwrap());
            format!("{name}@{}", entry["version"].as_str().unwrap())
        })
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(found.len(), expected.len(), "warnings: {warnings:?}");
    assert!(found.contains(&"pkg:npm/%40babel/core@7.29.7".to_string()));
}

#[test]
fn pip_requirements_variants() {
    let cases: &[(&str, &[&str])] = &[
        (
            "requirements-txt/extras.txt",
            &["pkg:pypi/celery@4.4.7", "pkg:pypi/pyjwt@2.1.0"],
        ),
        (
            "requirements-txt/multiline_and_comments.txt",
            &["pkg:pypi/pkga@1.0", "pkg:pypi/pkgb@2.0"],
        ),
        (
            "requirements-txt/env_var.txt",
            &["pkg:pypi/another@1.0", "pkg:pypi/asdf@1.2"],
        ),
    ];
    for (file, expected) in cases {
        let Some(path) = common::shared_lockfile(file) else {
            return;
        };
        let (found, _) = purls(&path);
        assert_eq!(found, *expected, "{file}");
    }
    let Some(path) = common::shared_lockfile("requirements-txt/with_versions.txt") else {
        return;
    };
    let (found, warnings) = purls(&path);
    for expected in [
        "pkg:pypi/nltk@3.2.2",
        "pkg:pypi/qwerty@0.1",
        "pkg:pypi/pkg-dot-name@5.0.0",
        "pkg:pypi/under-score@1.3",
    ] {
        assert!(
            found.contains(&expected.to_string()),
            "{expected} missing from {found:?}"
        );
    }
    assert!(
        warnings.iter().any(|w| w.contains("newspaper3k")),
        "unpinned lines are warnings: {warnings:?}"
    );
}
