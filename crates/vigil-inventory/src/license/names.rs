//! License names as people write them → SPDX, without guessing.
//!
//! A name is compared in a normal form ([`normal`]: case, `licence`, `the`, `GNU`, `version` /
//! `v` / `v.`, `2.0` = `2`, parenthesised abbreviations and `or later` / `or greater` / `+`
//! folded), against, in order:
//! 1. [`ALIASES`]: spellings the SPDX list does not carry, each one's meaning documented by the
//!    license's steward, in the manner of ScanCode's license rules
//!    (https://github.com/aboutcode-org/scancode-toolkit/tree/develop/src/licensedcode/data/rules);
//! 2. the SPDX License List's own full names (the `spdx` crate's copy of the list), with `only`
//!    understood when a GNU name states a version and nothing else, as the deprecated
//!    `GPL-2.0` meant;
//! 3. [`FAMILIES`]: a license family named without a version (`lgpl`, `BSD License`) becomes a
//!    `LicenseRef-` of the family. A version the text does not state is never chosen.
//!
//! `<license> with <exception>` is read as SPDX's `WITH`, and texts that join several licenses
//! with `or` / `and` ([`joined`]) are read part by part, when every part is a known name.

use std::{collections::HashMap, sync::LazyLock};

/// Spellings, in normal form, with their SPDX expression.
const ALIASES: &[(&str, &str)] = &[
    // The Eclipse Foundation: "The EDL is the New BSD License"
    // (https://www.eclipse.org/org/documents/edl-v10.php); ScanCode: bsd-new.
    ("eclipse distribution license 1", "BSD-3-Clause"),
    ("edl 1", "BSD-3-Clause"),
    // The ASF's own abbreviations (https://www.apache.org/licenses/, "ALv2", "ASL").
    ("alv2", "Apache-2.0"),
    ("al 2", "Apache-2.0"),
    ("asl 2", "Apache-2.0"),
    ("asf 2", "Apache-2.0"),
    ("apache software license 2", "Apache-2.0"),
    // Abbreviations with a stated version.
    ("mpl 1.1", "MPL-1.1"),
    ("mpl 2", "MPL-2.0"),
    ("epl 1", "EPL-1.0"),
    ("epl 2", "EPL-2.0"),
    ("cddl 1", "CDDL-1.0"),
    ("cddl 1.1", "CDDL-1.1"),
    ("lgpl 2.1", "LGPL-2.1-only"),
    ("lgpl 2 1", "LGPL-2.1-only"),
    ("lgpl 3", "LGPL-3.0-only"),
    ("gpl 2", "GPL-2.0-only"),
    ("gpl 3", "GPL-3.0-only"),
    ("bsd-3", "BSD-3-Clause"),
    ("bsd 3-clause new license", "BSD-3-Clause"),
    ("bsd 3-clause", "BSD-3-Clause"),
    ("bsd 2-clause", "BSD-2-Clause"),
    // CC0 was only ever published as 1.0 (https://creativecommons.org/publicdomain/zero/1.0/).
    ("cc0", "CC0-1.0"),
    // "an adaptation of the MIT X11 License and should be read as such"
    // (https://www.bouncycastle.org/licence.html); ScanCode: mit.
    ("bouncy castle license", "MIT"),
];

/// Families named without a version, in normal form.
const FAMILIES: &[(&str, &str)] = &[
    ("lgpl", "LicenseRef-LGPL"),
    ("lesser general public license", "LicenseRef-LGPL"),
    ("library general public license", "LicenseRef-LGPL"),
    (
        "library or lesser general public license",
        "LicenseRef-LGPL",
    ),
    ("gpl", "LicenseRef-GPL"),
    ("general public license", "LicenseRef-GPL"),
    ("agpl", "LicenseRef-AGPL"),
    ("affero general public license", "LicenseRef-AGPL"),
    ("bsd", "LicenseRef-BSD"),
    ("bsd license", "LicenseRef-BSD"),
    ("cddl", "LicenseRef-CDDL"),
    (
        "common development and distribution license",
        "LicenseRef-CDDL",
    ),
    ("apache", "LicenseRef-Apache"),
    ("asl", "LicenseRef-Apache"),
    ("apache license", "LicenseRef-Apache"),
    ("apache software license", "LicenseRef-Apache"),
    ("apache software licenses", "LicenseRef-Apache"),
    ("mpl", "LicenseRef-MPL"),
    ("mozilla public license", "LicenseRef-MPL"),
    ("epl", "LicenseRef-EPL"),
    ("eclipse public license", "LicenseRef-EPL"),
];

/// Exceptions by their names in normal form.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("classpath exception", "Classpath-exception-2.0"),
    ("classpath exception 2", "Classpath-exception-2.0"),
];

/// One license name (or `<name> with <exception>`) as an SPDX expression.
pub(super) fn by_name(raw: &str) -> Option<String> {
    let key = normal(raw);
    if key.is_empty() {
        return None;
    }
    if let Some(found) = license(&key) {
        return Some(found);
    }
    let (name, exception) = key.split_once(" with ")?;
    let exception = EXCEPTIONS
        .iter()
        .find(|(n, _)| *n == exception)
        .map(|(_, id)| *id)?;
    let name = license(name)?;
    // Only a single license takes an exception.
    (!name.contains(' ') && !name.starts_with("LicenseRef-"))
        .then(|| format!("{name} WITH {exception}"))
}

