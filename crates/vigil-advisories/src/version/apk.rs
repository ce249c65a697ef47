//! Alpine: apk-tools' order (src/version.c of apk-tools 3.0; the grammar is
//! `digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}`, documented in apk-package(5)). Written by
//! hand because no Rust crate implements it. Tokens compare in order:
//!
//! - numbers numerically, except that when either of two dotted numbers has a leading zero the
//!   two compare as strings (`1.02` < `1.1`), as in Gentoo;
//! - one lowercase letter after the numbers (`1.2.3b`);
//! - suffixes `_alpha` < `_beta` < `_pre` < `_rc` < (none) < `_cvs` < `_svn` < `_git` < `_hg` <
//!   `_p`, each with an optional number;
//! - `~` and a commit hash, then `-r` and the package revision.
//!
//! When one version runs out of tokens first, the other is greater, unless its next token is a
//! pre-release suffix. A version `apk_version_validate` rejects (`1.0_foo`, `1-ruff`, `.1`,
//! `1.2.0A`) is an error here, although `apk version -t` still orders such strings.
//!
//! One departure from apk-tools 3, towards apk-tools 2 (src/version.c of the 2.14 branch, the
//! apk of every Alpine release up to 3.22): a number may follow the letter (`6.6.2p1`,
//! `5.1p1-r0`), and compares as a number. Alpine's security data holds such versions from its
//! older releases; apk-tools 3 rejects them and stops comparing at the letter, so that
//! `6.0.2p1-r0` would equal `6.0.2p1-r8`, while apk-tools 2 — the reference for those
//! releases — orders them. Everything else follows apk-tools 3.

use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub struct ApkVersion {
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Token {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
    Invalid,
}

/// `SUFFIX_*`: pre-release suffixes sort before `NONE`, post-release ones after.
const SUFFIXES: [&str; 11] = [
    "", "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p",
];
const SUFFIX_INVALID: usize = 0;
const SUFFIX_NONE: usize = 5;

#[derive(Debug, Clone, Copy)]
struct State<'a> {
    token: Token,
    suffix: usize,
    number: u64,
    value: &'a [u8],
}

impl ApkVersion {
    pub(super) fn parse(text: &str) -> Result<ApkVersion, String> {
        let text = text.trim();
        if validate(text.as_bytes()) {
            Ok(ApkVersion {
                text: text.to_string(),
            })
        } else {
            Err("not an apk version (digit{.digit}…{letter}{_suffix{#}}…{~hash}{-r#})".into())
        }
    }
}

/// `suffix_value`.
fn suffix_value(suffix: &[u8]) -> usize {
    let candidate = match suffix.first() {
        Some(b'a') => 1,
        Some(b'b') => 2,
        Some(b'c') => 6,
        Some(b'g') => 8,
        Some(b'h') => 9,
        Some(b'p') if suffix.len() > 1 => 3,
        Some(b'p') => 10,
        Some(b'r') => 4,
        Some(b's') => 7,
        _ => return SUFFIX_INVALID,
    };
    if SUFFIXES[candidate].as_bytes() == suffix {
        candidate
    } else {
        SUFFIX_INVALID
    }
}

/// `token_parse_digits`: `apk_blob_pull_uint`, which wraps on overflow like the C `uint64_t`.
fn parse_digits<'a>(state: &mut State<'a>, rest: &mut &'a [u8]) {
    let len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    state.number = rest[..len].iter().fold(0u64, |acc, b| {
        acc.wrapping_mul(10).wrapping_add(u64::from(b - b'0'))
    });
    state.value = &rest[..len];
    *rest = &rest[len..];
    if len == 0 {
        state.token = Token::Invalid;
    }
}

fn first<'a>(rest: &mut &'a [u8]) -> State<'a> {
    let mut state = State {
        token: Token::InitialDigit,
        suffix: SUFFIX_INVALID,
        number: 0,
        value: &[],
    };
    parse_digits(&mut state, rest);
    state
}

