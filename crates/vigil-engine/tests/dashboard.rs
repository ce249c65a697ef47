//! The dashboard on a real SQLite file: what monitoring runs leave open by threat band (waived
//! violations not counted), the last run's top items, risk order, the onboarding steps.

use std::path::PathBuf;

use chrono::{Duration, TimeZone, Utc};
use vigil_engine::{
    api::{
        ApplicationUpdate, ChannelConfig, ChannelInput, NewWaiver, ThreatCounts, WaiverScopeKind,
        WebhookConfig,
    },
    Engine, ScanTarget, Stage, Trigger,
};

struct Ws {
    dir: tempfile::TempDir,
    engine: Engine,
}

const CRITICAL: &str = r#"{"id":"PYSEC-T-CRIT","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2099-1001"],
 "summary":"SQL injection","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0"},{"fixed":"2.2.28"}]}]}]}"#;
const MEDIUM: &str = r#"{"id":"GHSA-t-med","modified":"2024-01-01T00:00:00Z",
 "summary":"Open redirect","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}],
 "affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0"}]}]}]}"#;

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
                    version_label: None,
                    organization: None,
                }),
            )
            .unwrap();
    }

    fn tier(&self, app: &str, tier: &str) {
        self.engine
            .update_application(
                app,
                &ApplicationUpdate {
                    tier: Some(tier.into()),
                    ..Default::default()
                },
            )
            .unwrap();
    }

    /// Open violations by band as the application views show them (each application's own
    /// latest evaluation), to hold the runs' counts against.
    fn open_in_views(&self, apps: &[&str]) -> ThreatCounts {
        let mut bands = ThreatCounts::default();
        for app in apps {
            for v in self.engine.application(app).unwrap().violations {
                if v.waiver.is_some() {
                    continue;
                }
                match v.threat_level {
                    8.. => bands.critical += 1,
                    4..=7 => bands.severe += 1,
                    2..=3 => bands.moderate += 1,
                    _ => bands.low += 1,
                }
            }
        }
        bands
    }
}

fn at(day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, 6, 30, 0).unwrap()
}

#[test]
fn the_onboarding_steps_tick_themselves_off() {
    let ws = Ws::new();
    let now = at(1);
    let fresh = ws.engine.dashboard(now).unwrap();
    let steps = |d: &vigil_engine::api::DashboardDto| {
        (d.onboarding.advisory_data, d.onboarding.applications, d.onboarding.channel)
    };
    assert_eq!(steps(&fresh), (false, false, false));
    assert!(fresh.last_run.is_none() && fresh.runs.is_empty() && fresh.top_items.is_empty());

    ws.advisories("osv", &[CRITICAL]);
    assert_eq!(steps(&ws.engine.dashboard(now).unwrap()), (true, false, false));
    ws.scan("shop", "django==2.2.10\n");
    assert_eq!(steps(&ws.engine.dashboard(now).unwrap()), (true, true, false));
    // The desktop channel the app creates by itself is not the user setting one up.
    ws.engine.ensure_desktop_channel(now).unwrap();
    assert_eq!(steps(&ws.engine.dashboard(now).unwrap()), (true, true, false));
    ws.engine
        .add_channel(
            &ChannelInput {
                name: "hook".into(),
                config: ChannelConfig::Webhook(WebhookConfig {
                    url: "http://127.0.0.1:9/hook".into(),
                    events: vec![],
                }),
                secrets: Default::default(),
                rate_per_minute: None,
                enabled: None,
            },
            now,
        )
        .unwrap();
    assert_eq!(steps(&ws.engine.dashboard(now).unwrap()), (true, true, true));
}

