use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use vigil_engine::api::{
    ConditionDto, DataFreshness, GateOutcome, SeverityDto, ViolationCounts, WaiverMarkDto, Warning,
};

use super::*;

fn advisory_ref(id: &str, score: Option<f64>, rating: &str, fixed: &[&str]) -> AdvisoryRef {
    AdvisoryRef {
        id: id.into(),
        aliases: Vec::new(),
        summary: String::new(),
        severity: Some(SeverityDto {
            score,
            rating: rating.into(),
            vector: None,
        }),
        kev: false,
        epss: None,
        fixed: fixed.iter().map(|f| f.to_string()).collect(),
    }
}

fn violation(
    policy: &str,
    threat_level: u8,
    purl: &str,
    condition_key: &str,
    action: Option<Action>,
) -> ViolationDto {
    ViolationDto {
        policy: policy.into(),
        threat_level,
        purl: purl.into(),
        condition_key: condition_key.into(),
        advisories: Vec::new(),
        license: None,
        conditions: Vec::new(),
        summary: format!("{policy} matched"),
        waiver: None,
        action,
        evidence: Vec::new(),
    }
}

fn report(violations: Vec<ViolationDto>) -> EvaluationReport {
    EvaluationReport {
        application: "shop".into(),
        stage: "release".into(),
        scan_id: 7,
        evaluated_at: "2026-11-26T12:00:00Z".into(),
        components: 120,
        unidentified: 1,
        outcome: GateOutcome::Fail,
        counts: ViolationCounts {
            fail: 1,
            warn: 0,
            none: 0,
            waived: 1,
        },
        violations,
        warnings: Vec::new(),
        advisory_data: DataFreshness {
            ecosystems: Vec::new(),
            max_age_hours: 48,
        },
    }
}

/// A critical log4j violation that fails, and a waived lodash one that would warn.
fn log4j_and_lodash() -> EvaluationReport {
    let mut log4j = violation(
        "Security-Critical",
        10,
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        "CVSS >= 9",
        Some(Action::Fail),
    );
    log4j.summary = "Security vulnerability with CVSS 10.0 (CVE-2021-44228)".into();
    let mut cve = advisory_ref(
        "GHSA-jfh8-c2jp-5v3q",
        Some(10.0),
        "CRITICAL",
        &["2.15.0", "2.12.2"],
    );
    cve.aliases = vec!["CVE-2021-44228".into()];
    cve.kev = true;
    cve.epss = Some(0.97453);
    log4j.advisories = vec![cve];
    log4j.conditions = vec![ConditionDto {
        summary: "Security Vulnerability Severity >= 9".into(),
        reason: "Found security vulnerability GHSA-jfh8-c2jp-5v3q with severity 10.0".into(),
    }];
    log4j.evidence = vec![
        "target/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar".into(),
        "target/other.war!/WEB-INF/lib/log4j-core-2.14.1.jar".into(),
    ];
    let mut lodash = violation(
        "Security-High",
        9,
        "pkg:npm/lodash@4.17.20",
        "CVSS 7 to 9",
        Some(Action::Warn),
    );
    lodash.summary = "Security vulnerability with CVSS 7.2 (CVE-2021-23337)".into();
    lodash.advisories = vec![advisory_ref("CVE-2021-23337", Some(7.2), "HIGH", &[])];
    lodash.waiver = Some(WaiverMarkDto {
        id: 4,
        reason: "template() is never called".into(),
        expires: "2027-02-24".into(),
    });
    report(vec![log4j, lodash])
}

