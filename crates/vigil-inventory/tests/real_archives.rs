//! Archives and installed trees built from real packages: Debian's jars (already on the
//! machine under /usr/share/java), npm packages installed and pip wheels downloaded at test time
//! into `target/test-cache/` (never committed). Each test says SKIPPED and returns when what it
//! needs is absent or the registry cannot be reached.

mod common;

use std::{
    collections::BTreeSet,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use sha1::Digest;
use vigil_inventory::{scan_paths, ScanLimits};
use vigil_model::HashAlgorithm;

use common::{fetch_output, hex, pip_download, purls, test_cache};

fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Jars inside a war are stored, as the war plugin does.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn gz_tar(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(encoder);
    for (name, bytes) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

#[test]
fn debian_jars_in_a_war_in_a_tar_gz() {
    let java = Path::new("/usr/share/java");
    // (file in /usr/share/java, name it gets in the war)
    let jars = [
        ("commons-lang3.jar", "commons-lang3-3.12.0.jar"),
        ("guava.jar", "guava-31.1-jre.jar"),
        ("slf4j-api.jar", "slf4j-api-1.7.32.jar"),
        ("wagon-http-shaded-3.5.3.jar", "wagon-http-shaded-3.5.3.jar"),
        ("guice-servlet.jar", "guice-servlet-4.2.3.jar"),
        ("aopalliance-1.0.jar", "aopalliance-1.0.jar"),
    ];
    let mut entries = Vec::new();
    for (file, name) in jars {
        let Ok(bytes) = std::fs::read(java.join(file)) else {
            eprintln!("SKIPPED: /usr/share/java/{file} is missing");
            return;
        };
        entries.push((format!("WEB-INF/lib/{name}"), bytes));
    }
    let commons_lang3_sha1 = hex(&sha1::Sha1::digest(&entries[0].1));
    let guava_sha1 = hex(&sha1::Sha1::digest(&entries[1].1));
    let war = zip_of(&entries);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.tar.gz");
    std::fs::write(&path, gz_tar(&[("shop/app.war".into(), war)])).unwrap();

    let inventory = scan_paths(std::slice::from_ref(&path), &ScanLimits::default());
    assert_eq!(
        purls(&inventory),
        [
            "pkg:maven/com.google.guava/guava@31.1-jre",
            "pkg:maven/commons-codec/commons-codec@1.15",
            "pkg:maven/org.apache.commons/commons-lang3@3.12.0",
            "pkg:maven/org.apache.httpcomponents/httpclient@4.5.14",
            "pkg:maven/org.apache.httpcomponents/httpcore@4.4.16",
            "pkg:maven/org.apache.maven.wagon/wagon-http-shared@3.5.3",
            "pkg:maven/org.apache.maven.wagon/wagon-http@3.5.3",
            "pkg:maven/org.slf4j/slf4j-api@1.7.32",
        ]
    );
    let root = path.display();
    let lang3 = &inventory.components[2];
    assert_eq!(
        lang3.evidence[0].0,
        format!("{root}!/shop/app.war!/WEB-INF/lib/commons-lang3-3.12.0.jar!/META-INF/maven/org.apache.commons/commons-lang3/pom.properties")
    );
    assert_eq!(lang3.hashes[0].algorithm, HashAlgorithm::Sha1);
    assert_eq!(lang3.hashes[0].value, commons_lang3_sha1);
    assert_eq!(inventory.components[0].hashes[0].value, guava_sha1);
    // The shaded jar is none of the artifacts it swallowed: no SHA-1 on them.
    assert!(inventory.components[1].hashes.is_empty());
    // Debian rebuilt these without Maven; their manifests name no groupId.
    let unidentified: BTreeSet<(String, Option<String>)> = inventory
        .unidentified
        .iter()
        .map(|u| (u.name.clone(), u.version.clone()))
        .collect();
    assert_eq!(
        unidentified,
        BTreeSet::from([
            ("aopalliance".to_string(), Some("1.0".to_string())),
            ("app".to_string(), None),
            (
                "com.google.inject.servlet".to_string(),
                Some("4.2.3".to_string())
            ),
        ])
    );
    assert_eq!(inventory.warnings.len(), 3, "{:#?}", inventory.warnings);
}

/// Installs npm packages into the cache once; `None` when npm or the registry is unreachable.
fn npm_tree(name: &str, packages: &[&str]) -> Option<PathBuf> {
    let dir = test_cache(name);
    if !dir.join("node_modules/.package-lock.json").exists() {
        let installed = fetch_output(
            Command::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--ignore-scripts",
                    "--prefix",
                ])
                .arg(&dir)
                .args(packages),
        );
        if installed.is_none() {
            eprintln!("SKIPPED: npm install {packages:?} failed (no network?)");
            return None;
        }
    }
    Some(dir)
}

/// What npm itself recorded as installed (`node_modules/.package-lock.json`): the oracle.
fn npm_installed(dir: &Path) -> BTreeSet<String> {
    let lock: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("node_modules/.package-lock.json")).unwrap(),
    )
    .unwrap();
    lock["packages"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, entry)| key.contains("node_modules/") && entry.get("link").is_none())
        .map(|(key, entry)| {
            let name = key.rsplit_once("node_modules/").unwrap().1;
            let version = entry["version"].as_str().unwrap();
            vigil_model::PackageRef::new(
                vigil_model::Ecosystem::Npm,
                name,
                Some(version.to_string()),
            )
            .to_purl()
        })
        .collect()
}

