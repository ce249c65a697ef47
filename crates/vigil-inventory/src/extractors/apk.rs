//! Alpine's installed-package database, `lib/apk/db/installed`
//! (https://wiki.alpinelinux.org/wiki/Apk_spec#Installed_Database_V2): one paragraph per
//! package, `X:value` lines, paragraphs separated by a blank line. `P` is the package, `V` its
//! version, `o` its origin (the aport it was built from), `L` its license; the file lines
//! (`F`, `R`, `Z`...) are skipped.
//!
//! Each package is recorded under its origin: Alpine's security database, and so the `Alpine`
//! advisories in OSV, name aports (`openssl`, not its subpackage `libcrypto3`), and every
//! subpackage of an aport shares its version. Which Alpine release the packages belong to is in
//! the root's os-release: read beside the database on disk, applied by the image reader in an
//! image.

use std::path::Path;

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{ExtractOutput, Extractor, FileInput};
use crate::os_release::Distro;

pub struct Apk;

impl Extractor for Apk {
    fn name(&self) -> &'static str {
        "apk/installed"
    }

    fn version(&self) -> u32 {
        1
    }

    fn records_licenses(&self) -> bool {
        true
    }

    fn wants(&self, path: &Path) -> bool {
        path.ends_with("lib/apk/db/installed")
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        (head.starts_with("C:Q1") || head.starts_with("P:")) && head.contains("\nV:")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let text = String::from_utf8_lossy(input.bytes);
        let evidence = Evidence(input.path.display().to_string());
        let mut out = ExtractOutput::default();
        // On disk, the root's os-release names the release; inside an image the image reader
        // applies it.
        let on_disk = !input.path.to_string_lossy().contains("!/");
        let release = on_disk
            .then(|| {
                let root = input.path.ancestors().nth(4)?;
                let distro = Distro::of_root(root)?;
                (distro.ecosystem() == Some(Ecosystem::Alpine))
                    .then(|| distro.release())
                    .flatten()
            })
            .flatten();
        let mut packages = 0;
        let mut start = 1;
        let mut fields: Vec<(char, &str)> = Vec::new();
        let lines = text.lines().chain(std::iter::once(""));
        for (index, line) in lines.enumerate() {
            if !line.trim().is_empty() {
                if fields.is_empty() {
                    start = index + 1;
                }
                let mut chars = line.chars();
                match (chars.next(), chars.next()) {
                    (Some(key), Some(':')) => fields.push((key, chars.as_str().trim())),
                    // Not a field line; kept so that a paragraph of them is reported.
                    _ => fields.push(('\0', line)),
                }
                continue;
            }
            if fields.is_empty() {
                continue;
            }
            let field = |key: char| {
                fields
                    .iter()
                    .find(|(k, v)| *k == key && !v.is_empty())
                    .map(|(_, v)| *v)
            };
            match (field('P'), field('V')) {
                (Some(package), Some(version)) => {
                    packages += 1;
                    let name = field('o').unwrap_or(package);
                    let mut component = Component::new(
                        PackageRef::new(Ecosystem::Alpine, name, Some(version.to_string()))
                            .with_release(release.clone()),
                        Scope::Unknown,
                        evidence.clone(),
                    );
                    component.license = field('L').and_then(crate::license::declared);
                    out.components.push(component);
                }
                (Some(package), None) => out.warnings.push(format!(
                    "package {package} (line {start}) has no V: version"
                )),
                (None, _) => out
                    .warnings
                    .push(format!("the entry at line {start} has no P: package name")),
            }
            fields.clear();
        }
        if packages == 0 && !out.warnings.is_empty() {
            return Err("not an apk database: no entry has both P: and V:".into());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support;

    const INSTALLED: &str = "\
C:Q1SJ2Io6NsL6YMkmNFMtrY9o9GPVs=
P:libcrypto3
V:3.1.4-r5
A:x86_64
S:1711011
I:4431872
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conill <ariadne@dereferenced.org>
t:1706541564
c:4d6ebc8bd6b8e1fa2e2d2e1e4c6bd4fa8a63e5d9
D:so:libc.musl-x86_64.so.1
F:lib
R:libcrypto.so.3

C:Q1abc=
P:musl
V:1.2.4_git20230717-r4
L:MIT
o:musl
F:lib
R:ld-musl-x86_64.so.1

P:busybox-binsh
V:1.36.1-r15
L:GPL-2.0-only
o:busybox

P:no-version
L:MIT
";

    #[test]
    fn packages_are_recorded_under_their_origin_with_their_license() {
        let out = test_support::extract(&Apk, "img.tar!/lib/apk/db/installed", INSTALLED).unwrap();
        let found = test_support::licensed(&out);
        assert_eq!(
            found,
            [
                (
                    "pkg:apk/alpine/openssl@3.1.4-r5".into(),
                    Some("Apache-2.0".into())
                ),
                (
                    "pkg:apk/alpine/musl@1.2.4_git20230717-r4".into(),
                    Some("MIT".into())
                ),
                (
                    "pkg:apk/alpine/busybox@1.36.1-r15".into(),
                    Some("GPL-2.0-only".into())
                ),
            ]
        );
        assert_eq!(
            out.warnings,
            ["package no-version (line 31) has no V: version"]
        );
        assert!(Apk.wants(Path::new("/lib/apk/db/installed")));
        assert!(!Apk.wants(Path::new("/lib/apk/db/triggers")));
        assert!(Apk.sniff(INSTALLED.as_bytes()));
    }

    #[test]
    fn on_disk_the_release_comes_from_the_roots_os_release() {
        let root = tempfile::tempdir().unwrap();
        let installed = root.path().join("lib/apk/db/installed");
        std::fs::create_dir_all(installed.parent().unwrap()).unwrap();
        std::fs::create_dir_all(root.path().join("etc")).unwrap();
        std::fs::write(
            root.path().join("etc/os-release"),
            "ID=alpine\nVERSION_ID=3.18.4\n",
        )
        .unwrap();
        let out = test_support::extract_bytes(&Apk, &installed, b"P:musl\nV:1.2.4-r2\n").unwrap();
        assert_eq!(
            out.components[0].purl(),
            "pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.18"
        );
    }

    #[test]
    fn a_file_that_is_no_apk_database_is_an_error() {
        let err = test_support::extract_bytes(
            &Apk,
            "lib/apk/db/installed",
            b"hello world\n\nmore text\n",
        )
        .unwrap_err();
        assert!(err.contains("not an apk database"), "{err}");
    }
}
