use chrono::NaiveDate;

use super::*;
use crate::{default_license_groups, LicenseFact, StageActions, Targets, WaiverMark, WaiverScope};

const LOG4J: &str = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";

fn context() -> EvaluationContext {
    EvaluationContext {
        application: "shop".into(),
        organization: Some("acme".into()),
        categories: vec!["internet-facing".into()],
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    }
}

fn advisory(id: &str, score: Option<f64>, rating: Option<&str>) -> AdvisoryFact {
    AdvisoryFact {
        id: id.into(),
        score,
        rating: rating.map(str::to_string),
        ..AdvisoryFact::default()
    }
}

fn component(purl: &str, advisories: Vec<AdvisoryFact>) -> ComponentFacts {
    ComponentFacts {
        purl: purl.into(),
        has_purl: true,
        version: purl.rsplit_once('@').map(|(_, v)| v.to_string()),
        license: Some(LicenseFact {
            expression: Some("Apache-2.0".into()),
            raw: "Apache-2.0".into(),
        }),
        license_unrecorded: false,
        advisories,
    }
}

fn licensed(purl: &str, expression: Option<&str>, raw: &str) -> ComponentFacts {
    ComponentFacts {
        license: Some(LicenseFact {
            expression: expression.map(str::to_string),
            raw: raw.into(),
        }),
        ..component(purl, vec![])
    }
}

fn constraint(name: &str, operator: Match, conditions: Vec<Condition>) -> Constraint {
    Constraint {
        name: name.into(),
        operator,
        conditions,
    }
}

fn policy(name: &str, threat_level: u8, constraints: Vec<Constraint>) -> Policy {
    Policy {
        name: name.into(),
        threat_level,
        enabled: true,
        monitoring: false,
        reference: false,
        scope: PolicyScope::Everywhere,
        actions: StageActions::default(),
        targets: Targets::default(),
        constraints,
    }
}

fn one(name: &str, operator: Match, conditions: Vec<Condition>) -> Vec<Policy> {
    vec![policy(name, 7, vec![constraint("c", operator, conditions)])]
}

fn cvss(at_least: Option<f64>, below: Option<f64>) -> Condition {
    Condition::Cvss(ScoreBound { at_least, below })
}

fn run(policies: &[Policy], components: &[ComponentFacts]) -> Vec<Violation> {
    evaluate(
        policies,
        &default_license_groups(),
        components,
        &[],
        &context(),
    )
}

fn ids(violation: &Violation) -> Vec<&str> {
    violation
        .details
        .advisories
        .iter()
        .map(|a| a.id.as_str())
        .collect()
}

#[test]
fn a_cvss_constraint_lists_every_matching_advisory_sorted() {
    let log4j = component(
        LOG4J,
        vec![
            advisory("GHSA-jfh8-c2jp-5v3q", Some(9.0), Some("CRITICAL")),
            advisory("CVE-2021-45105", Some(5.9), Some("MEDIUM")),
            advisory("CVE-2021-44228", Some(10.0), Some("CRITICAL")),
        ],
    );
    let policies = vec![policy(
        "Security-Critical",
        10,
        vec![constraint(
            "critical",
            Match::All,
            vec![cvss(Some(9.0), None)],
        )],
    )];
    let violations = run(&policies, &[log4j]);
    assert_eq!(violations.len(), 1);
    let v = &violations[0];
    assert_eq!(
        (
            v.policy.as_str(),
            v.threat_level,
            v.purl.as_str(),
            v.condition_key.as_str()
        ),
        ("Security-Critical", 10, LOG4J, "critical")
    );
    assert_eq!(ids(v), ["CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"]);
    assert_eq!(
        v.details.conditions,
        vec![
            ConditionHit {
                summary: "Security Vulnerability Severity >= 9".into(),
                reason: "Found security vulnerability CVE-2021-44228 with severity 10.0".into(),
            },
            ConditionHit {
                summary: "Security Vulnerability Severity >= 9".into(),
                reason: "Found security vulnerability GHSA-jfh8-c2jp-5v3q with severity 9.0".into(),
            },
        ]
    );
    assert_eq!(
        v.details.summary,
        format!("{LOG4J}: 2 vulnerabilities with CVSS ≥ 9 (CVE-2021-44228, GHSA-jfh8-c2jp-5v3q)")
    );
    assert_eq!(v.details.license, None);
    assert!(!v.waived());
}

