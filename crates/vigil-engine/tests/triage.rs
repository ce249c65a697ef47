//! Triage across the portfolio on a real SQLite file: the bounded, filtered list of every
//! open violation; acknowledgements that monitoring clears on a change or a resolution; bulk
//! waiving all or nothing; a violation's history with the deliveries that carried its alerts.

use std::path::PathBuf;

use chrono::{Duration, Utc};
use vigil_engine::{
    api::{
        AlertKind, BulkWaiver, DeliveryStatus, ErrorCode, HistoryEventKind, PortfolioFilter,
        ViolationRef, WaiverScopeKind,
    },
    Engine, EngineError, ScanTarget, Stage, Trigger,
};

const CRITICAL: &str = r#"{"id":"PYSEC-T-CRIT","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2099-1001"],
 "summary":"SQL injection","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0"},{"fixed":"2.2.28"}]}]}]}"#;
const CRITICAL_TOO: &str = r#"{"id":"PYSEC-T-CRIT2","modified":"2024-02-01T00:00:00Z",
 "summary":"Remote code execution","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0"},{"fixed":"2.2.30"}]}]}]}"#;
const MEDIUM: &str = r#"{"id":"GHSA-t-med","modified":"2024-01-01T00:00:00Z",
 "summary":"Open redirect","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"versions":["2.8.1"]}]}"#;

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

    fn advisories(&self, name: &str, records: &[&str]) {
        let folder = self.dir.path().join(name);
        std::fs::create_dir_all(&folder).unwrap();
        for (i, record) in records.iter().enumerate() {
            std::fs::write(folder.join(format!("{i}.json")), record).unwrap();
        }
        self.engine.import_advisories(&[folder], &mut |_| {}).unwrap();
    }

    fn scan(&self, app: &str, requirements: &str) {
        let path: PathBuf = self.dir.path().join(app).join("requirements.txt");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, requirements).unwrap();
        self.engine
            .scan(
                &[path],
                Some(ScanTarget {
                    application: app.into(),
                    stage: Stage::Build,
                    version_label: Some("1.0".into()),
                    organization: None,
                }),
            )
            .unwrap();
    }

    fn list(&self, filter: PortfolioFilter) -> Vec<(String, String, String)> {
        self.engine
            .portfolio_violations(&filter)
            .unwrap()
            .violations
            .into_iter()
            .map(|p| (p.application, p.violation.policy, p.violation.purl))
            .collect()
    }

    fn one(&self, app: &str, purl: &str) -> ViolationRef {
        let found = self
            .engine
            .portfolio_violations(&PortfolioFilter {
                application: Some(app.into()),
                include_waived: true,
                include_acknowledged: true,
                ..PortfolioFilter::default()
            })
            .unwrap();
        let v = found
            .violations
            .into_iter()
            .find(|p| p.violation.purl == purl)
            .unwrap_or_else(|| panic!("{app} has no violation by {purl}"));
        ViolationRef {
            application: v.application,
            policy: v.violation.policy,
            purl: v.violation.purl,
            condition_key: v.violation.condition_key,
        }
    }
}

const DJANGO: &str = "pkg:pypi/django@2.2.10";
const REQUESTS: &str = "pkg:pypi/requests@2.8.1";

#[test]
fn the_portfolio_list_filters_sorts_by_threat_and_is_bounded() {
    let ws = Ws::new();
    ws.advisories("osv", &[CRITICAL, MEDIUM]);
    ws.scan("shop", "django==2.2.10\nrequests==2.8.1\nsix==1.16.0\n");
    ws.scan("billing", "django==2.2.10\n");
    let all = ws.engine.portfolio_violations(&PortfolioFilter::default()).unwrap();
    assert_eq!(all.total, 3, "{:?}", all.violations);
    let levels: Vec<u8> = all.violations.iter().map(|p| p.violation.threat_level).collect();
    assert!(levels.windows(2).all(|w| w[0] >= w[1]), "threat level first: {levels:?}");
    // Equal threat: by application.
    let order: Vec<_> = ws.list(PortfolioFilter::default());
    assert_eq!(
        order[..2].iter().map(|(a, _, p)| (a.as_str(), p.as_str())).collect::<Vec<_>>(),
        [("billing", DJANGO), ("shop", DJANGO)]
    );
    assert_eq!(order[2].2, REQUESTS);
    let first = &all.violations[0];
    assert_eq!((first.stage.as_str(), first.version_label.as_deref()), ("build", Some("1.0")));
    assert_eq!(first.violation.evidence.len(), 1, "where it was found: {:?}", first.violation.evidence);

    let critical = ws.list(PortfolioFilter { min_threat: Some(first.violation.threat_level), ..PortfolioFilter::default() });
    assert_eq!(critical.len(), 2);
    let band = ws.list(PortfolioFilter { max_threat: Some(first.violation.threat_level - 1), ..PortfolioFilter::default() });
    assert_eq!(band.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(), [REQUESTS]);
    assert_eq!(ws.list(PortfolioFilter { application: Some("SHOP".into()), ..PortfolioFilter::default() }).len(), 2);
    let by_alias = ws.list(PortfolioFilter { text: Some("cve-2099-1001".into()), ..PortfolioFilter::default() });
    assert_eq!(by_alias.len(), 2, "an advisory's alias finds it: {by_alias:?}");
    assert_eq!(ws.list(PortfolioFilter { text: Some("bill".into()), ..PortfolioFilter::default() }).len(), 1);
    assert!(ws.list(PortfolioFilter { kind: Some(vigil_engine::api::FindingKind::License), ..PortfolioFilter::default() }).is_empty());
    assert_eq!(ws.list(PortfolioFilter { kind: Some(vigil_engine::api::FindingKind::Security), ..PortfolioFilter::default() }).len(), 3);

    let cut = ws.engine.portfolio_violations(&PortfolioFilter { limit: Some(1), ..PortfolioFilter::default() }).unwrap();
    assert_eq!((cut.violations.len(), cut.total, cut.limit), (1, 3, 1));
    let huge = ws.engine.portfolio_violations(&PortfolioFilter { limit: Some(1_000_000), ..PortfolioFilter::default() }).unwrap();
    assert_eq!(huge.limit, 10_000, "the ceiling holds");

    let empty_band = ws.engine.portfolio_violations(&PortfolioFilter { min_threat: Some(8), max_threat: Some(3), ..PortfolioFilter::default() });
    assert!(matches!(empty_band, Err(EngineError::InvalidInput(m)) if m.contains("8–3")));
}

