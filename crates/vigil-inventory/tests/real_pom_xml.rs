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

use vigil_inventory::{extractors::PomXml, ExtractOutput};
use vigil_model::Scope;

fn shared(relative: &str) -> Option<PathBuf> {
    common::shared_lockfile(&format!("pom-xml/{relative}"))
}

fn read(path: &Path) -> ExtractOutput {
    let bytes = std::fs::read(path).unwrap();
    // Named explicitly, the scanner picks the first extractor whose content check accepts it.
    assert_eq!(
        common::sniffed_by(&bytes),
        Some("maven/pom-xml"),
        "{}",
        path.display()
    );
    common::extract(&PomXml, path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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

/// The same module scanned as a checkout, with its parent chain beside it
/// (`<relativePath>./parent</relativePath>`, twice): every dependency gets its version. The
/// expected set was computed independently with Python's `xml.etree` (properties and
/// dependencyManagement of the three poms, the module's first, then interpolation), plus the
/// `hadoop3` profile, active by default, whose `${hadoop.version}` and `${hadoop.deps.scope}`
/// only the parent defines.
#[test]
fn zeppelin_server_with_its_local_parents() {
    let Some(dir) = shared("zeppelin-server") else {
        return;
    };
    let inventory = vigil_inventory::scan_paths(std::slice::from_ref(&dir), &Default::default());
    let found: Vec<(String, Scope)> = inventory
        .components
        .iter()
        .map(|c| (c.purl(), c.scope))
        .collect();
    // The same checkout as a source tarball: the parents are found inside it.
    let tarball = tempfile::tempdir().unwrap();
    let tgz = tarball.path().join("zeppelin-src.tar.gz");
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        std::fs::File::create(&tgz).unwrap(),
        flate2::Compression::fast(),
    ));
    builder.append_dir_all("zeppelin-server", &dir).unwrap();
    builder.into_inner().unwrap().finish().unwrap();
    let packed = vigil_inventory::scan_paths(std::slice::from_ref(&tgz), &Default::default());
    let packed_found: Vec<(String, Scope)> = packed
        .components
        .iter()
        .map(|c| (c.purl(), c.scope))
        .collect();
    assert_eq!(packed_found, found);
    assert_eq!(
        packed.components[0].evidence[0].0,
        format!("{}!/zeppelin-server/pom.xml", tgz.display())
    );
    let dev = [
        "pkg:maven/org.apache.hadoop/hadoop-client-runtime@3.2.4",
        "pkg:maven/org.junit.jupiter/junit-jupiter-engine@5.7.1",
        "pkg:maven/org.hamcrest/hamcrest@2.2",
        "pkg:maven/org.mockito/mockito-core@3.12.4",
        "pkg:maven/org.seleniumhq.selenium/selenium-java@2.48.2",
        "pkg:maven/xml-apis/xml-apis@1.4.01",
    ];
    let direct = [
        // Also in test scope, as a test-jar: one component, the wider scope.
        "pkg:maven/org.apache.zeppelin/zeppelin-zengine@0.11.1",
        "pkg:maven/org.apache.httpcomponents/httpclient@4.5.13",
        "pkg:maven/org.slf4j/slf4j-reload4j@1.7.35",
        "pkg:maven/ch.qos.reload4j/reload4j@1.2.25",
        "pkg:maven/org.slf4j/jcl-over-slf4j@1.7.35",
        "pkg:maven/io.dropwizard.metrics/metrics-servlets@4.1.14",
        "pkg:maven/io.micrometer/micrometer-registry-prometheus@1.6.0",
        "pkg:maven/io.micrometer/micrometer-registry-jmx@1.6.0",
        "pkg:maven/io.dropwizard.metrics/metrics-jmx@4.1.14",
        "pkg:maven/org.glassfish.jersey.core/jersey-client@2.30",
        "pkg:maven/org.glassfish.jersey.containers/jersey-container-servlet-core@2.30",
        "pkg:maven/org.glassfish.jersey.media/jersey-media-json-jackson@2.30",
        "pkg:maven/org.glassfish.jersey.inject/jersey-hk2@2.30",
        "pkg:maven/org.glassfish.jersey.core/jersey-server@2.30",
        "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.6.1",
        "pkg:maven/javax.ws.rs/javax.ws.rs-api@2.1",
        "pkg:maven/org.bouncycastle/bcpkix-jdk15on@1.70",
        "pkg:maven/commons-collections/commons-collections@3.2.2",
        "pkg:maven/org.apache.shiro/shiro-core@1.10.0",
        "pkg:maven/commons-beanutils/commons-beanutils@1.9.4",
        "pkg:maven/org.apache.shiro/shiro-web@1.10.0",
        "pkg:maven/org.kohsuke/libpam4j@1.11",
        "pkg:maven/net.java.dev.jna/jna@4.1.0",
        "pkg:maven/org.eclipse.jetty/jetty-webapp@9.4.52.v20230823",
        "pkg:maven/org.eclipse.jetty/jetty-jmx@9.4.52.v20230823",
        "pkg:maven/org.eclipse.jetty.websocket/javax-websocket-server-impl@9.4.52.v20230823",
        "pkg:maven/com.google.code.gson/gson@2.8.9",
        "pkg:maven/com.nimbusds/nimbus-jose-jwt@9.13",
        "pkg:maven/org.quartz-scheduler/quartz@2.3.2",
        "pkg:maven/org.apache.directory.server/apacheds-kerberos-codec@2.0.0-M15",
        "pkg:maven/org.bitbucket.cowwoc/diff-match-patch@1.1",
    ];
    let mut expected: Vec<(String, Scope)> = dev
        .iter()
        .map(|p| (p.to_string(), Scope::Dev))
        .chain(direct.iter().map(|p| (p.to_string(), Scope::Direct)))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
    let unresolved: Vec<_> = inventory
        .warnings
        .iter()
        .filter(|w| w.message.contains("not recorded"))
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:#?}");
}

