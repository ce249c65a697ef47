//! Debian's package database: `var/lib/dpkg/status`, and the one-file-per-package
//! `var/lib/dpkg/status.d/*` that distroless images ship instead (deb-control(5) paragraphs:
//! `Field: value` lines, continuation lines start with a space, paragraphs separated by a blank
//! line; https://www.debian.org/doc/debian-policy/ch-controlfields.html).
//!
//! A package counts when its `Status` says `installed` (its third word: `install ok installed`,
//! `hold ok installed`); removed packages whose configuration files remain
//! (`deinstall ok config-files`) are not installed. Distroless files have no `Status`: they list
//! only installed packages.
//!
//! Each package is recorded under its **source** package (`Source: openssl (3.0.11-1~deb12u2)`,
//! defaulting to the binary's own name and version): Debian's and Ubuntu's advisories in OSV
//! (DSA, DLA, DEBIAN-CVE, USN, UBUNTU-CVE) name source packages and their versions, so
//! `libssl3` must be looked up as `openssl`. The binary packages of one source merge into one
//! component. The version is the source's when the `Source` field gives one: a binNMU
//! (`1.2-3+b1`) is a rebuild of source `1.2-3`, which is what advisories say is fixed.
//!
//! Whether the packages are Debian's or Ubuntu's, and which release, is in the root's
//! `etc/os-release`, not here. On disk the extractor reads the os-release of the same root;
//! inside an image the image reader knows it and relabels (`image::OsPackages`). A file
//! with no os-release beside it is taken as Ubuntu when its maintainers are Ubuntu's, else as
//! Debian, with a warning.

use std::path::{Component as PathPart, Path};

use vigil_model::{Component, Ecosystem, Evidence, PackageRef, Scope};

use super::{ExtractOutput, Extractor, FileInput};
use crate::os_release::Distro;

pub struct Dpkg;

impl Extractor for Dpkg {
    fn name(&self) -> &'static str {
        "dpkg/status"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        let parts: Vec<&str> = path
            .components()
            .rev()
            .take(3)
            .filter_map(|p| match p {
                PathPart::Normal(name) => name.to_str(),
                PathPart::Prefix(_)
                | PathPart::RootDir
                | PathPart::CurDir
                | PathPart::ParentDir => None,
            })
            .collect();
        match parts.as_slice() {
            ["status", "dpkg", ..] => true,
            [file, "status.d", "dpkg"] => !file.ends_with(".md5sums"),
            _ => false,
        }
    }

    fn sniff(&self, head: &[u8]) -> bool {
        let head = String::from_utf8_lossy(head);
        head.starts_with("Package: ") && head.contains("\nVersion: ")
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let on_disk = !input.path.to_string_lossy().contains("!/");
        let distro = on_disk
            .then(|| root_of(input.path).and_then(Distro::of_root))
            .flatten();
        // Inside an archive the image reader knows the distribution and says so.
        packages(input, distro.as_ref(), on_disk)
    }
}

/// The installed packages of deb-control paragraphs, each under its source package, as
/// Debian's or Ubuntu's at `distro`'s release. Without a Debian or Ubuntu `distro`, they are
/// taken as Ubuntu's when their maintainers are Ubuntu's, else as Debian's, release unknown;
/// `say_guess` adds a warning that says so. Also reads a lone .deb's `control`
/// (`deb_package.rs`).
pub(crate) fn packages(
    input: &FileInput<'_>,
    distro: Option<&Distro>,
    say_guess: bool,
) -> Result<ExtractOutput, String> {
    let text = String::from_utf8_lossy(input.bytes);
    let evidence = Evidence(input.path.display().to_string());
    let mut out = ExtractOutput::default();
    let paragraphs = paragraphs(&text);
    let mut release = None;
    let ecosystem = match distro.map(|d| (d.ecosystem(), d)) {
        Some((Some(ecosystem @ (Ecosystem::Debian | Ecosystem::Ubuntu)), distro)) => {
            release = distro.release();
            ecosystem
        }
        found => {
            let guess = if paragraphs.iter().any(|p| {
                p.field("Maintainer")
                    .is_some_and(|m| m.to_ascii_lowercase().contains("ubuntu"))
            }) {
                Ecosystem::Ubuntu
            } else {
                Ecosystem::Debian
            };
            if say_guess {
                let why = match found {
                    Some((_, distro)) => format!("its os-release says {:?}", distro.id),
                    None => "no os-release was found beside it".into(),
                };
                out.warnings.push(format!(
                    "{why}: the packages are taken as {guess}'s, release unknown"
                ));
            }
            guess
        }
    };
    for paragraph in &paragraphs {
        let Some(package) = paragraph.field("Package") else {
            out.warnings.push(format!(
                "the paragraph at line {} has no Package field",
                paragraph.line
            ));
            continue;
        };
        let installed = paragraph
            .field("Status")
            .is_none_or(|status| status.split_whitespace().nth(2) == Some("installed"));
        if !installed {
            continue;
        }
        let Some(version) = paragraph.field("Version") else {
            out.warnings.push(format!(
                "package {package} (line {}) has no Version",
                paragraph.line
            ));
            continue;
        };
        let (name, version) = match paragraph.field("Source") {
            Some(source) => match source.split_once('(') {
                Some((name, rest)) => (name.trim(), rest.trim_end_matches(')').trim()),
                None => (source, version),
            },
            None => (package, version),
        };
        out.components.push(Component::new(
            PackageRef::new(ecosystem, name, Some(version.to_string()))
                .with_release(release.clone()),
            Scope::Unknown,
            evidence.clone(),
        ));
    }
    if out.components.is_empty() && paragraphs.iter().all(|p| p.field("Package").is_none()) {
        return Err("not a dpkg status file: no paragraph names a Package".into());
    }
    Ok(out)
}