#[test]
fn a_report_becomes_one_run_with_a_rule_per_policy_and_a_result_per_violation() {
    let log = sarif(
        &log4j_and_lodash(),
        "0.1.0",
        &["./build/shop dist".to_string()],
    );
    let repository = env!("CARGO_PKG_REPOSITORY");
    let mut driver = json!({"name": "Vigil"});
    if !repository.is_empty() {
        driver["informationUri"] = json!(repository);
    }
    driver["version"] = json!("0.1.0");
    driver["semanticVersion"] = json!("0.1.0");
    driver["rules"] = json!([
        {
            "id": "security-critical",
            "name": "Security-Critical",
            "shortDescription": {"text": "Security-Critical (threat level 10)"},
            "fullDescription": {"text": "Vigil policy Security-Critical: violated by a component when Security Vulnerability Severity >= 9."},
            "help": {"text": "A component matched the policy Security-Critical. Upgrade it to a version that does not match, remove it, or accept the risk with `vigil waivers add`."},
            "properties": {"security-severity": "10.0", "tags": ["security"]}
        },
        {
            "id": "security-high",
            "name": "Security-High",
            "shortDescription": {"text": "Security-High (threat level 9)"},
            "fullDescription": {"text": "Vigil policy Security-High."},
            "help": {"text": "A component matched the policy Security-High. Upgrade it to a version that does not match, remove it, or accept the risk with `vigil waivers add`."},
            "properties": {"security-severity": "9.0", "tags": ["security"]}
        }
    ]);
    let expected = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "automationDetails": {"id": "vigil/shop/release/"},
            "invocations": [{"executionSuccessful": true, "endTimeUtc": "2026-11-26T12:00:00Z"}],
            "results": [
                {
                    "ruleId": "security-critical",
                    "ruleIndex": 0,
                    "level": "error",
                    "message": {"text": "Security vulnerability with CVSS 10.0 (CVE-2021-44228)\nComponent: pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\nAdvisories: GHSA-jfh8-c2jp-5v3q aka CVE-2021-44228 (CVSS 10.0 CRITICAL, KEV, EPSS 0.97, fixed in 2.15.0, 2.12.2)\nFound in: target/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar (and 1 more)"},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": "target/app.war"},
                            "region": {"startLine": 1}
                        },
                        "logicalLocations": [{
                            "name": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                            "fullyQualifiedName": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                            "kind": "module"
                        }]
                    }],
                    "partialFingerprints": {
                        "vigil/v1": "4524584823979d104da4a13c6e43b662951721fda05980c57b0f0a9fa1c44445",
                        "primaryLocationLineHash": "4524584823979d10:1"
                    },
                    "properties": {
                        "policy": "Security-Critical",
                        "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        "conditionKey": "CVSS >= 9",
                        "threatLevel": 10,
                        "action": "fail",
                        "advisories": [{
                            "id": "GHSA-jfh8-c2jp-5v3q",
                            "aliases": ["CVE-2021-44228"],
                            "score": 10.0,
                            "rating": "CRITICAL",
                            "kev": true,
                            "epss": 0.97453,
                            "fixed": ["2.15.0", "2.12.2"]
                        }],
                        "evidence": [
                            "target/app.war!/WEB-INF/lib/log4j-core-2.14.1.jar",
                            "target/other.war!/WEB-INF/lib/log4j-core-2.14.1.jar"
                        ]
                    }
                },
                {
                    "ruleId": "security-high",
                    "ruleIndex": 1,
                    "level": "warning",
                    "message": {"text": "Security vulnerability with CVSS 7.2 (CVE-2021-23337)\nComponent: pkg:npm/lodash@4.17.20\nAdvisories: CVE-2021-23337 (CVSS 7.2 HIGH, no fix known)"},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": "build/shop%20dist"},
                            "region": {"startLine": 1}
                        },
                        "logicalLocations": [{
                            "name": "pkg:npm/lodash@4.17.20",
                            "fullyQualifiedName": "pkg:npm/lodash@4.17.20",
                            "kind": "module"
                        }]
                    }],
                    "partialFingerprints": {
                        "vigil/v1": "a7875d5b0702d29e0afb66db4eebf482cd3467ae5a27795ca12e4c835c6a6fc5",
                        "primaryLocationLineHash": "a7875d5b0702d29e:1"
                    },
                    "suppressions": [{
                        "kind": "external",
                        "status": "accepted",
                        "justification": "template() is never called",
                        "properties": {"waiverId": 4, "expires": "2027-02-24"}
                    }],
                    "properties": {
                        "policy": "Security-High",
                        "purl": "pkg:npm/lodash@4.17.20",
                        "conditionKey": "CVSS 7 to 9",
                        "threatLevel": 9,
                        "action": "warn",
                        "advisories": [{
                            "id": "CVE-2021-23337",
                            "aliases": [],
                            "score": 7.2,
                            "rating": "HIGH",
                            "kev": false,
                            "epss": null,
                            "fixed": []
                        }]
                    }
                }
            ],
            "properties": {
                "application": "shop",
                "stage": "release",
                "scanId": 7,
                "outcome": "fail",
                "counts": {"fail": 1, "warn": 0, "none": 0, "waived": 1},
                "components": 120,
                "unidentified": 1
            }
        }]
    });
    assert_eq!(log, expected);
    // Deterministic to the byte.
    let again = sarif(
        &log4j_and_lodash(),
        "0.1.0",
        &["./build/shop dist".to_string()],
    );
    assert_eq!(
        serde_json::to_string_pretty(&log).unwrap(),
        serde_json::to_string_pretty(&again).unwrap()
    );
}

