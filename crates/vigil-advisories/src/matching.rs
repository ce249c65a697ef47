//! Does a record affect one version of one package? The algorithm is the OSV schema's own
//! (https://ossf.github.io/osv-schema/#evaluation): `versions` lists are exact, each
//! `ECOSYSTEM`/`SEMVER` range is walked in version order, and `GIT` ranges never decide a
//! package match.

use std::cmp::Ordering;

use vigil_model::Ecosystem;

use crate::{Affected, OsvRecord, Range, Version, VersionError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    /// The queried version is not valid in its ecosystem, and the record has ranges that would
    /// need it ordered. Reported, never guessed.
    #[error(transparent)]
    InvalidVersion(#[from] VersionError),
}

/// The `affected[]` entries of a record that name this package (records list packages of other
/// ecosystems too: a multi-ecosystem GHSA sits in several dumps).
pub fn affected_entries_for<'a>(
    record: &'a OsvRecord,
    ecosystem: Ecosystem,
    name_key: &'a str,
) -> impl Iterator<Item = &'a Affected> + 'a {
    record.affected.iter().filter(move |affected| {
        affected.package.as_ref().is_some_and(|package| {
            Ecosystem::from_osv(&package.ecosystem) == Some(ecosystem)
                && ecosystem.normalize_name(&package.name) == name_key
        })
    })
}

