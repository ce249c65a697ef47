//! SPDX license expression semantics for the license conditions.
//!
//! An expression is satisfied by choosing, for every `OR`, one side, and for every `AND`,
//! both: `MIT OR GPL-3.0-only` can be used under MIT alone, `MIT AND GPL-3.0-only` needs both.
//! So "is this license banned" asks whether there is *no* way to satisfy the expression
//! avoiding banned licenses ([`satisfiable_avoiding`]), and "is this license allowed" asks
//! whether there is a way to satisfy it with allowed licenses only ([`satisfiable_with_only`]).
//!
//! Parsing is lenient (`spdx::ParseMode::LAX`, plus unknown ids) because stored expressions
//! were already normalised by the inventory: `GPL-2.0+` reads as `GPL-2.0-or-later`, `/` as
//! `OR`, and an id the `spdx` crate does not know (a newer SPDX list, a `LicenseRef-…`) is kept
//! as an opaque term, which the default groups place in `Unknown`. A `WITH` exception is judged
//! by its license, except that a linking exception makes a copyleft license weak copyleft
//! (`GPL-2.0-only WITH Classpath-exception-2.0`, like the deprecated
//! `GPL-2.0-with-classpath-exception`, lets other code link without taking the GPL); an
//! allow-list entry may name the combination to allow only that.

use std::cmp::Ordering;

use spdx::{Expression, LicenseItem, LicenseReq, ParseMode};

use crate::{LicenseFact, LicenseGroups, ThreatGroup};

/// One license term of an expression: `GPL-2.0-or-later`, `Apache-2.0+`,
/// `GPL-2.0-only WITH Classpath-exception-2.0`, `LicenseRef-Acme`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LicenseTerm {
    /// The SPDX id as SPDX spells it (`GPL-2.0-or-later` for `GPL-2.0+`), or the text of an
    /// id the list does not know (`LicenseRef-Acme`, `Some-New-License`).
    pub id: String,
    /// A non-GNU `+` ("this version or any later one"); GNU ids carry it in their name.
    pub or_later: bool,
    /// The `WITH` exception (or `AdditionRef-…`), if any.
    pub exception: Option<String>,
    /// Whether the id is on the SPDX list the `spdx` crate embeds.
    pub known: bool,
}

impl std::fmt::Display for LicenseTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.id)?;
        if self.or_later {
            f.write_str("+")?;
        }
        if let Some(exception) = &self.exception {
            write!(f, " WITH {exception}")?;
        }
        Ok(())
    }
}

/// A parsed license expression.
#[derive(Clone)]
pub struct LicenseExpression {
    expression: Expression,
}

impl std::fmt::Debug for LicenseExpression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LicenseExpression({:?})", self.expression.as_ref())
    }
}

const LENIENT: ParseMode = ParseMode {
    allow_unknown: true,
    ..ParseMode::LAX
};

impl LicenseExpression {
    /// Parses leniently (see the module doc); an error says why in one line.
    pub fn parse(text: &str) -> Result<LicenseExpression, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty license expression".into());
        }
        Expression::parse_mode(text, LENIENT)
            .map(|expression| LicenseExpression { expression })
            .map_err(|error| format!("{text:?} is not an SPDX expression: {}", error.reason))
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        self.expression.as_ref()
    }

    /// Every term, in the order written (duplicates kept).
    pub fn terms(&self) -> Vec<LicenseTerm> {
        self.expression
            .requirements()
            .map(|req| term_of(self.as_str(), &req.req, &req.span))
            .collect()
    }

    /// Whether choosing only terms that pass `allowed` satisfies the expression.
    pub fn satisfied_by(&self, mut allowed: impl FnMut(&LicenseTerm) -> bool) -> bool {
        // `evaluate` visits the requirements in the same (postfix) order as `requirements()`.
        let terms = self.terms();
        let mut index = 0;
        self.expression.evaluate(|req: &LicenseReq| {
            let term = match terms.get(index) {
                Some(term) => term.clone(),
                None => term_of(self.as_str(), req, &(0..0)),
            };
            index += 1;
            allowed(&term)
        })
    }
}

