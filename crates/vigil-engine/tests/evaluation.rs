//! Policies, evaluation, waivers and the gate, end to end through the engine on a real SQLite
//! file: the reference policy set judges real scans of the project's own small fixtures.

use std::path::{Path, PathBuf};

use chrono::{Days, Utc};
use vigil_engine::{
    api::{Action, GateOutcome, NewWaiver, WaiverScopeKind},
    Engine, NoObserver, ScanTarget, Stage, Trigger,
};

struct Ws {
    dir: tempfile::TempDir,
    engine: Engine,
}

impl Ws {
    fn new() -> Ws {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(&dir.path().join("data")).unwrap();
        Ws { dir, engine }
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Imports OSV records given as JSON text.
    fn advisories(&self, records: &[&str]) {
        let folder = self.dir.path().join(format!("osv-{}", rand_suffix()));
        std::fs::create_dir_all(&folder).unwrap();
        for (i, record) in records.iter().enumerate() {
            std::fs::write(folder.join(format!("{i}.json")), record).unwrap();
        }
        self.engine
            .import_advisories(&[folder], &mut |_| {})
            .unwrap();
    }

    fn gate(&self, app: &str, stage: Stage, path: &Path) -> vigil_engine::api::EvaluationReport {
        self.engine
            .evaluate(
                &[path.to_path_buf()],
                ScanTarget {
                    application: app.into(),
                    stage,
                    version_label: None,
                    organization: Some("payments".into()),
                },
                &mut NoObserver,
            )
            .unwrap()
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

const CRITICAL: &str = r#"{"id":"PYSEC-T-CRIT","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2099-1001"],
 "summary":"SQL injection","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0"},{"fixed":"2.2.28"}]}]}]}"#;
const UNSCORED: &str = r#"{"id":"PYSEC-T-UNSCORED","modified":"2024-01-01T00:00:00Z",
 "summary":"Denial of service","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"versions":["2.8.1"]}]}"#;
const MEDIUM: &str = r#"{"id":"GHSA-t-med","modified":"2024-01-01T00:00:00Z",
 "summary":"Open redirect","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0"}]}]}]}"#;
