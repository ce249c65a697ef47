//! Debian and Ubuntu: dpkg's order (deb-version(7); Debian Policy §5.6.12; `parseversion` in
//! lib/dpkg/parsehelp.c and `verrevcmp` in lib/dpkg/version.c). Written by hand rather than
//! with the `debversion` crate because that crate's parser accepts versions dpkg rejects (a
//! `:` without a numeric epoch before it, such as `a:1`), while the comparison is dpkg's forty
//! lines.
//!
//! `[epoch:]upstream[-revision]`: the epoch is a number (at most `INT_MAX`); the revision is
//! what follows the last `-`. Each part compares as alternating runs of non-digits (letters
//! before non-letters, `~` before everything, even the end) and digits (numerically). A
//! missing revision equals `0`.
//!
//! Rejected, as dpkg rejects them: an empty version, embedded spaces, an empty or
//! non-numeric or too big epoch, nothing after the epoch's colon, an empty revision or
//! upstream version, and characters outside `[A-Za-z0-9.+~-]` (upstream; `:` too when there
//! is an epoch) or `[A-Za-z0-9.+~]` (revision) — which dpkg reports as "bad syntax" and Policy
//! forbids. An upstream version that does not start with a digit is accepted: Policy says it
//! "should", and dpkg only warns.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct DpkgVersion {
    epoch: u32,
    upstream: String,
    revision: String,
}

impl DpkgVersion {
    pub(super) fn parse(text: &str) -> Result<DpkgVersion, String> {
        let text = text.trim_matches([' ', '\t']);
        if text.is_empty() {
            return Err("version string is empty".into());
        }
        if text.chars().any(char::is_whitespace) {
            return Err("version string has embedded spaces".into());
        }
        let (epoch, rest) = match text.split_once(':') {
            Some((epoch, rest)) => {
                if epoch.is_empty() {
                    return Err("epoch in version is empty".into());
                }
                if !epoch.bytes().all(|b| b.is_ascii_digit()) {
                    return Err("epoch in version is not number".into());
                }
                let epoch: u32 = epoch
                    .parse()
                    .ok()
                    .filter(|e| *e <= i32::MAX as u32)
                    .ok_or("epoch in version is too big")?;
                if rest.is_empty() {
                    return Err("nothing after colon in version number".into());
                }
                (epoch, rest)
            }
            None => (0, text),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((_, "")) => return Err("revision number is empty".into()),
            Some((upstream, revision)) => (upstream, revision),
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err("upstream version is empty".into());
        }
        if let Some(c) = upstream
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && !".-+~:".contains(*c))
        {
            return Err(format!("invalid character {c:?} in version number"));
        }
        if let Some(c) = revision
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && !".+~".contains(*c))
        {
            return Err(format!("invalid character {c:?} in revision number"));
        }
        Ok(DpkgVersion {
            epoch,
            upstream: upstream.into(),
            revision: revision.into(),
        })
    }
}

/// `order()` of verrevcmp: digits and the end are 0, letters their code, `~` below everything,
/// anything else after the letters.
fn order(c: u8) -> i32 {
    match c {
        b'0'..=b'9' | 0 => 0,
        b'A'..=b'Z' | b'a'..=b'z' => i32::from(c),
        b'~' => -1,
        other => i32::from(other) + 256,
    }
}

/// `verrevcmp`.
fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let (mut i, mut j) = (0, 0);
    while at(a, i) != 0 || at(b, j) != 0 {
        while (at(a, i) != 0 && !at(a, i).is_ascii_digit())
            || (at(b, j) != 0 && !at(b, j).is_ascii_digit())
        {
            let (ac, bc) = (order(at(a, i)), order(at(b, j)));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while at(a, i) == b'0' {
            i += 1;
        }
        while at(b, j) == b'0' {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while at(a, i).is_ascii_digit() && at(b, j).is_ascii_digit() {
            if first_diff == Ordering::Equal {
                first_diff = at(a, i).cmp(&at(b, j));
            }
            i += 1;
            j += 1;
        }
        if at(a, i).is_ascii_digit() {
            return Ordering::Greater;
        }
        if at(b, j).is_ascii_digit() {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream.as_bytes(), other.upstream.as_bytes()))
            .then_with(|| verrevcmp(self.revision.as_bytes(), other.revision.as_bytes()))
    }
}
super::order_from_cmp!(DpkgVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    #[test]
    fn debian_orders_like_dpkg() {
        for ecosystem in [Ecosystem::Debian, Ecosystem::Ubuntu] {
            assert_order(
                ecosystem,
                &[
                    ("1.0", Equal, "0:1.0"),
                    ("1.0", Equal, "1.0-0"),
                    ("1.0~rc1", Less, "1.0"),
                    ("1.0~~", Less, "1.0~"),
                    ("1.0", Less, "1.0+b1"),
                    ("1.0a", Less, "1.0+"),
                    ("1:0.1", Greater, "9.9"),
                    ("1.2.3-1~deb7u1", Less, "1.2.3-1"),
                    (
                        "2.7.4+reloaded2-13ubuntu1",
                        Less,
                        "2.7.4+reloaded2-13+deb9u1",
                    ),
                    ("7.88.1-10+deb12u5", Greater, "7.88.1-10+deb12u4"),
                    ("1.0-1-2", Greater, "1.0-1-1"),
                    ("1:2.0:1-1", Greater, "1:2.0-1"),
                    ("0.0.010", Equal, "0.0.10"),
                ],
            );
        }
    }

    #[test]
    fn versions_dpkg_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Debian,
            &[
                "",
                "1.0 1",
                ":1.0",
                "a:1.0",
                "-1:1.0",
                "1:",
                "1.0-",
                "1.0_1",
                "1.0-1:2",
                "99999999999:1.0",
                "1.0-a_b",
                "-1",
            ],
        );
    }
}