#[test]
fn under_all_one_advisory_must_satisfy_every_security_condition() {
    let mut severe = advisory("CVE-1", Some(9.8), None);
    let mut exploited = advisory("CVE-2", Some(5.0), None);
    exploited.kev = true;
    let policies = one("P", Match::All, vec![cvss(Some(9.0), None), Condition::Kev]);
    let c = component("pkg:npm/a@1.0.0", vec![severe.clone(), exploited.clone()]);
    assert!(run(&policies, &[c]).is_empty());
    severe.kev = true;
    let both = advisory("CVE-3", Some(9.1), None);
    let c = component("pkg:npm/a@1.0.0", vec![severe, exploited, both]);
    let v = run(&policies, &[c]);
    assert_eq!(ids(&v[0]), ["CVE-1"]);
    assert_eq!(
        v[0].details.summary,
        "pkg:npm/a@1.0.0: 1 vulnerability with CVSS ≥ 9 and in CISA KEV (CVE-1)"
    );
    assert_eq!(v[0].details.conditions.len(), 2);
}

#[test]
fn under_any_each_advisory_needs_one_condition() {
    let severe = advisory("CVE-1", Some(9.8), None);
    let mut exploited = advisory("CVE-2", Some(5.0), None);
    exploited.kev = true;
    let quiet = advisory("CVE-3", Some(5.0), None);
    let policies = one("P", Match::Any, vec![cvss(Some(9.0), None), Condition::Kev]);
    let c = component("pkg:npm/a@1.0.0", vec![quiet, exploited, severe]);
    let v = run(&policies, &[c]);
    assert_eq!(ids(&v[0]), ["CVE-1", "CVE-2"]);
    let reasons: Vec<&str> = v[0]
        .details
        .conditions
        .iter()
        .map(|h| h.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "Found security vulnerability CVE-1 with severity 9.8",
            "Found security vulnerability CVE-2 in CISA's Known Exploited Vulnerabilities catalog",
        ]
    );
    assert!(v[0]
        .details
        .summary
        .contains("2 vulnerabilities with CVSS ≥ 9 or in CISA KEV"));
}

#[test]
fn component_and_security_conditions_combine() {
    let pattern = Condition::Purl(vec![PurlPattern {
        purl: "pkg:npm/a".into(),
        below: None,
        at_least: None,
    }]);
    let high = advisory("CVE-1", Some(7.5), None);
    let all = one(
        "P",
        Match::All,
        vec![pattern.clone(), cvss(Some(7.0), None)],
    );
    assert_eq!(
        run(&all, &[component("pkg:npm/a@1.0.0", vec![high.clone()])]).len(),
        1
    );
    assert!(run(&all, &[component("pkg:npm/a@1.0.0", vec![])]).is_empty());
    assert!(run(&all, &[component("pkg:npm/b@1.0.0", vec![high.clone()])]).is_empty());
    let any = one("P", Match::Any, vec![pattern, cvss(Some(7.0), None)]);
    let v = run(&any, &[component("pkg:npm/a@1.0.0", vec![])]);
    assert_eq!(v.len(), 1);
    assert!(v[0].details.advisories.is_empty());
    assert_eq!(v[0].details.summary, "pkg:npm/a@1.0.0: matches pkg:npm/a");
    assert_eq!(
        run(&any, &[component("pkg:npm/b@1.0.0", vec![high])]).len(),
        1
    );
}

#[test]
fn unscored_advisories_are_caught_and_never_match_cvss() {
    let unscored = advisory("PYSEC-2024-1", None, None);
    let rated = advisory("GHSA-xxxx", None, Some("HIGH"));
    let c = component("pkg:pypi/django@4.2.0", vec![unscored, rated]);
    let v = run(
        &one("Unscored", Match::All, vec![Condition::Unscored]),
        std::slice::from_ref(&c),
    );
    assert_eq!(ids(&v[0]), ["PYSEC-2024-1"]);
    assert_eq!(
        v[0].details.conditions[0].reason,
        "Found security vulnerability PYSEC-2024-1 with no severity score"
    );
    // Any CVSS bound, even an open one, leaves the unscored advisory out; the rating-only one
    // counts as its band's lowest score (HIGH = 7.0).
    let v = run(
        &one("Any-score", Match::All, vec![cvss(None, None)]),
        std::slice::from_ref(&c),
    );
    assert_eq!(ids(&v[0]), ["GHSA-xxxx"]);
    let v = run(
        &one("High", Match::All, vec![cvss(Some(7.0), Some(9.0))]),
        std::slice::from_ref(&c),
    );
    assert_eq!(ids(&v[0]), ["GHSA-xxxx"]);
    assert_eq!(
        v[0].details.conditions[0],
        ConditionHit {
            summary: "Security Vulnerability Severity >= 7 and < 9".into(),
            reason: "Found security vulnerability GHSA-xxxx with rating HIGH and no score".into(),
        }
    );
    assert!(run(
        &one("Critical", Match::All, vec![cvss(Some(9.0), None)]),
        &[c]
    )
    .is_empty());
}