const MALICIOUS: &str = r#"{"id":"MAL-2099-1","modified":"2024-01-01T00:00:00Z",
 "summary":"Malicious code in evil-pkg","affected":[{"package":{"ecosystem":"PyPI","name":"evil-pkg"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#;

const REQUIREMENTS: &str = "django==2.2.10\nrequests==2.8.1\nsix==1.16.0\n";

fn policies_of(
    report: &vigil_engine::api::EvaluationReport,
) -> Vec<(String, String, Option<Action>, bool)> {
    report
        .violations
        .iter()
        .map(|v| {
            (
                v.policy.clone(),
                v.purl.clone(),
                v.action,
                v.waiver.is_some(),
            )
        })
        .collect()
}

#[test]
fn the_reference_policy_set_is_installed_once() {
    let ws = Ws::new();
    let view = ws.engine.policies().unwrap();
    let names: Vec<&str> = view.policies.iter().map(|p| p.name.as_str()).collect();
    for expected in [
        "Security-Malicious",
        "Security-Critical",
        "Security-High",
        "Security-Medium",
        "Security-Low",
        "Security-Unscored",
        "License-Banned",
        "License-Copyleft",
        "License-None",
        "Component-Unknown",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(view.policies.iter().all(|p| p.reference && p.enabled));
    let critical = view
        .policies
        .iter()
        .find(|p| p.name == "Security-Critical")
        .unwrap();
    assert_eq!(critical.threat_level, 10);
    assert_eq!(critical.actions.at(Stage::Release), Action::Fail);
    assert_eq!(critical.actions.at(Stage::Build), Action::Warn);
    assert!(critical.monitoring);
    let groups = &view.license_groups.licenses;
    assert!(
        groups.len() > 400,
        "groups seeded from the SPDX list: {}",
        groups.len()
    );

    // Deleted by the user, it stays deleted when the workspace is opened again.
    ws.engine.delete_policy("Security-Low").unwrap();
    let again = Engine::open(&ws.dir.path().join("data")).unwrap();
    assert!(!again
        .policies()
        .unwrap()
        .policies
        .iter()
        .any(|p| p.name == "Security-Low"));
}

#[test]
fn the_gate_fails_at_release_warns_at_build_and_never_drops_an_unscored_advisory() {
    let ws = Ws::new();
    ws.advisories(&[CRITICAL, UNSCORED, MEDIUM, MALICIOUS]);
    let lock = ws.file("shop/requirements.txt", REQUIREMENTS);

    let release = ws.gate("shop", Stage::Release, &lock);
    assert_eq!(release.outcome, GateOutcome::Fail);
    let found = policies_of(&release);
    assert!(
        found.contains(&(
            "Security-Critical".into(),
            "pkg:pypi/django@2.2.10".into(),
            Some(Action::Fail),
            false
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "Security-Medium".into(),
            "pkg:pypi/django@2.2.10".into(),
            Some(Action::Warn),
            false
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "Security-Unscored".into(),
            "pkg:pypi/requests@2.8.1".into(),
            Some(Action::Warn),
            false
        )),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, purl, _, _)| purl.contains("six")),
        "six has no advisory and lockfiles declare no license: {found:?}"
    );
    // Worst first.
    assert_eq!(release.violations[0].threat_level, 10);
    let critical = release
        .violations
        .iter()
        .find(|v| v.policy == "Security-Critical")
        .unwrap();
    assert_eq!(
        critical.advisories.len(),
        1,
        "the medium one is another policy's"
    );
    assert_eq!(critical.advisories[0].id, "PYSEC-T-CRIT");
    assert_eq!(critical.advisories[0].fixed, ["2.2.28"]);
    let severity = critical.advisories[0].severity.as_ref().unwrap();
    assert_eq!(severity.score, Some(9.8));
    assert_eq!(
        severity.vector.as_deref(),
        Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        "the drawer shows the vector the score comes from"
    );
    let unscored = release
        .violations
        .iter()
        .find(|v| v.policy == "Security-Unscored")
        .unwrap();
    assert!(unscored.advisories[0]
        .severity
        .as_ref()
        .is_none_or(|s| s.vector.is_none()));
    assert!(!critical.conditions.is_empty());
    assert!(critical
        .conditions
        .iter()
        .all(|c| !c.summary.is_empty() && !c.reason.is_empty()));
    assert_eq!(critical.evidence, [lock.display().to_string()]);
    assert_eq!(release.counts.fail, 1);

    let build = ws.gate("shop", Stage::Build, &lock);
    assert_eq!(
        build.outcome,
        GateOutcome::Warn,
        "{:?}",
        policies_of(&build)
    );
    assert_eq!(build.counts.fail, 0);

    // The evaluation is stored with the scan, the stage and the advisory data it saw.
    let detail = ws.engine.application("shop").unwrap();
    assert_eq!(detail.violations.len(), build.violations.len());
    assert_eq!(detail.summary.organization.as_deref(), Some("payments"));

    // A malicious package is flagged at every stage, and fails a release.
    let evil = ws.file("evil/requirements.txt", "evil-pkg==1.0\n");
    let develop = ws.gate("evil", Stage::Develop, &evil);
    assert!(policies_of(&develop)
        .iter()
        .any(|(p, _, _, _)| p == "Security-Malicious"));
    let release = ws.gate("evil", Stage::Release, &evil);
    assert_eq!(release.outcome, GateOutcome::Fail);
}

#[test]
fn a_waived_violation_still_shows_but_neither_counts_nor_fails() {
    let ws = Ws::new();
    ws.advisories(&[CRITICAL, MEDIUM]);
    let lock = ws.file("shop/requirements.txt", "django==2.2.10\n");
    let now = Utc::now();
    let before = ws.gate("shop", Stage::Release, &lock);
    assert_eq!(before.outcome, GateOutcome::Fail);
    let open = ws.engine.applications().unwrap()[0].violations;
    assert_eq!(open, 2);

    let waiver = ws
        .engine
        .add_waiver(
            NewWaiver {
                scope: WaiverScopeKind::Application,
                scope_name: Some("SHOP".into()),
                component: "pkg:pypi/django@2.2.10".into(),
                all_versions: false,
                policy: Some("Security-Critical".into()),
                advisory: None,
                reason: "the ORM call is never reached".into(),
                expires: None,
            },
            now,
            "tester",
        )
        .unwrap();
    assert_eq!(
        waiver.scope_name.as_deref(),
        Some("shop"),
        "the application's own spelling"
    );
    assert_eq!(waiver.days_left, 90, "90 days by default");
    // Waiving re-evaluates at once.
    assert_eq!(ws.engine.applications().unwrap()[0].violations, 1);

    let after = ws.gate("shop", Stage::Release, &lock);
    assert_eq!(after.outcome, GateOutcome::Warn);
    assert_eq!(after.counts.waived, 1);
    let critical = after
        .violations
        .iter()
        .find(|v| v.policy == "Security-Critical")
        .unwrap();
    assert_eq!(
        critical.waiver.as_ref().unwrap().reason,
        "the ORM call is never reached"
    );

    // Another version of the package is not covered by an exact-version waiver...
    let newer = ws.file("shop2/requirements.txt", "django==2.2.11\n");
    assert_eq!(
        ws.gate("shop", Stage::Release, &newer).outcome,
        GateOutcome::Fail
    );
    // ...but is by one for all versions.
    ws.engine
        .add_waiver(
            NewWaiver {
                scope: WaiverScopeKind::Organization,
                scope_name: Some("payments".into()),
                component: "pkg:pypi/django".into(),
                all_versions: true,
                policy: None,
                advisory: Some("CVE-2099-1001".into()),
                reason: "accepted by the payments team".into(),
                expires: Some(
                    (now.date_naive() + Days::new(10))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
            },
            now,
            "tester",
        )
        .unwrap();
    let covered = ws.gate("shop", Stage::Release, &newer);
    assert_eq!(
        covered.outcome,
        GateOutcome::Warn,
        "{:?}",
        policies_of(&covered)
    );

    // Sorted by expiry: the 10-day one first.
    let waivers = ws.engine.waivers(now).unwrap();
    assert_eq!(
        waivers.iter().map(|w| w.days_left).collect::<Vec<_>>(),
        [10, 90]
    );

    // Removed, the violation is active again.
    for w in &waivers {
        ws.engine.remove_waiver(w.id).unwrap();
    }
    assert_eq!(
        ws.gate("shop", Stage::Release, &lock).outcome,
        GateOutcome::Fail
    );
    assert!(ws.engine.remove_waiver(waivers[0].id).is_err());
}

#[test]
fn bad_waivers_are_refused_with_the_reason() {
    let ws = Ws::new();
    let lock = ws.file("shop/requirements.txt", "django==2.2.10\n");
    ws.gate("shop", Stage::Build, &lock);
    let now = Utc::now();
    let attempt = |change: &dyn Fn(&mut NewWaiver)| {
        let mut new = NewWaiver {
            scope: WaiverScopeKind::Application,
            scope_name: Some("shop".into()),
            component: "pkg:pypi/django@2.2.10".into(),
            all_versions: false,
            policy: None,
            advisory: None,
            reason: "ok".into(),
            expires: None,
        };
        change(&mut new);
        ws.engine
            .add_waiver(new, now, "t")
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    assert!(attempt(&|w| w.reason = "  ".into()).contains("reason"));
    assert!(attempt(&|w| w.scope_name = Some("shopp".into())).contains("no application named"));
    assert!(attempt(&|w| w.component = "django".into()).contains("not a purl"));
    assert!(attempt(&|w| w.component = "pkg:pypi/django".into()).contains("no version"));
    assert!(attempt(&|w| w.expires = Some("2020-01-01".into())).contains("in the past"));
    assert!(attempt(&|w| w.expires = Some("next week".into())).contains("not a date"));
    assert!(attempt(&|w| w.policy = Some("Nope".into())).contains("no policy named"));
    assert!(ws.engine.waivers(now).unwrap().is_empty());
}

#[test]
fn an_expired_waiver_is_announced_by_monitoring_as_a_change() {
    let ws = Ws::new();
    ws.advisories(&[CRITICAL]);
    let lock = ws.file("shop/requirements.txt", "django==2.2.10\n");
    ws.gate("shop", Stage::Operate, &lock);
    let now = Utc::now();
    let tomorrow = now.date_naive() + Days::new(1);
    ws.engine
        .add_waiver(
            NewWaiver {
                scope: WaiverScopeKind::Everywhere,
                scope_name: None,
                component: "pkg:pypi/django@2.2.10".into(),
                all_versions: false,
                policy: None,
                advisory: None,
                reason: "patched in our fork".into(),
                expires: Some(tomorrow.format("%Y-%m-%d").to_string()),
            },
            now,
            "tester",
        )
        .unwrap();
    let first = ws.engine.run_monitoring(Trigger::Cli, now).unwrap();
    assert!(
        first.alerts.is_empty(),
        "waived: recorded, nobody told: {:?}",
        first.alerts
    );
    let still = ws
        .engine
        .run_monitoring(Trigger::Cli, now + Days::new(1))
        .unwrap();
    assert!(
        still.alerts.is_empty(),
        "the waiver holds through its last day"
    );
    let expired = ws
        .engine
        .run_monitoring(Trigger::Cli, now + Days::new(2))
        .unwrap();
    let kinds: Vec<_> = expired
        .alerts
        .iter()
        .map(|a| (a.kind, a.violation.policy.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [(vigil_engine::api::AlertKind::Changed, "Security-Critical")],
        "the waiver expired: the violation is active again"
    );
    assert_eq!(expired.alerts[0].changed, ["waiver expired"]);
    let again = ws
        .engine
        .run_monitoring(Trigger::Cli, now + Days::new(3))
        .unwrap();
    assert!(again.alerts.is_empty(), "and it is not announced twice");
}

#[test]
fn policies_as_code_round_trip_and_a_bad_file_changes_nothing() {
    let ws = Ws::new();
    let exported = ws.engine.export_policies().unwrap();
    let same = ws
        .engine
        .import_policies(&exported, "policies.yaml")
        .unwrap();
    assert!(same.added.is_empty() && same.changed.is_empty() && same.removed.is_empty());
    assert_eq!(same.unchanged, 10);
    assert_eq!(
        ws.engine.export_policies().unwrap(),
        exported,
        "export is deterministic"
    );

    // Break one threat level: the error names the file and the line; nothing changes.
    let (line_no, _) = exported
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("threat_level:"))
        .nth(2)
        .unwrap();
    let broken: String = exported
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line_no {
                format!("{}threat_level: 11", &l[..l.len() - l.trim_start().len()])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let error = ws
        .engine
        .import_policies(&broken, "policies.yaml")
        .unwrap_err()
        .to_string();
    assert!(error.contains("policies.yaml"), "{error}");
    assert!(
        error.contains(&format!("line {}", line_no + 1)),
        "line {} in {error}",
        line_no + 1
    );
    assert_eq!(ws.engine.export_policies().unwrap(), exported);

    // A file with one policy replaces the set.
    let one = "version: 1\npolicies:\n  - name: Ban-Event-Stream\n    threat_level: 10\n    actions: {build: fail, release: fail}\n    constraints:\n      - name: banned version\n        conditions:\n          - purl: [{purl: \"pkg:npm/event-stream@3.3.6\"}]\n";
    let report = ws.engine.import_policies(one, "ban.yaml").unwrap();
    assert_eq!(report.added, ["Ban-Event-Stream"]);
    assert_eq!(report.removed.len(), 10);
    let lock = ws.file(
        "web/package-lock.json",
        r#"{"lockfileVersion":3,"packages":{"node_modules/event-stream":{"version":"3.3.6"},"node_modules/lodash":{"version":"4.17.21"}}}"#,
    );
    let report = ws.gate("web", Stage::Build, &lock);
    assert_eq!(
        policies_of(&report),
        [(
            "Ban-Event-Stream".into(),
            "pkg:npm/event-stream@3.3.6".into(),
            Some(Action::Fail),
            false
        )]
    );
    assert_eq!(report.outcome, GateOutcome::Fail);
}

#[test]
fn license_policies_follow_spdx_expression_semantics() {
    let ws = Ws::new();
    let sbom = ws.file(
        "bom.json",
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
  {"type":"library","name":"agpl-lib","version":"1.0","purl":"pkg:npm/agpl-lib@1.0","licenses":[{"license":{"id":"AGPL-3.0-only"}}]},
  {"type":"library","name":"either","version":"1.0","purl":"pkg:npm/either@1.0","licenses":[{"expression":"MIT OR GPL-3.0-only"}]},
  {"type":"library","name":"both","version":"1.0","purl":"pkg:npm/both@1.0","licenses":[{"expression":"MIT AND GPL-3.0-only"}]},
  {"type":"library","name":"mit","version":"1.0","purl":"pkg:npm/mit@1.0","licenses":[{"license":{"id":"MIT"}}]},
  {"type":"library","name":"none","version":"1.0","purl":"pkg:npm/none@1.0"},
  {"type":"library","name":"firmware","licenses":[{"license":{"id":"MIT"}}]}
]}"#,
    );
    let report = ws.gate("app", Stage::Release, &sbom);
    let mut found: Vec<(String, String)> = report
        .violations
        .iter()
        .map(|v| (v.policy.clone(), v.purl.clone()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("Component-Unknown".to_string(), "firmware".to_string()),
            ("License-Banned".into(), "pkg:npm/agpl-lib@1.0".into()),
            ("License-Copyleft".into(), "pkg:npm/both@1.0".into()),
            ("License-None".into(), "pkg:npm/none@1.0".into()),
        ]
    );
    let banned = report
        .violations
        .iter()
        .find(|v| v.policy == "License-Banned")
        .unwrap();
    assert_eq!(banned.license.as_deref(), Some("AGPL-3.0-only"));
    assert_eq!(report.outcome, GateOutcome::Fail);
}

#[test]
fn vex_statements_become_waivers_and_waivers_export_as_openvex() {
    let ws = Ws::new();
    ws.advisories(&[CRITICAL]);
    let lock = ws.file("shop/requirements.txt", "django==2.2.10\n");
    assert_eq!(
        ws.gate("shop", Stage::Release, &lock).outcome,
        GateOutcome::Fail
    );
    let vex = ws.file(
        "shop.openvex.json",
        r#"{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example.com/vex/1","author":"sec","timestamp":"2026-01-01T00:00:00Z","version":1,
 "statements":[
  {"vulnerability":{"name":"CVE-2099-1001"},"products":[{"@id":"pkg:pypi/django@2.2.10"}],"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"},
  {"vulnerability":{"name":"CVE-2099-2222"},"products":[{"@id":"pkg:pypi/django@2.2.10"}],"status":"affected"}
 ]}"#,
    );
    let now = Utc::now();
    let report = ws.engine.import_vex(&vex, now, "tester").unwrap();
    assert_eq!(
        (report.format.as_str(), report.statements, report.imported),
        ("openvex", 2, 1)
    );
    assert_eq!(
        report.skipped.len(),
        1,
        "the affected statement is no acceptance"
    );
    let after = ws.gate("shop", Stage::Release, &lock);
    assert_eq!(
        after.outcome,
        GateOutcome::Pass,
        "{:?}",
        policies_of(&after)
    );
    assert_eq!(after.counts.waived, 1);

    let exported: serde_json::Value =
        serde_json::from_str(&ws.engine.export_vex(now).unwrap()).unwrap();
    let statements = exported["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["status"], "not_affected");
    assert_eq!(statements[0]["vulnerability"]["name"], "CVE-2099-1001");
}

#[test]
fn a_disabled_or_out_of_scope_policy_is_not_evaluated() {
    let ws = Ws::new();
    ws.advisories(&[CRITICAL]);
    let lock = ws.file("shop/requirements.txt", "django==2.2.10\n");
    assert_eq!(
        ws.gate("shop", Stage::Release, &lock).outcome,
        GateOutcome::Fail
    );
    ws.engine
        .set_policy_enabled("Security-Critical", false)
        .unwrap();
    assert_eq!(
        ws.gate("shop", Stage::Release, &lock).outcome,
        GateOutcome::Pass
    );
    ws.engine
        .set_policy_enabled("Security-Critical", true)
        .unwrap();
    let mut policy = ws
        .engine
        .policies()
        .unwrap()
        .policies
        .into_iter()
        .find(|p| p.name == "Security-Critical")
        .unwrap();
    policy.scope = vigil_engine::api::PolicyScope::Organization("retail".into());
    ws.engine
        .save_policy(Some("Security-Critical"), policy.clone())
        .unwrap();
    assert_eq!(
        ws.gate("shop", Stage::Release, &lock).outcome,
        GateOutcome::Pass,
        "shop is in payments"
    );
    policy.scope = vigil_engine::api::PolicyScope::Organization("payments".into());
    policy.threat_level = 42;
    let error = ws
        .engine
        .save_policy(Some("Security-Critical"), policy)
        .unwrap_err()
        .to_string();
    assert!(error.contains("threat"), "{error}");
}
