//! Packagist: Composer's order, which is PHP's `version_compare` over the versions as
//! Composer's `VersionParser::normalize` writes them (composer/semver: src/VersionParser.php,
//! src/Constraint/Constraint.php; php-src: ext/standard/versioning.c). Written by hand because
//! no Rust crate implements either. Normalising first is what makes `1.0` = `1.0.0`
//! (both `1.0.0.0`) and `v3.0.0-beta` < `v3.0` (`3.0.0.0-beta` < `3.0.0.0`), where a bare
//! `version_compare` of the strings as written disagrees.
//!
//! A version `normalize` rejects ("Invalid version string") is an error. The regular
//! expressions below are Composer's, with its possessive quantifiers written as greedy ones:
//! in these patterns no backtracking into them can lead to a match, so the matches are the
//! same.

use std::{cmp::Ordering, sync::LazyLock};

use regex::Regex;

#[derive(Debug, Clone)]
pub struct ComposerVersion {
    /// `VersionParser::normalize`'s output, e.g. `1.0.0.0-beta2` or `dev-main`.
    normalized: String,
}

// PCRE without the `u` flag: `\d` and `\s` are ASCII, and so is `/i`.
const MODIFIER: &str =
    r"[._-]?(?:((?i-u:stable|beta|b|RC|alpha|a|patch|pl|p))((?:[.-]?[0-9]+)*)?)?([.-]?(?i-u:dev))?";
const SPACE: &str = r"\t\n\x0B\x0C\r ";

static ALIAS: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^([^,{SPACE}]+) +as +([^,{SPACE}]+)$")));
static STABILITY_FLAG: LazyLock<Regex> =
    LazyLock::new(|| regex(r"@(?i-u:stable|RC|beta|alpha|dev)$"));
static BUILD: LazyLock<Regex> =
    LazyLock::new(|| regex(&format!(r"^([^,{SPACE}+]+)\+[^{SPACE}]+$")));
static CLASSICAL: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^(?i-u:v)?([0-9]{{1,5}})(\.[0-9]+)?(\.[0-9]+)?(\.[0-9]+)?{MODIFIER}$"
    ))
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"^(?i-u:v)?([0-9]{{4}}(?:[.:-]?[0-9]{{2}}){{1,6}}(?:[.:-]?[0-9]{{1,3}}){{0,2}}){MODIFIER}$"
    ))
});
static DEV_BRANCH: LazyLock<Regex> = LazyLock::new(|| regex(r"^(.*?)[.-]?(?i-u:dev)$"));
static NUMERIC_BRANCH: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^(?i-u:v)?([0-9]+)(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?(\.(?:[0-9]+|[xX*]))?$")
});

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("Composer's patterns compile")
}

/// PHP's `trim()`: spaces, tabs, newlines, NUL and vertical tabs.
fn php_trim(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0B'])
}

impl ComposerVersion {
    pub(super) fn parse(text: &str) -> Result<ComposerVersion, String> {
        normalize(text).map(|normalized| ComposerVersion { normalized })
    }
}