#[test]
fn levels_follow_the_action_at_the_stage() {
    let cases = [
        (Some(Action::Fail), "error"),
        (Some(Action::Warn), "warning"),
        (Some(Action::None), "note"),
        (None, "note"),
    ];
    for (action, level) in cases {
        let log = sarif(
            &report(vec![violation("P", 5, "pkg:npm/a@1", "k", action)]),
            "0.1.0",
            &["a".into()],
        );
        assert_eq!(log["runs"][0]["results"][0]["level"], level, "{action:?}");
        assert!(log["runs"][0]["results"][0].get("suppressions").is_none());
    }
}

#[test]
fn rules_are_sorted_by_policy_with_tags_by_kind_and_distinct_ids() {
    let mut license = violation(
        "Copyleft licences",
        7,
        "pkg:npm/gpl-thing@1.0.0",
        "copyleft",
        Some(Action::Warn),
    );
    license.license = Some("GPL-3.0-only".into());
    license.conditions = vec![ConditionDto {
        summary: "License is in the Copyleft group".into(),
        reason: "Found license GPL-3.0-only (Copyleft)".into(),
    }];
    let mut unknown = violation(
        "Component-Unknown",
        2,
        "left-pad@1.0.0",
        "no purl",
        Some(Action::None),
    );
    unknown.conditions = vec![
        ConditionDto {
            summary: "Component has no purl".into(),
            reason: "left-pad@1.0.0 has no package URL".into(),
        },
        ConditionDto {
            summary: "Component identity is unknown".into(),
            reason: "".into(),
        },
    ];
    let violations = vec![
        license,
        violation(
            "Security-Malicious",
            10,
            "pkg:npm/evil@1",
            "MAL",
            Some(Action::Fail),
        ),
        unknown,
        // Two names with one slug.
        violation(
            "copyleft-licences",
            6,
            "pkg:npm/x@1",
            "k",
            Some(Action::Warn),
        ),
    ];
    let log = sarif(&report(violations), "1.2.3-beta.1", &[]);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str, &str)> = rules
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["name"].as_str().unwrap(),
                r["properties"]["tags"][0].as_str().unwrap(),
                r["properties"]["security-severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("component-unknown", "Component-Unknown", "component", "2.0"),
            ("copyleft-licences", "Copyleft licences", "license", "7.0"),
            (
                "security-malicious",
                "Security-Malicious",
                "security",
                "10.0"
            ),
            // The slug of a later name that collides is told apart by a hash of the name.
            (
                &*format!("copyleft-licences-{}", &hash(&["copyleft-licences"])[..8]),
                "copyleft-licences",
                "component",
                "6.0"
            ),
        ]
    );
    assert_eq!(
        rules[0]["fullDescription"]["text"],
        "Vigil policy Component-Unknown: violated by a component when Component has no purl; \
         or Component identity is unknown."
    );
    // Results point at their rule by id and index, in report order.
    let results = run["results"].as_array().unwrap();
    let pointers: Vec<(&str, u64)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["ruleIndex"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(pointers[0], ("copyleft-licences", 1));
    assert_eq!(pointers[1], ("security-malicious", 2));
    assert_eq!(pointers[2], ("component-unknown", 0));
    assert_eq!(pointers[3].1, 3);
    assert_eq!(pointers[3].0, rules[3]["id"]);
    // Without advisories or a license, the message gives the conditions' reasons.
    assert_eq!(
        results[2]["message"]["text"],
        "Component-Unknown matched\nComponent: left-pad@1.0.0\nleft-pad@1.0.0 has no package URL"
    );
    assert_eq!(
        results[0]["message"]["text"],
        "Copyleft licences matched\nComponent: pkg:npm/gpl-thing@1.0.0\nLicense: GPL-3.0-only"
    );
    // No artifact and no evidence: still a location.
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "."
    );
    // A pre-release is a semantic version; "1.2" is given, but not as semanticVersion.
    assert_eq!(run["tool"]["driver"]["semanticVersion"], "1.2.3-beta.1");
    let log = sarif(&report(Vec::new()), "1.2", &[]);
    assert_eq!(log["runs"][0]["tool"]["driver"]["version"], "1.2");
    assert!(log["runs"][0]["tool"]["driver"]
        .get("semanticVersion")
        .is_none());
    assert_eq!(log["runs"][0]["results"], json!([]));
    assert_eq!(log["runs"][0]["tool"]["driver"]["rules"], json!([]));
}