#[test]
fn an_acknowledgement_hides_nothing_monitoring_needs_and_goes_on_a_change_or_a_resolution() {
    let ws = Ws::new();
    ws.advisories("osv", &[CRITICAL, MEDIUM]);
    ws.scan("shop", "django==2.2.10\nrequests==2.8.1\n");
    let now = Utc::now();
    ws.engine.run_monitoring(Trigger::Cli, now).unwrap(); // the baseline
    let django = ws.one("shop", DJANGO);
    let requests = ws.one("shop", REQUESTS);
    let report = ws.engine.acknowledge(&[django.clone(), requests.clone()], Some("patch planned"), now, "ann").unwrap();
    assert_eq!(report.changed, 2);

    // Hidden from the default list, shown marked on request; still open and counted.
    assert!(ws.list(PortfolioFilter::default()).is_empty());
    let marked = ws.engine.portfolio_violations(&PortfolioFilter { include_acknowledged: true, ..PortfolioFilter::default() }).unwrap();
    let mark = marked.violations[0].acknowledgement.as_ref().unwrap();
    assert_eq!((mark.by.as_str(), mark.note.as_deref()), ("ann", Some("patch planned")));
    assert_eq!(ws.engine.application("shop").unwrap().summary.violations, 2, "it still counts");

    // A re-evaluation that changes nothing keeps it.
    ws.engine.run_monitoring(Trigger::Cli, now + Duration::minutes(1)).unwrap();
    assert!(ws.engine.violation_history(&django).unwrap().acknowledgement.is_some());

    // A new advisory for django: monitoring reports it CHANGED, the mark goes, it shows again.
    ws.advisories("osv-2", &[CRITICAL_TOO]);
    let history = ws.engine.violation_history(&django).unwrap();
    assert!(history.acknowledgement.is_none(), "{:?}", history.events);
    let kinds: Vec<_> = history.events.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&HistoryEventKind::Changed), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&HistoryEventKind::AcknowledgementCleared), "{kinds:?}");
    assert_eq!(
        ws.list(PortfolioFilter::default()).iter().map(|r| r.2.as_str()).collect::<Vec<_>>(),
        [DJANGO]
    );
    assert!(ws.engine.violation_history(&requests).unwrap().acknowledgement.is_some(), "requests did not change");

    // requests leaves the application: RESOLVED, its acknowledgement is dropped.
    ws.scan("shop", "django==2.2.10\n");
    let run = ws.engine.run_monitoring(Trigger::Cli, now + Duration::minutes(2)).unwrap();
    assert!(run.alerts.iter().any(|a| a.kind == AlertKind::Resolved), "{:?}", run.alerts);
    let history = ws.engine.violation_history(&requests).unwrap();
    assert!(history.acknowledgement.is_none());
    assert!(history.events.iter().any(|e| e.kind == HistoryEventKind::AcknowledgementCleared && e.text.contains("resolved")));

    // Acknowledging what is not a current violation changes nothing and says so.
    let err = ws.engine.acknowledge(&[django.clone(), requests.clone()], None, now, "ann").unwrap_err();
    assert!(err.to_string().contains("no current violation") && err.to_string().contains(REQUESTS), "{err}");
    assert!(ws.engine.violation_history(&django).unwrap().acknowledgement.is_none());
    // Un-acknowledging: only those with a mark change.
    ws.engine.acknowledge(std::slice::from_ref(&django), None, now, "ann").unwrap();
    let cleared = ws.engine.unacknowledge(&[django.clone(), requests], now, "bob").unwrap();
    assert_eq!((cleared.violations, cleared.changed), (2, 1));
    let last = ws.engine.violation_history(&django).unwrap().events.pop().unwrap();
    assert_eq!((last.kind, last.by.as_deref()), (HistoryEventKind::Unacknowledged, Some("bob")));
}

