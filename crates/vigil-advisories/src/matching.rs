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
pub fn affects(
    affected: &Affected,
    ecosystem: Ecosystem,
    version: &str,
) -> Result<bool, MatchError> {
    PreparedAffected::new(affected, ecosystem).affects(&QueryVersion::new(ecosystem, version))
}

/// A queried version, parsed once for every entry it is matched against.
pub struct QueryVersion<'a> {
    raw: &'a str,
    ecosystem: Result<Version, VersionError>,
    /// Parsed lazily: only `SEMVER` ranges of non-SemVer ecosystems need it.
    semver: std::cell::OnceCell<Result<Version, VersionError>>,
}

impl<'a> QueryVersion<'a> {
    pub fn new(ecosystem: Ecosystem, raw: &'a str) -> Self {
        QueryVersion {
            raw,
            ecosystem: Version::parse(ecosystem, raw),
            semver: std::cell::OnceCell::new(),
        }
    }

    fn semver(&self) -> &Result<Version, VersionError> {
        self.semver.get_or_init(|| Version::parse_semver(self.raw))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// A range with its versions parsed and its events sorted.
#[derive(Debug, Clone)]
struct PreparedRange {
    semver: bool,
    /// `None` bound: `introduced: "0"`.
    events: Vec<(EventKind, Option<Version>)>,
}

/// One `affected[]` entry made ready for many look-ups: versions parsed once, events sorted.
#[derive(Debug, Clone)]
pub struct PreparedAffected {
    /// The `versions` list as written, sorted, for exact matches.
    listed_raw: Vec<String>,
    /// The same list parsed in the ecosystem's order, sorted, for equality such as PEP 440's
    /// `2.2` == `2.2.0`.
    listed: Vec<Version>,
    /// `ECOSYSTEM` and `SEMVER` ranges whose every version parsed. A range holding a version its
    /// own scheme rejects can neither prove nor disprove anything, and is left out rather than
    /// misread.
    ranges: Vec<PreparedRange>,
    /// The distribution release the entry is for (`Debian:12` → `12`), when it names one.
    release: Option<String>,
}

impl PreparedAffected {
    pub fn new(affected: &Affected, ecosystem: Ecosystem) -> Self {
        let mut listed_raw = affected.versions.clone();
        listed_raw.sort();
        let mut listed: Vec<Version> = affected
            .versions
            .iter()
            .filter_map(|v| Version::parse(ecosystem, v).ok())
            .collect();
        listed.sort_by(|a, b| a.partial_cmp_same_scheme(b).unwrap_or(Ordering::Equal));
        let ranges = affected
            .ranges
            .iter()
            .filter(|range| range.kind == "ECOSYSTEM" || range.kind == "SEMVER")
            .filter_map(|range| prepare_range(range, ecosystem))
            .collect();
        let release = affected
            .package
            .as_ref()
            .and_then(|p| vigil_model::release::osv_release(ecosystem, &p.ecosystem));
        PreparedAffected {
            listed_raw,
            listed,
            ranges,
            release,
        }
    }

    /// Whether the entry applies to a package built for this release. A package of unknown
    /// release (a bare purl) is checked against every release's entries, and an entry naming
    /// no release applies to every package: a missed vulnerability costs more than a
    /// question the user can answer by giving the release.
    pub fn covers_release(&self, release: Option<&str>) -> bool {
        match (&self.release, release) {
            (Some(entry), Some(package)) => entry == package,
            _ => true,
        }
    }

    pub fn affects(&self, version: &QueryVersion<'_>) -> Result<bool, MatchError> {
        if self
            .listed_raw
            .binary_search_by(|v| v.as_str().cmp(version.raw))
            .is_ok()
        {
            return Ok(true);
        }
        if let Ok(parsed) = &version.ecosystem {
            let found = self
                .listed
                .binary_search_by(|v| v.partial_cmp_same_scheme(parsed).unwrap_or(Ordering::Less))
                .is_ok();
            if found {
                return Ok(true);
            }
        }
        for range in &self.ranges {
            let parsed = if range.semver {
                version.semver()
            } else {
                &version.ecosystem
            };
            let parsed = parsed
                .as_ref()
                .map_err(|e| MatchError::InvalidVersion(e.clone()))?;
            if range_affects(range, parsed) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

fn prepare_range(range: &Range, ecosystem: Ecosystem) -> Option<PreparedRange> {
    let semver = range.kind == "SEMVER";
    let mut events: Vec<(EventKind, Option<Version>)> = Vec::with_capacity(range.events.len());
    for event in &range.events {
        let (kind, text) = match (
            &event.introduced,
            &event.fixed,
            &event.last_affected,
            &event.limit,
        ) {
            (Some(v), _, _, _) => (EventKind::Introduced, v),
            (None, Some(v), _, _) => (EventKind::Fixed, v),
            (None, None, Some(v), _) => (EventKind::LastAffected, v),
            (None, None, None, Some(v)) => (EventKind::Limit, v),
            (None, None, None, None) => continue,
        };
        // "0" means "before every version" for `introduced`; `limit: "*"` means no limit.
        let bound = match (kind, text.as_str()) {
            (EventKind::Introduced, "0") => None,
            (EventKind::Limit, "*") => continue,
            _ => {
                let parsed = if semver {
                    Version::parse_semver(text)
                } else {
                    Version::parse(ecosystem, text)
                };
                Some(parsed.ok()?)
            }
        };
        events.push((kind, bound));
    }
    // Unsorted events are allowed: sort by version, "0" first.
    events.sort_by(|(_, a), (_, b)| match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => a.partial_cmp_same_scheme(b).unwrap_or(Ordering::Equal),
    });
    Some(PreparedRange { semver, events })
}

fn range_affects(range: &PreparedRange, version: &Version) -> bool {
    let at_least = |bound: &Option<Version>| match bound {
        None => true,
        Some(bound) => version.partial_cmp_same_scheme(bound) != Some(Ordering::Less),
    };
    let mut limits = range
        .events
        .iter()
        .filter(|(kind, _)| *kind == EventKind::Limit)
        .peekable();
    if limits.peek().is_some() && limits.all(|(_, limit)| at_least(limit)) {
        return false;
    }
    let mut affected = false;
    for (kind, bound) in &range.events {
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
    affected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Event, OsvPackage};

    fn event(kind: &str, version: &str) -> Event {
        let mut e = Event {
            introduced: None,
            fixed: None,
            last_affected: None,
            limit: None,
        };
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
            package: Some(OsvPackage {
                ecosystem: "PyPI".into(),
                name: "Django".into(),
                purl: None,
            }),
            ranges: vec![Range {
                kind: kind.into(),
                events: events.iter().map(|(k, v)| event(k, v)).collect(),
            }],
            versions: versions.iter().map(|v| v.to_string()).collect(),
            severity: vec![],
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
            (
                &[("introduced", "1.0"), ("last_affected", "2.0")],
                "2.0",
                true,
            ),
            (
                &[("introduced", "1.0"), ("last_affected", "2.0")],
                "2.0.post1",
                false,
            ),
            // Unsorted events and two windows in one range.
            (
                &[
                    ("fixed", "3.1"),
                    ("introduced", "3.0"),
                    ("fixed", "2.1"),
                    ("introduced", "0"),
                ],
                "2.5",
                false,
            ),
            (
                &[
                    ("fixed", "3.1"),
                    ("introduced", "3.0"),
                    ("fixed", "2.1"),
                    ("introduced", "0"),
                ],
                "3.0.5",
                true,
            ),
            (
                &[
                    ("fixed", "3.1"),
                    ("introduced", "3.0"),
                    ("fixed", "2.1"),
                    ("introduced", "0"),
                ],
                "1.0",
                true,
            ),
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
        assert!(
            affects(&affected, Ecosystem::PyPI, "2.2.0").unwrap(),
            "2.2.0 == 2.2 in PEP 440"
        );
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
        let affected = entry(
            "ECOSYSTEM",
            &[("introduced", "0"), ("fixed", "garbage!")],
            &[],
        );
        assert!(!affects(&affected, Ecosystem::PyPI, "1.0").unwrap());
    }

    #[test]
    fn semver_ranges_use_semver_order() {
        let affected = Affected {
            package: Some(OsvPackage {
                ecosystem: "npm".into(),
                name: "lodash".into(),
                purl: None,
            }),
            ranges: vec![Range {
                kind: "SEMVER".into(),
                events: vec![event("introduced", "0"), event("fixed", "4.17.21")],
            }],
            versions: vec![],
            severity: vec![],
        };
        assert!(affects(&affected, Ecosystem::Npm, "4.17.20").unwrap());
        assert!(affects(&affected, Ecosystem::Npm, "4.17.21-beta.1").unwrap());
        assert!(!affects(&affected, Ecosystem::Npm, "4.17.21").unwrap());
    }

    fn ranged(kind: &str, events: &[(&str, &str)], versions: &[&str]) -> Affected {
        let mut affected = entry(kind, events, versions);
        affected.package = None;
        affected
    }

    /// Each ecosystem's own order decides `ECOSYSTEM` ranges, where a plain string or SemVer
    /// comparison would answer wrongly.
    #[test]
    fn ecosystem_ranges_use_each_ecosystems_order() {
        type Case<'a> = (Ecosystem, &'a [(&'a str, &'a str)], &'a str, bool);
        // (ecosystem, events, version, expected)
        let table: &[Case<'_>] = &[
            // Log4Shell: 2.0-beta9 up to 2.15.0; a string comparison would put 2.14.1 after 2.0-beta9
            // but also `2.9.1` after `2.15.0`.
            (
                Ecosystem::Maven,
                &[("introduced", "2.0-beta9"), ("fixed", "2.15.0")],
                "2.9.1",
                true,
            ),
            (
                Ecosystem::Maven,
                &[("introduced", "2.0-beta9"), ("fixed", "2.15.0")],
                "2.0-alpha1",
                false,
            ),
            (
                Ecosystem::Maven,
                &[("introduced", "2.0-beta9"), ("fixed", "2.15.0")],
                "2.15.0.RELEASE",
                false,
            ),
            (
                Ecosystem::Maven,
                &[("introduced", "2.0-beta9"), ("fixed", "2.15.0")],
                "2.15.0-rc1",
                true,
            ),
            (
                Ecosystem::NuGet,
                &[("introduced", "0"), ("fixed", "13.0.1")],
                "13.0.1.0",
                false,
            ),
            (
                Ecosystem::NuGet,
                &[("introduced", "0"), ("fixed", "13.0.1")],
                "13.0.1-BETA1",
                true,
            ),
            (
                Ecosystem::RubyGems,
                &[("introduced", "0"), ("fixed", "5.2.4.3")],
                "5.2.4.rc1",
                true,
            ),
            (
                Ecosystem::Packagist,
                &[("introduced", "0"), ("fixed", "3.0.0")],
                "v3.0.0-beta",
                true,
            ),
            (
                Ecosystem::Packagist,
                &[("introduced", "0"), ("fixed", "3.0.0")],
                "v3.0",
                false,
            ),
            (
                Ecosystem::Debian,
                &[("introduced", "0"), ("fixed", "7.88.1-10+deb12u5")],
                "7.88.1-10+deb12u4",
                true,
            ),
            (
                Ecosystem::Debian,
                &[("introduced", "0"), ("fixed", "1:2.0-1")],
                "9.9-1",
                true,
            ),
            (
                Ecosystem::Ubuntu,
                &[("introduced", "0"), ("fixed", "3.0.2-0ubuntu1.10")],
                "3.0.2-0ubuntu1.9",
                true,
            ),
            (
                Ecosystem::Alpine,
                &[("introduced", "0"), ("fixed", "1.36.1-r2")],
                "1.36.1-r10",
                false,
            ),
            (
                Ecosystem::Alpine,
                &[("introduced", "0"), ("fixed", "3.1.4-r0")],
                "3.1.4_rc1-r0",
                true,
            ),
            (
                Ecosystem::RedHat,
                &[("introduced", "0"), ("fixed", "1:3.0.7-24.el9")],
                "3.0.7-25.el9",
                true,
            ),
            (
                Ecosystem::RockyLinux,
                &[("introduced", "0"), ("fixed", "0:5.1.8-6.el9_1")],
                "5.1.8-6.el9_1",
                false,
            ),
            (
                Ecosystem::AlmaLinux,
                &[("introduced", "0"), ("fixed", "1.0~rc1")],
                "1.0~beta",
                true,
            ),
            (
                Ecosystem::Go,
                &[("introduced", "0"), ("fixed", "1.9.1")],
                "v1.9.0",
                true,
            ),
            (
                Ecosystem::Hex,
                &[("introduced", "1.0.0"), ("fixed", "1.14.2")],
                "1.14.1",
                true,
            ),
            (
                Ecosystem::Pub,
                &[("introduced", "0"), ("fixed", "0.13.5")],
                "0.13.5+1",
                false,
            ),
            (
                Ecosystem::CratesIo,
                &[("introduced", "0.0.0-0"), ("fixed", "1.0.100")],
                "1.0.99",
                true,
            ),
        ];
        for (ecosystem, events, version, expected) in table {
            let affected = ranged("ECOSYSTEM", events, &[]);
            assert_eq!(
                affects(&affected, *ecosystem, version),
                Ok(*expected),
                "{ecosystem} {events:?} at {version}"
            );
        }
    }

    #[test]
    fn go_semver_ranges_match_v_prefixed_versions() {
        // OSV's Go records write versions without the `v` Go and purls use.
        let affected = ranged(
            "SEMVER",
            &[("introduced", "0"), ("fixed", "1.19.0-0")],
            &["1.18.3"],
        );
        assert!(affects(&affected, Ecosystem::Go, "v1.18.9").unwrap());
        assert!(affects(
            &affected,
            Ecosystem::Go,
            "v0.0.0-20210101000000-abcdef123456"
        )
        .unwrap());
        assert!(!affects(&affected, Ecosystem::Go, "v1.19.0").unwrap());
        let listed = ranged("GIT", &[("introduced", "abc")], &["1.18.3"]);
        assert!(
            affects(&listed, Ecosystem::Go, "v1.18.3").unwrap(),
            "a versions list entry matches its `v` form"
        );
    }

    #[test]
    fn versions_lists_use_the_ecosystems_equality() {
        let maven = ranged("GIT", &[("introduced", "abc")], &["2.0"]);
        assert!(
            affects(&maven, Ecosystem::Maven, "2.0.0").unwrap(),
            "2.0.0 == 2.0 in Maven"
        );
        assert!(
            affects(&maven, Ecosystem::Maven, "2.0.GA").unwrap(),
            "2.0.GA == 2.0 in Maven"
        );
        let npm = ranged("GIT", &[("introduced", "abc")], &["2.0.0"]);
        assert!(!affects(&npm, Ecosystem::Npm, "2.0.0-rc.1").unwrap());
        let debian = ranged("GIT", &[("introduced", "abc")], &["1.0-1"]);
        assert!(
            affects(&debian, Ecosystem::Debian, "0:1.0-1").unwrap(),
            "epoch 0 is the default"
        );
    }

    #[test]
    fn a_version_its_ecosystem_rejects_is_reported_for_every_scheme() {
        for ecosystem in Ecosystem::ALL {
            let affected = ranged("ECOSYSTEM", &[("introduced", "0"), ("fixed", "2.0.0")], &[]);
            assert!(
                matches!(
                    affects(&affected, ecosystem, "not a/version"),
                    Err(MatchError::InvalidVersion(_))
                ),
                "{ecosystem}"
            );
        }
    }
}
