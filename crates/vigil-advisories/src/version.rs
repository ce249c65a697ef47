//! Each ecosystem's own version order. A version the ecosystem rejects is an error, never
//! compared as a plain string.
//!
//! - npm: SemVer 2.0 precedence (https://semver.org/#spec-item-11), as node-semver applies
//!   it; node-semver's loose mode also accepts a leading `v` or `=`, so do we.
//! - PyPI: PEP 440 (https://peps.python.org/pep-0440/) through `pep440_rs`, the parser uv uses.

use std::{cmp::Ordering, str::FromStr};

use vigil_model::Ecosystem;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    Semver(semver::Version),
    Pep440(pep440_rs::Version),
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
        let fail = |reason: String| VersionError {
            ecosystem: ecosystem.osv_name().to_string(),
            version: text.to_string(),
            reason,
        };
        match ecosystem {
            Ecosystem::Npm => parse_semver(text).map(Version::Semver).map_err(|e| fail(e.to_string())),
            Ecosystem::PyPI => pep440_rs::Version::from_str(text.trim())
                .map(Version::Pep440)
                .map_err(|e| fail(e.to_string())),
        }
    }

    /// Parses a version of an OSV `SEMVER` range, whatever the package's ecosystem.
    pub fn parse_semver(text: &str) -> Result<Version, VersionError> {
        parse_semver(text).map(Version::Semver).map_err(|e| VersionError {
            ecosystem: "SEMVER".into(),
            version: text.to_string(),
            reason: e.to_string(),
        })
    }

    /// Orders two versions of the same scheme; `None` when the schemes differ.
    pub fn partial_cmp_same_scheme(&self, other: &Version) -> Option<Ordering> {
        match (self, other) {
            (Version::Semver(a), Version::Semver(b)) => Some(semver_precedence(a, b)),
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            (Version::Semver(_), Version::Pep440(_)) | (Version::Pep440(_), Version::Semver(_)) => None,
        }
    }
}

fn parse_semver(text: &str) -> Result<semver::Version, semver::Error> {
    let trimmed = text.trim();
    let trimmed = trimmed.strip_prefix('=').unwrap_or(trimmed);
    let trimmed = trimmed.strip_prefix('v').unwrap_or(trimmed);
    semver::Version::parse(trimmed)
}

/// SemVer precedence ignores build metadata (spec item 10); `semver::Version`'s own `Ord`
/// does not, so compare the parts that count.
fn semver_precedence(a: &semver::Version, b: &semver::Version) -> Ordering {
    (a.major, a.minor, a.patch).cmp(&(b.major, b.minor, b.patch)).then_with(|| a.pre.cmp(&b.pre))
}

/// Compares two versions in an ecosystem's order.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = Version::parse(ecosystem, a)?;
    let b = Version::parse(ecosystem, b)?;
    Ok(a.partial_cmp_same_scheme(&b).expect("one ecosystem parses into one scheme"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::{Equal, Greater, Less};

    #[test]
    fn npm_follows_semver_precedence() {
        let cases = [
            ("1.0.0", "1.0.1", Less),
            ("1.0.0-alpha", "1.0.0", Less),
            ("1.0.0-alpha", "1.0.0-alpha.1", Less),
            ("1.0.0-alpha.1", "1.0.0-alpha.beta", Less),
            ("1.0.0-beta.2", "1.0.0-beta.11", Less),
            ("1.0.0-rc.1", "1.0.0", Less),
            ("1.0.0+build.1", "1.0.0+build.2", Equal),
            ("v2.0.0", "2.0.0", Equal),
            ("10.0.0", "9.9.9", Greater),
        ];
        for (a, b, expected) in cases {
            assert_eq!(compare(Ecosystem::Npm, a, b).unwrap(), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn pypi_follows_pep440() {
        let cases = [
            ("2.2", "2.2.0", Equal),
            ("1.0.dev1", "1.0a1", Less),
            ("1.0a1", "1.0b1", Less),
            ("1.0rc1", "1.0", Less),
            ("1.0", "1.0.post1", Less),
            ("1!0.1", "2.0", Greater),
            ("1.0+local", "1.0", Greater),
            ("1.10", "1.9", Greater),
        ];
        for (a, b, expected) in cases {
            assert_eq!(compare(Ecosystem::PyPI, a, b).unwrap(), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn versions_an_ecosystem_rejects_are_errors() {
        assert!(compare(Ecosystem::Npm, "1.0", "1.0.0").is_err(), "npm needs three parts");
        assert!(compare(Ecosystem::Npm, "latest", "1.0.0").is_err());
        let err = compare(Ecosystem::PyPI, "not-a-version", "1.0").unwrap_err();
        assert!(err.to_string().contains("not-a-version"), "{err}");
        assert!(err.to_string().contains("PyPI"), "{err}");
    }
}