#[test]
fn rating_epss_fix_and_malicious_conditions() {
    let mut a = advisory("CVE-1", Some(9.1), Some("CRITICAL"));
    a.epss = Some(0.75);
    a.fixed = vec!["1.2.0".into()];
    let mut b = advisory("GHSA-2", Some(4.0), Some("MEDIUM"));
    b.epss = Some(0.01);
    let mut mal = advisory("GHSA-3", None, None);
    mal.aliases = vec!["MAL-2025-1".into()];
    let c = component("pkg:npm/a@1.0.0", vec![a, b, mal]);
    let check = |condition: Condition| -> Vec<String> {
        run(
            &one("P", Match::All, vec![condition]),
            std::slice::from_ref(&c),
        )
        .first()
        .map(|v| ids(v).iter().map(|s| s.to_string()).collect())
        .unwrap_or_default()
    };
    assert_eq!(
        check(Condition::Rating(vec![Rating::Critical, Rating::High])),
        ["CVE-1"]
    );
    assert_eq!(check(Condition::Rating(vec![Rating::Medium])), ["GHSA-2"]);
    assert_eq!(check(Condition::EpssAtLeast(0.5)), ["CVE-1"]);
    assert_eq!(check(Condition::FixAvailable(true)), ["CVE-1"]);
    assert_eq!(check(Condition::FixAvailable(false)), ["GHSA-2", "GHSA-3"]);
    assert_eq!(check(Condition::Malicious), ["GHSA-3"]);
    let v = run(
        &one("M", Match::All, vec![Condition::Malicious]),
        std::slice::from_ref(&c),
    );
    assert_eq!(
        v[0].details.conditions[0].reason,
        "Found malicious-package record GHSA-3 (MAL-2025-1)"
    );
    assert_eq!(
        v[0].details.summary,
        "pkg:npm/a@1.0.0: 1 malicious-package record (GHSA-3)"
    );
    let v = run(
        &one("F", Match::All, vec![Condition::FixAvailable(true)]),
        &[c],
    );
    assert_eq!(
        v[0].details.conditions[0].reason,
        "Found security vulnerability CVE-1, fixed in 1.2.0"
    );
}

