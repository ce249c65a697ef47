//! ConanCenter: Conan 2's `Version` (https://docs.conan.io/2/tutorial/versioning/version_ranges.html;
//! the class is `conan/internal/model/version.py`, `conans/model/version.py` before 2.x moved
//! it). Conan is explicit that this is not SemVer: any pattern goes.
//!
//! - The build part is after the last `+`, then the pre-release after the first `-` of what is
//!   left; each is itself a dot-separated list (`1.0-rc.1+b2`).
//! - Items are split on `.`. An item that Python's `int()` reads (digits, `_` between digits)
//!   is a number; any other is a string. Trailing zero numbers are ignored: `1.0.0` == `1`.
//! - Items compare numerically when both are numbers and as strings (code point order) when
//!   both are strings. A version that is a prefix of another is smaller.
//! - A pre-release sorts before the same release; between pre-releases the main items, then the
//!   pre-release, then the build decide; between releases the main items then the build, and a
//!   version without build sorts before the same version with one.
//!
//! One difference on purpose: Conan compares a number with a string by their text
//! (`str(10) < "1a"`), which is not transitive (`2 < 10`, `"10" < "1a"`, `"1a" < "2"`), and a
//! sort over such an order may panic. Here a string starting with digits compares by that
//! number first (`1a` after `1`, before `2` and `10`), then by its text, which agrees with Conan
//! whenever the number has as many digits as the other side (OpenSSL's `1.1.1t` < `1.1.1w`,
//! `1.1.1` < `1.1.1w` < `1.1.2`). A string starting with `+`, `-` or nothing sorts before every
//! number, one starting with a letter or `_` after, as their text does in Conan.
//!
//! Valid versions are what Conan accepts in a reference: `[A-Za-z0-9_][A-Za-z0-9_+.-]*`
//! (`RecipeReference.validate_ref`).

use std::cmp::Ordering;

use super::digits::cmp_decimal;

#[derive(Debug, Clone)]
pub struct ConanVersion {
    /// Main items without trailing zeros.
    main: Vec<Item>,
    pre: Option<Vec<Item>>,
    build: Option<Vec<Item>>,
}

#[derive(Debug, Clone)]
enum Item {
    /// Digits, leading zeros and `_` removed ("0" is "").
    Number(String),
    Text(String),
}

impl ConanVersion {
    pub(super) fn parse(text: &str) -> Result<ConanVersion, String> {
        let valid_start = text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_start {
            return Err("a Conan version starts with a letter, a digit or '_'".into());
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '.' | '-')))
        {
            return Err(format!("{bad:?} is not allowed in a Conan version"));
        }
        let (rest, build) = match text.rsplit_once('+') {
            Some((rest, build)) => (rest, Some(items(build))),
            None => (text, None),
        };
        let (main, pre) = match rest.split_once('-') {
            Some((main, pre)) => (main, Some(items(pre))),
            None => (rest, None),
        };
        Ok(ConanVersion {
            main: items(main),
            pre,
            build,
        })
    }
}

/// Dot-separated items, trailing zero numbers dropped (Conan's `_nonzero_items`; qualifiers
/// are `Version`s too and drop theirs as well).
fn items(text: &str) -> Vec<Item> {
    let mut items: Vec<Item> = text.split('.').map(Item::parse).collect();
    while matches!(items.last(), Some(Item::Number(n)) if n.is_empty()) {
        items.pop();
    }
    items
}

impl Item {
    fn parse(text: &str) -> Item {
        // Python's int(): digits, single underscores between digits.
        let is_int = !text.is_empty()
            && !text.starts_with('_')
            && !text.ends_with('_')
            && !text.contains("__")
            && text.bytes().all(|b| b.is_ascii_digit() || b == b'_');
        if is_int {
            Item::Number(text.replace('_', "").trim_start_matches('0').to_string())
        } else {
            Item::Text(text.to_string())
        }
    }

    /// 0: text before every number, 1: numbers and text starting with digits, 2: text after.
    fn class(&self) -> u8 {
        match self {
            Item::Number(_) => 1,
            Item::Text(t) => match t.bytes().next() {
                Some(b) if b.is_ascii_digit() => 1,
                Some(b) if b > b'9' => 2,
                _ => 0,
            },
        }
    }
}

