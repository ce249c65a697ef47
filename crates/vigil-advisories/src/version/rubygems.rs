//! RubyGems: `Gem::Version` (https://guides.rubygems.org/patterns/#semantic-versioning;
//! lib/rubygems/version.rb). Written by hand because no Rust crate implements it:
//!
//! - valid versions match `\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z`;
//! - a `-` stands for `.pre.` (`1.0-beta` = `1.0.pre.beta`);
//! - the segments are the runs of digits (numbers, of any size) and of letters (strings);
//! - `<=>` compares the *canonical* segments — trailing zeros dropped from the numeric part
//!   and from the part from the first string on — one by one, a missing segment being 0; a
//!   string sorts before a number (`1.0.a < 1.0`), strings compare bytewise.
//!
//! `Gem::Version.new("")` is `0` for historical reasons, but no gem has an empty version
//! (`Gem::Specification#validate` requires one): Vigil rejects it.

use std::cmp::Ordering;

use super::digits::cmp_decimal;

#[derive(Debug, Clone)]
pub struct GemVersion {
    canonical: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Number(String),
    Text(String),
}

impl Segment {
    fn is_zero(&self) -> bool {
        matches!(self, Segment::Number(n) if n.bytes().all(|b| b == b'0'))
    }
}

impl GemVersion {
    pub(super) fn parse(text: &str) -> Result<GemVersion, String> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if text.is_empty() {
            return Err("empty".into());
        }
        if !is_correct(text) {
            return Err("Malformed version number string".into());
        }
        let version = text.replace('-', ".pre.");
        // `@version.scan(/[0-9]+|[a-z]+/i)`.
        let mut segments = Vec::new();
        let bytes = version.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            if bytes[i].is_ascii_digit() {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                segments.push(Segment::Number(version[start..i].to_string()));
            } else if bytes[i].is_ascii_alphabetic() {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                segments.push(Segment::Text(version[start..i].to_string()));
            } else {
                i += 1;
            }
        }
        // `canonical_segments`: split at the first string, drop each part's trailing zeros.
        let string_start = segments
            .iter()
            .position(|s| matches!(s, Segment::Text(_)))
            .unwrap_or(segments.len());
        let mut strings = segments.split_off(string_start);
        let mut numbers = segments;
        for part in [&mut numbers, &mut strings] {
            while part.last().is_some_and(Segment::is_zero) {
                part.pop();
            }
        }
        numbers.extend(strings);
        Ok(GemVersion { canonical: numbers })
    }
}

/// `ANCHORED_VERSION_PATTERN`, whitespace already trimmed.
fn is_correct(text: &str) -> bool {
    let (release, pre) = match text.split_once('-') {
        Some((release, pre)) => (release, Some(pre)),
        None => (text, None),
    };
    let mut parts = release.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|pre| {
        pre.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    });
    first_ok && rest_ok && pre_ok
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number("0".into());
        for i in 0..self.canonical.len().max(other.canonical.len()) {
            let lhs = self.canonical.get(i).unwrap_or(&zero);
            let rhs = other.canonical.get(i).unwrap_or(&zero);
            let order = match (lhs, rhs) {
                (Segment::Number(a), Segment::Number(b)) => cmp_decimal(a, b),
                (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
                (Segment::Text(a), Segment::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}
super::order_from_cmp!(GemVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn rubygems_orders_like_gem_version() {
        assert_order(
            Ecosystem::RubyGems,
            &[
                ("1.0", Equal, "1"),
                ("1.0.0", Equal, "1.0"),
                ("1.0.a", Less, "1.0"),
                ("1.0.a2", Equal, "1.0.a.2"),
                ("1.0.b1", Greater, "1.0.a.2"),
                ("1.0-beta", Equal, "1.0.pre.beta"),
                ("3.10", Greater, "3.2"),
                ("5.2.4.rc1", Less, "5.2.4"),
                ("1.0.a.0", Equal, "1.0.a"),
                ("1.A", Less, "1.a"),
            ],
        );
    }

    #[test]
    fn versions_rubygems_rejects_are_errors() {
        assert_invalid(
            Ecosystem::RubyGems,
            &["", "a.1", "1..2", "1.0-", "1.0_1", "v1.0", "1.0 2"],
        );
    }
}