#[test]
fn license_groups_follow_spdx_semantics() {
    let copyleft = one(
        "Copyleft",
        Match::All,
        vec![Condition::LicenseGroup(vec![ThreatGroup::Copyleft])],
    );
    let either = licensed(
        "pkg:npm/a@1.0.0",
        Some("MIT OR GPL-3.0-only"),
        "MIT OR GPL-3.0-only",
    );
    assert!(run(&copyleft, &[either]).is_empty());
    let both = licensed(
        "pkg:npm/a@1.0.0",
        Some("MIT AND GPL-3.0-only"),
        "MIT AND GPL-3.0-only",
    );
    let v = run(&copyleft, &[both]);
    assert_eq!(v.len(), 1);
    assert_eq!(
        v[0].details.license.as_deref(),
        Some("MIT AND GPL-3.0-only")
    );
    assert_eq!(
        v[0].details.conditions,
        vec![ConditionHit {
            summary: "License Threat Group is Copyleft".into(),
            reason: "Found license GPL-3.0-only (copyleft) in MIT AND GPL-3.0-only".into(),
        }]
    );
    assert_eq!(
        v[0].details.summary,
        "pkg:npm/a@1.0.0: license MIT AND GPL-3.0-only needs GPL-3.0-only (copyleft)"
    );
    let banned = one(
        "Banned",
        Match::All,
        vec![Condition::LicenseGroup(vec![ThreatGroup::Banned])],
    );
    let agpl = licensed("pkg:npm/b@1.0.0", Some("AGPL-3.0-only"), "AGPL-3.0-only");
    let v = run(&banned, &[agpl]);
    assert_eq!(
        v[0].details.conditions[0],
        ConditionHit {
            summary: "License Threat Group is Banned".into(),
            reason: "Found license AGPL-3.0-only (banned)".into(),
        }
    );
    assert_eq!(
        v[0].details.summary,
        "pkg:npm/b@1.0.0: license AGPL-3.0-only is banned"
    );
    // A linking exception leaves the copyleft on the library alone: weak copyleft, as the
    // deprecated GPL-2.0-with-classpath-exception id is; any other exception is judged by its
    // license. The or-later GNU spelling is GPL too.
    let classpath = licensed(
        "pkg:maven/g/a@1",
        Some("GPL-2.0-only WITH Classpath-exception-2.0"),
        "GPL2 w/ CPE",
    );
    assert!(run(&copyleft, std::slice::from_ref(&classpath)).is_empty());
    let weak = one(
        "Weak",
        Match::All,
        vec![Condition::LicenseGroup(vec![ThreatGroup::WeakCopyleft])],
    );
    assert_eq!(run(&weak, &[classpath]).len(), 1);
    let syscall = licensed(
        "pkg:generic/linux@6",
        Some("GPL-2.0-only WITH Linux-syscall-note"),
        "GPL-2.0 WITH Linux-syscall-note",
    );
    assert_eq!(run(&copyleft, &[syscall]).len(), 1);
    let plus = licensed("pkg:npm/c@1.0.0", Some("GPL-2.0+"), "GPL-2.0+");
    assert_eq!(run(&copyleft, &[plus]).len(), 1);
    // LicenseRef and unknown ids are Unknown.
    let unknown = one(
        "U",
        Match::All,
        vec![Condition::LicenseGroup(vec![ThreatGroup::Unknown])],
    );
    let custom = licensed("pkg:npm/d@1.0.0", Some("LicenseRef-Acme"), "Acme");
    assert_eq!(run(&unknown, &[custom]).len(), 1);
    // No license or an invalid one is not a group match (they have their own conditions).
    let none = licensed("pkg:npm/e@1.0.0", None, "");
    let invalid = licensed("pkg:npm/f@1.0.0", None, "Proprietary");
    assert!(run(&unknown, &[none, invalid]).is_empty());
}

#[test]
fn allow_lists_no_license_and_invalid_license() {
    let allow = one(
        "Allow",
        Match::All,
        vec![Condition::LicenseNotIn(vec![
            "MIT".into(),
            "Apache-2.0".into(),
        ])],
    );
    let ok = licensed("pkg:npm/a@1.0.0", Some("MIT OR GPL-3.0-only"), "x");
    let bad = licensed("pkg:npm/b@1.0.0", Some("MIT AND GPL-3.0-only"), "x");
    let v = run(&allow, &[ok, bad]);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].purl, "pkg:npm/b@1.0.0");
    assert_eq!(
        v[0].details.conditions[0].reason,
        "Found license MIT AND GPL-3.0-only, which the allowed licenses do not satisfy"
    );

    let none = one("None", Match::All, vec![Condition::NoLicense]);
    let mut missing = component("pkg:npm/c@1.0.0", vec![]);
    missing.license = None;
    let noassertion = licensed("pkg:npm/d@1.0.0", None, "NOASSERTION");
    let declared = licensed("pkg:npm/e@1.0.0", Some("MIT"), "MIT");
    let v = run(&none, &[missing, noassertion, declared]);
    let reasons: Vec<&str> = v
        .iter()
        .map(|v| v.details.conditions[0].reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "pkg:npm/c@1.0.0 declares no license",
            "pkg:npm/d@1.0.0 declares NOASSERTION"
        ]
    );
    assert_eq!(
        v[0].details.conditions[0].summary,
        "License is not declared"
    );
    // From a lockfile, which records no licenses: its silence is no finding.
    let mut from_lockfile = component("pkg:npm/c@1.0.0", vec![]);
    from_lockfile.license = None;
    from_lockfile.license_unrecorded = true;
    assert!(run(&none, &[from_lockfile]).is_empty());

    let invalid = one("Invalid", Match::All, vec![Condition::InvalidLicense]);
    let prose = licensed("pkg:npm/f@1.0.0", None, "Apache License, Version 2 or so");
    let broken = licensed("pkg:npm/g@1.0.0", Some("MIT AND"), "MIT AND");
    let fine = licensed("pkg:npm/h@1.0.0", Some("MIT"), "MIT");
    let v = run(&invalid, &[prose, broken, fine]);
    assert_eq!(v.len(), 2);
    assert_eq!(
        v[0].details.conditions[0],
        ConditionHit {
            summary: "License is not a valid SPDX expression".into(),
            reason:
                "Found license \"Apache License, Version 2 or so\", which is not an SPDX expression"
                    .into(),
        }
    );
    assert_eq!(
        v[0].details.license.as_deref(),
        Some("Apache License, Version 2 or so")
    );
}