impl Ord for Item {
    fn cmp(&self, other: &Self) -> Ordering {
        self.class()
            .cmp(&other.class())
            .then_with(|| match (self, other) {
                (Item::Number(a), Item::Number(b)) => cmp_decimal(a, b),
                (Item::Text(a), Item::Text(b)) if self.class() != 1 => a.cmp(b),
                // Class 1 with text: by the leading number, then a number before text, then text.
                (a, b) => cmp_decimal(a.leading_digits(), b.leading_digits())
                    .then_with(|| matches!(b, Item::Number(_)).cmp(&matches!(a, Item::Number(_))))
                    .then_with(|| a.text().cmp(b.text())),
            })
    }
}

impl Item {
    fn leading_digits(&self) -> &str {
        match self {
            Item::Number(n) => n,
            Item::Text(t) => {
                let end = t
                    .bytes()
                    .position(|b| !b.is_ascii_digit())
                    .unwrap_or(t.len());
                &t[..end]
            }
        }
    }

    fn text(&self) -> &str {
        match self {
            Item::Number(n) | Item::Text(n) => n,
        }
    }
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ConanVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        // Conan's `__lt__` is the order of (main, is release, pre, build), with a missing
        // build first.
        self.main
            .cmp(&other.main)
            .then_with(|| self.pre.is_none().cmp(&other.pre.is_none()))
            .then_with(|| self.pre.cmp(&other.pre))
            .then_with(|| self.build.cmp(&other.build))
    }
}

super::order_from_cmp!(ConanVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    /// Each case, both ways round, gives what `conan/internal/model/version.py`'s `Version`
    /// gives (`<` and `==`, run on that class as written).
    #[test]
    fn conan_order() {
        assert_order(
            Ecosystem::ConanCenter,
            &[
                ("1.2.13", Less, "1.3"),
                ("1.2.13", Less, "1.10"),
                ("1", Equal, "1.0.0"),
                ("1.0.0.0", Equal, "1"),
                ("01.2", Equal, "1.2"),
                ("1.2", Less, "1.2.1"),
                ("1.0-rc1", Less, "1.0"),
                ("1.0-rc.1", Less, "1.0-rc.2"),
                ("1.0-rc.2", Less, "1.0-rc.10"),
                ("1.0-alpha", Less, "1.0-beta"),
                ("1.0-pre", Greater, "0.9"),
                ("1.0", Less, "1.0+build1"),
                ("1.0+build1", Less, "1.0+build2"),
                ("1.0+2", Less, "1.0+10"),
                ("1.0-rc1+b", Greater, "1.0-rc1"),
                // The first '-' starts the pre-release; the last '+' the build.
                ("1.0-rc-1", Greater, "1.0-rc"),
                ("1.0+a+b", Greater, "1.0+a"),
                // Strings: code point order; letters after numbers.
                ("cci.20230101", Less, "cci.20240101"),
                ("cci.20230101", Greater, "1.0"),
                ("1.a", Greater, "1.9"),
                ("1.A", Less, "1.a"),
                // OpenSSL 1.1.1 letters.
                ("1.1.1t", Less, "1.1.1w"),
                ("1.1.1", Less, "1.1.1w"),
                ("1.1.1w", Less, "1.1.2"),
                ("1.1.1w", Less, "3.0.0"),
                ("1_000", Equal, "1000"),
            ],
        );
    }

    #[test]
    fn strings_starting_with_digits_order_totally() {
        // Conan itself says "10" < "1a" < "2" < 10: not transitive. Here: 1a < 2 < 10. Conan
        // answers the first and last case the other way round.
        assert_order(
            Ecosystem::ConanCenter,
            &[
                ("1.1a", Less, "1.2"),
                ("1.1a", Less, "1.10"),
                ("1.2", Less, "1.10"),
                ("1.1a", Less, "1.10a"),
            ],
        );
    }

    #[test]
    fn what_conan_refuses_is_invalid() {
        assert_invalid(
            Ecosystem::ConanCenter,
            &[
                "", "-1.0", "+1", ".1", "1.0 beta", "1/2", "[>1.0]", "1.0@user", "ü",
            ],
        );
    }
}
