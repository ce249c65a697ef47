//! A Debian package file (`.deb`, `.udeb`) on its own: the `control` file of its
//! `control.tar.{gz,xz,zst}` member (deb(5), deb-control(5)), reached by the walker as
//! `pkg.deb!/control.tar.xz!/control`.
//!
//! It is recorded exactly as an installed package of a dpkg database is ([`super::dpkg`]):
//! under its source package, with the source's version when `Source: name (version)` gives
//! one, as Debian's (Ubuntu's when its maintainers are Ubuntu's). A .deb does not say which
//! release it was built for, and none is invented: like a dpkg database found inside an
//! archive, the release is left unknown, without a warning (every lone .deb would carry the
//! same one). A .deb's own hash is not recorded: its component is the source package, which
//! other binary packages of the same source merge into.

use std::path::Path;

use super::{dpkg, ExtractOutput, Extractor, FileInput};

pub struct DebPackage;

impl Extractor for DebPackage {
    fn name(&self) -> &'static str {
        "dpkg/deb-file"
    }

    fn version(&self) -> u32 {
        1
    }

    fn wants(&self, path: &Path) -> bool {
        let path = path.to_string_lossy();
        let mut parts = path.rsplit("!/");
        let (Some(file), Some(member), Some(deb)) = (parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let deb = deb.to_ascii_lowercase();
        file == "control"
            && (member == "control.tar" || member.starts_with("control.tar."))
            && !member.contains('/')
            && (deb.ends_with(".deb") || deb.ends_with(".udeb"))
    }

    fn extract(&self, input: &FileInput<'_>) -> Result<ExtractOutput, String> {
        let out = dpkg::packages(input, None, false)?;
        if out.components.len() != 1 {
            return Err(format!(
                "a .deb's control file names one package; this one names {}",
                out.components.len()
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::test_support::{self, purls};

    #[test]
    fn only_the_control_file_of_a_debs_control_member_is_wanted() {
        for (path, wanted) in [
            ("x/libfoo_1.0-1_amd64.deb!/control.tar.xz!/control", true),
            ("libfoo.udeb!/control.tar.gz!/control", true),
            ("a.tar!/b.deb!/control.tar!/control", true),
            ("libfoo.deb!/control.tar.xz!/md5sums", false),
            ("libfoo.deb!/data.tar.xz!/control", false),
            ("libfoo.deb!/data.tar.xz!/usr/control", false),
            ("libfoo.tar!/control.tar.xz!/control", false),
            ("debian/control", false),
        ] {
            assert_eq!(DebPackage.wants(Path::new(path)), wanted, "{path}");
        }
    }

    #[test]
    fn a_binnmu_is_recorded_under_its_source_and_the_source_version_without_a_release() {
        let control = "Package: libfoo1\nSource: foo (1.2-3)\nVersion: 1.2-3+b1\n\
                       Maintainer: Jane <jane@debian.org>\nArchitecture: amd64\n\
                       Description: foo\n Long text.\n";
        let out =
            test_support::extract(&DebPackage, "libfoo1.deb!/control.tar.xz!/control", control)
                .unwrap();
        let purls = purls(&out);
        assert_eq!(purls, ["pkg:deb/debian/foo@1.2-3"]);
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let two = test_support::extract_bytes(
            &DebPackage,
            "a.deb!/control.tar.xz!/control",
            b"Package: a\nVersion: 1\n\nPackage: b\nVersion: 2\n",
        );
        assert!(two.unwrap_err().contains("names 2"));
    }
}