/// `VersionParser::normalize($version)`.
fn normalize(version: &str) -> Result<String, String> {
    let invalid = || Err(format!("Invalid version string {:?}", php_trim(version)));
    let mut version = php_trim(version).to_string();
    if let Some(captures) = ALIAS.captures(&version) {
        version = captures[1].to_string();
    }
    if let Some(flag) = STABILITY_FLAG.find(&version) {
        version.truncate(flag.start());
    }
    if matches!(version.as_str(), "master" | "trunk" | "default") {
        version = format!("dev-{version}");
    }
    if version
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("dev-"))
    {
        return Ok(format!("dev-{}", &version[4..]));
    }
    if let Some(captures) = BUILD.captures(&version) {
        version = captures[1].to_string();
    }
    let group = |captures: &regex::Captures<'_>, i: usize| {
        captures.get(i).map_or("", |m| m.as_str()).to_string()
    };
    let matched = if let Some(c) = CLASSICAL.captures(&version) {
        let or_zero = |part: String| {
            if part.is_empty() {
                ".0".to_string()
            } else {
                part
            }
        };
        let numbers = format!(
            "{}{}{}{}",
            group(&c, 1),
            or_zero(group(&c, 2)),
            or_zero(group(&c, 3)),
            or_zero(group(&c, 4))
        );
        Some((numbers, group(&c, 5), group(&c, 6), group(&c, 7)))
    } else if let Some(c) = DATE.captures(&version) {
        let numbers: String = group(&c, 1)
            .chars()
            .map(|ch| if ch.is_ascii_digit() { ch } else { '.' })
            .collect();
        Some((numbers, group(&c, 2), group(&c, 3), group(&c, 4)))
    } else {
        None
    };
    if let Some((mut numbers, stability, stability_number, dev)) = matched {
        if !stability.is_empty() {
            if stability == "stable" {
                return Ok(numbers);
            }
            numbers.push('-');
            numbers.push_str(&expand_stability(&stability));
            numbers.push_str(stability_number.trim_start_matches(['.', '-']));
        }
        if !dev.is_empty() {
            numbers.push_str("-dev");
        }
        return Ok(numbers);
    }
    // A numeric branch such as `2.1.x-dev`.
    if let Some(c) = DEV_BRANCH.captures(&version) {
        if let Some(branch) = NUMERIC_BRANCH.captures(php_trim(&c[1])) {
            let mut normalized = String::new();
            for i in 1..5 {
                normalized.push_str(
                    &branch
                        .get(i)
                        .map_or(".x".to_string(), |m| m.as_str().replace(['*', 'X'], "x")),
                );
            }
            return Ok(format!("{}-dev", normalized.replace('x', "9999999")));
        }
    }
    invalid()
}

/// `VersionParser::expandStability`.
fn expand_stability(stability: &str) -> String {
    let stability = stability.to_lowercase();
    match stability.as_str() {
        "a" => "alpha".into(),
        "b" => "beta".into(),
        "p" | "pl" => "patch".into(),
        "rc" => "RC".into(),
        _ => stability,
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        php_version_compare(self.normalized.as_bytes(), other.normalized.as_bytes())
    }
}
super::order_from_cmp!(ComposerVersion);