#[test]
fn bulk_waiving_stores_every_waiver_or_none() {
    let ws = Ws::new();
    ws.advisories("osv", &[CRITICAL, MEDIUM]);
    ws.scan("shop", "django==2.2.10\nrequests==2.8.1\n");
    ws.scan("billing", "django==2.2.10\n");
    let now = Utc::now();
    let good = [ws.one("shop", DJANGO), ws.one("billing", DJANGO), ws.one("shop", REQUESTS)];
    let bulk = |violations: Vec<ViolationRef>, reason: &str| BulkWaiver {
        violations,
        scope: WaiverScopeKind::Application,
        all_versions: false,
        all_policies: false,
        reason: reason.into(),
        expires: None,
    };

    let mut wrong = good.to_vec();
    wrong.push(ViolationRef { condition_key: "no-such-constraint".into(), ..good[0].clone() });
    let err = ws.engine.waive_violations(bulk(wrong, "accepted"), now, "ann").unwrap_err();
    assert_eq!(err.to_dto().code, ErrorCode::NotFound);
    assert!(err.to_string().contains("no-such-constraint"), "{err}");
    let err = ws.engine.waive_violations(bulk(good.to_vec(), "  "), now, "ann").unwrap_err();
    assert!(err.to_string().contains("needs a reason") && err.to_string().contains("shop"), "{err}");
    let organization = BulkWaiver { scope: WaiverScopeKind::Organization, ..bulk(good.to_vec(), "accepted") };
    let err = ws.engine.waive_violations(organization, now, "ann").unwrap_err();
    assert!(err.to_string().contains("belongs to no organization"), "{err}");
    assert!(ws.engine.waivers(now).unwrap().is_empty(), "a failed batch stores nothing");
    assert_eq!(ws.list(PortfolioFilter::default()).len(), 3);

    let report = ws.engine.waive_violations(bulk(good.to_vec(), "accepted until the migration"), now, "ann").unwrap();
    assert_eq!((report.violations, report.changed), (3, 3));
    let waivers = ws.engine.waivers(now).unwrap();
    assert!(waivers.iter().all(|w| w.days_left == 90 && w.created_by == "ann"), "the default expiry: {waivers:?}");
    assert!(ws.list(PortfolioFilter::default()).is_empty(), "waived ones leave the open list");
    let shown = ws.engine.portfolio_violations(&PortfolioFilter { include_waived: true, ..PortfolioFilter::default() }).unwrap();
    assert!(shown.violations.iter().all(|p| p.violation.waiver.as_ref().is_some_and(|w| w.reason == "accepted until the migration")));
    assert_eq!(ws.engine.application("shop").unwrap().summary.violations, 0);
    let history = ws.engine.violation_history(&good[0]).unwrap();
    let waived = history.events.iter().find(|e| e.kind == HistoryEventKind::Waived).unwrap();
    assert_eq!(waived.by.as_deref(), Some("ann"));
}

#[test]
fn the_history_says_who_was_told_when_and_through_which_channel() {
    let ws = Ws::new();
    let now = Utc::now();
    ws.engine.ensure_desktop_channel(now).unwrap();
    ws.scan("shop", "django==2.2.10\n");
    ws.engine.run_monitoring(Trigger::Cli, now).unwrap(); // the baseline: nothing to report
    // New data: django is affected, monitoring reports it NEW at once and routes it.
    ws.advisories("osv", &[CRITICAL]);
    let django = ws.one("shop", DJANGO);
    let pending = ws.engine.violation_history(&django).unwrap();
    let told = pending.events.iter().find(|e| e.kind == HistoryEventKind::New).expect("a NEW alert");
    assert_eq!(told.deliveries.len(), 1, "{:?}", told.deliveries);
    assert_eq!(told.deliveries[0].status, DeliveryStatus::Pending);
    assert!(pending.first_seen.is_some() && !pending.baseline);

    let shown = std::cell::Cell::new(0);
    let sink = |_: &vigil_notify::Notice| {
        shown.set(shown.get() + 1);
        Ok(())
    };
    ws.engine.send_due_deliveries(Utc::now() + Duration::seconds(5), Some(&sink)).unwrap();
    assert_eq!(shown.get(), 1);
    let history = ws.engine.violation_history(&django).unwrap();
    let told = history.events.iter().find(|e| e.kind == HistoryEventKind::New).unwrap();
    let delivery = &told.deliveries[0];
    assert_eq!((delivery.channel.as_str(), delivery.status, delivery.attempts), ("Desktop", DeliveryStatus::Sent, 1));
    assert!(delivery.sent_at.is_some());
    assert_eq!(history.events[0].kind, HistoryEventKind::FirstSeen);
}