#[test]
fn each_run_records_what_it_left_open_by_band_without_waived_violations() {
    let ws = Ws::new();
    ws.advisories("osv-1", &[CRITICAL]);
    ws.scan("shop", "django==2.2.10\nrequests==2.8.1\n");
    ws.scan("portal", "requests==2.8.1\n");
    ws.tier("shop", "low");
    ws.tier("portal", "critical");

    // The baseline: recorded silently, yet what it left open is counted.
    let baseline = ws.engine.run_monitoring(Trigger::Cli, at(1)).unwrap();
    assert!(baseline.alerts.is_empty());
    let d = ws.engine.dashboard(at(1)).unwrap();
    assert_eq!(d.runs.len(), 1);
    let first = d.runs[0].open.expect("counted at the run's end");
    assert_eq!(first, ws.open_in_views(&["shop", "portal"]));
    assert!(first.critical >= 1, "django's critical advisory: {first:?}");
    assert_eq!(d.last_run.as_ref().unwrap().id, d.runs[0].run);
    assert!(d.top_items.is_empty(), "a baseline alerts nobody");

    // New data: a medium advisory on requests, in both applications. The import re-evaluates
    // and alerts at once (a run of its own).
    ws.advisories("osv-2", &[MEDIUM]);
    let d = ws.engine.dashboard(at(1)).unwrap();
    let last = d.last_run.clone().unwrap();
    assert_eq!(last.trigger, "import");
    assert_eq!(d.runs.len(), 2);
    assert_eq!(d.runs[1].run, last.id, "oldest first, the last run last");
    let second = d.runs[1].open.unwrap();
    assert_eq!(second, ws.open_in_views(&["shop", "portal"]));
    assert!(second.critical + second.severe + second.moderate + second.low
        > first.critical + first.severe + first.moderate + first.low);
    // The top items are the run's NEW alerts, worst first, each naming its violation.
    assert_eq!(d.top_items.len() as u32, last.new + last.changed);
    assert!(last.new >= 2, "requests in shop and in portal: {last:?}");
    assert!(d.top_items.iter().all(|i| i.kind == "NEW"));
    assert!(d.top_items.windows(2).all(|w| w[0].threat_level >= w[1].threat_level));
    let item = &d.top_items[0];
    assert!(item.advisories.contains(&"GHSA-t-med".to_string()), "{item:?}");
    assert!(item.purl.starts_with("pkg:pypi/requests@2.8.1"));
    let detail = ws.engine.application(&item.application).unwrap();
    assert!(
        detail.violations.iter().any(|v| v.policy == item.policy
            && v.purl == item.purl
            && v.condition_key == item.condition_key),
        "the item opens a violation its application shows"
    );

    // Risk: portal (critical, ×4) has only the medium advisory; shop (low, ×1) the critical
    // one. Tier × highest level decides, whatever the counts.
    let score = |app: &str| d.risk.iter().find(|r| r.application == app).unwrap().clone();
    let (shop, portal) = (score("shop"), score("portal"));
    assert_eq!(shop.score, shop.top_threat_level as u32);
    assert_eq!(portal.score, 4 * portal.top_threat_level as u32);
    let order: Vec<&str> = d.risk.iter().map(|r| r.application.as_str()).collect();
    let expected = if portal.score >= shop.score { ["portal", "shop"] } else { ["shop", "portal"] };
    assert_eq!(order, expected);
    assert!(shop.reason.starts_with("tier low (×1) × threat level"), "{}", shop.reason);

    // A waiver takes the critical violation out of the next run's count.
    let waived = ws
        .engine
        .add_waiver(
            NewWaiver {
                scope: WaiverScopeKind::Everywhere,
                scope_name: None,
                component: "pkg:pypi/django@2.2.10".into(),
                all_versions: false,
                policy: None,
                advisory: None,
                reason: "patched in our fork".into(),
                expires: None,
            },
            at(2),
            "tester",
        )
        .unwrap();
    assert!(waived.days_left > 0);
    ws.engine.run_monitoring(Trigger::Cli, at(2)).unwrap();
    let d = ws.engine.dashboard(at(2)).unwrap();
    let third = d.runs.last().unwrap().open.unwrap();
    assert_eq!(third, ws.open_in_views(&["shop", "portal"]));
    assert!(third.critical < second.critical, "{second:?} → {third:?}");
    assert!(d.top_items.is_empty(), "a waiver is recorded silently");
    // Earlier runs keep what they left open then.
    assert_eq!(d.runs[1].open, Some(second));
}

#[test]
fn the_chart_shows_the_last_30_runs_and_an_unmonitored_application_does_not_count() {
    let ws = Ws::new();
    ws.advisories("osv", &[CRITICAL]);
    ws.scan("shop", "django==2.2.10\n");
    ws.scan("attic", "django==2.2.10\n");
    ws.engine
        .update_application("attic", &ApplicationUpdate { monitor: Some(false), ..Default::default() })
        .unwrap();
    for i in 0..32 {
        ws.engine
            .run_monitoring(Trigger::Schedule, at(1) + Duration::days(i))
            .unwrap();
    }
    let d = ws.engine.dashboard(at(1) + Duration::days(32)).unwrap();
    assert_eq!(d.runs.len(), 30);
    assert!(d.runs.windows(2).all(|w| w[0].run < w[1].run));
    assert_eq!(d.runs.last().unwrap().run, d.last_run.unwrap().id);
    for run in &d.runs {
        assert_eq!(run.open, Some(ws.open_in_views(&["shop"])), "attic is not monitored");
    }
    assert_eq!((d.coverage.applications, d.coverage.monitored), (2, 1));
}