fn term_of(text: &str, req: &LicenseReq, span: &std::ops::Range<u32>) -> LicenseTerm {
    let exception = req.addition.as_ref().map(|addition| addition.to_string());
    match &req.license {
        LicenseItem::Spdx { id, or_later } => {
            // The deprecated bare GNU ids (`GPL-2.0`) mean `-only`; `GPL-2.0+` was already
            // turned into `GPL-2.0-or-later` by the parser.
            let name = if id.is_gnu() && id.is_deprecated() {
                gnu_modern(id.name, *or_later)
            } else {
                id.name.to_string()
            };
            LicenseTerm {
                id: name,
                or_later: *or_later && !id.is_gnu(),
                exception,
                known: true,
            }
        }
        LicenseItem::Other(_) => {
            let start = span.start as usize;
            let end = (span.end as usize).min(text.len());
            let written = text.get(start..end).unwrap_or_default().trim();
            LicenseTerm {
                id: written.trim_end_matches('+').to_string(),
                or_later: false,
                exception,
                known: false,
            }
        }
    }
}

/// `GPL-2.0` → `GPL-2.0-only`, `GPL-2.0` + later → `GPL-2.0-or-later`, when SPDX lists it.
fn gnu_modern(name: &str, or_later: bool) -> String {
    let base = name.trim_end_matches('+');
    if base.ends_with("-only") || base.ends_with("-or-later") || base.contains("-with-") {
        return name.to_string();
    }
    let later = or_later || name.ends_with('+');
    let modern = format!("{base}-{}", if later { "or-later" } else { "only" });
    if spdx::license_id(&modern).is_some_and(|id| id.name == modern) {
        modern
    } else {
        name.to_string()
    }
}

/// Whether the expression can be satisfied without any license for which `bad` holds.
pub fn satisfiable_avoiding(
    expression: &LicenseExpression,
    mut bad: impl FnMut(&LicenseTerm) -> bool,
) -> bool {
    expression.satisfied_by(|term| !bad(term))
}

/// Whether the expression can be satisfied by the licenses of an allow list alone. An entry
/// is an SPDX id (`MIT`), which allows that license with or without an exception, or an id
/// with an exception (`GPL-2.0-only WITH Classpath-exception-2.0`), which allows only that
/// combination. A term "or later" (`Apache-2.0+`, `GPL-2.0-or-later`) is satisfied by an
/// entry for that version or a later one of the same license.
pub fn satisfiable_with_only(expression: &LicenseExpression, allowed: &[String]) -> bool {
    let entries: Vec<LicenseTerm> = allowed
        .iter()
        .filter_map(|entry| allow_entry(entry))
        .collect();
    satisfiable_with_terms(expression, &entries)
}

/// [`satisfiable_with_only`] with the allow list already parsed (see [`allow_entry`]).
pub(crate) fn satisfiable_with_terms(
    expression: &LicenseExpression,
    allowed: &[LicenseTerm],
) -> bool {
    expression.satisfied_by(|term| allowed.iter().any(|entry| entry_allows(entry, term)))
}

/// An allow-list entry as a term, or `None` when it is not one license (with an exception).
pub fn allow_entry(entry: &str) -> Option<LicenseTerm> {
    let parsed = LicenseExpression::parse(entry).ok()?;
    let mut terms = parsed.terms();
    if terms.len() != 1 || parsed.as_str().contains(['(', ')']) {
        return None;
    }
    terms.pop()
}

/// Whether an allow-list entry is a valid SPDX license id (or `LicenseRef-…`), optionally
/// `WITH` an exception; the error says why not.
pub fn validate_allow_entry(entry: &str) -> Result<(), String> {
    let term = allow_entry(entry).ok_or_else(|| {
        format!("{entry:?} is not one SPDX license id (optionally WITH an exception)")
    })?;
    if !term.known && !term.id.starts_with("LicenseRef-") && !term.id.contains(":LicenseRef-") {
        return Err(format!(
            "{:?} is not an SPDX license id (nor a LicenseRef-…)",
            term.id
        ));
    }
    if term.or_later {
        return Err(format!(
            "{entry:?}: an allow list names licenses, without \"+\""
        ));
    }
    Ok(())
}

