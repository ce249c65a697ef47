//! Monitoring end to end through the `vigil` binary on a real SQLite file: the silent
//! baseline, alerts created by `db import` at once with what changed, nothing twice, the run
//! history, "who is affected?", and one run at a time across processes.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn vigil(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_vigil"))
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env_remove("VIGIL_DATA_DIR")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.vigil(args);
        assert!(
            output.status.success(),
            "vigil {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Imports OSV records written as JSON files into a fresh folder.
    fn import_records(&self, records: &[&str]) -> String {
        let dir = tempfile::tempdir().unwrap();
        for (i, record) in records.iter().enumerate() {
            std::fs::write(dir.path().join(format!("r{i}.json")), record).unwrap();
        }
        self.ok(&["db", "import", dir.path().to_str().unwrap()])
    }

    fn alerts(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["alerts", "--json"];
        args.extend_from_slice(extra);
        self.ok(&args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// shop-api (Django 2.2.10, requests 2.8.1, six 1.16.0) scanned at build and baselined.
    fn baselined_shop(&self) {
        self.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
        self.ok(&[
            "scan",
            fixtures()
                .join("shop-api/requirements.txt")
                .to_str()
                .unwrap(),
            "--app",
            "shop-api",
        ]);
        let first = self.ok(&["monitor", "run"]);
        assert!(first.contains("recorded as baselines"), "{first}");
        assert!(self.alerts(&[]).is_empty(), "the baseline alerts nobody");
    }
}

const DJANGO_SECOND: &str = r#"{"id":"PYSEC-TEST-4","modified":"2024-04-01T00:00:00Z","aliases":["CVE-2099-0004"],"summary":"Test: a second Django flaw","affected":[{"package":{"ecosystem":"PyPI","name":"django"},"versions":["2.2.10"]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#;

#[test]
fn a_new_advisory_and_then_its_withdrawal_reach_the_alerts_at_import_as_changed() {
    let ws = Workspace::new();
    ws.baselined_shop();
    // A second critical advisory on Django: the Security-Critical violation gains it.
    let imported = ws.import_records(&[DJANGO_SECOND]);
    assert!(imported.contains("1 changed"), "{imported}");
    let alerts = ws.alerts(&[]);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["kind"], "CHANGED");
    assert_eq!(alerts[0]["application"], "shop-api");
    assert_eq!(alerts[0]["policy"], "Security-Critical");
    assert_eq!(alerts[0]["component"], "pkg:pypi/django@2.2.10");
    assert_eq!(
        alerts[0]["changed"],
        serde_json::json!(["PYSEC-TEST-4 added"])
    );
    assert_eq!(
        alerts[0]["advisories"],
        serde_json::json!(["PYSEC-TEST-1", "PYSEC-TEST-4"])
    );
    assert_eq!(alerts[0]["trigger"], "import");
    for field in ["id", "run", "created_at"] {
        assert!(!alerts[0][field].is_null(), "{field} in {:?}", alerts[0]);
    }

    // Withdrawn again: the same violation changes back, and says why.
    let withdrawn = DJANGO_SECOND.replace(
        "2024-04-01T00:00:00Z\",",
        "2024-05-01T00:00:00Z\",\"withdrawn\":\"2024-05-01T00:00:00Z\",",
    );
    ws.import_records(&[&withdrawn]);
    let alerts = ws.alerts(&[]);
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert_eq!(alerts[1]["kind"], "CHANGED");
    assert_eq!(
        alerts[1]["changed"],
        serde_json::json!(["PYSEC-TEST-4 withdrawn"])
    );

    // Nothing is alerted twice: a run, the same import again, another run.
    ws.ok(&["monitor", "run"]);
    ws.import_records(&[&withdrawn]);
    ws.ok(&["monitor", "run"]);
    assert_eq!(ws.alerts(&[]).len(), 2);
    // Filters: by application, by time.
    assert_eq!(ws.alerts(&["--app", "shop-api"]).len(), 2);
    assert!(ws.alerts(&["--since", "2999-01-01"]).is_empty());
    let unknown = ws.vigil(&["alerts", "--app", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    let bad = ws.vigil(&["alerts", "--since", "yesterday"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("RFC 3339"));
}

#[test]
fn a_raised_score_a_fix_and_kev_are_changes_that_say_what_changed() {
    let ws = Workspace::new();
    ws.baselined_shop();
    // PYSEC-TEST-1 re-scored (9.8 → 10.0, still critical).
    let rescored = std::fs::read_to_string(fixtures().join("osv/PYSEC-TEST-1.json"))
        .unwrap()
        .replace("2024-03-01T00:00:00Z", "2024-07-01T00:00:00Z")
        .replace("S:U/C:H/I:H/A:H", "S:C/C:H/I:H/A:H");
    ws.import_records(&[&rescored]);
    let alerts = ws.alerts(&[]);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(
        alerts[0]["changed"],
        serde_json::json!(["score 9.8 → 10.0"])
    );

    // The requests advisory gains a fix.
    let fixed = r#"{"id":"PYSEC-TEST-2","modified":"2024-08-01T00:00:00Z","aliases":["CVE-2099-0002"],"summary":"Test: denial of service in requests","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.8.0"},{"fixed":"2.20.0"}]}]}]}"#;
    ws.import_records(&[fixed]);
    let alerts = ws.alerts(&[]);
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert_eq!(alerts[1]["component"], "pkg:pypi/requests@2.8.1");
    assert_eq!(
        alerts[1]["changed"],
        serde_json::json!(["fix available: 2.20.0"])
    );

    // CISA adds Django's CVE to KEV: only that violation changes, at import.
    let dir = tempfile::tempdir().unwrap();
    let kev = dir.path().join("known_exploited_vulnerabilities.json");
    std::fs::write(
        &kev,
        r#"{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2026.12.01","dateReleased":"2026-12-01T00:00:00.000Z","count":1,"vulnerabilities":[{"cveID":"CVE-2099-0001","vendorProject":"Django","product":"Django","vulnerabilityName":"Test","dateAdded":"2026-12-01","shortDescription":"x","requiredAction":"x","dueDate":"2026-12-22","knownRansomwareCampaignUse":"Unknown","notes":""}]}"#,
    )
    .unwrap();
    ws.ok(&["db", "import", kev.to_str().unwrap()]);
    let alerts = ws.alerts(&[]);
    assert_eq!(alerts.len(), 3, "{alerts:?}");
    assert_eq!(alerts[2]["component"], "pkg:pypi/django@2.2.10");
    assert_eq!(
        alerts[2]["changed"],
        serde_json::json!(["PYSEC-TEST-1 added to KEV"])
    );
    ws.ok(&["db", "import", kev.to_str().unwrap()]);
    assert_eq!(
        ws.alerts(&[]).len(),
        3,
        "the same catalog again changes nothing"
    );
}

#[test]
fn runs_keep_their_history_and_affected_finds_the_application() {
    let ws = Workspace::new();
    ws.baselined_shop();
    ws.ok(&["monitor", "run"]);
    ws.import_records(&[DJANGO_SECOND]);
    let runs: Vec<Value> = ws
        .ok(&["runs", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(String, u64, u64, u64)> = runs
        .iter()
        .map(|r| {
            (
                r["trigger"].as_str().unwrap().to_string(),
                r["evaluated"].as_u64().unwrap(),
                r["changed"].as_u64().unwrap(),
                r["baseline"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("import".to_string(), 1, 1, 0),
            ("cli".to_string(), 0, 0, 0),
            ("cli".to_string(), 0, 0, 2),
        ],
        "newest first: the import's run, the repeat, the baseline"
    );
    assert!(runs[0]["advisory_snapshot"]
        .as_str()
        .unwrap()
        .contains("generation"));

    let affected: Value =
        serde_json::from_str(&ws.ok(&["affected", "CVE-2099-0004", "--json"])).unwrap();
    assert_eq!(affected["advisories"], serde_json::json!(["PYSEC-TEST-4"]));
    let hits = affected["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{affected}");
    assert_eq!(hits[0]["application"], "shop-api");
    assert_eq!(hits[0]["stage"], "build");
    assert_eq!(hits[0]["component"], "pkg:pypi/django@2.2.10");
    assert_eq!(hits[0]["watched"], true);
    let table = ws.ok(&["affected", "PYSEC-TEST-1"]);
    assert!(
        table.contains("shop-api  build  -  pkg:pypi/django@2.2.10"),
        "{table}"
    );
    assert!(table.contains("fix: 2.2.28"), "{table}");
    let missing = ws.vigil(&["affected", "CVE-1900-0000"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no advisory"));

    // A purl asks where a package is used, with each version's advisories.
    let used: Value =
        serde_json::from_str(&ws.ok(&["affected", "pkg:pypi/Django@2.2.10", "--json"])).unwrap();
    let hits = used["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{used}");
    assert_eq!(hits[0]["application"], "shop-api");
    assert_eq!(hits[0]["component"], "pkg:pypi/django@2.2.10");
    let advisories: Vec<&str> = hits[0]["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        advisories.contains(&"PYSEC-TEST-1") && advisories.contains(&"PYSEC-TEST-4"),
        "{advisories:?}"
    );
    assert_eq!(used["advisories"], hits[0]["advisories"]);
    let any_version: Value =
        serde_json::from_str(&ws.ok(&["affected", "pkg:pypi/six", "--json"])).unwrap();
    assert_eq!(any_version["hits"][0]["component"], "pkg:pypi/six@1.16.0");
    assert_eq!(any_version["hits"][0]["advisories"], serde_json::json!([]));
    let other: Value =
        serde_json::from_str(&ws.ok(&["affected", "pkg:pypi/django@9.9", "--json"])).unwrap();
    assert_eq!(
        other["hits"],
        serde_json::json!([]),
        "another version is not used"
    );
    let bad = ws.vigil(&["affected", "pkg:"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Kills `vigil db import` (which imports, then re-evaluates and alerts in its own
/// transaction) at many points: whatever the moment, a following run yields every alert
/// exactly once.
#[test]
fn a_process_killed_mid_run_leaves_no_half_run_and_each_alert_arrives_once() {
    const APPS: usize = 25;
    for delay_ms in [0u64, 15, 30, 60, 90, 140, 200, 400] {
        let ws = Workspace::new();
        ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
        let dir = tempfile::tempdir().unwrap();
        for app in 0..APPS {
            let lock = dir.path().join(format!("app{app}-requirements.txt"));
            std::fs::write(
                &lock,
                format!("six==1.16.0\nrequests==2.8.1\nflask==1.{app}.0\n"),
            )
            .unwrap();
            ws.ok(&[
                "scan",
                lock.to_str().unwrap(),
                "--app",
                &format!("app-{app:02}"),
            ]);
        }
        ws.ok(&["monitor", "run"]);
        // A channel (no secret, nothing listens): every alert must have its delivery, written
        // in the alert's own transaction whatever moment the kill hit.
        ws.ok(&[
            "channels",
            "add",
            "webhook",
            "soc",
            "--url",
            "http://127.0.0.1:9/",
        ]);
        let record = dir.path().join("six.json");
        std::fs::write(
            &record,
            r#"{"id":"PYSEC-TEST-3","modified":"2024-05-01T00:00:00Z","summary":"Test: six","affected":[{"package":{"ecosystem":"PyPI","name":"six"},"versions":["1.16.0"]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#,
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
            .arg("--data-dir")
            .arg(ws.dir.path())
            .args(["db", "import", record.to_str().unwrap()])
            .env_remove("VIGIL_DATA_DIR")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().ok(); // SIGKILL: no clean-up of any kind
        child.wait().unwrap();
        // The import may or may not have committed; its run may or may not have. Make sure the
        // record is in, then let monitoring catch up.
        let again = ws.import_records(&[&std::fs::read_to_string(&record).unwrap()]);
        let first = ws.ok(&["monitor", "run"]);
        let second = ws.ok(&["monitor", "run"]);
        let context = format!(
            "killed after {delay_ms} ms\n{again}\n{first}\n{second}\n{}",
            ws.ok(&["runs"])
        );
        let alerts = ws.alerts(&[]);
        let mut seen: Vec<(String, String, String)> = alerts
            .iter()
            .map(|a| {
                (
                    a["kind"].as_str().unwrap().to_string(),
                    a["application"].as_str().unwrap().to_string(),
                    a["component"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        seen.sort();
        let expected: Vec<(String, String, String)> = (0..APPS)
            .map(|app| {
                (
                    "NEW".to_string(),
                    format!("app-{app:02}"),
                    "pkg:pypi/six@1.16.0".to_string(),
                )
            })
            .collect();
        assert_eq!(seen, expected, "{context}");
        let deliveries = ws.ok(&["deliveries", "--json", "--limit", "100000"]);
        let mut announced: Vec<i64> = deliveries
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .flat_map(|d| {
                d["alerts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_i64().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect();
        announced.sort_unstable();
        let mut ids: Vec<i64> = alerts.iter().map(|a| a["id"].as_i64().unwrap()).collect();
        ids.sort_unstable();
        assert_eq!(
            announced, ids,
            "every alert has exactly one delivery: {context}"
        );
        // No half-run: every recorded run holds exactly the alerts its counts say.
        let runs = ws.ok(&["runs", "--json"]);
        for run in runs.lines() {
            let run: Value = serde_json::from_str(run).unwrap();
            let counted: u64 = ["new", "changed", "resolved"]
                .iter()
                .map(|k| run[k].as_u64().unwrap())
                .sum();
            let recorded = alerts.iter().filter(|a| a["run"] == run["id"]).count() as u64;
            assert_eq!(counted, recorded, "{context}: {run}");
        }
    }
}

#[test]
fn monitoring_is_switched_per_application_and_the_baseline_can_ask_for_alerts() {
    let ws = Workspace::new();
    ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    let lock = fixtures().join("shop-api/requirements.txt");
    for app in ["shop-api", "back-office", "loud"] {
        ws.ok(&["scan", lock.to_str().unwrap(), "--app", app]);
    }
    ws.ok(&["apps", "set", "back-office", "--monitor", "off"]);
    ws.ok(&["apps", "set", "loud", "--alert-on-baseline", "on"]);
    let run = ws.ok(&["monitor", "run"]);
    assert!(
        run.contains("2 applications"),
        "back-office is not monitored: {run}"
    );
    let alerts = ws.alerts(&[]);
    assert!(
        !alerts.is_empty() && alerts.iter().all(|a| a["application"] == "loud"),
        "only the application that asked hears about its baseline: {alerts:?}"
    );
    let before = alerts.len();
    // New data touches all three; only the monitored ones are re-evaluated and alerted.
    ws.import_records(&[DJANGO_SECOND]);
    let alerts = ws.alerts(&[]);
    let apps: Vec<&str> = alerts[before..]
        .iter()
        .map(|a| a["application"].as_str().unwrap())
        .collect();
    assert_eq!(apps, ["loud", "shop-api"], "{alerts:?}");
    // Switched on again: its first evaluation is its (silent) baseline.
    ws.ok(&["apps", "set", "back-office", "--monitor", "on"]);
    let run = ws.ok(&["monitor", "run"]);
    assert!(run.contains("recorded as baselines"), "{run}");
    assert_eq!(ws.alerts(&[]).len(), alerts.len());
}

#[test]
fn per_major_version_monitoring_watches_the_latest_scan_of_each_major() {
    let ws = Workspace::new();
    ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let scan = |label: &str, text: &str| {
        let lock = dir.path().join(format!("{label}-requirements.txt"));
        std::fs::write(&lock, text).unwrap();
        ws.ok(&[
            "scan",
            lock.to_str().unwrap(),
            "--app",
            "shop",
            "--stage",
            "release",
            "--version",
            label,
        ]);
    };
    scan("1.0", "django==2.2.10\n");
    scan("1.1", "six==1.16.0\n"); // 1.x's latest: no advisory
    scan("2.0", "requests==2.8.1\n");
    ws.ok(&[
        "apps",
        "set",
        "shop",
        "--watch",
        "major",
        "--alert-on-baseline",
        "on",
    ]);
    ws.ok(&["monitor", "run"]);
    let components: Vec<String> = ws
        .alerts(&[])
        .iter()
        .map(|a| a["component"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        components,
        ["pkg:pypi/requests@2.8.1"],
        "2.0 and 1.1 are watched, 1.0 is not"
    );
    let scans: Value = serde_json::from_str(&ws.ok(&["apps", "show", "shop", "--json"])).unwrap();
    assert_eq!(scans["watch"], "major", "{scans}");
}