/// Whether `version` is affected by one `affected[]` entry.
pub fn affects(affected: &Affected, ecosystem: Ecosystem, version: &str) -> Result<bool, MatchError> {
    if listed(affected, ecosystem, version) {
        return Ok(true);
    }
    let ordered_ranges: Vec<&Range> =
        affected.ranges.iter().filter(|range| range.kind == "ECOSYSTEM" || range.kind == "SEMVER").collect();
    if ordered_ranges.is_empty() {
        return Ok(false);
    }
    let ecosystem_version = Version::parse(ecosystem, version);
    for range in ordered_ranges {
        let parsed = if range.kind == "SEMVER" { Version::parse_semver(version) } else { ecosystem_version.clone() };
        let parsed = parsed?;
        if let Some(true) = range_affects(range, ecosystem, &parsed) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Exact membership in the `versions` list, in the ecosystem's notion of equality (`2.2` and
/// `2.2.0` are one PyPI version).
fn listed(affected: &Affected, ecosystem: Ecosystem, version: &str) -> bool {
    if affected.versions.iter().any(|listed| listed == version) {
        return true;
    }
    let Ok(wanted) = Version::parse(ecosystem, version) else { return false };
    affected.versions.iter().any(|listed| {
        Version::parse(ecosystem, listed)
            .ok()
            .and_then(|listed| listed.partial_cmp_same_scheme(&wanted))
            == Some(Ordering::Equal)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// `None` when the range holds a version its own scheme rejects: such a range can neither
/// prove nor disprove anything, and ignoring only it is safer than misreading it.
fn range_affects(range: &Range, ecosystem: Ecosystem, version: &Version) -> Option<bool> {
    let mut events: Vec<(EventKind, Option<Version>)> = Vec::with_capacity(range.events.len());
    for event in &range.events {
        let (kind, text) = match (&event.introduced, &event.fixed, &event.last_affected, &event.limit) {
            (Some(v), _, _, _) => (EventKind::Introduced, v),
            (None, Some(v), _, _) => (EventKind::Fixed, v),
            (None, None, Some(v), _) => (EventKind::LastAffected, v),
            (None, None, None, Some(v)) => (EventKind::Limit, v),
            (None, None, None, None) => continue,
        };
        // "0" means "before every version" for `introduced`; `limit: "*"` means no limit.
        let parsed = match (kind, text.as_str()) {
            (EventKind::Introduced, "0") => None,
            (EventKind::Limit, "*") => continue,
            _ => {
                let parsed = if range.kind == "SEMVER" {
                    Version::parse_semver(text)
                } else {
                    Version::parse(ecosystem, text)
                };
                Some(parsed.ok()?)
            }
        };
        events.push((kind, parsed));
    }
    // Unsorted events are allowed: sort by version, "0" first.
    events.sort_by(|(_, a), (_, b)| match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => a.partial_cmp_same_scheme(b).unwrap_or(Ordering::Equal),
    });
    let at_least = |bound: &Option<Version>| match bound {
        None => true,
        Some(bound) => version.partial_cmp_same_scheme(bound) != Some(Ordering::Less),
    };
    let limits: Vec<&Option<Version>> =
        events.iter().filter(|(kind, _)| *kind == EventKind::Limit).map(|(_, v)| v).collect();
    if !limits.is_empty() && limits.iter().all(|limit| at_least(limit)) {
        return Some(false);
    }
    let mut affected = false;
    for (kind, bound) in &events {
        match kind {
            EventKind::Introduced if at_least(bound) => affected = true,
            EventKind::Fixed if at_least(bound) => affected = false,
            EventKind::LastAffected => {
                let above = bound.as_ref().is_some_and(|bound| {
                    version.partial_cmp_same_scheme(bound) == Some(Ordering::Greater)
                });
                if above {
                    affected = false;
                }
            }
            EventKind::Introduced | EventKind::Fixed | EventKind::Limit => {}
        }
    }
    Some(affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Event, OsvPackage};

    fn event(kind: &str, version: &str) -> Event {
        let mut e = Event { introduced: None, fixed: None, last_affected: None, limit: None };
        let v = Some(version.to_string());
        match kind {
            "introduced" => e.introduced = v,
            "fixed" => e.fixed = v,
            "last_affected" => e.last_affected = v,
            "limit" => e.limit = v,
            other => panic!("bad event kind {other}"),
        }
        e
    }

    fn entry(kind: &str, events: &[(&str, &str)], versions: &[&str]) -> Affected {
        Affected {
            package: Some(OsvPackage { ecosystem: "PyPI".into(), name: "Django".into(), purl: None }),
            ranges: vec![Range {
                kind: kind.into(),
                events: events.iter().map(|(k, v)| event(k, v)).collect(),
            }],
            versions: versions.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn ranges_follow_the_osv_evaluation_rules() {
        // (events, version, expected)
        let table: &[(&[(&str, &str)], &str, bool)] = &[
            (&[("introduced", "0"), ("fixed", "2.2.10")], "2.2", true),
            (&[("introduced", "0"), ("fixed", "2.2.10")], "2.2.10", false),
            (&[("introduced", "0"), ("fixed", "2.2.10")], "3.0", false),
            (&[("introduced", "1.0"), ("fixed", "2.0")], "0.9", false),
            (&[("introduced", "1.0"), ("last_affected", "2.0")], "2.0", true),
            (&[("introduced", "1.0"), ("last_affected", "2.0")], "2.0.post1", false),
            // Unsorted events and two windows in one range.
            (&[("fixed", "3.1"), ("introduced", "3.0"), ("fixed", "2.1"), ("introduced", "0")], "2.5", false),
            (&[("fixed", "3.1"), ("introduced", "3.0"), ("fixed", "2.1"), ("introduced", "0")], "3.0.5", true),
            (&[("fixed", "3.1"), ("introduced", "3.0"), ("fixed", "2.1"), ("introduced", "0")], "1.0", true),
            // Introduced with no end: everything after.
            (&[("introduced", "1.5")], "99.0", true),
            // Limits cut the range off.
            (&[("introduced", "0"), ("limit", "2.0")], "2.5", false),
            (&[("introduced", "0"), ("limit", "2.0")], "1.5", true),
        ];
        for (events, version, expected) in table {
            let affected = entry("ECOSYSTEM", events, &[]);
            assert_eq!(
                affects(&affected, Ecosystem::PyPI, version).unwrap(),
                *expected,
                "{events:?} at {version}"
            );
        }
    }

    #[test]
    fn versions_lists_match_exactly_in_the_ecosystems_equality() {
        let affected = entry("GIT", &[("introduced", "abc123")], &["2.2", "2.2.1"]);
        assert!(affects(&affected, Ecosystem::PyPI, "2.2").unwrap());
        assert!(affects(&affected, Ecosystem::PyPI, "2.2.0").unwrap(), "2.2.0 == 2.2 in PEP 440");
        assert!(!affects(&affected, Ecosystem::PyPI, "2.2.2").unwrap());
        // GIT ranges never match by themselves.
        assert!(!affects(&affected, Ecosystem::PyPI, "abc123").unwrap());
    }

    #[test]
    fn an_invalid_queried_version_is_an_error_not_a_guess() {
        let affected = entry("ECOSYSTEM", &[("introduced", "0"), ("fixed", "2.0")], &[]);
        assert!(matches!(
            affects(&affected, Ecosystem::PyPI, "not a version"),
            Err(MatchError::InvalidVersion(_))
        ));
    }

    #[test]
    fn a_range_with_a_version_its_scheme_rejects_is_ignored() {
        let affected = entry("ECOSYSTEM", &[("introduced", "0"), ("fixed", "garbage!")], &[]);
        assert!(!affects(&affected, Ecosystem::PyPI, "1.0").unwrap());
    }

    #[test]
    fn semver_ranges_use_semver_order() {
        let affected = Affected {
            package: Some(OsvPackage { ecosystem: "npm".into(), name: "lodash".into(), purl: None }),
            ranges: vec![Range {
                kind: "SEMVER".into(),
                events: vec![event("introduced", "0"), event("fixed", "4.17.21")],
            }],
            versions: vec![],
        };
        assert!(affects(&affected, Ecosystem::Npm, "4.17.20").unwrap());
        assert!(affects(&affected, Ecosystem::Npm, "4.17.21-beta.1").unwrap());
        assert!(!affects(&affected, Ecosystem::Npm, "4.17.21").unwrap());
    }
}