fn pattern(purl: &str, at_least: Option<&str>, below: Option<&str>) -> PurlPattern {
    PurlPattern {
        purl: purl.into(),
        below: below.map(str::to_string),
        at_least: at_least.map(str::to_string),
    }
}

#[test]
fn purl_patterns_match_exact_versions_and_ranges() {
    let ban = |patterns: Vec<PurlPattern>, purl: &str| -> bool {
        !run(
            &one("Ban", Match::All, vec![Condition::Purl(patterns)]),
            &[component(purl, vec![])],
        )
        .is_empty()
    };
    let stream = pattern("pkg:npm/event-stream@3.3.6", None, None);
    assert!(ban(vec![stream.clone()], "pkg:npm/event-stream@3.3.6"));
    assert!(!ban(vec![stream.clone()], "pkg:npm/event-stream@3.3.5"));
    assert!(!ban(vec![stream], "pkg:pypi/event-stream@3.3.6"));
    let log4j = pattern(
        "pkg:maven/org.apache.logging.log4j/log4j-core",
        None,
        Some("2.17.1"),
    );
    assert!(ban(vec![log4j.clone()], LOG4J));
    assert!(ban(
        vec![log4j.clone()],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.0"
    ));
    assert!(!ban(
        vec![log4j.clone()],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1"
    ));
    assert!(!ban(
        vec![log4j.clone()],
        "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1"
    ));
    let window = pattern("pkg:npm/a", Some("1.2.0"), Some("1.4.0"));
    assert!(!ban(vec![window.clone()], "pkg:npm/a@1.1.9"));
    assert!(ban(vec![window.clone()], "pkg:npm/a@1.2.0"));
    assert!(ban(vec![window.clone()], "pkg:npm/a@1.3.10"));
    assert!(!ban(vec![window.clone()], "pkg:npm/a@1.4.0"));
    // A version that does not compare does not match, and does not panic.
    assert!(!ban(vec![window], "pkg:npm/a@not-a-version"));
    // Names compare normalised; any version without a version or bounds.
    assert!(ban(
        vec![pattern("pkg:pypi/Django", None, None)],
        "pkg:pypi/django@4.2.0"
    ));
    // Maven versions compare in Maven's order: 2.17 is 2.17.0.
    assert!(ban(
        vec![pattern("pkg:maven/g/a@2.17", None, None)],
        "pkg:maven/g/a@2.17.0"
    ));
    // Unparseable patterns are skipped.
    assert!(!ban(
        vec![pattern("not a purl", None, None)],
        "pkg:npm/a@1.0.0"
    ));
    let v = run(
        &one("Ban", Match::All, vec![Condition::Purl(vec![log4j])]),
        &[component(LOG4J, vec![])],
    );
    assert_eq!(
        v[0].details.conditions[0],
        ConditionHit {
            summary: "Component matches pkg:maven/org.apache.logging.log4j/log4j-core below 2.17.1"
                .into(),
            reason: format!(
                "{LOG4J} matches pkg:maven/org.apache.logging.log4j/log4j-core below 2.17.1"
            ),
        }
    );
}

#[test]
fn unknown_components_have_no_purl_or_no_version() {
    let unknown = one("Unknown", Match::All, vec![Condition::Unknown]);
    let mut no_purl = component("vendored-thing@1.0", vec![]);
    no_purl.has_purl = false;
    let mut no_version = component("pkg:npm/b", vec![]);
    no_version.version = None;
    let known = component("pkg:npm/c@1.0.0", vec![]);
    let mut unplaced = component("pkg:github/o/r@1.0", vec![]);
    unplaced.has_purl = false;
    let v = run(&unknown, &[no_purl, no_version, known, unplaced]);
    let reasons: Vec<&str> = v
        .iter()
        .map(|v| v.details.conditions[0].reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "pkg:github/o/r@1.0 has a package URL Vigil cannot place",
            "pkg:npm/b has no version",
            "vendored-thing@1.0 has no package URL"
        ]
    );
    assert_eq!(v[0].details.conditions[0].summary, "Component is unknown");
}