#[test]
fn a_real_node_modules_tree_on_disk_and_in_a_tar_gz() {
    let Some(dir) = npm_tree("npm-express", &["express@4.18.2"]) else {
        return;
    };
    let expected = npm_installed(&dir);
    assert!(expected.len() > 50, "{expected:?}");
    assert!(expected.contains("pkg:npm/express@4.18.2"));

    let on_disk = scan_paths(&[dir.join("node_modules")], &ScanLimits::default());
    let found: BTreeSet<String> = purls(&on_disk).into_iter().collect();
    assert_eq!(found, expected);
    assert!(on_disk.warnings.is_empty(), "{:#?}", on_disk.warnings);
    let express = on_disk
        .components
        .iter()
        .find(|c| c.purl() == "pkg:npm/express@4.18.2")
        .unwrap();
    assert_eq!(
        express.license.as_ref().unwrap().expression.as_deref(),
        Some("MIT")
    );

    // The same tree as a tarball: every package.json read in place.
    let mut entries = Vec::new();
    let mut stack = vec![dir.join("node_modules")];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&entry).unwrap();
            if meta.is_dir() {
                stack.push(entry);
            } else if meta.is_file() {
                let name = entry.strip_prefix(&dir).unwrap().display().to_string();
                entries.push((name, std::fs::read(&entry).unwrap()));
            }
        }
    }
    let tgz = tempfile::tempdir().unwrap();
    let path = tgz.path().join("tree.tgz");
    std::fs::write(&path, gz_tar(&entries)).unwrap();
    let packed = scan_paths(std::slice::from_ref(&path), &ScanLimits::default());
    let found: BTreeSet<String> = purls(&packed).into_iter().collect();
    assert_eq!(found, expected);
    let express = packed
        .components
        .iter()
        .find(|c| c.purl() == "pkg:npm/express@4.18.2")
        .unwrap();
    assert_eq!(
        express.evidence[0].0,
        format!("{}!/node_modules/express/package.json", path.display())
    );
}

#[test]
fn real_wheels_name_their_distribution_with_the_wheel_sha256() {
    let Some(six) = pip_download("six==1.16.0", "six-1.16.0-py2.py3-none-any.whl", false) else {
        return;
    };
    let Some(attrs) = pip_download("attrs==23.2.0", "attrs-23.2.0-py3-none-any.whl", false) else {
        return;
    };
    let inventory = scan_paths(&[six.clone(), attrs.clone()], &ScanLimits::default());
    assert_eq!(
        purls(&inventory),
        ["pkg:pypi/attrs@23.2.0", "pkg:pypi/six@1.16.0"]
    );
    assert!(inventory.warnings.is_empty(), "{:#?}", inventory.warnings);
    for (component, file) in inventory.components.iter().zip([&attrs, &six]) {
        let sha256 = hex(&sha2::Sha256::digest(std::fs::read(file).unwrap()));
        assert_eq!(component.hashes.len(), 1);
        assert_eq!(component.hashes[0].algorithm, HashAlgorithm::Sha256);
        assert_eq!(component.hashes[0].value, sha256);
        assert_eq!(
            component.license.as_ref().unwrap().expression.as_deref(),
            Some("MIT"),
            "{}",
            component.purl()
        );
    }
}

#[test]
fn this_machines_site_packages_match_pip_list() {
    let Ok(output) = Command::new("python3")
        .args([
            "-c",
            "import json,sysconfig;print(sysconfig.get_paths()['purelib'])",
        ])
        .output()
    else {
        eprintln!("SKIPPED: no python3");
        return;
    };
    let site = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let Ok(listed) = Command::new("python3")
        .args(["-m", "pip", "list", "--format", "json", "--path"])
        .arg(&site)
        .output()
    else {
        eprintln!("SKIPPED: no pip");
        return;
    };
    let Ok(listed) = serde_json::from_slice::<serde_json::Value>(&listed.stdout) else {
        eprintln!("SKIPPED: pip list gave no JSON");
        return;
    };
    let expected: BTreeSet<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            vigil_model::PackageRef::new(
                vigil_model::Ecosystem::PyPI,
                p["name"].as_str().unwrap(),
                Some(p["version"].as_str().unwrap().to_string()),
            )
            .to_purl()
        })
        .collect();
    if expected.is_empty() {
        eprintln!("SKIPPED: {} holds no packages", site.display());
        return;
    }
    // Only the distributions' own metadata, not the wheels or lockfiles a package ships.
    let inventory = scan_paths(std::slice::from_ref(&site), &ScanLimits::default());
    let found: BTreeSet<String> = inventory
        .components
        .iter()
        .filter(|c| c.ecosystem() == vigil_model::Ecosystem::PyPI)
        .filter(|c| {
            c.evidence.iter().any(|e| {
                let e = &e.0;
                e.ends_with("/METADATA") || e.ends_with("/PKG-INFO") || e.ends_with(".egg-info")
            })
        })
        .map(|c| c.purl())
        .collect();
    assert_eq!(found, expected, "{}", site.display());
}
