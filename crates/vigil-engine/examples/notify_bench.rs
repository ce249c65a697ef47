//! `make bench` → `bench/notify.sh`: 10,000 alerts across 1,000 applications routed by a plan
//! into the outbox and delivered to a loopback webhook receiver (`tests/servers/http_receiver.py`,
//! started by the script). Prints one line of JSON with the timings.
//!
//!   notify_bench RECEIVER_URL [APPS] [ALERTS_PER_APP]

use std::{path::PathBuf, time::Instant};

use chrono::Utc;
use vigil_engine::{
    api::{ApplicationUpdate, ChannelConfig, ChannelInput, WebhookConfig},
    Engine, ScanTarget, Stage, Trigger,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .expect("usage: notify_bench RECEIVER_URL [APPS] [ALERTS_PER_APP]");
    let apps: usize = args.next().map_or(1000, |a| a.parse().unwrap());
    let per_app: usize = args.next().map_or(10, |a| a.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path()).unwrap();

    // One critical advisory per package; every application has `per_app` of the packages.
    let osv = dir.path().join("osv");
    std::fs::create_dir_all(&osv).unwrap();
    for p in 0..per_app {
        let record = serde_json::json!({
            "id": format!("PYSEC-BENCH-{p}"), "modified": "2024-01-01T00:00:00Z",
            "summary": format!("Bench flaw {p}"),
            "affected": [{"package": {"ecosystem": "PyPI", "name": format!("benchpkg{p}")}, "versions": ["1.0.0"]}],
            "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        });
        std::fs::write(osv.join(format!("{p}.json")), record.to_string()).unwrap();
    }
    engine.import_advisories(&[osv], &mut |_| {}).unwrap();
    let lock = dir.path().join("requirements.txt");
    let text: String = (0..per_app)
        .map(|p| format!("benchpkg{p}==1.0.0\n"))
        .collect();
    std::fs::write(&lock, text).unwrap();
    let setup = Instant::now();
    for a in 0..apps {
        let name = format!("app-{a:04}");
        let target = ScanTarget {
            application: name.clone(),
            stage: Stage::Build,
            version_label: None,
            organization: None,
        };
        engine.scan(&[PathBuf::from(&lock)], Some(target)).unwrap();
        let update = ApplicationUpdate {
            alert_on_baseline: Some(true),
            tier: Some(["critical", "high", "medium", "low"][a % 4].to_string()),
            ..ApplicationUpdate::default()
        };
        engine.update_application(&name, &update).unwrap();
    }
    let setup = setup.elapsed();
    engine
        .add_channel(
            &ChannelInput {
                name: "bench".into(),
                config: ChannelConfig::Webhook(WebhookConfig {
                    url,
                    events: Vec::new(),
                }),
                secrets: Default::default(),
                rate_per_minute: Some(10_000_000),
                enabled: None,
            },
            Utc::now(),
        )
        .unwrap();
    let plan = vigil_engine::plan::yaml::parse_plan(
        "tiers:\n  critical: {channels: [bench]}\n  high: {channels: [bench]}\n  medium: {channels: [bench]}\n  low: {channels: [bench]}\n",
        "bench plan",
        &["bench".to_string()],
    )
    .unwrap();
    engine.set_plan(&plan).unwrap();

    let routed = Instant::now();
    let report = engine.run_monitoring(Trigger::Cli, Utc::now()).unwrap();
    let routed = routed.elapsed();
    let alerts = report.alerts.len();
    let sent = Instant::now();
    let delivery = engine.send_due_deliveries(Utc::now(), None).unwrap();
    let sent = sent.elapsed();
    println!(
        "{}",
        serde_json::json!({
            "applications": apps, "alerts": alerts, "deliveries": delivery.sent,
            "failed": delivery.failed + delivery.retrying,
            "setup_s": setup.as_secs_f64(),
            "run_and_route_s": routed.as_secs_f64(),
            "send_s": sent.as_secs_f64(),
            "deliveries_per_s": f64::from(delivery.sent) / sent.as_secs_f64(),
            "alerts_delivered_per_s": alerts as f64 / sent.as_secs_f64(),
        })
    );
}
