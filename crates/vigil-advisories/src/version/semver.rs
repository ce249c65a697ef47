//! SemVer 2.0 (https://semver.org/), as two ecosystems apply it:
//!
//! - npm: node-semver (https://github.com/npm/node-semver). Its strict grammar accepts a leading
//!   `v`; its loose mode also a leading `=`, and so do we. A major, minor or patch above
//!   `Number.MAX_SAFE_INTEGER` is rejected ("Invalid major version"), as are versions longer
//!   than 256 characters.
//! - crates.io: Cargo's own parser and order, the `semver` crate (https://docs.rs/semver), which
//!   is what Cargo uses: strict `MAJOR.MINOR.PATCH[-PRE][+BUILD]`, no `v`, numbers up to u64.
//!
//! The `semver` crate implements both grammars' precedence (spec item 11) except that its `Ord`
//! also orders build metadata, which SemVer precedence ignores (spec item 10): see
//! [`precedence`]. OSV `SEMVER` ranges are parsed like npm's versions.

use std::cmp::Ordering;

/// node-semver's `MAX_SAFE_INTEGER` check on major, minor and patch.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// node-semver's `MAX_LENGTH`.
const MAX_LENGTH: usize = 256;

pub(super) fn parse_npm(text: &str) -> Result<semver::Version, String> {
    let trimmed = text.trim();
    if trimmed.len() > MAX_LENGTH {
        return Err(format!("longer than {MAX_LENGTH} characters"));
    }
    let trimmed = trimmed.strip_prefix('=').unwrap_or(trimmed);
    let trimmed = trimmed.strip_prefix('v').unwrap_or(trimmed);
    let version = semver::Version::parse(trimmed).map_err(|e| e.to_string())?;
    for (part, value) in [
        ("major", version.major),
        ("minor", version.minor),
        ("patch", version.patch),
    ] {
        if value > MAX_SAFE_INTEGER {
            return Err(format!(
                "invalid {part} version: above Number.MAX_SAFE_INTEGER"
            ));
        }
    }
    Ok(version)
}

pub(super) fn parse_cargo(text: &str) -> Result<semver::Version, String> {
    semver::Version::parse(text.trim()).map_err(|e| e.to_string())
}

/// SemVer precedence ignores build metadata (spec item 10); `semver::Version`'s own `Ord`
/// does not, so compare the parts that count.
pub(super) fn precedence(a: &semver::Version, b: &semver::Version) -> Ordering {
    (a.major, a.minor, a.patch)
        .cmp(&(b.major, b.minor, b.patch))
        .then_with(|| a.pre.cmp(&b.pre))
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn npm_follows_semver_precedence() {
        assert_order(
            Ecosystem::Npm,
            &[
                ("1.0.0", Less, "1.0.1"),
                ("1.0.0-alpha", Less, "1.0.0"),
                ("1.0.0-alpha", Less, "1.0.0-alpha.1"),
                ("1.0.0-alpha.1", Less, "1.0.0-alpha.beta"),
                ("1.0.0-beta.2", Less, "1.0.0-beta.11"),
                ("1.0.0-rc.1", Less, "1.0.0"),
                ("1.0.0+build.1", Equal, "1.0.0+build.2"),
                ("v2.0.0", Equal, "2.0.0"),
                ("=2.0.0", Equal, "2.0.0"),
                ("10.0.0", Greater, "9.9.9"),
                ("9007199254740991.0.0", Greater, "1.0.0"),
            ],
        );
    }

    #[test]
    fn crates_io_follows_cargo_semver() {
        assert_order(
            Ecosystem::CratesIo,
            &[
                ("0.0.0-0", Less, "0.0.0"),
                ("1.0.0-alpha.1", Less, "1.0.0-alpha.beta"),
                ("1.2.3+build", Equal, "1.2.3+other"),
                ("18446744073709551615.0.0", Greater, "1.0.0"),
            ],
        );
    }

    #[test]
    fn versions_semver_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Npm,
            &[
                "1.0",
                "latest",
                "1.2.3.4",
                "01.2.3",
                "1.2.3-01",
                "9007199254740992.0.0",
            ],
        );
        assert_invalid(
            Ecosystem::CratesIo,
            &[
                "v1.0.0",
                "=1.0.0",
                "1.0",
                "1.2.3-",
                "18446744073709551616.0.0",
            ],
        );
    }
}