fn entry_allows(entry: &LicenseTerm, term: &LicenseTerm) -> bool {
    if entry.exception.is_some() && entry.exception != term.exception {
        return false;
    }
    if entry.id == term.id && !entry.or_later {
        return true;
    }
    if entry.id.eq_ignore_ascii_case(&term.id) && !term.known {
        return true;
    }
    // "This version or later": a later version of the same license also does.
    let later = term.or_later || term.id.ends_with("-or-later");
    if !later {
        return false;
    }
    match (family_version(&entry.id), family_version(&term.id)) {
        (Some((entry_family, entry_version)), Some((family, version))) => {
            entry_family == family && compare_versions(entry_version, version) != Ordering::Less
        }
        _ => false,
    }
}

/// `GPL-2.0-or-later` → (`GPL-*`, `2.0`), `Apache-2.0` → (`Apache-*`, `2.0`); names with no or
/// several version parts give `None`. GNU `-only`/`-or-later` suffixes are dropped.
fn family_version(id: &str) -> Option<(String, &str)> {
    let id = id
        .strip_suffix("-or-later")
        .or_else(|| id.strip_suffix("-only"))
        .unwrap_or(id);
    let is_version = |part: &str| {
        !part.is_empty()
            && part.chars().all(|c| c == '.' || c.is_ascii_digit())
            && part.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    let parts: Vec<&str> = id.split('-').collect();
    let mut versions = parts.iter().enumerate().filter(|(_, p)| is_version(p));
    let (index, version) = versions.next()?;
    if versions.next().is_some() {
        return None;
    }
    let family = parts
        .iter()
        .enumerate()
        .map(|(i, p)| if i == index { "*" } else { p })
        .collect::<Vec<_>>()
        .join("-");
    Some((family, version))
}

fn compare_versions(a: &str, b: &str) -> Ordering {
    let numbers = |v: &str| -> Vec<u64> { v.split('.').map(|n| n.parse().unwrap_or(0)).collect() };
    let (mut a, mut b) = (numbers(a), numbers(b));
    let len = a.len().max(b.len());
    a.resize(len, 0);
    b.resize(len, 0);
    a.cmp(&b)
}

/// The group of a term: the group of its license id, except that a copyleft license `WITH` a
/// linking exception (`GPL-2.0-only WITH Classpath-exception-2.0`) is weak copyleft, as the
/// deprecated ids that said the same (`GPL-2.0-with-classpath-exception`) are.
pub fn term_group(term: &LicenseTerm, groups: &LicenseGroups) -> ThreatGroup {
    let group = crate::groups::group_of(&term.id, groups);
    let linking = term
        .exception
        .as_deref()
        .is_some_and(crate::groups::is_linking_exception);
    if group == ThreatGroup::Copyleft && linking {
        ThreatGroup::WeakCopyleft
    } else {
        group
    }
}

/// What a component's declared license is, for the license conditions.
#[derive(Debug, Clone)]
pub enum DeclaredLicense {
    /// No license, or `NOASSERTION`/`NONE`/empty.
    None,
    /// Declared, but not a (parseable) SPDX expression; the raw text.
    Invalid(String),
    Valid(Box<LicenseExpression>),
}

impl DeclaredLicense {
    pub fn of(license: Option<&LicenseFact>) -> DeclaredLicense {
        let Some(license) = license else {
            return DeclaredLicense::None;
        };
        let raw = license.raw.trim();
        let is_none = |text: &str| {
            let text = text.trim();
            text.is_empty()
                || text.eq_ignore_ascii_case("NOASSERTION")
                || text.eq_ignore_ascii_case("NONE")
        };
        match &license.expression {
            Some(expression) if is_none(expression) => DeclaredLicense::None,
            Some(expression) => match LicenseExpression::parse(expression) {
                Ok(parsed) => DeclaredLicense::Valid(Box::new(parsed)),
                Err(_) if is_none(raw) => DeclaredLicense::None,
                Err(_) => DeclaredLicense::Invalid(raw.to_string()),
            },
            None if is_none(raw) => DeclaredLicense::None,
            None => DeclaredLicense::Invalid(raw.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> LicenseExpression {
        LicenseExpression::parse(text).unwrap()
    }

    fn allow(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn or_needs_one_side_and_needs_both() {
        let mit = allow(&["MIT"]);
        assert!(satisfiable_with_only(&expr("MIT OR GPL-3.0-only"), &mit));
        assert!(!satisfiable_with_only(&expr("MIT AND GPL-3.0-only"), &mit));
        assert!(satisfiable_with_only(
            &expr("MIT AND GPL-3.0-only"),
            &allow(&["MIT", "GPL-3.0-only"])
        ));
        assert!(!satisfiable_with_only(&expr("GPL-3.0-only"), &mit));
        assert!(satisfiable_with_only(
            &expr("(MIT OR Apache-2.0) AND (BSD-3-Clause OR GPL-2.0-only)"),
            &allow(&["Apache-2.0", "BSD-3-Clause"])
        ));
        assert!(!satisfiable_with_only(
            &expr("(MIT OR Apache-2.0) AND (BSD-3-Clause OR GPL-2.0-only)"),
            &allow(&["Apache-2.0"])
        ));
    }

    #[test]
    fn avoiding_a_license_means_there_is_a_way_around_it() {
        let gpl = |t: &LicenseTerm| t.id.starts_with("GPL-");
        assert!(satisfiable_avoiding(&expr("MIT OR GPL-3.0-only"), gpl));
        assert!(!satisfiable_avoiding(&expr("MIT AND GPL-3.0-only"), gpl));
        assert!(!satisfiable_avoiding(&expr("GPL-2.0-or-later"), gpl));
    }

    #[test]
    fn plus_and_or_later_read_as_spdx_means() {
        let terms = expr("GPL-2.0+").terms();
        assert_eq!(terms[0].id, "GPL-2.0-or-later");
        assert!(!terms[0].or_later);
        assert_eq!(expr("GPL-2.0").terms()[0].id, "GPL-2.0-only");
        assert_eq!(expr("LGPL-2.1+").terms()[0].id, "LGPL-2.1-or-later");
        let apache = &expr("Apache-2.0+").terms()[0];
        assert_eq!((apache.id.as_str(), apache.or_later), ("Apache-2.0", true));
        // GPL-2.0-or-later may be taken as GPL-2.0 or GPL-3.0: either on the list will do.
        let or_later = expr("GPL-2.0-or-later");
        assert!(satisfiable_with_only(&or_later, &allow(&["GPL-2.0-only"])));
        assert!(satisfiable_with_only(&or_later, &allow(&["GPL-3.0-only"])));
        assert!(satisfiable_with_only(
            &or_later,
            &allow(&["GPL-2.0-or-later"])
        ));
        assert!(!satisfiable_with_only(
            &or_later,
            &allow(&["LGPL-3.0-only"])
        ));
        // But GPL-3.0-or-later cannot be taken as GPL-2.0, and -only is only that version.
        assert!(!satisfiable_with_only(
            &expr("GPL-3.0-or-later"),
            &allow(&["GPL-2.0-only"])
        ));
        assert!(!satisfiable_with_only(
            &expr("GPL-2.0-only"),
            &allow(&["GPL-3.0-only"])
        ));
        assert!(!satisfiable_with_only(
            &expr("GPL-2.0-only"),
            &allow(&["GPL-2.0-or-later"])
        ));
        assert!(satisfiable_with_only(
            &expr("Apache-2.0+"),
            &allow(&["Apache-2.0"])
        ));
        assert!(!satisfiable_with_only(
            &expr("Apache-1.1+"),
            &allow(&["MIT"])
        ));
        assert!(satisfiable_with_only(
            &expr("Apache-1.1+"),
            &allow(&["Apache-2.0"])
        ));
    }

    #[test]
    fn exceptions_are_judged_by_license_unless_the_entry_names_one() {
        let classpath = expr("GPL-2.0-only WITH Classpath-exception-2.0");
        let term = &classpath.terms()[0];
        assert_eq!(term.id, "GPL-2.0-only");
        assert_eq!(term.exception.as_deref(), Some("Classpath-exception-2.0"));
        assert_eq!(
            term.to_string(),
            "GPL-2.0-only WITH Classpath-exception-2.0"
        );
        assert!(satisfiable_with_only(&classpath, &allow(&["GPL-2.0-only"])));
        let only_with = allow(&["GPL-2.0-only WITH Classpath-exception-2.0"]);
        assert!(satisfiable_with_only(&classpath, &only_with));
        assert!(!satisfiable_with_only(&expr("GPL-2.0-only"), &only_with));
        assert!(!satisfiable_with_only(
            &expr("GPL-2.0-only WITH GCC-exception-2.0"),
            &only_with
        ));
    }

    #[test]
    fn license_refs_and_unknown_ids_are_opaque_terms() {
        let e = expr("LicenseRef-Acme OR Some-Future-License");
        let terms = e.terms();
        assert_eq!(terms[0].id, "LicenseRef-Acme");
        assert_eq!(terms[1].id, "Some-Future-License");
        assert!(!terms[0].known && !terms[1].known);
        assert!(satisfiable_with_only(&e, &allow(&["LicenseRef-Acme"])));
        assert!(!satisfiable_with_only(&e, &allow(&["MIT"])));
        let groups = LicenseGroups::default();
        assert_eq!(term_group(&terms[0], &groups), ThreatGroup::Unknown);
    }

    #[test]
    fn a_copyleft_license_with_a_linking_exception_is_weak_copyleft() {
        let groups = crate::groups::default_license_groups();
        let group = |text: &str| term_group(&expr(text).terms()[0], &groups);
        assert_eq!(
            group("GPL-2.0-only WITH Classpath-exception-2.0"),
            ThreatGroup::WeakCopyleft
        );
        assert_eq!(
            group("GPL-2.0-only WITH Classpath-exception-2.0"),
            group("GPL-2.0-with-classpath-exception"),
            "the current spelling lands where the deprecated id does"
        );
        assert_eq!(
            group("GPL-3.0-or-later WITH GCC-exception-3.1"),
            ThreatGroup::WeakCopyleft
        );
        assert_eq!(group("GPL-2.0-only"), ThreatGroup::Copyleft);
        assert_eq!(
            group("GPL-2.0-only WITH Linux-syscall-note"),
            ThreatGroup::Copyleft,
            "not a linking exception"
        );
        assert_eq!(
            group("Apache-2.0 WITH LLVM-exception"),
            ThreatGroup::Liberal,
            "an exception never makes a license stricter"
        );
    }

    #[test]
    fn lenient_parsing_and_clear_errors() {
        assert_eq!(expr("MIT/Apache-2.0").terms().len(), 2);
        assert!(LicenseExpression::parse("").is_err());
        let err = LicenseExpression::parse("MIT AND").unwrap_err();
        assert!(err.contains("not an SPDX expression"), "{err}");
        assert!(LicenseExpression::parse("Apache License, Version 2.0").is_err());
        assert!(LicenseExpression::parse("(MIT").is_err());
    }

    #[test]
    fn allow_entries_are_validated() {
        assert!(validate_allow_entry("MIT").is_ok());
        assert!(validate_allow_entry("GPL-2.0-only WITH Classpath-exception-2.0").is_ok());
        assert!(validate_allow_entry("LicenseRef-Acme").is_ok());
        assert!(validate_allow_entry("MIT OR Apache-2.0").is_err());
        assert!(validate_allow_entry("Not-A-License").is_err());
        assert!(validate_allow_entry("Apache-2.0+").is_err());
        assert!(validate_allow_entry("").is_err());
    }

    #[test]
    fn declared_licenses_sort_into_none_invalid_and_valid() {
        let fact = |expression: Option<&str>, raw: &str| LicenseFact {
            expression: expression.map(str::to_string),
            raw: raw.to_string(),
        };
        assert!(matches!(DeclaredLicense::of(None), DeclaredLicense::None));
        for raw in ["", "  ", "NOASSERTION", "none"] {
            assert!(matches!(
                DeclaredLicense::of(Some(&fact(None, raw))),
                DeclaredLicense::None
            ));
        }
        assert!(matches!(
            DeclaredLicense::of(Some(&fact(Some("NOASSERTION"), "NOASSERTION"))),
            DeclaredLicense::None
        ));
        let DeclaredLicense::Invalid(raw) =
            DeclaredLicense::of(Some(&fact(None, "Proprietary, see LICENSE")))
        else {
            panic!("not invalid");
        };
        assert_eq!(raw, "Proprietary, see LICENSE");
        assert!(matches!(
            DeclaredLicense::of(Some(&fact(Some("MIT AND"), "MIT AND"))),
            DeclaredLicense::Invalid(_)
        ));
        assert!(matches!(
            DeclaredLicense::of(Some(&fact(Some("MIT"), "The MIT License"))),
            DeclaredLicense::Valid(_)
        ));
    }
}
