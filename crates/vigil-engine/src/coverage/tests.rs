use super::*;
use crate::api::{ApplicationUpdate, CoverageEffect, CoverageRule, RuleCombine};

pub(crate) fn row(name: &str) -> ApplicationRow {
    ApplicationRow {
        id: 1,
        name: name.into(),
        monitored: true,
        monitored_stage: "build".into(),
        created_at: String::new(),
        organization: None,
        categories: Vec::new(),
        last_scan_id: None,
        last_scan_at: None,
        components: 0,
        violations: 0,
        public_id: name.into(),
        tier: "medium".into(),
        exposure: "internal".into(),
        hosting: "hosted".into(),
        users: None,
        status: "active".into(),
        watch: "latest".into(),
        watch_labels: Vec::new(),
        alert_on_baseline: false,
        baseline_run: None,
        monitored_evaluations: Vec::new(),
    }
}

#[test]
fn the_default_rules_read_as_sentences() {
    let sentences: Vec<String> = rules::defaults().iter().map(rules::sentence).collect();
    assert_eq!(
        sentences,
        [
            "exposure is external or users ≥ 1000 ⇒ must be monitored",
            "status is retired ⇒ leaves monitoring"
        ]
    );
}

#[test]
fn rules_combine_conditions_with_any_or_all() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("v.db")).unwrap();
    let portfolio = Portfolio::load(&store).unwrap();
    let mut rule = CoverageRule {
        combine: RuleCombine::All,
        conditions: vec![
            rules::parse_condition("tier=critical").unwrap(),
            rules::parse_condition("users >= 500").unwrap(),
        ],
        effect: CoverageEffect::MustMonitor,
    };
    let mut app = row("x");
    app.tier = "critical".into();
    app.users = Some(499);
    assert!(!rules::matches(&rule, &app, &portfolio));
    app.users = Some(500);
    assert!(rules::matches(&rule, &app, &portfolio));
    app.tier = "low".into();
    assert!(!rules::matches(&rule, &app, &portfolio));
    rule.combine = RuleCombine::Any;
    assert!(rules::matches(&rule, &app, &portfolio));
    assert_eq!(
        rules::sentence(&rule),
        "tier is critical or users ≥ 500 ⇒ must be monitored"
    );
    assert!(rules::parse_condition("colour=red").is_err());
    assert!(rules::parse_condition("users>=many").is_err());
}

#[test]
fn bad_rules_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    let good = CoverageRule {
        combine: RuleCombine::Any,
        conditions: vec![rules::parse_condition("hosting=distributed").unwrap()],
        effect: CoverageEffect::MustMonitor,
    };
    let bad = CoverageRule {
        combine: RuleCombine::Any,
        conditions: vec![rules::parse_condition("tier=urgent").unwrap()],
        effect: CoverageEffect::MustMonitor,
    };
    let message = engine
        .set_coverage_rules(Some(&[good.clone(), bad]))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("coverage rule 2: tier \"urgent\""),
        "{message}"
    );
    assert_eq!(
        engine.coverage_rules().unwrap().len(),
        2,
        "the defaults are still in force"
    );
    let set = engine.set_coverage_rules(Some(&[good])).unwrap();
    assert_eq!(
        set[0].sentence,
        "hosting is distributed ⇒ must be monitored"
    );
    assert_eq!(engine.set_coverage_rules(None).unwrap().len(), 2);
}

#[test]
fn coverage_lists_the_unmonitored_the_never_scanned_and_the_stale() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    let lockfile = dir.path().join("requirements.txt");
    std::fs::write(&lockfile, "requests==2.8.1\n").unwrap();
    engine
        .scan(
            &[lockfile],
            Some(crate::ScanTarget {
                application: "scanned".into(),
                stage: vigil_model::Stage::Build,
                version_label: None,
                organization: None,
            }),
        )
        .unwrap();
    engine
        .update_application(
            "public",
            &ApplicationUpdate {
                exposure: Some("external".into()),
                monitor: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    engine
        .update_application("fresh", &ApplicationUpdate::default())
        .unwrap();
    engine
        .update_application(
            "old",
            &ApplicationUpdate {
                status: Some("retired".into()),
                users: Some(5000),
                ..Default::default()
            },
        )
        .unwrap();

    let now = chrono::Utc::now();
    let report = engine.coverage(now).unwrap();
    let gaps: Vec<(&str, &str)> = report
        .gaps
        .iter()
        .map(|g| {
            let kind = match &g.gap {
                api::CoverageGapKind::NotMonitored { .. } => "not_monitored",
                api::CoverageGapKind::NeverScanned { .. } => "never_scanned",
                api::CoverageGapKind::Stale { .. } => "stale",
            };
            (g.application.as_str(), kind)
        })
        .collect();
    assert_eq!(
        gaps,
        [
            ("fresh", "never_scanned"),
            ("old", "not_monitored"),
            ("public", "not_monitored")
        ]
    );
    assert_eq!(
        (
            report.applications,
            report.monitored,
            report.must_be_monitored
        ),
        (4, 2, 2)
    );
    let public = report
        .gaps
        .iter()
        .find(|g| g.application == "public")
        .unwrap();
    assert_eq!(
        public.message,
        "external: must be monitored (rule exposure is external or users ≥ 1000 ⇒ must be monitored), is not"
    );
    let old = report.gaps.iter().find(|g| g.application == "old").unwrap();
    assert!(
        old.message
            .contains("(coverage rule: status is retired ⇒ leaves monitoring)"),
        "{}",
        old.message
    );

    let later = engine.coverage(now + chrono::TimeDelta::days(45)).unwrap();
    let stale = later
        .gaps
        .iter()
        .find(|g| g.application == "scanned")
        .unwrap();
    assert!(
        matches!(stale.gap, api::CoverageGapKind::Stale { days: 45, .. }),
        "{stale:?}"
    );
    assert_eq!(
        stale.message,
        "latest scan at build is 45 days old (limit 30)"
    );
}
