//! The package index must answer exactly as matching entry by entry does. Checked on small
//! records of our own (always) and on every package of the real OSV dumps in
//! `../shared/data/osv` (skipped, saying so, when they are absent), at every version the
//! records name and at versions just beside them.

use std::{collections::BTreeMap, path::Path};

use vigil_advisories::{
    read_source, Affected, OsvRecord, PackageIndex, PreparedAffected, QueryVersion, SourceLimits,
};
use vigil_model::Ecosystem;

/// Entry-by-entry answer: indices of the affecting entries, and whether a problem was met.
fn by_entry(
    entries: &[PreparedAffected],
    query: &QueryVersion<'_>,
    release: Option<&str>,
) -> (Vec<u32>, bool) {
    let mut found = Vec::new();
    let mut problem = false;
    for (index, entry) in entries.iter().enumerate() {
        if !entry.covers_release(release) {
            continue;
        }
        match entry.affects(query) {
            Ok(true) => found.push(index as u32),
            Ok(false) => {}
            Err(_) => problem = true,
        }
    }
    (found, problem)
}

/// Versions worth asking about: every one a record names, and neighbours of each.
fn probes(affected: &[Affected]) -> Vec<String> {
    let mut versions: Vec<String> = vec![
        "0".into(),
        "0.0.1".into(),
        "999.0".into(),
        "1.0.0-alpha".into(),
    ];
    for entry in affected {
        versions.extend(entry.versions.iter().cloned());
        for range in &entry.ranges {
            for event in &range.events {
                for v in [
                    &event.introduced,
                    &event.fixed,
                    &event.last_affected,
                    &event.limit,
                ]
                .into_iter()
                .flatten()
                {
                    versions.push(v.clone());
                    versions.push(format!("{v}.1"));
                    versions.push(format!("{v}-1"));
                    versions.push(format!("{v}a"));
                }
            }
        }
    }
    versions.sort();
    versions.dedup();
    versions
}

fn check_package(ecosystem: Ecosystem, affected: &[Affected], releases: &[Option<&str>]) -> usize {
    let entries: Vec<PreparedAffected> = affected
        .iter()
        .map(|a| PreparedAffected::new(a, ecosystem))
        .collect();
    let index = PackageIndex::new(entries.clone());
    let mut checked = 0;
    for version in probes(affected) {
        let query = QueryVersion::new(ecosystem, &version);
        for release in releases {
            let (expected, expected_problem) = by_entry(&entries, &query, *release);
            let (found, problem) = index.affecting(&query, *release);
            assert_eq!(
                found, expected,
                "{ecosystem:?} {version} {release:?}: {affected:#?}"
            );
            // The index reports a problem only for ranges the lists did not already answer.
            if problem.is_some() {
                assert!(
                    expected_problem,
                    "{ecosystem:?} {version}: a problem entry by entry too"
                );
            }
            checked += 1;
        }
    }
    checked
}

fn record(json: serde_json::Value) -> OsvRecord {
    serde_json::from_value(json).unwrap()
}

#[test]
fn overlapping_ranges_limits_last_affected_and_releases_answer_as_entry_by_entry() {
    let records = [
        record(
            serde_json::json!({"id": "A", "modified": "2024-01-01T00:00:00Z", "affected": [
                {"package": {"ecosystem": "PyPI", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [
                    {"fixed": "2.0"}, {"introduced": "1.0"}, {"introduced": "3.0"}, {"last_affected": "3.5"}]}],
                 "versions": ["1.0", "1.5", "legacy-1"]},
                {"package": {"ecosystem": "PyPI", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [
                    {"introduced": "0"}, {"limit": "1.2"}, {"fixed": "1.1"}]}]},
                {"package": {"ecosystem": "PyPI", "name": "x"}, "ranges": [{"type": "SEMVER", "events": [
                    {"introduced": "1.4.0"}, {"fixed": "1.6.0"}]}]},
                {"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["9.9", "not a version"]}
            ]}),
        ),
        record(
            serde_json::json!({"id": "B", "modified": "2024-01-01T00:00:00Z", "affected": [
                {"package": {"ecosystem": "Debian:11", "name": "curl"}, "ranges": [{"type": "ECOSYSTEM", "events": [
                    {"introduced": "0"}, {"fixed": "7.74.0-1.3+deb11u7"}]}]},
                {"package": {"ecosystem": "Debian:12", "name": "curl"}, "ranges": [{"type": "ECOSYSTEM", "events": [
                    {"introduced": "0"}, {"fixed": "7.88.1-10+deb12u5"}]}]},
                {"package": {"ecosystem": "Debian", "name": "curl"}, "versions": ["7.50.0-1"]}
            ]}),
        ),
    ];
    let pypi = check_package(Ecosystem::PyPI, &records[0].affected, &[None]);
    let debian = check_package(
        Ecosystem::Debian,
        &records[1].affected,
        &[None, Some("11"), Some("12"), Some("13")],
    );
    assert!(pypi > 40 && debian > 40, "{pypi} {debian}");
}

#[test]
fn every_package_of_the_real_dumps_answers_as_entry_by_entry() {
    let osv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osv");
    let osv = std::env::var_os("VIGIL_SHARED_DATA")
        .map(|d| Path::new(&d).join("osv"))
        .filter(|p| p.exists())
        .unwrap_or(osv);
    if !osv.exists() {
        eprintln!(
            "SKIPPED: {} is missing (../shared/data is not here)",
            osv.display()
        );
        return;
    }
    let mut checked = 0;
    for dump in [
        "PyPI-all.zip",
        "npm-all.zip",
        "Maven-all.zip",
        "Go-all.zip",
        "crates.io-all.zip",
        "NuGet-all.zip",
        "RubyGems-all.zip",
        "Packagist-all.zip",
    ] {
        let path = osv.join(dump);
        if !path.exists() {
            continue;
        }
        let mut packages: BTreeMap<(Ecosystem, String), Vec<Affected>> = BTreeMap::new();
        read_source(&path, &SourceLimits::default(), &mut |item| {
            let Ok(source) = item.result else { return };
            for affected in source.record.affected {
                let Some(package) = &affected.package else {
                    continue;
                };
                let Some(ecosystem) = Ecosystem::from_osv(&package.ecosystem) else {
                    continue;
                };
                let key = ecosystem.normalize_name(&package.name);
                packages.entry((ecosystem, key)).or_default().push(affected);
            }
        })
        .unwrap();
        for ((ecosystem, _), affected) in &packages {
            checked += check_package(*ecosystem, affected, &[None]);
        }
        eprintln!("{dump}: {} packages agree", packages.len());
    }
    assert!(checked > 10_000, "only {checked} look-ups were compared");
}