fn license(key: &str) -> Option<String> {
    if let Some((_, expression)) = ALIASES.iter().find(|(n, _)| *n == key) {
        return Some(expression.to_string());
    }
    if let Some(id) = spdx_name(key).or_else(|| spdx_name(&format!("{key} only"))) {
        return Some(id.to_string());
    }
    if let Some(id) = spdx::license_id(key).or_else(|| {
        spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(key))
            .and_then(|l| spdx::license_id(l.name))
    }) {
        if !id.is_deprecated() {
            return Some(id.name.to_string());
        }
    }
    FAMILIES
        .iter()
        .find(|(n, _)| *n == key)
        .map(|(_, r)| r.to_string())
}

/// A current SPDX license whose full name has this normal form.
fn spdx_name(key: &str) -> Option<&'static str> {
    static BY_NAME: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        let mut by_name = HashMap::new();
        for l in spdx::identifiers::LICENSES {
            if l.flags & spdx::flags::IS_DEPRECATED == 0 {
                by_name.entry(normal(l.full_name)).or_insert(l.name);
            }
        }
        by_name
    });
    BY_NAME.get(key).copied()
}

/// At most this many `or` / `and` in one text are tried as separators.
const MAX_JOINS: usize = 8;

/// A text joining names with `or` / `and` (`MPL 2.0 or EPL 1.0`), when every part is a known
/// name; an `and` inside a name (`Common Development and Distribution License`) is tried both
/// ways.
pub(super) fn joined(raw: &str) -> Option<String> {
    let text = fold_or_later(&raw.split_whitespace().collect::<Vec<_>>().join(" "));
    let words: Vec<&str> = text.split(' ').collect();
    let joins = words
        .iter()
        .filter(|w| matches!(w.to_ascii_lowercase().as_str(), "or" | "and"))
        .count();
    if joins == 0 || joins > MAX_JOINS {
        return None;
    }
    let parts = split(&words)?;
    if parts.len() < 2 {
        return None;
    }
    let mut out = String::new();
    for (i, (operator, part)) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!(" {operator} "));
        }
        if part.contains(" OR ") || part.contains(" AND ") {
            out.push_str(&format!("({part})"));
        } else {
            out.push_str(part);
        }
    }
    spdx::Expression::parse(&out).is_ok().then_some(out)
}

/// The first partition of `words` at `or` / `and` whose every part resolves.
fn split(words: &[&str]) -> Option<Vec<(&'static str, String)>> {
    let resolve = |part: &[&str]| {
        let text = part.join(" ");
        let current = super::current_ids(&text);
        if !text.contains(' ') && spdx::Expression::parse(&current).is_ok() {
            return Some(current);
        }
        super::well_known(&text).or_else(|| by_name(&text))
    };
    if let Some(whole) = resolve(words) {
        return Some(vec![("", whole)]);
    }
    for (i, word) in words.iter().enumerate().skip(1) {
        let operator = match word.to_ascii_lowercase().as_str() {
            "or" => "OR",
            "and" => "AND",
            _ => continue,
        };
        let Some(left) = resolve(&words[..i]) else {
            continue;
        };
        if let Some(mut rest) = split(&words[i + 1..]) {
            rest[0].0 = operator;
            let mut parts = vec![("", left)];
            parts.append(&mut rest);
            return Some(parts);
        }
    }
    None
}

/// `or later`, `or greater`, `or any later version` → `+`, so that their `or` is no separator.
fn fold_or_later(text: &str) -> String {
    let mut out = text.to_string();
    for phrase in [" or any later version", " or later", " or greater"] {
        while let Some(at) = out.to_ascii_lowercase().find(phrase) {
            out.replace_range(at..at + phrase.len(), "+");
        }
    }
    out
}

/// The normal form names are compared in.
fn normal(raw: &str) -> String {
    let lower = fold_or_later(&raw.to_lowercase())
        .replace("licence", "license")
        .replace('_', " ");
    // Parenthesised asides: `(CDDL)`, `(GPL2)`, a URL.
    let mut text = String::new();
    let mut depth = 0usize;
    for c in lower.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => text.push(if c == ',' { ' ' } else { c }),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        i += 1;
        let next_is_number = words
            .get(i)
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
        match word {
            "-" | "the" | "gnu" => continue,
            "v" | "v." | "version" if next_is_number => continue,
            _ => {}
        }
        let word = match word.strip_prefix('v') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => word,
        };
        let (word, or_later) = match word.strip_suffix('+') {
            Some(w) => (w, true),
            None => (word, false),
        };
        let word = word.trim_end_matches(['.', ';']);
        if !word.is_empty() {
            out.push(short_number(word));
        }
        if or_later {
            out.push("or later".into());
        }
    }
    out.join(" ")
}

/// `2.0` → `2`, `1.0.0` → `1`; `2.1` stays.
fn short_number(word: &str) -> String {
    if !word.starts_with(|c: char| c.is_ascii_digit()) || !word.contains('.') {
        return word.to_string();
    }
    let mut out = word;
    while let Some(shorter) = out.strip_suffix(".0") {
        out = shorter;
    }
    out.to_string()
}