/// Maven's own poms as Debian ships them in `/usr/share/maven-repo` (versions rewritten to
/// `3.x` and `debian`), laid out as Maven's checkout is: the `maven` aggregator with its
/// modules below it, its parent `maven-parent` beside it (found by its coordinates, not at
/// `../pom.xml`). The modules declare no versions: all come from the parents. The expected
/// set was computed independently with Python's `xml.etree` over the same files.
#[test]
fn debians_maven_poms_as_a_multi_module_checkout() {
    let repo = Path::new("/usr/share/maven-repo/org/apache/maven");
    let poms = [
        ("maven/3.x/maven-3.x.pom", "maven/pom.xml"),
        (
            "maven-core/3.8.7/maven-core-3.8.7.pom",
            "maven/maven-core/pom.xml",
        ),
        (
            "maven-model/3.8.7/maven-model-3.8.7.pom",
            "maven/maven-model/pom.xml",
        ),
        (
            "maven-embedder/3.8.7/maven-embedder-3.8.7.pom",
            "maven/maven-embedder/pom.xml",
        ),
        (
            "maven-parent/debian/maven-parent-debian.pom",
            "maven-parent/pom.xml",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in poms {
        let Ok(bytes) = std::fs::read(repo.join(from)) else {
            eprintln!("SKIPPED: {} is missing", repo.join(from).display());
            return;
        };
        let to = dir.path().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    let inventory = vigil_inventory::scan_paths(&[dir.path().to_path_buf()], &Default::default());
    let found: Vec<(String, Scope)> = inventory
        .components
        .iter()
        .map(|c| (c.purl(), c.scope))
        .collect();
    let expected: Vec<(String, Scope)> = [
        (
            "pkg:maven/ch.qos.logback/logback-classic@debian",
            Scope::Direct,
        ),
        ("pkg:maven/com.google.inject/guice@debian", Scope::Direct),
        ("pkg:maven/commons-cli/commons-cli@debian", Scope::Direct),
        ("pkg:maven/javax.inject/javax.inject@debian", Scope::Direct),
        ("pkg:maven/junit/junit@4.x", Scope::Dev),
        (
            "pkg:maven/org.apache.commons/commons-lang3@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.geronimo.specs/geronimo-annotation_1.3_spec@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven.resolver/maven-resolver-api@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven.resolver/maven-resolver-impl@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven.resolver/maven-resolver-spi@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven.resolver/maven-resolver-util@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven.shared/maven-shared-utils@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven/maven-artifact@3.x",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven/maven-builder-support@3.x",
            Scope::Direct,
        ),
        ("pkg:maven/org.apache.maven/maven-core@3.x", Scope::Direct),
        (
            "pkg:maven/org.apache.maven/maven-model-builder@3.x",
            Scope::Direct,
        ),
        ("pkg:maven/org.apache.maven/maven-model@3.x", Scope::Direct),
        (
            "pkg:maven/org.apache.maven/maven-plugin-api@3.x",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven/maven-repository-metadata@3.x",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven/maven-resolver-provider@3.x",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven/maven-settings-builder@3.x",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.apache.maven/maven-settings@3.x",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.codehaus.plexus/plexus-cipher@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.codehaus.plexus/plexus-classworlds@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.codehaus.plexus/plexus-component-annotations@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.codehaus.plexus/plexus-interpolation@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.codehaus.plexus/plexus-sec-dispatcher@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.codehaus.plexus/plexus-utils@2.x",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.eclipse.sisu/org.eclipse.sisu.inject@debian",
            Scope::Direct,
        ),
        (
            "pkg:maven/org.eclipse.sisu/org.eclipse.sisu.plexus@debian",
            Scope::Direct,
        ),
        ("pkg:maven/org.slf4j/slf4j-api@debian", Scope::Direct),
        ("pkg:maven/org.slf4j/slf4j-simple@debian", Scope::Direct),
    ]
    .iter()
    .map(|(p, s)| (p.to_string(), *s))
    .collect();
    assert_eq!(found, expected);
    let unresolved: Vec<_> = inventory
        .warnings
        .iter()
        .filter(|w| w.message.contains("not recorded"))
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:#?}");
}
