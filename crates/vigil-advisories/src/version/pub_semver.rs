//! Pub: Dart's `pub_semver` package (https://pub.dev/packages/pub_semver, `Version.parse` and
//! `Version.compareTo` in lib/src/version.dart), which the pub tool uses. Written by hand
//! because no Rust crate implements it. It departs from SemVer in two ways:
//!
//! - build metadata orders: a version without a build sorts before the same version with one
//!   (`1.0.0 < 1.0.0+build`), and builds compare like pre-releases (`1.2.3+1 < 1.2.3+a`);
//! - numbers are Dart `int`s (64-bit on the VM): a major, minor or patch that does not fit is a
//!   `FormatException`; an identifier is a number when `int.tryParse` reads it as one, which
//!   includes a leading zero (`01`) and a `0x` hexadecimal literal.
//!
//! The grammar is `^(\d+)\.(\d+)\.(\d+)(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$`:
//! no `v` prefix, no fourth part.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct PubVersion {
    major: i64,
    minor: i64,
    patch: i64,
    pre: Vec<Part>,
    build: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Number(i64),
    Text(String),
}

impl PubVersion {
    pub(super) fn parse(text: &str) -> Result<PubVersion, String> {
        let text = text.trim();
        let (rest, build) = match text.split_once('+') {
            Some((rest, build)) => (rest, Some(build)),
            None => (text, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (rest, None),
        };
        let numbers: Vec<&str> = core.split('.').collect();
        let [major, minor, patch] = numbers[..] else {
            return Err("expected MAJOR.MINOR.PATCH".into());
        };
        let number = |digits: &str| -> Result<i64, String> {
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err("expected MAJOR.MINOR.PATCH".into());
            }
            digits
                .parse::<i64>()
                .map_err(|_| format!("{digits} does not fit in a Dart int"))
        };
        Ok(PubVersion {
            major: number(major)?,
            minor: number(minor)?,
            patch: number(patch)?,
            pre: split_parts(pre).ok_or("invalid pre-release")?,
            build: split_parts(build).ok_or("invalid build metadata")?,
        })
    }
}

/// `_splitParts`: dot-separated identifiers of `[0-9A-Za-z-]`, each a number where
/// `int.tryParse` reads one.
fn split_parts(text: Option<&str>) -> Option<Vec<Part>> {
    let Some(text) = text else {
        return Some(Vec::new());
    };
    text.split('.')
        .map(|part| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return None;
            }
            Some(
                dart_int_try_parse(part)
                    .map(Part::Number)
                    .unwrap_or_else(|| Part::Text(part.to_string())),
            )
        })
        .collect()
}

/// Dart's `int.tryParse` without a radix: an optional sign, then decimal digits or a `0x`
/// hexadecimal literal; `null` (here `None`) when the value does not fit in 64 bits.
fn dart_int_try_parse(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (radix, digits) = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => (16, hex),
        None => (10, digits),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits.to_string()
    };
    i64::from_str_radix(&signed, radix).ok()
}

fn compare_lists(a: &[Part], b: &[Part]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let order = match (a.get(i), b.get(i)) {
            // Missing parts come before present ones.
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(Part::Number(x)), Some(Part::Number(y))) => x.cmp(y),
            (Some(Part::Number(_)), Some(Part::Text(_))) => Ordering::Less,
            (Some(Part::Text(_)), Some(Part::Number(_))) => Ordering::Greater,
            (Some(Part::Text(x)), Some(Part::Text(y))) => x.encode_utf16().cmp(y.encode_utf16()),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

impl Ord for PubVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            // Pre-releases always come before no pre-release string.
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (true, true) | (false, false) => compare_lists(&self.pre, &other.pre),
            })
            // Builds always come after no build string.
            .then_with(|| match (self.build.is_empty(), other.build.is_empty()) {
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (true, true) | (false, false) => compare_lists(&self.build, &other.build),
            })
    }
}
super::order_from_cmp!(PubVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn pub_orders_like_pub_semver() {
        assert_order(
            Ecosystem::Pub,
            &[
                ("1.0.0-pre", Less, "1.0.0-pre+build"),
                ("1.0.0-pre+build", Less, "1.0.0"),
                ("1.0.0", Less, "1.0.0+build"),
                ("1.2.3+1", Less, "1.2.3+a"),
                ("1.2.3+9", Less, "1.2.3+10"),
                ("1.2.3-01", Equal, "1.2.3-1"),
                ("1.2.3-0x10", Greater, "1.2.3-15"),
                ("01.2.3", Equal, "1.2.3"),
                ("1.0.0-beta.11", Greater, "1.0.0-beta.2"),
            ],
        );
    }

    #[test]
    fn versions_pub_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Pub,
            &[
                "v1.0.0",
                "1.0",
                "1.0.0.0",
                "1.0.0-",
                "1.0.0-a..b",
                "9223372036854775808.0.0",
            ],
        );
    }
}