/// `token_next`.
fn next<'a>(state: &mut State<'a>, rest: &mut &'a [u8]) {
    let Some(&c) = rest.first() else {
        state.token = Token::End;
        return;
    };
    match c {
        b'a'..=b'z' => {
            if state.token > Token::Digit {
                state.token = Token::Invalid;
                return;
            }
            state.value = &rest[..1];
            state.token = Token::Letter;
            *rest = &rest[1..];
        }
        b'.' | b'0'..=b'9' => {
            if c == b'.' {
                if state.token > Token::Digit {
                    state.token = Token::Invalid;
                    return;
                }
                *rest = &rest[1..];
            }
            state.token = match state.token {
                Token::InitialDigit | Token::Digit => Token::Digit,
                // apk-tools 2: a number may follow the letter (`6.6.2p1`); see the module doc.
                Token::Letter if c != b'.' => Token::Digit,
                Token::Suffix => Token::SuffixNo,
                Token::Letter
                | Token::SuffixNo
                | Token::CommitHash
                | Token::RevisionNo
                | Token::End
                | Token::Invalid => {
                    state.token = Token::Invalid;
                    return;
                }
            };
            parse_digits(state, rest);
        }
        b'_' => {
            if state.token > Token::SuffixNo {
                state.token = Token::Invalid;
                return;
            }
            *rest = &rest[1..];
            let len = rest.iter().take_while(|b| b.is_ascii_lowercase()).count();
            state.value = &rest[..len];
            *rest = &rest[len..];
            state.suffix = suffix_value(state.value);
            state.token = if state.suffix == SUFFIX_INVALID {
                Token::Invalid
            } else {
                Token::Suffix
            };
        }
        b'~' => {
            if state.token >= Token::CommitHash {
                state.token = Token::Invalid;
                return;
            }
            *rest = &rest[1..];
            let len = rest
                .iter()
                .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
                .count();
            state.value = &rest[..len];
            *rest = &rest[len..];
            state.token = if len == 0 {
                Token::Invalid
            } else {
                Token::CommitHash
            };
        }
        b'-' => {
            if state.token >= Token::RevisionNo || !rest.starts_with(b"-r") {
                state.token = Token::Invalid;
                return;
            }
            *rest = &rest[2..];
            state.token = Token::RevisionNo;
            parse_digits(state, rest);
        }
        _ => state.token = Token::Invalid,
    }
}

/// `apk_version_validate`.
fn validate(version: &[u8]) -> bool {
    let mut rest = version;
    let mut state = first(&mut rest);
    while state.token < Token::End {
        next(&mut state, &mut rest);
    }
    state.token == Token::End
}

/// `token_cmp`.
fn token_cmp(a: &State<'_>, b: &State<'_>) -> Ordering {
    let string_sort = |a: &State<'_>, b: &State<'_>| a.value.cmp(b.value);
    match a.token {
        Token::Digit if a.value.first() == Some(&b'0') || b.value.first() == Some(&b'0') => {
            string_sort(a, b)
        }
        Token::Digit | Token::InitialDigit | Token::SuffixNo | Token::RevisionNo => {
            a.number.cmp(&b.number)
        }
        Token::Letter => a.value.first().cmp(&b.value.first()),
        Token::Suffix => a.suffix.cmp(&b.suffix),
        Token::CommitHash | Token::End | Token::Invalid => string_sort(a, b),
    }
}

impl Ord for ApkVersion {
    /// `apk_version_compare`.
    fn cmp(&self, other: &Self) -> Ordering {
        let (mut ra, mut rb) = (self.text.as_bytes(), other.text.as_bytes());
        let (mut ta, mut tb) = (first(&mut ra), first(&mut rb));
        while ta.token == tb.token && ta.token < Token::End {
            let order = token_cmp(&ta, &tb);
            if order != Ordering::Equal {
                return order;
            }
            next(&mut ta, &mut ra);
            next(&mut tb, &mut rb);
        }
        if ta.token == tb.token {
            return Ordering::Equal;
        }
        // The non-terminating version is greater, unless it goes on with a pre-release suffix.
        if ta.token == Token::Suffix && ta.suffix < SUFFIX_NONE {
            return Ordering::Less;
        }
        if tb.token == Token::Suffix && tb.suffix < SUFFIX_NONE {
            return Ordering::Greater;
        }
        tb.token.cmp(&ta.token)
    }
}
super::order_from_cmp!(ApkVersion);

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use vigil_model::Ecosystem;

    use crate::version::tests::{assert_invalid, assert_order};

    /// From apk-tools' test/unit/version.data.
    #[test]
    fn alpine_orders_like_apk_tools() {
        assert_order(
            Ecosystem::Alpine,
            &[
                ("2.34", Greater, "0.1.0_alpha"),
                ("0.1.0_alpha2", Greater, "0.1.0_alpha"),
                ("1.1", Greater, "1.1_alpha1"),
                ("1.2", Less, "1.2_p1"),
                ("1.2_svn2", Less, "1.2_git1"),
                ("2.3.0b-r1", Less, "2.3.0b-r2"),
                ("1.0.4-r3", Less, "1.0.4-r4"),
                ("8.2.0", Less, "8.2.001"),
                ("8.2.0015", Less, "8.2.002"),
                ("1.0~1234-r1", Less, "1.0~2345-r0"),
                ("1-r1", Equal, "1-r01"),
                ("6.6.2_p1", Less, "6.6.2_p2"),
                ("0.2.0-r1", Equal, "0.2.0-r1"),
                // apk-tools 2: a number after the letter.
                ("6.0.2p1-r0", Less, "6.0.2p1-r8"),
                ("5.1_p1-r2", Less, "5.1p1-r0"),
                ("1.8.1-r1", Less, "1.8.1p1-r1"),
            ],
        );
    }

    #[test]
    fn versions_apk_rejects_are_errors() {
        assert_invalid(
            Ecosystem::Alpine,
            &[
                "",
                "a",
                ".1",
                "0.1bc",
                "0.1a.1",
                "0.1_foobar",
                "0.1-r",
                "0.1-r2_pre1",
                "0.1_pre2~",
                "1-ruff",
                "1.0_",
                "1.2.0A",
            ],
        );
    }
}
