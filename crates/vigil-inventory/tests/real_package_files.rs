//! Package files on their own: npm tarballs (`npm pack`), Python sdists (`pip download
//! --no-binary`), a Debian package (`apt-get download`), fetched at test time into the test
//! cache (never committed), and an rpm built with the `rpm` crate (no rpm registry is
//! reachable). Also the compressions (xz, bzip2, zstd), their bombs, and the archives Vigil
//! does not read. Each test that needs a registry says SKIPPED and returns when it cannot
//! reach it.

#[allow(dead_code)] // shared_data is for other binaries
mod common;

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
    process::Command,
};

use base64::Engine;
use sha1::Digest;
use vigil_inventory::{scan_paths, Inventory, ScanLimits};
use vigil_model::HashAlgorithm;

use common::{fetch_output, hex, pip_download, test_cache};

/// An npm tarball packed once into the cache, with what npm says its hashes are.
struct Packed {
    path: PathBuf,
    shasum: String,
    /// The SHA-512 of `integrity` (`sha512-<base64>`), in hex.
    sha512: String,
}

fn npm_pack(spec: &str) -> Option<Packed> {
    let dir = test_cache("npm-pack");
    let record = dir.join(format!("{}.json", spec.replace('/', "+")));
    if !record.exists() {
        let Some(json) = fetch_output(
            Command::new("npm")
                .args(["pack", spec, "--json", "--pack-destination"])
                .arg(&dir)
                .current_dir(&dir),
        ) else {
            eprintln!("SKIPPED: npm pack {spec} failed (no network?)");
            return None;
        };
        std::fs::write(&record, json).unwrap();
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
    let packed = &json[0];
    let integrity = packed["integrity"].as_str().unwrap();
    let sha512 = base64::engine::general_purpose::STANDARD
        .decode(integrity.strip_prefix("sha512-").unwrap())
        .unwrap();
    Some(Packed {
        path: dir.join(packed["filename"].as_str().unwrap()),
        shasum: packed["shasum"].as_str().unwrap().to_string(),
        sha512: hex(&sha512),
    })
}

/// A Debian package downloaded once into the cache (`apt-get download` needs no root).
fn deb(package: &str) -> Option<PathBuf> {
    let dir = test_cache("apt-download");
    let find = || {
        std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{package}_")) && n.ends_with(".deb"))
            })
    };
    if let Some(path) = find() {
        return Some(path);
    }
    if fetch_output(
        Command::new("apt-get")
            .args(["download", package])
            .current_dir(&dir),
    )
    .is_none()
    {
        eprintln!("SKIPPED: apt-get download {package} failed (no Debian mirror?)");
        return None;
    }
    find()
}

type Row = (String, Option<String>, Vec<(HashAlgorithm, String)>);

/// Each component as (purl, license as declared, hashes).
fn rows(inventory: &Inventory) -> Vec<Row> {
    inventory
        .components
        .iter()
        .map(|c| {
            (
                c.purl(),
                c.license.as_ref().map(|l| l.raw.clone()),
                c.hashes
                    .iter()
                    .map(|h| (h.algorithm, h.value.clone()))
                    .collect(),
            )
        })
        .collect()
}

fn row(purl: &str, license: Option<&str>, hashes: &[(HashAlgorithm, &str)]) -> Row {
    (
        purl.to_string(),
        license.map(str::to_string),
        hashes.iter().map(|(a, v)| (*a, v.to_string())).collect(),
    )
}