#[test]
fn fingerprints_follow_the_violation_identity_only() {
    let base = violation(
        "Security-High",
        9,
        "pkg:npm/lodash@4.17.20",
        "CVSS 7 to 9",
        Some(Action::Warn),
    );
    let fingerprint = |report: &EvaluationReport| {
        sarif(report, "0.1.0", &["a".into()])["runs"][0]["results"][0]["partialFingerprints"]
            ["vigil/v1"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = fingerprint(&report(vec![base.clone()]));
    assert_eq!(
        first,
        "a7875d5b0702d29e0afb66db4eebf482cd3467ae5a27795ca12e4c835c6a6fc5"
    );

    // Another stage, time, action, summary or place: the same violation.
    let mut moved = base.clone();
    moved.action = Some(Action::Fail);
    moved.summary = "changed".into();
    moved.evidence = vec!["elsewhere.jar".into()];
    let mut later = report(vec![moved]);
    later.stage = "operate".into();
    later.evaluated_at = "2027-01-01T00:00:00Z".into();
    assert_eq!(fingerprint(&later), first);

    // Another application, policy, component or constraint: another violation.
    let mut other_app = report(vec![base.clone()]);
    other_app.application = "shop2".into();
    let mut other_policy = base.clone();
    other_policy.policy = "Security-Hig".into();
    let mut other_purl = base.clone();
    other_purl.purl = "pkg:npm/lodash@4.17.21".into();
    let mut other_key = base.clone();
    other_key.condition_key = "CVSS 7 to 9 ".into();
    let others = [
        fingerprint(&other_app),
        fingerprint(&report(vec![other_policy])),
        fingerprint(&report(vec![other_purl])),
        fingerprint(&report(vec![other_key])),
    ];
    for other in &others {
        assert_ne!(*other, first);
    }
    // Parts are separated: ("ab", "c") is not ("a", "bc").
    assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
    assert_eq!(
        hash(&["a", "b"]),
        "8fb20ef63ced4145fc2e983ffe597d1dcff39154c3bf21f0fa9dde6a0c50fdc9"
    );
}

#[test]
fn warnings_become_tool_notifications_and_odd_names_stay_in_their_segment() {
    let mut report = report(Vec::new());
    report.application = "team/shop".into();
    report.evaluated_at = "2026-11-26T13:00:00+01:00".into();
    report.warnings = vec![Warning {
        path: "app.war!/broken.jar".into(),
        message: "not a zip archive".into(),
    }];
    let log = sarif(&report, "0.1.0", &[]);
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "vigil/team-shop/release/");
    assert_eq!(
        run["invocations"],
        json!([{
            "executionSuccessful": true,
            "endTimeUtc": "2026-11-26T12:00:00Z",
            "toolExecutionNotifications": [{
                "level": "warning",
                "message": {"text": "app.war!/broken.jar: not a zip archive"}
            }]
        }])
    );
    report.evaluated_at = "yesterday".into();
    let log = sarif(&report, "0.1.0", &[]);
    assert!(log["runs"][0]["invocations"][0].get("endTimeUtc").is_none());
}

#[test]
fn paths_become_uri_references() {
    let cases = [
        ("target/app.war", "target/app.war"),
        ("./package-lock.json", "package-lock.json"),
        ("././a//b", "a//b"),
        ("build/shop dist/x#1.jar", "build/shop%20dist/x%231.jar"),
        ("dir\\sub\\file.jar", "dir/sub/file.jar"),
        ("C:\\work\\app.war", "file:///C:/work/app.war"),
        ("/home/ci/app.war", "file:///home/ci/app.war"),
        ("a:b/c", "a%3Ab/c"),
        ("100%.jar", "100%25.jar"),
        ("héllo.jar", "h%C3%A9llo.jar"),
        ("", "."),
        ("./", "."),
    ];
    for (path, uri) in cases {
        assert_eq!(uri_reference(path), uri, "for {path:?}");
    }
}

#[test]
fn slugs_and_clipped_descriptions() {
    assert_eq!(slug("Security-Critical"), "security-critical");
    assert_eq!(slug("License: Banned (strict)"), "license-banned-strict");
    assert_eq!(slug("  --  "), "policy");
    assert_eq!(slug("Émoji ✓ policy"), "émoji-policy");
    let long = "x".repeat(2000);
    let clipped = clip(&long);
    assert_eq!(clipped.chars().count(), MAX_DESCRIPTION);
    assert!(clipped.ends_with('…'));
    let exact = "y".repeat(MAX_DESCRIPTION);
    assert_eq!(clip(&exact), exact);
}

/// What GitHub code scanning requires of an upload (its "SARIF support for code scanning"
/// reference): SARIF 2.1.0 with one or more runs; a driver name and rules whose ids results
/// name; every result with a message text and at least one location with an artifact URI and a
/// start line of 1 or more; `security-severity` a number from 0 to 10 in a string; at most 20
/// tags; descriptions of at most 1024 characters; a category ending in a slash.
#[test]
fn the_log_has_what_github_code_scanning_requires() {
    let mut report = log4j_and_lodash();
    report
        .violations
        .push(violation("License-None", 5, "pkg:npm/x@1", "none", None));
    let log = sarif(&report, "0.1.0", &["dist/app".into()]);
    check_github_requirements(&log);
}

fn check_github_requirements(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], SCHEMA);
    let runs = log["runs"].as_array().expect("runs");
    assert!(!runs.is_empty());
    for run in runs {
        let driver = &run["tool"]["driver"];
        assert!(!driver["name"].as_str().unwrap().is_empty());
        let rules = driver["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        for rule in rules {
            for description in ["shortDescription", "fullDescription"] {
                let text = rule[description]["text"].as_str().unwrap();
                assert!(!text.is_empty() && text.chars().count() <= 1024);
            }
            let severity: f64 = rule["properties"]["security-severity"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((0.0..=10.0).contains(&severity));
            let tags = rule["properties"]["tags"].as_array().unwrap();
            assert!(!tags.is_empty() && tags.len() <= 20);
        }
        let category = run["automationDetails"]["id"].as_str().unwrap();
        assert!(category.ends_with('/'));
        for result in run["results"].as_array().unwrap() {
            let rule_id = result["ruleId"].as_str().unwrap();
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(ids[index], rule_id);
            assert!(
                ["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap())
            );
            assert!(!result["message"]["text"].as_str().unwrap().is_empty());
            let location = &result["locations"][0]["physicalLocation"];
            assert!(!location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .is_empty());
            assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
            let fingerprints = result["partialFingerprints"].as_object().unwrap();
            assert!(fingerprints.values().all(|v| v.is_string()));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The official schema

/// The SARIF 2.1.0 schema (rtm.5, the one schemastore serves as sarif-2.1.0) as
/// `@microsoft/jest-sarif` ships it, fetched with npm into `target/test-cache` on first use.
const SCHEMA_PACKAGE: &str = "@microsoft/jest-sarif@1.0.0-beta.0";
const SCHEMA_IN_PACKAGE: &str = "package/lib/schemas/sarif-2.1.0-rtm.5.json";
const SCHEMA_SHA256: &str = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8";

fn official_schema() -> Result<Value, String> {
    // The test binary is target/<profile>/deps/<name>.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let target = exe
        .ancestors()
        .nth(3)
        .ok_or("the test binary is not under a target directory")?;
    let cache = target.join("test-cache");
    let file = cache.join("sarif-schema-2.1.0-rtm.5.json");
    if !file.exists() {
        fetch_schema(&cache, &file)?;
    }
    let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if digest != SCHEMA_SHA256 {
        return Err(format!("{} has SHA-256 {digest}", file.display()));
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", file.display()))
}

fn fetch_schema(cache: &Path, file: &Path) -> Result<(), String> {
    std::fs::create_dir_all(cache).map_err(|e| e.to_string())?;
    let work = tempfile::tempdir_in(cache).map_err(|e| e.to_string())?;
    run(Command::new("npm")
        .args(["pack", "--silent", SCHEMA_PACKAGE])
        .current_dir(work.path()))?;
    let tarball: PathBuf = std::fs::read_dir(work.path())
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or("npm pack wrote no tarball")?;
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg(SCHEMA_IN_PACKAGE)
        .current_dir(work.path()))?;
    std::fs::rename(work.path().join(SCHEMA_IN_PACKAGE), file).map_err(|e| e.to_string())
}

/// Runs a command to its end, or kills it after two minutes.
fn run(command: &mut Command) -> Result<(), String> {
    let name = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{name}: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match child.try_wait().map_err(|e| format!("{name}: {e}"))? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => return Err(format!("{name}: {status}")),
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{name}: no answer in two minutes"));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

#[test]
fn the_log_validates_against_the_official_sarif_schema() {
    let mut schema = match official_schema() {
        Ok(schema) => schema,
        Err(why) => {
            eprintln!("SKIPPED: the SARIF 2.1.0 schema could not be had: {why}");
            return;
        }
    };
    // rtm.5's pattern for `language` (of a run and of a tool component) has a stray `]`,
    // which the check of the schema's own regexes refuses; the errata's pattern replaces it
    // (Vigil writes no `language`).
    for definition in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(*language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let mut with_warnings = log4j_and_lodash();
    with_warnings.warnings = vec![Warning {
        path: "x".into(),
        message: "y".into(),
    }];
    with_warnings
        .violations
        .push(violation("License-None", 5, "pkg:npm/x@1", "none", None));
    let logs = [
        sarif(&log4j_and_lodash(), "0.1.0", &["dist/app".into()]),
        sarif(&with_warnings, "0.1.0-dev", &[]),
        sarif(&report(Vec::new()), "0.1.0", &[]),
    ];
    for log in &logs {
        let errors: Vec<String> = validator
            .iter_errors(log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The validator does reject what the schema forbids.
    let mut bad = logs[0].clone();
    bad["runs"][0]["results"][0]["level"] = json!("fatal");
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    assert_eq!(validator.iter_errors(&bad).count(), 2);
}
