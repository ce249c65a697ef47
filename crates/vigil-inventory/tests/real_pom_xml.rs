//! The pom.xml extractor on the real poms in `../shared/data/lockfiles/pom-xml` (from
//! osv-scalibr's and osv-scanner's test data, plus two real projects); each test says SKIPPED
//! when that folder is absent. Set `VIGIL_SHARED_DATA` to the `data` folder when the repository
//! is not beside `shared/`.
//!
//! Where Vigil differs from osv-scanner's old expectations it follows Maven: a version written on
//! a dependency wins over `dependencyManagement` (osv-scanner v1 reported netty-all 4.1.42.Final
//! and the managed-only jsr305), and a version range is a warning, not its lower bound.

mod common;

use std::path::{Path, PathBuf};

use vigil_inventory::{
    extractors::{PomXml, REGISTRY},
    ExtractOutput, Extractor, FileInput,
};
use vigil_model::Scope;

fn shared(relative: &str) -> Option<PathBuf> {
    common::shared_data(&format!("lockfiles/pom-xml/{relative}"))
}

fn read(path: &Path) -> ExtractOutput {
    let bytes = std::fs::read(path).unwrap();
    // Named explicitly, the scanner picks the first extractor whose content check accepts it.
    let head = &bytes[..bytes.len().min(4096)];
    let sniffed = REGISTRY.iter().find(|e| e.sniff(head)).map(|e| e.name());
    assert_eq!(sniffed, Some("maven/pom-xml"), "{}", path.display());
    PomXml
        .extract(&FileInput {
            path,
            bytes: &bytes,
        })
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn found(out: &ExtractOutput) -> Vec<(String, Scope)> {
    out.components.iter().map(|c| (c.purl(), c.scope)).collect()
}

fn direct(purls: &[&str]) -> Vec<(String, Scope)> {
    purls
        .iter()
        .map(|p| (p.to_string(), Scope::Direct))
        .collect()
}

#[test]
fn properties_are_interpolated_and_ranges_reported() {
    let Some(path) = shared("interpolation.xml") else {
        return;
    };
    let out = read(&path);
    assert_eq!(
        found(&out),
        direct(&[
            "pkg:maven/org.mine/mypackage@1.0.0",
            "pkg:maven/org.mine/my.package@2.3.4"
        ])
    );
    assert_eq!(
        out.warnings,
        ["dependency org.mine:ranged-package: version [9.4.35.v20201120,9.5) is a range, not one version; not recorded"]
    );
}

#[test]
fn a_written_version_wins_over_dependency_management() {
    let Some(path) = shared("with-dependency-management.xml") else {
        return;
    };
    let out = read(&path);
    assert_eq!(
        found(&out),
        direct(&[
            "pkg:maven/io.netty/netty-all@4.1.9",
            "pkg:maven/org.slf4j/slf4j-log4j12@1.7.25"
        ])
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn test_scope_is_dev() {
    let Some(path) = shared("with-scope.xml") else {
        return;
    };
    assert_eq!(
        found(&read(&path)),
        [
            ("pkg:maven/abc/xyz@1.2.3".to_string(), Scope::Direct),
            ("pkg:maven/junit/junit@4.12".to_string(), Scope::Dev)
        ]
    );
}

#[test]
fn type_and_classifier_do_not_change_the_package() {
    let Some(path) = shared("with-type-classifier.xml") else {
        return;
    };
    assert_eq!(found(&read(&path)), direct(&["pkg:maven/abc/xyz@1.0.0"]));
}

#[test]
fn profiles_active_by_default_are_read() {
    let Some(path) = shared("profiles.xml") else {
        return;
    };
    let out = read(&path);
    assert_eq!(
        found(&out),
        direct(&["pkg:maven/org.profile/profile-dep@1.2.3"])
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn managed_only_entries_are_not_dependencies() {
    let Some(path) = shared("transitive.xml") else {
        return;
    };
    let out = read(&path);
    assert_eq!(
        found(&out),
        direct(&[
            "pkg:maven/org.direct/alice@1.0.0",
            "pkg:maven/org.direct/bob@2.0.0",
            "pkg:maven/org.direct/chris@3.0.0"
        ])
    );
}

/// Counts from Python's ElementTree over the file: `project/dependencies/dependency` elements,
/// those with a `<version>` (all resolvable from the file's properties and `project.*`), and the
/// profiles with dependencies that are not active by default.
#[test]
fn dependency_track_apiserver() {
    let Some(path) = shared("dependency-track-apiserver/pom.xml") else {
        return;
    };
    let out = read(&path);
    // 90 dependencies: 49 with a version, 41 whose version comes from the parent pom.
    assert_eq!(out.components.len(), 49);
    let no_version = out
        .warnings
        .iter()
        .filter(|w| w.contains("has no version in this file (it comes from the parent pom org.dependencytrack:dependency-track-parent:5.1.0-SNAPSHOT"))
        .count();
    assert_eq!(no_version, 41);
    assert!(out.warnings.contains(
        &"profile dev-services is not active by default; its 2 dependencies were not read"
            .to_string()
    ));
    assert_eq!(out.warnings.len(), 42);
    let purls = found(&out);
    for expected in [
        (
            "pkg:maven/org.dependencytrack/api@5.1.0-SNAPSHOT",
            Scope::Direct,
        ),
        (
            "pkg:maven/us.springett/owasp-risk-rating-calculator@1.0.1",
            Scope::Direct,
        ),
        (
            "pkg:maven/com.fasterxml.woodstox/woodstox-core@7.2.2",
            Scope::Direct,
        ),
        (
            "pkg:maven/io.swagger.parser.v3/swagger-parser@2.1.46",
            Scope::Dev,
        ),
        (
            "pkg:maven/org.dependencytrack/test-database-support@5.1.0-SNAPSHOT",
            Scope::Dev,
        ),
    ] {
        assert!(
            purls.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?}"
        );
    }
}

#[test]
fn zeppelin_server_without_its_local_parents() {
    let Some(path) = shared("zeppelin-server/pom.xml") else {
        return;
    };
    let out = read(&path);
    // 37 dependencies: 26 with a version, of which 8 use properties only the parent defines
    // (jetty.version, dropwizard.version, micrometer.version, quartz.scheduler.version), and 11
    // without one; zeppelin-zengine is declared twice (the jar, and its test-jar in test scope).
    assert_eq!(out.components.len(), 18);
    let purls = found(&out);
    for expected in [
        (
            "pkg:maven/org.apache.zeppelin/zeppelin-zengine@0.11.1",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.zeppelin/zeppelin-zengine@0.11.1",
            Scope::Dev,
        ),
        (
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.6.1",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.glassfish.jersey.core/jersey-server@2.30",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.seleniumhq.selenium/selenium-java@2.48.2",
            Scope::Dev,
        ),
    ] {
        assert!(
            purls.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?}"
        );
    }
    let count = |needle: &str| out.warnings.iter().filter(|w| w.contains(needle)).count();
    assert_eq!(count("has no version in this file (it comes from the parent pom org.apache.zeppelin:zeppelin:0.11.1"), 11);
    assert_eq!(
        count("is not defined in this file"),
        9,
        "8 above and hadoop3's hadoop.version"
    );
    assert_eq!(count("profile hadoop2 is not active by default"), 1);
    // The parents themselves only manage versions: no dependencies of their own.
    for parent in [
        "zeppelin-server/parent/pom.xml",
        "zeppelin-server/parent/parent/pom.xml",
    ] {
        let Some(path) = shared(parent) else { return };
        assert!(read(&path).components.is_empty(), "{parent}");
    }
}
