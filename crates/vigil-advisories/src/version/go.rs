//! Go: golang.org/x/mod/semver (https://pkg.go.dev/golang.org/x/mod/semver), the order the go
//! command gives module versions. Written by hand because no Rust crate implements it: it is
//! SemVer 2.0 with arbitrary-precision numbers (compared as digit strings), the shorthands
//! `v1` and `v1.2` (meaning `v1.0.0`, `v1.2.0`; not followed by a pre-release or build), build
//! metadata ignored (so `v2.0.0+incompatible` == `v2.0.0`), and no leading zeros.
//!
//! Go writes versions with a leading `v`; OSV's Go records write them without
//! (https://ossf.github.io/osv-schema/#affectedranges-field), and purls with: so the `v` is
//! optional here, and `v1.2.3` == `1.2.3`.

use std::cmp::Ordering;

use super::digits::cmp_decimal;

#[derive(Debug, Clone)]
pub struct GoVersion {
    major: String,
    minor: String,
    patch: String,
    /// Dot-separated identifiers, without the leading `-`; empty for a release.
    prerelease: Vec<String>,
}

impl GoVersion {
    pub(super) fn parse(text: &str) -> Result<GoVersion, String> {
        let text = text.trim();
        let rest = text.strip_prefix('v').unwrap_or(text);
        let (major, rest) =
            parse_int(rest).ok_or("the major version must be a number without leading zeros")?;
        // A shorthand (`v1`, `v1.2`) ends the version: `v1.2-pre` is not one Go accepts.
        let (minor, patch, rest) = if rest.is_empty() {
            ("0", "0", rest)
        } else {
            let rest = rest
                .strip_prefix('.')
                .ok_or("expected '.' after the major version")?;
            let (minor, rest) = parse_int(rest)
                .ok_or("the minor version must be a number without leading zeros")?;
            if rest.is_empty() {
                (minor, "0", rest)
            } else {
                let rest = rest
                    .strip_prefix('.')
                    .ok_or("expected '.' after the minor version")?;
                let (patch, rest) = parse_int(rest)
                    .ok_or("the patch version must be a number without leading zeros")?;
                (minor, patch, rest)
            }
        };
        let (prerelease, rest) = match rest.strip_prefix('-') {
            Some(pre) => {
                let end = pre.find('+').unwrap_or(pre.len());
                let idents: Vec<String> = pre[..end].split('.').map(str::to_string).collect();
                for ident in &idents {
                    if ident.is_empty() || !ident.bytes().all(is_ident_char) || is_bad_num(ident) {
                        return Err(format!("invalid pre-release identifier {ident:?}"));
                    }
                }
                (idents, &pre[end..])
            }
            None => (Vec::new(), rest),
        };
        if let Some(build) = rest.strip_prefix('+') {
            if build
                .split('.')
                .any(|ident| ident.is_empty() || !ident.bytes().all(is_ident_char))
            {
                return Err(format!("invalid build metadata {build:?}"));
            }
        } else if !rest.is_empty() {
            return Err(format!("unexpected {rest:?}"));
        }
        Ok(GoVersion {
            major: major.into(),
            minor: minor.into(),
            patch: patch.into(),
            prerelease,
        })
    }
}

/// `parseInt`: digits, no leading zero unless the number is `0`.
fn parse_int(text: &str) -> Option<(&str, &str)> {
    let end = text
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(text.len());
    if end == 0 || (text.as_bytes()[0] == b'0' && end != 1) {
        return None;
    }
    Some((&text[..end], &text[end..]))
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// `isBadNum`: a numeric identifier with a leading zero.
fn is_bad_num(ident: &str) -> bool {
    ident.len() > 1 && ident.starts_with('0') && ident.bytes().all(|b| b.is_ascii_digit())
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_decimal(&self.major, &other.major)
            .then_with(|| cmp_decimal(&self.minor, &other.minor))
            .then_with(|| cmp_decimal(&self.patch, &other.patch))
            .then_with(|| compare_prerelease(&self.prerelease, &other.prerelease))
    }
}
super::order_from_cmp!(GoVersion);

/// `comparePrerelease`: a release sorts after its pre-releases; identifiers compare
/// numerically when both are numbers, numbers before words, words in ASCII order; a longer list
/// wins when one is a prefix of the other.
pub(super) fn compare_prerelease(a: &[String], b: &[String]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    for (x, y) in a.iter().zip(b) {
        let (x_num, y_num) = (is_num(x), is_num(y));
        let order = match (x_num, y_num) {
            (true, true) => cmp_decimal(x, y),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.as_bytes().cmp(y.as_bytes()),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

fn is_num(ident: &str) -> bool {
    !ident.is_empty() && ident.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn go_orders_like_x_mod_semver() {
        assert_order(
            Ecosystem::Go,
            &[
                ("v1.2.3", Equal, "1.2.3"),
                ("v1", Equal, "v1.0.0"),
                ("v1.2", Equal, "1.2.0"),
                ("v2.0.0+incompatible", Equal, "2.0.0"),
                ("0.0.0-20210101000000-abcdef123456", Less, "0.0.1"),
                ("1.19.0-0", Less, "1.19.0-rc.1"),
                ("1.19.0-rc.1", Less, "1.19.0"),
                ("1.0.0-alpha.10", Greater, "1.0.0-alpha.9"),
                ("1.0.0-alpha.b", Greater, "1.0.0-alpha.10"),
                (
                    "999999999999999999999999999991.0.0",
                    Less,
                    "999999999999999999999999999999.0.0",
                ),
            ],
        );
    }

    #[test]
    fn versions_go_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Go,
            &[
                "1.2.3.4",
                "01.2.3",
                "1.02.3",
                "1.2.3-01",
                "1.2-pre",
                "1.2.3-",
                "1.2.3+",
                "vv1.2.3",
                "latest",
                "1.2.3-a..b",
            ],
        );
    }
}
