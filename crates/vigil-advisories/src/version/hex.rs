//! Hex: Elixir's `Version` (https://hexdocs.pm/elixir/Version.html; the parser is
//! `Version.Parser.parse_version/2` in lib/elixir/lib/version.ex), which Hex requires of every
//! package version. Written by hand because no Rust crate implements Elixir's rules: strict
//! `MAJOR.MINOR.PATCH[-PRE][+BUILD]` with no `v` and no leading zeros, arbitrary-precision
//! integers, and `Version.compare/2` ignoring build metadata. Pre-release identifiers compare
//! in Erlang term order: integers before binaries, integers numerically, binaries bytewise, and
//! a list that is a prefix of another sorts first — which is SemVer precedence.

use std::cmp::Ordering;

use super::digits::cmp_decimal;
use super::go::compare_prerelease;

#[derive(Debug, Clone)]
pub struct HexVersion {
    major: String,
    minor: String,
    patch: String,
    pre: Vec<String>,
}

impl HexVersion {
    pub(super) fn parse(text: &str) -> Result<HexVersion, String> {
        // `String.split(string, "+", parts: 2)`, then `String.split(.., "-", parts: 2)`.
        let (version_with_pre, build) = match text.split_once('+') {
            Some((version, build)) => (version, Some(build)),
            None => (text, None),
        };
        let (version, pre) = match version_with_pre.split_once('-') {
            Some((version, pre)) => (version, Some(pre)),
            None => (version_with_pre, None),
        };
        let parts: Vec<&str> = version.split('.').collect();
        let [major, minor, patch] = parts[..] else {
            return Err("expected MAJOR.MINOR.PATCH".into());
        };
        for (name, digits) in [("major", major), ("minor", minor), ("patch", patch)] {
            if !require_digits(digits) {
                return Err(format!(
                    "the {name} version must be digits without a leading zero"
                ));
            }
        }
        let pre = optional_dot_separated(pre).ok_or("invalid pre-release")?;
        if pre
            .iter()
            .any(|part| part.bytes().all(|b| b.is_ascii_digit()) && leading_zero(part))
        {
            return Err("a numeric pre-release identifier has a leading zero".into());
        }
        optional_dot_separated(build).ok_or("invalid build metadata")?;
        Ok(HexVersion {
            major: major.into(),
            minor: minor.into(),
            patch: patch.into(),
            pre,
        })
    }
}

fn leading_zero(text: &str) -> bool {
    text.len() > 1 && text.starts_with('0')
}

fn require_digits(text: &str) -> bool {
    !leading_zero(text) && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn optional_dot_separated(text: Option<&str>) -> Option<Vec<String>> {
    let Some(text) = text else {
        return Some(Vec::new());
    };
    let parts: Vec<String> = text.split('.').map(str::to_string).collect();
    let valid = |part: &String| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    parts.iter().all(valid).then_some(parts)
}

impl Ord for HexVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_decimal(&self.major, &other.major)
            .then_with(|| cmp_decimal(&self.minor, &other.minor))
            .then_with(|| cmp_decimal(&self.patch, &other.patch))
            .then_with(|| compare_prerelease(&self.pre, &other.pre))
    }
}
super::order_from_cmp!(HexVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn hex_orders_like_elixir_version() {
        assert_order(
            Ecosystem::Hex,
            &[
                ("1.0.0-alpha", Less, "1.0.0-alpha.1"),
                ("1.0.0-beta.11", Greater, "1.0.0-beta.2"),
                ("1.0.0-rc.1", Less, "1.0.0"),
                ("1.2.3+build", Equal, "1.2.3+other"),
                ("1.2.3-5-foo", Greater, "1.2.3-5"),
                (
                    "999999999999999999999999999991.0.0",
                    Less,
                    "999999999999999999999999999999.0.0",
                ),
            ],
        );
    }

    #[test]
    fn versions_elixir_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Hex,
            &[
                "v1.0.0",
                "1.0",
                "1.0.0.0",
                "01.0.0",
                "1.0.0-01",
                "1.0.0-a..b",
                "1.0.0+",
            ],
        );
    }
}