/// The root file system a package database on disk belongs to: `/x/var/lib/dpkg/status` →
/// `/x`.
fn root_of(path: &Path) -> Option<&Path> {
    path.ancestors()
        .find(|a| a.ends_with("var/lib/dpkg"))
        .and_then(|dpkg| dpkg.parent()?.parent()?.parent())
}

pub(crate) struct Paragraph<'a> {
    /// The 1-based line the paragraph starts on.
    pub line: usize,
    fields: Vec<(&'a str, &'a str)>,
}

impl<'a> Paragraph<'a> {
    /// The first line of a field's value (continuation lines are descriptions and lists).
    pub fn field(&self, name: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| *value)
            .filter(|value| !value.is_empty())
    }
}

/// Splits deb-control text into paragraphs of `Field: value` lines; continuation lines (a
/// leading space or tab) and `#` comments are skipped.
pub(crate) fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Paragraph<'_>> = None;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            out.extend(current.take());
            continue;
        }
        if line.starts_with([' ', '\t', '#']) {
            continue;
        }
        let paragraph = current.get_or_insert_with(|| Paragraph {
            line: index + 1,
            fields: Vec::new(),
        });
        if let Some((key, value)) = line.split_once(':') {
            paragraph.fields.push((key.trim(), value.trim()));
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, sorted_purls};

    const STATUS: &str = "\
Package: libssl3
Status: install ok installed
Priority: optional
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2
Description: Secure Sockets Layer toolkit - shared libraries
 This package is part of the OpenSSL project's implementation.
 .
 Version: 9.9.9 in a description is not a field

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1~deb12u2

Package: libfoo1
Status: hold ok installed
Source: foo (1.2-3)
Version: 1.2-3+b1

Package: oldpkg
Status: deinstall ok config-files
Version: 0.1-1

Package: broken
Status: install ok installed

Status: install ok installed
Version: 1.0
";

    fn run(path: &str, text: &str) -> Result<(Vec<String>, Vec<String>), String> {
        let out = test_support::extract(&Dpkg, path, text)?;
        let mut purls = sorted_purls(&out);
        purls.dedup();
        Ok((purls, out.warnings))
    }

    #[test]
    fn installed_packages_are_recorded_under_their_source_package() {
        let (purls, warnings) = run("image.tar!/var/lib/dpkg/status", STATUS).unwrap();
        assert_eq!(
            purls,
            [
                "pkg:deb/debian/foo@1.2-3",
                "pkg:deb/debian/openssl@3.0.11-1~deb12u2"
            ]
        );
        assert_eq!(
            warnings,
            [
                "package broken (line 26) has no Version",
                "the paragraph at line 29 has no Package field"
            ]
        );
    }

    #[test]
    fn a_status_file_on_disk_takes_the_distribution_from_its_root() {
        let root = tempfile::tempdir().unwrap();
        let status = root.path().join("var/lib/dpkg/status");
        std::fs::create_dir_all(status.parent().unwrap()).unwrap();
        let text = "Package: bash\nStatus: install ok installed\nVersion: 5.1-6ubuntu1\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n";
        let path = status.to_str().unwrap();
        // No os-release: a guess from the maintainers, said out loud.
        let (purls, warnings) = run(path, text).unwrap();
        assert_eq!(purls, ["pkg:deb/ubuntu/bash@5.1-6ubuntu1"]);
        assert_eq!(
            warnings,
            ["no os-release was found beside it: the packages are taken as Ubuntu's, release unknown"]
        );
        std::fs::create_dir_all(root.path().join("usr/lib")).unwrap();
        std::fs::write(
            root.path().join("usr/lib/os-release"),
            "ID=ubuntu\nVERSION_ID=\"22.04\"\n",
        )
        .unwrap();
        let (purls, warnings) = run(path, text).unwrap();
        assert_eq!(
            purls,
            ["pkg:deb/ubuntu/bash@5.1-6ubuntu1?distro=ubuntu-22.04"]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        std::fs::create_dir_all(root.path().join("etc")).unwrap();
        std::fs::write(
            root.path().join("etc/os-release"),
            "ID=debian\nVERSION_ID=\"12\"\n",
        )
        .unwrap();
        let (purls, _) = run(path, text).unwrap();
        assert_eq!(purls, ["pkg:deb/debian/bash@5.1-6ubuntu1?distro=debian-12"]);
    }

    #[test]
    fn distroless_status_d_files_are_wanted_but_not_their_checksums() {
        for (path, wanted) in [
            ("/var/lib/dpkg/status", true),
            ("img.tar!/var/lib/dpkg/status.d/base-files", true),
            ("img.tar!/var/lib/dpkg/status.d/base-files.md5sums", false),
            ("/var/lib/dpkg/status-old", false),
            ("/srv/status", false),
        ] {
            assert_eq!(Dpkg.wants(Path::new(path)), wanted, "{path}");
        }
        let (purls, warnings) = run(
            "img.tar!/var/lib/dpkg/status.d/tzdata",
            "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n",
        )
        .unwrap();
        assert_eq!(purls, ["pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1"]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn garbage_is_an_error_and_binary_junk_does_not_panic() {
        assert!(run("img.tar!/var/lib/dpkg/status", "hello\nworld\n").is_err());
        let junk: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let out = test_support::extract_bytes(&Dpkg, "img.tar!/var/lib/dpkg/status", &junk);
        assert!(out.is_err());
        assert!(Dpkg.sniff(b"Package: a\nVersion: 1\n"));
        assert!(!Dpkg.sniff(b"{\"Package\": 1}"));
    }
}
