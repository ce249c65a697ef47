//! Red Hat, Rocky Linux and AlmaLinux: rpm's order (rpmio/rpmver.c `rpmverParse` and
//! `rpmverCmp`, rpmio/rpmvercmp.c `rpmvercmp`, rpm ≥ 4.16; the rules are described in
//! https://docs.fedoraproject.org/en-US/packaging-guidelines/Versioning/). Written by hand
//! because no Rust crate implements it.
//!
//! `[epoch:]version[-release]`: the epoch is the leading digits when a `:` follows them
//! (a missing epoch is `0`); the release is what follows the last `-`. Epoch, version and
//! release compare in turn with `rpmvercmp`; a missing release sorts before any release
//! (`1.0 < 1.0-1`). `rpmvercmp` skips everything but ASCII letters, digits, `~` and `^`,
//! then compares runs of digits numerically and runs of letters bytewise, a number beating a
//! word; `~` sorts before everything (even the end: `1.0~rc1 < 1.0`), `^` after the end but
//! before anything else (`1.0 < 1.0^git1 < 1.0.1`).
//!
//! rpm orders any string; it rejects nothing at comparison time. Vigil rejects what cannot be
//! a package's version: an empty string, whitespace or control characters, and an empty
//! version part (`1:`, `-1`). Values rpmbuild would refuse but Red Hat's data holds (module
//! stream suffixes such as `…noarch.rpm-nginx:1`) are ordered exactly as rpm orders them.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct RpmVersion {
    epoch: Option<String>,
    version: String,
    release: Option<String>,
}

impl RpmVersion {
    pub(super) fn parse(text: &str) -> Result<RpmVersion, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty".into());
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("whitespace or control characters".into());
        }
        // `parseEVR`: leading digits followed by `:` are the epoch; the last `-` after them
        // starts the release.
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (epoch, rest) = match text[digits..].strip_prefix(':') {
            Some(rest) => (
                Some(if digits == 0 {
                    "0".to_string()
                } else {
                    text[..digits].to_string()
                }),
                rest,
            ),
            None => (None, text),
        };
        let search_from = if epoch.is_some() { 0 } else { digits };
        let (version, release) = match rest[search_from..].rfind('-') {
            Some(dash) => (
                &rest[..search_from + dash],
                Some(rest[search_from + dash + 1..].to_string()),
            ),
            None => (rest, None),
        };
        if version.is_empty() {
            return Err("the version part is empty".into());
        }
        Ok(RpmVersion {
            epoch,
            version: version.to_string(),
            release,
        })
    }
}

/// `rpmvercmp`.
fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let keep = |c: u8| c.is_ascii_alphanumeric() || c == b'~' || c == b'^';
    let (mut one, mut two) = (0usize, 0usize);
    while at(a, one) != 0 || at(b, two) != 0 {
        while at(a, one) != 0 && !keep(at(a, one)) {
            one += 1;
        }
        while at(b, two) != 0 && !keep(at(b, two)) {
            two += 1;
        }
        // The tilde separator sorts before everything else.
        if at(a, one) == b'~' || at(b, two) == b'~' {
            if at(a, one) != b'~' {
                return Ordering::Greater;
            }
            if at(b, two) != b'~' {
                return Ordering::Less;
            }
            one += 1;
            two += 1;
            continue;
        }
        // The caret separator: like the tilde, except that a version that ended is older.
        if at(a, one) == b'^' || at(b, two) == b'^' {
            if at(a, one) == 0 {
                return Ordering::Less;
            }
            if at(b, two) == 0 {
                return Ordering::Greater;
            }
            if at(a, one) != b'^' {
                return Ordering::Greater;
            }
            if at(b, two) != b'^' {
                return Ordering::Less;
            }
            one += 1;
            two += 1;
            continue;
        }
        if at(a, one) == 0 || at(b, two) == 0 {
            break;
        }
        let is_num = at(a, one).is_ascii_digit();
        let class = |c: u8| {
            if is_num {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let (mut end1, mut end2) = (one, two);
        while at(a, end1) != 0 && class(at(a, end1)) {
            end1 += 1;
        }
        while at(b, end2) != 0 && class(at(b, end2)) {
            end2 += 1;
        }
        if end2 == two {
            // Different kinds of segment: a number is newer than letters.
            return if is_num {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let (mut seg1, mut seg2) = (&a[one..end1], &b[two..end2]);
        if is_num {
            while seg1.first() == Some(&b'0') {
                seg1 = &seg1[1..];
            }
            while seg2.first() == Some(&b'0') {
                seg2 = &seg2[1..];
            }
            let longer = seg1.len().cmp(&seg2.len());
            if longer != Ordering::Equal {
                return longer;
            }
        }
        let order = seg1.cmp(seg2);
        if order != Ordering::Equal {
            return order;
        }
        one = end1;
        two = end2;
    }
    match (at(a, one) == 0, at(b, two) == 0) {
        (true, true) => Ordering::Equal,
        (false, _) => Ordering::Greater,
        (true, false) => Ordering::Less,
    }
}

/// `compare_values` of rpmverCmp: a missing part sorts before a present one.
fn compare_values(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (Some(a), Some(b)) => rpmvercmp(a.as_bytes(), b.as_bytes()),
    }
}

impl Ord for RpmVersion {
    /// `rpmverCmp`.
    fn cmp(&self, other: &Self) -> Ordering {
        let epoch = |v: &RpmVersion| v.epoch.clone().unwrap_or_else(|| "0".into());
        compare_values(Some(&epoch(self)), Some(&epoch(other)))
            .then_with(|| rpmvercmp(self.version.as_bytes(), other.version.as_bytes()))
            .then_with(|| compare_values(self.release.as_deref(), other.release.as_deref()))
    }
}
super::order_from_cmp!(RpmVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    /// Mostly from rpm's tests/rpmvercmp.at.
    #[test]
    fn rpm_family_orders_like_rpm() {
        for ecosystem in [
            Ecosystem::RedHat,
            Ecosystem::RockyLinux,
            Ecosystem::AlmaLinux,
        ] {
            assert_order(
                ecosystem,
                &[
                    ("1.0", Less, "2.0"),
                    ("2.0.1a", Greater, "2.0.1"),
                    ("5.5p1", Less, "5.5p10"),
                    ("xyz.4", Less, "8"),
                    ("6.0.rc1", Greater, "6.0"),
                    ("10.0001", Equal, "10.1"),
                    ("2_0", Equal, "2.0"),
                    ("1.0~rc1", Less, "1.0"),
                    ("1.0~rc1~git123", Less, "1.0~rc1"),
                    ("1.0^", Greater, "1.0"),
                    ("1.0^git1", Less, "1.01"),
                    ("1.0^git1~pre", Less, "1.0^git1"),
                    ("0:1.0", Equal, "1.0"),
                    ("1:1.0", Greater, "9.0"),
                    ("1.0", Less, "1.0-1"),
                    ("1.0-1", Less, "1.0-1.el9"),
                    ("0:3.10.0-229.el7", Less, "0:3.10.0-229.1.2.ael7b"),
                    ("1:3.0.7-24.el9", Greater, "1:3.0.7-16.el9_2"),
                    ("1.m+e2:1", Less, "4.m+e1:1"),
                ],
            );
        }
    }

    #[test]
    fn versions_rpm_cannot_hold_are_errors() {
        assert_invalid(Ecosystem::RedHat, &["", "1.0 1", "1:", "-1", "1:-1"]);
    }
}