/// `php_canonicalize_version`: `-`, `_` and `+` become `.`, and a `.` separates every change
/// between digits and other characters; any other non-alphanumeric character becomes `.`.
/// The first character is kept as it is.
fn php_canonicalize(version: &[u8]) -> Vec<u8> {
    let Some((&first, rest)) = version.split_first() else {
        return Vec::new();
    };
    let is_dig = |c: u8| c.is_ascii_digit();
    let is_ndig = |c: u8| !c.is_ascii_digit() && c != b'.';
    let mut out = vec![first];
    let mut last = first;
    for &c in rest {
        let q_last = *out.last().expect("never empty");
        if matches!(c, b'-' | b'_' | b'+') {
            if q_last != b'.' {
                out.push(b'.');
            }
        } else if (is_ndig(last) && is_dig(c)) || (is_dig(last) && is_ndig(c)) {
            if q_last != b'.' {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if q_last != b'.' {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        last = c;
    }
    out
}

/// `compare_special_version_forms`: the first form in this list that is a prefix decides.
fn special_form_order(form: &[u8]) -> i32 {
    const FORMS: [(&[u8], i32); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| form.starts_with(name))
        .map_or(-1, |(_, order)| *order)
}

fn compare_special(a: &[u8], b: &[u8]) -> Ordering {
    special_form_order(a).cmp(&special_form_order(b))
}

/// `strtol(p, NULL, 10)` on a part that starts with a digit: saturates at `LONG_MAX`.
fn strtol(part: &[u8]) -> i64 {
    part.iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0i64, |acc, &c| {
            acc.saturating_mul(10).saturating_add(i64::from(c - b'0'))
        })
}

/// `php_version_compare`, walking the canonical strings part by part as the C code does.
fn php_version_compare(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let v1 = if a[0] == b'#' {
        a.to_vec()
    } else {
        php_canonicalize(a)
    };
    let v2 = if b[0] == b'#' {
        b.to_vec()
    } else {
        php_canonicalize(b)
    };
    let at = |v: &[u8], p: usize| v.get(p).copied().unwrap_or(0);
    let next_dot = |v: &[u8], p: usize| {
        v.get(p..)
            .and_then(|rest| rest.iter().position(|&c| c == b'.'))
            .map(|k| p + k)
    };
    // `n1`/`n2` are the positions of the separators after the current parts; `None` is C's NULL.
    let (mut p1, mut p2) = (0usize, 0usize);
    let (mut n1, mut n2) = (Some(0usize), Some(0usize));
    let mut compare = Ordering::Equal;
    while at(&v1, p1) != 0 && at(&v2, p2) != 0 && n1.is_some() && n2.is_some() {
        n1 = next_dot(&v1, p1);
        n2 = next_dot(&v2, p2);
        let part1 = &v1[p1..n1.unwrap_or(v1.len())];
        let part2 = &v2[p2..n2.unwrap_or(v2.len())];
        let digit = |part: &[u8]| part.first().is_some_and(u8::is_ascii_digit);
        compare = match (digit(part1), digit(part2)) {
            (true, true) => strtol(part1).cmp(&strtol(part2)),
            (false, false) => compare_special(part1, part2),
            (true, false) => compare_special(b"#N#", part2),
            (false, true) => compare_special(part1, b"#N#"),
        };
        if compare != Ordering::Equal {
            break;
        }
        if let Some(n) = n1 {
            p1 = n + 1;
        }
        if let Some(n) = n2 {
            p2 = n + 1;
        }
    }
    if compare == Ordering::Equal {
        if n1.is_some() {
            compare = if at(&v1, p1).is_ascii_digit() {
                Ordering::Greater
            } else {
                php_version_compare(&v1[p1.min(v1.len())..], b"#N#")
            };
        } else if n2.is_some() {
            compare = if at(&v2, p2).is_ascii_digit() {
                Ordering::Less
            } else {
                php_version_compare(b"#N#", &v2[p2.min(v2.len())..])
            };
        }
    }
    compare
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use super::normalize;
    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn versions_normalise_like_composer() {
        let cases = [
            ("1.0", "1.0.0.0"),
            ("v3.0.0-beta", "3.0.0.0-beta"),
            ("1.0.0RC1dev", "1.0.0.0-RC1-dev"),
            ("1.0pl1", "1.0.0.0-patch1"),
            ("1.25.0-beta2.1", "1.25.0.0-beta2.1"),
            ("1.0.0+build.1", "1.0.0.0"),
            ("2010-01-02", "2010.01.02"),
            ("2.1.x-dev", "2.1.9999999.9999999-dev"),
            ("dev-main", "dev-main"),
            ("master", "dev-master"),
            ("1.0.0-stable", "1.0.0.0"),
            ("1.0 as 2.0", "1.0.0.0"),
            ("123456.0", "123456.0"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input).as_deref(), Ok(expected), "{input}");
        }
    }

    #[test]
    fn packagist_orders_like_composer() {
        assert_order(
            Ecosystem::Packagist,
            &[
                ("1.0", Equal, "1.0.0"),
                ("v3.0.0-beta", Less, "v3.0"),
                ("V1.0.0", Equal, "1.0.0"),
                ("1.0-dev", Less, "1.0a1"),
                ("1.0a1", Less, "1.0b1"),
                ("1.0b1", Less, "1.0RC1"),
                ("1.0RC1", Equal, "1.0rc1"),
                ("1.0rc1", Less, "1.0"),
                ("1.0", Less, "1.0pl1"),
                ("1.25.0-beta2.1", Equal, "1.25.0-b.2.1"),
                ("dev-foo", Less, "1.26.0"),
                ("10", Greater, "2"),
            ],
        );
    }

    #[test]
    fn versions_composer_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Packagist,
            &[
                "",
                "4.3-2RC1",
                "1.2.3.#",
                "123456789012345678901234567890",
                "1.0.0.0.0",
                "not a version",
            ],
        );
    }
}