fn sha256_of(path: &Path) -> String {
    hex(&sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, name, *bytes).unwrap();
    }
    builder.into_inner().unwrap()
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn bz2(bytes: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zst(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn npm_tarballs_are_their_package_with_the_registrys_hashes_on_disk_and_nested() {
    let Some(lodash) = npm_pack("lodash@4.17.15") else {
        return;
    };
    let Some(is) = npm_pack("@sindresorhus/is@4.6.0") else {
        return;
    };
    let expected = vec![
        row(
            "pkg:npm/%40sindresorhus/is@4.6.0",
            Some("MIT"),
            &[
                (HashAlgorithm::Sha1, &is.shasum),
                (HashAlgorithm::Sha512, &is.sha512),
            ],
        ),
        row(
            "pkg:npm/lodash@4.17.15",
            Some("MIT"),
            &[
                (HashAlgorithm::Sha1, &lodash.shasum),
                (HashAlgorithm::Sha512, &lodash.sha512),
            ],
        ),
    ];
    let on_disk = scan_paths(
        &[lodash.path.clone(), is.path.clone()],
        &ScanLimits::default(),
    );
    assert_eq!(rows(&on_disk), expected);
    assert!(on_disk.warnings.is_empty(), "{:#?}", on_disk.warnings);
    assert_eq!(
        on_disk.components[1].evidence[0].0,
        format!("{}!/package/package.json", lodash.path.display())
    );

    // Nested in a .tar.xz, the tarballs are hashed as they stream by.
    let dir = tempfile::tempdir().unwrap();
    let lodash_bytes = std::fs::read(&lodash.path).unwrap();
    let is_bytes = std::fs::read(&is.path).unwrap();
    let bundle = write(
        dir.path(),
        "bundle.tar.xz",
        &xz(&tar_of(&[
            ("deps/lodash-4.17.15.tgz", &lodash_bytes),
            ("deps/sindresorhus-is-4.6.0.tgz", &is_bytes),
        ])),
    );
    let nested = scan_paths(std::slice::from_ref(&bundle), &ScanLimits::default());
    assert_eq!(rows(&nested), expected);
    assert!(nested.warnings.is_empty(), "{:#?}", nested.warnings);
    assert_eq!(
        nested.components[1].evidence[0].0,
        format!(
            "{}!/deps/lodash-4.17.15.tgz!/package/package.json",
            bundle.display()
        )
    );
}

#[test]
fn python_sdists_as_tar_gz_and_zip_are_their_distribution_with_the_sha256() {
    let Some(pyyaml) = pip_download("PyYAML==5.3", "PyYAML-5.3.tar.gz", true) else {
        return;
    };
    let Some(pyreadline) = pip_download("pyreadline==2.1", "pyreadline-2.1.zip", true) else {
        return;
    };
    let inventory = scan_paths(
        &[pyyaml.clone(), pyreadline.clone()],
        &ScanLimits::default(),
    );
    assert_eq!(
        rows(&inventory),
        [
            row(
                "pkg:pypi/pyreadline@2.1",
                Some("BSD"),
                &[(HashAlgorithm::Sha256, &sha256_of(&pyreadline))],
            ),
            row(
                "pkg:pypi/pyyaml@5.3",
                Some("MIT"),
                &[(HashAlgorithm::Sha256, &sha256_of(&pyyaml))],
            ),
        ]
    );
    assert!(inventory.warnings.is_empty(), "{:#?}", inventory.warnings);
    assert_eq!(
        inventory.components[1].evidence[0].0,
        format!("{}!/PyYAML-5.3/PKG-INFO", pyyaml.display())
    );
}

#[test]
fn a_real_deb_is_its_source_package_and_the_jar_it_installs() {
    let Some(path) = deb("liblog4j1.2-java") else {
        return;
    };
    // dpkg-deb is the oracle for what the control file says.
    let field = |name: &str| {
        let out = fetch_output(Command::new("dpkg-deb").arg("-f").arg(&path).arg(name))?;
        Some(String::from_utf8(out).unwrap().trim().to_string())
    };
    let (Some(package), Some(source), Some(version)) =
        (field("Package"), field("Source"), field("Version"))
    else {
        eprintln!("SKIPPED: dpkg-deb cannot read {}", path.display());
        return;
    };
    assert_eq!(package, "liblog4j1.2-java");
    assert_ne!(source, package, "the test wants a source named apart");
    let inventory = scan_paths(std::slice::from_ref(&path), &ScanLimits::default());
    // The deb's own component, and what its data.tar.xz installs: Debian's log4j jar, which
    // the jar reader identifies or keeps as unidentified, depending on its manifest.
    let jar = "!/data.tar.xz!/usr/share/java/log4j-1.2-1.2.17.jar";
    let deb_purl = format!("pkg:deb/debian/{source}@{version}");
    let (own, installed): (Vec<_>, Vec<_>) = inventory
        .components
        .iter()
        .partition(|c| c.purl() == deb_purl);
    assert_eq!(own.len(), 1, "{:#?}", inventory.components);
    let from_the_jar = installed
        .iter()
        .flat_map(|c| &c.evidence)
        .chain(inventory.unidentified.iter().flat_map(|u| &u.evidence));
    let mut reached = 0;
    for evidence in from_the_jar {
        assert!(evidence.0.contains(jar), "{evidence:?}");
        reached += 1;
    }
    assert!(reached > 0, "the jar in data.tar.xz was not read");
    for warning in &inventory.warnings {
        assert!(warning.path.to_string_lossy().ends_with(jar), "{warning:?}");
    }
    let deb = own[0];
    assert_eq!(
        deb.evidence[0].0,
        format!("{}!/control.tar.xz!/control", path.display())
    );
    assert_eq!(deb.license, None);
    assert!(deb.hashes.is_empty());
}

fn rpm_file(name: &str, vendor: &str, epoch: Option<u32>) -> Vec<u8> {
    let mut builder = rpm::PackageBuilder::new(name, "1.1.1k", "OpenSSL", "x86_64", "A real rpm");
    builder
        .release("12.el8_9")
        .vendor(vendor)
        .with_file_contents("x", rpm::FileOptions::new("/usr/lib64/libx.so"))
        .unwrap();
    if let Some(epoch) = epoch {
        builder.epoch(epoch);
    }
    let mut bytes = Vec::new();
    builder.build().unwrap().write(&mut bytes).unwrap();
    bytes
}

#[test]
fn rpm_files_on_disk_and_nested_name_their_package_by_vendor() {
    let dir = tempfile::tempdir().unwrap();
    let redhat = write(
        dir.path(),
        "openssl-libs-1.1.1k-12.el8_9.x86_64.rpm",
        &rpm_file("openssl-libs", "Red Hat, Inc.", Some(1)),
    );
    // Under a name that does not say rpm, inside a zstd tarball: known by its magic.
    let rocky = rpm_file("openssl", "Rocky Enterprise Software Foundation", None);
    let bundle = write(
        dir.path(),
        "rpms.tar.zst",
        &zst(&tar_of(&[("x/package.bin", &rocky)])),
    );
    let inventory = scan_paths(&[redhat.clone(), bundle.clone()], &ScanLimits::default());
    assert_eq!(
        rows(&inventory),
        [
            row(
                "pkg:rpm/redhat/openssl-libs@1.1.1k-12.el8_9?epoch=1",
                Some("OpenSSL"),
                &[]
            ),
            row(
                "pkg:rpm/rocky/openssl@1.1.1k-12.el8_9",
                Some("OpenSSL"),
                &[]
            ),
        ]
    );
    assert!(inventory.warnings.is_empty(), "{:#?}", inventory.warnings);
    assert_eq!(
        inventory.components[0].evidence[0].0,
        redhat.display().to_string()
    );
    assert_eq!(
        inventory.components[1].evidence[0].0,
        format!("{}!/x/package.bin", bundle.display())
    );
    // A damaged rpm is a warning naming it; the scan goes on.
    let mut cut = rpm_file("curl", "Red Hat, Inc.", None);
    cut.truncate(200);
    let broken = write(dir.path(), "curl.rpm", &cut);
    let inventory = scan_paths(&[broken.clone(), redhat], &ScanLimits::default());
    assert_eq!(inventory.components.len(), 1);
    assert_eq!(inventory.warnings.len(), 1, "{:#?}", inventory.warnings);
    assert_eq!(inventory.warnings[0].path, broken);
    assert!(inventory.warnings[0].message.contains("ends inside"));
}

#[test]
fn one_tar_compressed_with_gzip_xz_bzip2_or_zstd_gives_the_same_package() {
    let Some(lodash) = npm_pack("lodash@4.17.15") else {
        return;
    };
    let tar = gunzip(&std::fs::read(&lodash.path).unwrap());
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("lodash-4.17.15.tar", tar.clone()),
        ("lodash-4.17.15.tar.xz", xz(&tar)),
        ("lodash-4.17.15.txz", xz(&tar)),
        ("lodash-4.17.15.tar.bz2", bz2(&tar)),
        ("lodash-4.17.15.tar.zst", zst(&tar)),
    ] {
        let path = write(dir.path(), name, &bytes);
        let inventory = scan_paths(std::slice::from_ref(&path), &ScanLimits::default());
        let sha1 = hex(&sha1::Sha1::digest(&bytes));
        let sha512 = hex(&sha2::Sha512::digest(&bytes));
        let hashes = [
            (HashAlgorithm::Sha1, &*sha1),
            (HashAlgorithm::Sha512, &*sha512),
        ];
        assert_eq!(
            rows(&inventory),
            [row("pkg:npm/lodash@4.17.15", Some("MIT"), &hashes)],
            "{name}"
        );
        assert!(
            inventory.warnings.is_empty(),
            "{name}: {:#?}",
            inventory.warnings
        );
    }

    // Named for none of them, a compressed tar is told by its first bytes (an installed
    // tree here: a package tarball is known only by its name).
    let mut manifest = Vec::new();
    tar::Archive::new(&tar[..])
        .entries()
        .unwrap()
        .map(Result::unwrap)
        .find(|e| e.path().unwrap() == Path::new("package/package.json"))
        .unwrap()
        .read_to_end(&mut manifest)
        .unwrap();
    let tree = tar_of(&[("node_modules/lodash/package.json", &manifest)]);
    for bytes in [xz(&tree), bz2(&tree), zst(&tree)] {
        let path = write(dir.path(), "tree-download", &bytes);
        let inventory = scan_paths(std::slice::from_ref(&path), &ScanLimits::default());
        assert_eq!(
            rows(&inventory),
            [row("pkg:npm/lodash@4.17.15", Some("MIT"), &[])]
        );
        assert_eq!(
            inventory.components[0].evidence[0].0,
            format!("{}!/node_modules/lodash/package.json", path.display())
        );
    }

    // A single compressed file is the file without its extension.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let plain = scan_paths(std::slice::from_ref(&lock), &ScanLimits::default());
    assert!(plain.components.len() > 100);
    let text = std::fs::read(&lock).unwrap();
    for (name, bytes) in [
        ("Cargo.lock.xz", xz(&text)),
        ("Cargo.lock.bz2", bz2(&text)),
        ("Cargo.lock.zst", zst(&text)),
    ] {
        let path = write(dir.path(), name, &bytes);
        let inventory = scan_paths(std::slice::from_ref(&path), &ScanLimits::default());
        let purls: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
        let expected: Vec<String> = plain.components.iter().map(|c| c.purl()).collect();
        assert_eq!(purls, expected, "{name}");
        assert_eq!(
            inventory.components[0].evidence[0].0,
            format!("{}!/Cargo.lock", path.display())
        );
    }
}

#[test]
fn compression_bombs_are_warnings_naming_the_file_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 64 << 20];
    let bomb_tar = tar_of(&[("zeros.bin", &zeros), ("late/package.json", b"{}")]);
    let good = tar_of(&[(
        "package/package.json",
        br#"{"name":"left-pad","version":"1.3.0","license":"WTFPL"}"#,
    )]);
    let zstd_bomb = zst(&bomb_tar);
    let xz_bomb = xz(&bomb_tar);
    assert!(zstd_bomb.len() < 64 << 10 && xz_bomb.len() < 64 << 10);
    let ratio = write(dir.path(), "ratio.tar.zst", &zstd_bomb);
    let budget = write(dir.path(), "budget.tar.xz", &xz_bomb);
    // A file an extractor wants is read whole: a bomb too, until the guard stops it.
    let single = write(dir.path(), "package-lock.json.bz2", &bz2(&zeros));
    let fine = write(dir.path(), "left-pad-1.3.0.tar.xz", &xz(&good));

    // The ratio guard, at its default.
    let inventory = scan_paths(
        &[ratio.clone(), single.clone(), fine.clone()],
        &ScanLimits::default(),
    );
    let purls: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    assert_eq!(purls, ["pkg:npm/left-pad@1.3.0"]);
    assert_eq!(inventory.warnings.len(), 2, "{:#?}", inventory.warnings);
    for (warning, file) in inventory.warnings.iter().zip([&single, &ratio]) {
        assert!(
            warning
                .path
                .to_string_lossy()
                .starts_with(&*file.to_string_lossy()),
            "{warning:?} should name {}",
            file.display()
        );
        assert!(
            warning.message.contains("compression ratio of 200:1"),
            "{warning:?}"
        );
    }

    // The inflated-bytes budget, with the ratio out of the way.
    let limits = ScanLimits {
        max_inflated_bytes: 8 << 20,
        max_compression_ratio: u64::MAX,
        ..ScanLimits::default()
    };
    let inventory = scan_paths(&[budget.clone(), fine], &limits);
    assert_eq!(inventory.components.len(), 1);
    assert_eq!(inventory.warnings.len(), 1, "{:#?}", inventory.warnings);
    assert_eq!(inventory.warnings[0].path, budget);
    assert!(
        inventory.warnings[0]
            .message
            .contains(&format!("more than {} bytes inflated", 8 << 20)),
        "{:?}",
        inventory.warnings[0]
    );
}

