//! Jars without `pom.properties`, as Debian builds them (with Ant or bnd), fetched with
//! `apt-get download` into the test cache and copied under other names, as applications
//! bundle them: identified from their manifests, and marked so. Says SKIPPED when the Debian
//! mirror cannot be reached.

#[allow(dead_code)] // Only the fetching helpers are used here.
mod common;

use sha1::Digest;
use vigil_inventory::{scan_paths, ScanLimits};
use vigil_model::{HashAlgorithm, Identification};

use common::hex;

#[test]
fn debian_jars_renamed_on_copy_are_identified_by_their_manifests() {
    let Some(root) = common::debian_packages(
        "debian-jars",
        &["liblog4j1.2-java", "libtomcat9-java", "libjna-java"],
    ) else {
        return;
    };
    let java = root.join("usr/share/java");
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).unwrap();
    // (Debian's file, the name the application gave its copy, the purl)
    let jars = [
        (
            "log4j-1.2-1.2.17.jar",
            "log4j-1.2-1.2.17.jar",
            "pkg:maven/log4j/log4j@1.2.17",
        ),
        (
            "tomcat9-catalina-9.0.70.jar",
            "tomcat9-catalina-9.0.70.jar",
            "pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.70",
        ),
        (
            "jna-5.13.0.jar",
            "copy12-jna.jar",
            "pkg:maven/net.java.dev.jna/jna@5.13.0",
        ),
        (
            "tomcat9-coyote-9.0.70.jar",
            "coyote.jar",
            "pkg:maven/org.apache.tomcat/tomcat-coyote@9.0.70",
        ),
    ];
    let mut expected = Vec::new();
    for (file, copy, purl) in jars {
        let bytes = std::fs::read(java.join(file)).unwrap();
        std::fs::write(lib.join(copy), &bytes).unwrap();
        expected.push((purl.to_string(), hex(&sha1::Sha1::digest(&bytes))));
    }
    expected.sort();

    let inventory = scan_paths(std::slice::from_ref(&lib), &ScanLimits::default());
    let found: Vec<(String, String)> = inventory
        .components
        .iter()
        .map(|c| {
            assert_eq!(c.identified_by, Identification::Manifest, "{}", c.purl());
            assert_eq!(c.hashes[0].algorithm, HashAlgorithm::Sha1);
            (c.purl(), c.hashes[0].value.clone())
        })
        .collect();
    assert_eq!(found, expected);
    assert!(
        inventory.unidentified.is_empty(),
        "{:?}",
        inventory.unidentified
    );
    let log4j = inventory
        .components
        .iter()
        .find(|c| c.package.name == "log4j:log4j")
        .unwrap();
    assert_eq!(
        log4j.evidence[0].0,
        format!(
            "{}!/META-INF/MANIFEST.MF",
            lib.join("log4j-1.2-1.2.17.jar").display()
        )
    );
}

#[test]
fn a_jar_with_a_telling_file_name_and_an_empty_manifest_stays_unidentified() {
    // Debian's aopalliance jar: built by Ant, its manifest says only who built it.
    let Ok(bytes) = std::fs::read("/usr/share/java/aopalliance-1.0.jar") else {
        eprintln!("SKIPPED: /usr/share/java/aopalliance-1.0.jar is missing");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Named as the real log4j jar is: the name alone must not make it log4j.
    let jar = dir.path().join("log4j-1.2.17.jar");
    std::fs::write(&jar, &bytes).unwrap();
    let inventory = scan_paths(std::slice::from_ref(&jar), &ScanLimits::default());
    assert!(
        inventory.components.is_empty(),
        "{:?}",
        inventory.components
    );
    let u = &inventory.unidentified[0];
    assert_eq!(
        (u.name.as_str(), u.version.as_deref()),
        ("log4j", Some("1.2.17"))
    );
    assert_eq!(u.purl, None);
    assert_eq!(u.hashes[0].value, hex(&sha1::Sha1::digest(&bytes)));
}