#[test]
fn only_enabled_policies_in_scope_apply() {
    let c = component("pkg:npm/a@1.0.0", vec![advisory("CVE-1", None, None)]);
    let mut p = policy(
        "P",
        7,
        vec![constraint("c", Match::All, vec![Condition::Unscored])],
    );
    let evaluated = |p: &Policy| !run(std::slice::from_ref(p), std::slice::from_ref(&c)).is_empty();
    assert!(evaluated(&p));
    p.enabled = false;
    assert!(!evaluated(&p));
    p.enabled = true;
    p.scope = PolicyScope::Organization("acme".into());
    assert!(evaluated(&p));
    p.scope = PolicyScope::Organization("other".into());
    assert!(!evaluated(&p));
    p.scope = PolicyScope::Category("internet-facing".into());
    assert!(evaluated(&p));
    p.scope = PolicyScope::Category("internal".into());
    assert!(!evaluated(&p));
}

#[test]
fn one_violation_per_holding_constraint_sorted_by_identity() {
    let c1 = component("pkg:npm/b@1.0.0", vec![advisory("CVE-1", Some(9.5), None)]);
    let c2 = component("pkg:npm/a@1.0.0", vec![advisory("CVE-2", Some(9.5), None)]);
    let p = vec![
        policy(
            "Z",
            5,
            vec![
                constraint("score", Match::All, vec![cvss(Some(9.0), None)]),
                constraint("also", Match::All, vec![cvss(Some(1.0), None)]),
                constraint("never", Match::All, vec![Condition::Kev]),
            ],
        ),
        policy(
            "A",
            5,
            vec![constraint("score", Match::All, vec![cvss(Some(9.0), None)])],
        ),
    ];
    let v = run(&p, &[c1.clone(), c2.clone()]);
    let keys: Vec<(&str, &str, &str)> = v.iter().map(|v| v.key()).collect();
    assert_eq!(
        keys,
        [
            ("A", "pkg:npm/a@1.0.0", "score"),
            ("A", "pkg:npm/b@1.0.0", "score"),
            ("Z", "pkg:npm/a@1.0.0", "also"),
            ("Z", "pkg:npm/a@1.0.0", "score"),
            ("Z", "pkg:npm/b@1.0.0", "also"),
            ("Z", "pkg:npm/b@1.0.0", "score"),
        ]
    );
    let reversed = run(&[p[1].clone(), p[0].clone()], &[c2, c1]);
    assert_eq!(v, reversed);
}

fn waiver(id: i64, component: &str, advisory: Option<&str>, expires: (i32, u32, u32)) -> Waiver {
    Waiver {
        id,
        scope: WaiverScope::Application("Shop".into()),
        component: component.into(),
        all_versions: false,
        policy: None,
        advisory: advisory.map(str::to_string),
        reason: format!("waiver {id}"),
        expires: NaiveDate::from_ymd_opt(expires.0, expires.1, expires.2).unwrap(),
        created_at: "2026-11-01T00:00:00Z".into(),
        created_by: "alice".into(),
    }
}

fn run_waived(
    policies: &[Policy],
    components: &[ComponentFacts],
    waivers: &[Waiver],
) -> Vec<Violation> {
    evaluate(
        policies,
        &default_license_groups(),
        components,
        waivers,
        &context(),
    )
}

