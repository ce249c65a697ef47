//! Each ecosystem's own version order. A version the ecosystem rejects is an error, never
//! compared as a plain string.
//!
//! One file per scheme, each citing the specification or reference implementation it follows:
//!
//! | ecosystems | scheme | file |
//! | --- | --- | --- |
//! | npm, crates.io, OSV `SEMVER` ranges | SemVer 2.0 (node-semver; Cargo's `semver` crate) | `semver.rs` |
//! | PyPI | PEP 440 (`pep440_rs`) | `pep440.rs` |
//! | Go | golang.org/x/mod/semver | `go.rs` |
//! | Hex | Elixir's `Version` | `hex.rs` |
//! | Pub | Dart's `pub_semver` | `pub_semver.rs` |
//! | Maven | Maven 3.9 `ComparableVersion` | `maven.rs` |
//! | NuGet | NuGet.Versioning | `nuget.rs` |
//! | RubyGems | `Gem::Version` | `rubygems.rs` |
//! | Packagist | Composer's `VersionParser::normalize` + PHP `version_compare` | `composer.rs` |
//! | Debian, Ubuntu | dpkg | `dpkg.rs` |
//! | Alpine | apk-tools | `apk.rs` |
//! | Red Hat, Rocky Linux, AlmaLinux | rpm (`rpmverCmp`, `rpmvercmp`) | `rpm.rs` |
//! | ConanCenter | Conan 2's `Version` | `conan.rs` |

mod apk;
mod composer;
mod conan;
mod digits;
mod dpkg;
mod go;
mod hex;
mod maven;
mod nuget;
mod pep440;
mod pub_semver;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;

use vigil_model::Ecosystem;

/// One version, parsed by its ecosystem's rules. Two versions order only within one scheme
/// ([`Version::partial_cmp_same_scheme`]); equality (`==`) is the scheme's equality, so
/// `1.0` and `1.0.0` are equal in Maven but not in npm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// npm, crates.io and OSV `SEMVER` ranges.
    Semver(::semver::Version),
    Pep440(pep440_rs::Version),
    Go(go::GoVersion),
    Hex(hex::HexVersion),
    Pub(pub_semver::PubVersion),
    Maven(maven::MavenVersion),
    NuGet(nuget::NuGetVersion),
    RubyGems(rubygems::GemVersion),
    Composer(composer::ComposerVersion),
    Dpkg(dpkg::DpkgVersion),
    Apk(apk::ApkVersion),
    Rpm(rpm::RpmVersion),
    Conan(conan::ConanVersion),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{version:?} is not a valid {ecosystem} version: {reason}")]
pub struct VersionError {
    pub ecosystem: String,
    pub version: String,
    pub reason: String,
}

impl Version {
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Result<Version, VersionError> {
        let parsed = match ecosystem {
            Ecosystem::Npm => semver::parse_npm(text).map(Version::Semver),
            Ecosystem::CratesIo => semver::parse_cargo(text).map(Version::Semver),
            Ecosystem::PyPI => pep440::parse(text).map(Version::Pep440),
            Ecosystem::Go => go::GoVersion::parse(text).map(Version::Go),
            Ecosystem::Hex => hex::HexVersion::parse(text).map(Version::Hex),
            Ecosystem::Pub => pub_semver::PubVersion::parse(text).map(Version::Pub),
            Ecosystem::Maven => maven::MavenVersion::parse(text).map(Version::Maven),
            Ecosystem::NuGet => nuget::NuGetVersion::parse(text).map(Version::NuGet),
            Ecosystem::RubyGems => rubygems::GemVersion::parse(text).map(Version::RubyGems),
            Ecosystem::Packagist => composer::ComposerVersion::parse(text).map(Version::Composer),
            Ecosystem::Debian | Ecosystem::Ubuntu => {
                dpkg::DpkgVersion::parse(text).map(Version::Dpkg)
            }
            Ecosystem::Alpine => apk::ApkVersion::parse(text).map(Version::Apk),
            Ecosystem::RedHat | Ecosystem::RockyLinux | Ecosystem::AlmaLinux => {
                rpm::RpmVersion::parse(text).map(Version::Rpm)
            }
            Ecosystem::ConanCenter => conan::ConanVersion::parse(text).map(Version::Conan),
        };
        parsed.map_err(|reason| VersionError {
            ecosystem: ecosystem.osv_name().to_string(),
            version: text.to_string(),
            reason,
        })
    }