#[test]
fn seven_zip_and_rar_archives_say_they_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let seven = write(
        dir.path(),
        "backup.7z",
        b"7z\xbc\xaf\x27\x1c\x00\x04 the rest of a 7z archive",
    );
    let rar = b"Rar!\x1a\x07\x01\x00 the rest of a RAR archive".to_vec();
    let tar = write(
        dir.path(),
        "mixed.tar",
        &tar_of(&[("files/blob.bin", &rar)]),
    );
    let inventory = scan_paths(&[seven.clone(), tar.clone()], &ScanLimits::default());
    assert!(inventory.components.is_empty());
    let warnings: Vec<(PathBuf, &str)> = inventory
        .warnings
        .iter()
        .map(|w| (w.path.clone(), w.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert_eq!(warnings[0].0, seven);
    assert!(warnings[0].1.starts_with("7z archives are not read;"));
    assert_eq!(
        warnings[1].0,
        PathBuf::from(format!("{}!/files/blob.bin", tar.display()))
    );
    assert!(warnings[1].1.starts_with("RAR archives are not read;"));
}

/// An `ar` member as deb(5) writes them.
fn ar_member(name: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "{name:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n",
        0,
        0,
        0,
        100644,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(b'\n');
    }
    out
}

#[test]
fn hand_made_debs_with_zstd_control_hostile_members_and_truncation() {
    let control = b"Package: libfoo1\nSource: foo (1.2-3)\nVersion: 1.2-3+b1\nArchitecture: amd64\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n";
    let control_tar = zst(&tar_of(&[("./control", control), ("./md5sums", b"")]));
    let mut deb = b"!<arch>\n".to_vec();
    deb.extend(ar_member("debian-binary", b"2.0\n"));
    deb.extend(ar_member("control.tar.zst", &control_tar));
    deb.extend(ar_member("../../etc/passwd", b"root"));
    deb.extend(ar_member("data.tar.zst", &zst(&tar_of(&[]))));
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "libfoo1_1.2-3+b1_amd64.deb", &deb);
    let cut = write(dir.path(), "cut.deb", &deb[..deb.len() - 10]);
    let inventory = scan_paths(&[path.clone(), cut.clone()], &ScanLimits::default());
    let purls: Vec<String> = inventory.components.iter().map(|c| c.purl()).collect();
    assert_eq!(purls, ["pkg:deb/ubuntu/foo@1.2-3"]);
    let warnings: Vec<(String, &str)> = inventory
        .warnings
        .iter()
        .map(|w| (w.path.display().to_string(), w.message.as_str()))
        .collect();
    let traversal = "an entry name that climbs out of the archive with `..` (path traversal)";
    let (path, cut) = (path.display(), cut.display());
    let expected = [
        // The cut archive's last member is a damaged stream, and the archive ends inside it.
        (
            format!("{cut}"),
            "the archive ends inside member \"data.tar.zst\"",
        ),
        (format!("{cut}!/../../etc/passwd"), traversal),
        (format!("{cut}!/data.tar.zst"), "not a readable zstd stream"),
        (format!("{path}!/../../etc/passwd"), traversal),
    ];
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    for ((path, message), (want_path, want_start)) in warnings.iter().zip(&expected) {
        assert_eq!(path, want_path);
        assert!(message.starts_with(want_start), "{message}");
    }
}