#[test]
fn a_whole_waiver_marks_the_violation_and_expires() {
    let c = component(LOG4J, vec![advisory("CVE-2021-44228", Some(10.0), None)]);
    let p = one("Critical", Match::All, vec![cvss(Some(9.0), None)]);
    let w = waiver(3, LOG4J, None, (2026, 12, 31));
    let v = run_waived(&p, std::slice::from_ref(&c), std::slice::from_ref(&w));
    assert_eq!(
        v[0].details.waiver,
        Some(WaiverMark {
            id: 3,
            reason: "waiver 3".into(),
            expires: "2026-12-31".into(),
        })
    );
    // It expires: today is after its last day.
    let expired = waiver(3, LOG4J, None, (2026, 11, 25));
    assert!(!run_waived(&p, std::slice::from_ref(&c), &[expired])[0].waived());
    // It holds through its last day.
    let today = waiver(3, LOG4J, None, (2026, 11, 26));
    assert!(run_waived(&p, std::slice::from_ref(&c), &[today])[0].waived());
    // The latest-expiring waiver shows, then the lowest id.
    let ws = [
        waiver(9, LOG4J, None, (2027, 1, 1)),
        waiver(5, LOG4J, None, (2027, 6, 1)),
        waiver(4, LOG4J, None, (2027, 6, 1)),
    ];
    assert_eq!(
        run_waived(&p, std::slice::from_ref(&c), &ws)[0]
            .details
            .waiver
            .as_ref()
            .unwrap()
            .id,
        4
    );
    // Other policies, applications and versions are not waived.
    let mut other_policy = w.clone();
    other_policy.policy = Some("High".into());
    let mut other_app = w.clone();
    other_app.scope = WaiverScope::Application("admin".into());
    let other_version = waiver(
        3,
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0",
        None,
        (2026, 12, 31),
    );
    for w in [other_policy, other_app, other_version] {
        assert!(!run_waived(&p, std::slice::from_ref(&c), &[w])[0].waived());
    }
    let mut all_versions = waiver(
        3,
        "pkg:maven/org.apache.logging.log4j/log4j-core",
        None,
        (2026, 12, 31),
    );
    all_versions.all_versions = true;
    assert!(run_waived(&p, &[c], &[all_versions])[0].waived());
}

#[test]
fn an_advisory_waiver_takes_its_advisory_out() {
    let mut aliased = advisory("GHSA-jfh8-c2jp-5v3q", Some(10.0), None);
    aliased.aliases = vec!["CVE-2021-44228".into()];
    let other = advisory("CVE-2021-45046", Some(9.0), None);
    let p = one("Critical", Match::All, vec![cvss(Some(9.0), None)]);
    let c = component(LOG4J, vec![aliased.clone(), other]);
    // Waived by its alias; the other advisory still holds the constraint: an active
    // violation listing only it.
    let w = waiver(1, LOG4J, Some("CVE-2021-44228"), (2026, 12, 31));
    let v = run_waived(&p, &[c], std::slice::from_ref(&w));
    assert_eq!(v.len(), 1);
    assert!(!v[0].waived());
    assert_eq!(ids(&v[0]), ["CVE-2021-45046"]);
    assert_eq!(
        v[0].details.summary,
        format!("{LOG4J}: 1 vulnerability with CVSS ≥ 9 (CVE-2021-45046)")
    );
    // With only the waived advisory, the violation shows, marked waived, as it was.
    let c = component(LOG4J, vec![aliased]);
    let v = run_waived(&p, std::slice::from_ref(&c), &[w]);
    assert_eq!(v[0].details.waiver.as_ref().map(|w| w.id), Some(1));
    assert_eq!(ids(&v[0]), ["GHSA-jfh8-c2jp-5v3q"]);
    // A waiver for an advisory that takes no part changes nothing.
    let unrelated = waiver(2, LOG4J, Some("CVE-1999-0001"), (2026, 12, 31));
    assert!(!run_waived(&p, std::slice::from_ref(&c), &[unrelated])[0].waived());
    // Nor does it for a constraint without advisories.
    let ban = one(
        "Ban",
        Match::All,
        vec![Condition::Purl(vec![pattern(
            "pkg:maven/org.apache.logging.log4j/log4j-core",
            None,
            None,
        )])],
    );
    let w = waiver(1, LOG4J, Some("CVE-2021-44228"), (2026, 12, 31));
    assert!(!run_waived(&ban, &[c], &[w])[0].waived());
}

#[test]
fn under_any_a_waived_advisory_can_leave_a_component_condition_holding() {
    let p = one(
        "P",
        Match::Any,
        vec![
            Condition::Purl(vec![pattern("pkg:npm/a", None, None)]),
            cvss(Some(9.0), None),
        ],
    );
    let c = component("pkg:npm/a@1.0.0", vec![advisory("CVE-1", Some(9.5), None)]);
    let v = run_waived(
        &p,
        &[c],
        &[waiver(1, "pkg:npm/a@1.0.0", Some("CVE-1"), (2027, 1, 1))],
    );
    assert!(!v[0].waived());
    assert!(v[0].details.advisories.is_empty());
    assert_eq!(v[0].details.summary, "pkg:npm/a@1.0.0: matches pkg:npm/a");
}