    /// Parses a version of an OSV `SEMVER` range, whatever the package's ecosystem.
    pub fn parse_semver(text: &str) -> Result<Version, VersionError> {
        semver::parse_npm(text)
            .map(Version::Semver)
            .map_err(|reason| VersionError {
                ecosystem: "SEMVER".into(),
                version: text.to_string(),
                reason,
            })
    }

    /// Orders two versions of the same scheme; `None` when the schemes differ.
    pub fn partial_cmp_same_scheme(&self, other: &Version) -> Option<Ordering> {
        macro_rules! same_scheme {
            ($variant:ident, $a:expr, $cmp:expr) => {{
                let Version::$variant(b) = other else {
                    return None;
                };
                Some($cmp($a, b))
            }};
        }
        match self {
            Version::Semver(a) => same_scheme!(Semver, a, semver::precedence),
            Version::Pep440(a) => same_scheme!(Pep440, a, Ord::cmp),
            Version::Go(a) => same_scheme!(Go, a, Ord::cmp),
            Version::Hex(a) => same_scheme!(Hex, a, Ord::cmp),
            Version::Pub(a) => same_scheme!(Pub, a, Ord::cmp),
            Version::Maven(a) => same_scheme!(Maven, a, Ord::cmp),
            Version::NuGet(a) => same_scheme!(NuGet, a, Ord::cmp),
            Version::RubyGems(a) => same_scheme!(RubyGems, a, Ord::cmp),
            Version::Composer(a) => same_scheme!(Composer, a, Ord::cmp),
            Version::Dpkg(a) => same_scheme!(Dpkg, a, Ord::cmp),
            Version::Apk(a) => same_scheme!(Apk, a, Ord::cmp),
            Version::Rpm(a) => same_scheme!(Rpm, a, Ord::cmp),
            Version::Conan(a) => same_scheme!(Conan, a, Ord::cmp),
        }
    }
}

/// Compares two versions in an ecosystem's order.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = Version::parse(ecosystem, a)?;
    let b = Version::parse(ecosystem, b)?;
    Ok(a.partial_cmp_same_scheme(&b)
        .expect("one ecosystem parses into one scheme"))
}

/// `PartialEq`, `Eq` and `PartialOrd` from a scheme's `Ord`, so that equality is the scheme's
/// equality (Maven's `1` == `1.0`, NuGet's metadata ignored), never field-by-field.
macro_rules! order_from_cmp {
    ($ty:ty) => {
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }
        impl Eq for $ty {}
        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
    };
}
use order_from_cmp;

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts each `(a, expected, b)` both ways round.
    pub(crate) fn assert_order(ecosystem: Ecosystem, table: &[(&str, Ordering, &str)]) {
        for (a, expected, b) in table {
            assert_eq!(
                compare(ecosystem, a, b),
                Ok(*expected),
                "{ecosystem}: {a} vs {b}"
            );
            assert_eq!(
                compare(ecosystem, b, a),
                Ok(expected.reverse()),
                "{ecosystem}: {b} vs {a}"
            );
        }
    }

    pub(crate) fn assert_invalid(ecosystem: Ecosystem, versions: &[&str]) {
        for version in versions {
            let err = Version::parse(ecosystem, version).expect_err(version);
            assert!(err.to_string().contains(ecosystem.osv_name()), "{err}");
        }
    }

    #[test]
    fn versions_of_different_schemes_do_not_order() {
        let npm = Version::parse(Ecosystem::Npm, "1.0.0").unwrap();
        let maven = Version::parse(Ecosystem::Maven, "1.0.0").unwrap();
        assert_eq!(npm.partial_cmp_same_scheme(&maven), None);
        assert_eq!(maven.partial_cmp_same_scheme(&npm), None);
        let debian = Version::parse(Ecosystem::Debian, "1.0").unwrap();
        let ubuntu = Version::parse(Ecosystem::Ubuntu, "1.0").unwrap();
        assert_eq!(
            debian.partial_cmp_same_scheme(&ubuntu),
            Some(Ordering::Equal),
            "one scheme, dpkg"
        );
    }

    #[test]
    fn every_ecosystem_parses_a_plain_version_and_rejects_garbage() {
        for ecosystem in Ecosystem::ALL {
            assert!(Version::parse(ecosystem, "1.2.3").is_ok(), "{ecosystem}");
            let err = Version::parse(ecosystem, "").expect_err(ecosystem.osv_name());
            assert!(err.to_string().contains(ecosystem.osv_name()), "{err}");
        }
    }
}
