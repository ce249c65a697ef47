//! Notifications end to end through the `vigil` binary, on a real SQLite file, with the real
//! OS keyring (`make test` runs this inside a D-Bus session with gnome-keyring) and real
//! receivers on loopback (`tests/servers/`, through `vigil_testkit`): alerts become
//! deliveries at once, each reaches a signed webhook exactly once by delivery id, through a
//! receiver that is down for a simulated day and through many kills of the sending process,
//! and no secret ever appears in the database, the output or an export.

use std::{
    collections::{BTreeMap, BTreeSet},
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use serde_json::Value;
use vigil_testkit::{HttpReceiver, SmtpMode, SmtpServer};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const AUTH: &str = "Bearer vigil-test-authorization-7d1f";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Workspace {
    dir: tempfile::TempDir,
    /// Everything every command printed, to search for secrets.
    printed: std::cell::RefCell<String>,
}

impl Workspace {
    fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
            printed: Default::default(),
        }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>, now: Option<&str>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
        command
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env_remove("VIGIL_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match now {
            Some(now) => command.env("VIGIL_NOW", now),
            None => command.env_remove("VIGIL_NOW"),
        };
        let mut child = command.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        let output = child.wait_with_output().unwrap();
        let mut printed = self.printed.borrow_mut();
        printed.push_str(&String::from_utf8_lossy(&output.stdout));
        printed.push_str(&String::from_utf8_lossy(&output.stderr));
        output
    }

    fn ok_with(&self, args: &[&str], stdin: Option<&str>, now: Option<&str>) -> String {
        let output = self.run(args, stdin, now);
        assert!(
            output.status.success(),
            "vigil {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_with(args, None, None)
    }

    fn json_lines(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn import_records(&self, records: &[&str]) -> String {
        let dir = tempfile::tempdir().unwrap();
        for (i, record) in records.iter().enumerate() {
            std::fs::write(dir.path().join(format!("r{i}.json")), record).unwrap();
        }
        self.ok(&["db", "import", dir.path().to_str().unwrap()])
    }

    /// shop-api (Django 2.2.10 …) scanned and baselined, as in the monitoring tests.
    fn baselined_shop(&self, name: &str) {
        self.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
        self.ok(&[
            "scan",
            fixtures()
                .join("shop-api/requirements.txt")
                .to_str()
                .unwrap(),
            "--app",
            name,
        ]);
        self.ok(&["monitor", "run"]);
    }

    fn add_webhook(&self, name: &str, url: &str) {
        let out = self.ok_with(
            &[
                "channels",
                "add",
                "webhook",
                name,
                "--url",
                url,
                "--secret-stdin",
                "--auth-header-stdin",
            ],
            Some(&format!("{SECRET}\n{AUTH}\n")),
            None,
        );
        assert!(out.contains("stored in the OS keyring"), "{out}");
    }

    fn deliveries(&self) -> Vec<Value> {
        self.json_lines(&["deliveries", "--json", "--limit", "100000"])
    }

    /// Every file of the data directory, as bytes (the database, its WAL).
    fn data_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                bytes.extend(std::fs::read(path).unwrap());
            }
        }
        bytes
    }
}

const DJANGO_SECOND: &str = r#"{"id":"PYSEC-TEST-4","modified":"2024-04-01T00:00:00Z","aliases":["CVE-2099-0004"],"summary":"Test: a second Django flaw","affected":[{"package":{"ecosystem":"PyPI","name":"django"},"versions":["2.2.10"]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#;

/// A new critical advisory for a package, so that every application containing it alerts.
fn advisory(id: &str, modified: &str) -> String {
    DJANGO_SECOND
        .replace("PYSEC-TEST-4", id)
        .replace("CVE-2099-0004", &format!("CVE-{id}"))
        .replace("2024-04-01T00:00:00Z", modified)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn an_alert_reaches_a_signed_webhook_once_with_what_changed() {
    let receiver = HttpReceiver::start(Some(SECRET));
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.add_webhook("soc", &format!("{}/hooks/vigil", receiver.url()));
    let tested = ws.ok(&["channels", "test", "soc"]);
    assert!(tested.starts_with("soc: ok (200)"), "{tested}");

    // The import's run creates the CHANGED alert and, in the same transaction, its delivery.
    ws.import_records(&[DJANGO_SECOND]);
    let pending = ws.deliveries();
    let queued: Vec<&Value> = pending
        .iter()
        .filter(|d| d["event"] == "violation.changed")
        .collect();
    assert_eq!(queued.len(), 1, "{pending:?}");
    assert_eq!(queued[0]["status"], "pending");
    let alert_id = ws.json_lines(&["alerts", "--json"])[0]["id"].clone();
    assert_eq!(queued[0]["alerts"], serde_json::json!([alert_id]));

    let sent = ws.ok(&["deliveries", "send"]);
    assert!(sent.starts_with("1 sent"), "{sent}");
    let records = receiver.records();
    let hooks: Vec<&Value> = records
        .iter()
        .filter(|r| r["path"] == "/hooks/vigil")
        .collect();
    assert_eq!(hooks.len(), 2, "the test and the alert: {records:?}");
    let event = hooks[1];
    assert_eq!(
        event["verified"], true,
        "Standard Webhooks signature: {event}"
    );
    assert_eq!(event["headers"]["authorization"], AUTH);
    let body = &event["json"];
    assert_eq!(body["type"], "violation.changed");
    assert_eq!(body["id"], queued[0]["id"]);
    assert_eq!(event["headers"]["webhook-id"], queued[0]["id"]);
    assert_eq!(body["application"]["name"], "shop-api");
    assert_eq!(
        body["violations"][0]["changed"],
        serde_json::json!(["PYSEC-TEST-4 added"])
    );
    assert_eq!(body["violations"][0]["policy"], "Security-Critical");
    assert!(
        !body["violations"][0]["satisfiedConditions"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{body}"
    );

    // Nothing twice: another send, another run.
    let again = ws.ok(&["deliveries", "send"]);
    assert!(again.starts_with("0 sent"), "{again}");
    ws.ok(&["monitor", "run"]);
    ws.ok(&["deliveries", "send"]);
    assert_eq!(receiver.records().len(), 2);
    let listed = ws.deliveries();
    let delivered = listed.iter().find(|d| d["id"] == queued[0]["id"]).unwrap();
    assert_eq!(delivered["status"], "sent");
    assert!(
        delivered["last_answer"]
            .as_str()
            .unwrap()
            .contains("HTTP 200"),
        "{delivered}"
    );
}

#[test]
fn a_receiver_down_for_a_day_gets_every_alert_exactly_once_when_it_is_back() {
    let receiver = HttpReceiver::start(Some(SECRET));
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.baselined_shop("shop-web");
    ws.add_webhook("soc", &receiver.url());
    // Three advisories, imported one by one: 3 alerts in each of 2 applications.
    for (i, id) in ["PYSEC-DOWN-1", "PYSEC-DOWN-2", "PYSEC-DOWN-3"]
        .iter()
        .enumerate()
    {
        ws.import_records(&[&advisory(id, &format!("2024-04-0{}T00:00:00Z", i + 1))]);
    }
    let alerts = ws.json_lines(&["alerts", "--json"]);
    assert_eq!(alerts.len(), 6, "{alerts:?}");
    // The receiver fails every request for a day: 500s, a reset, a 429 asking for an hour.
    receiver.plan(
        serde_json::json!([{"status": 429, "retryAfter": "3600"}, {"reset": true}]),
        serde_json::json!({"status": 503}),
    );
    let start = chrono::DateTime::parse_from_rfc3339("2031-01-01T00:00:00Z").unwrap();
    let mut now = start;
    let mut attempts = 0;
    while now < start + chrono::Duration::hours(24) {
        let out = ws.ok_with(&["deliveries", "send"], None, Some(&now.to_rfc3339()));
        attempts += 1;
        assert!(out.starts_with("0 sent"), "down, at {now}: {out}");
        now += chrono::Duration::minutes(20);
    }
    let failing = ws.deliveries();
    assert!(
        failing.iter().all(|d| d["status"] == "pending"),
        "retried, not given up: {failing:?}"
    );
    assert!(failing
        .iter()
        .all(|d| d["last_answer"].as_str().is_some_and(|a| !a.is_empty())));
    // Backoff: far fewer attempts than passes (30 s, 2 min, 10 min, 1 h, 6 h …; the 429 asked
    // for an hour).
    let tries: u64 = failing
        .iter()
        .map(|d| d["attempts"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(
        (3..=7).contains(&tries),
        "attempts per delivery {tries} over {attempts} passes"
    );
    let failed_requests = receiver.records().len();

    // Back: the next due pass delivers everything, each alert once.
    receiver.plan(serde_json::json!([]), serde_json::json!(200));
    let later = start + chrono::Duration::days(2);
    let out = ws.ok_with(&["deliveries", "send"], None, Some(&later.to_rfc3339()));
    assert!(!out.starts_with("0 sent"), "{out}");
    let records = receiver.records();
    let delivered: Vec<&Value> = records[failed_requests..]
        .iter()
        .filter(|r| r["status"] == 200)
        .collect();
    let mut by_id: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for record in &delivered {
        assert_eq!(record["verified"], true);
        let id = record["headers"]["webhook-id"]
            .as_str()
            .unwrap()
            .to_string();
        let alerts: BTreeSet<i64> = record["json"]["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["alertId"].as_i64().unwrap())
            .collect();
        assert!(
            by_id.insert(id, alerts).is_none(),
            "a delivery id arrived twice"
        );
    }
    let mut seen = BTreeSet::new();
    for alerts in by_id.values() {
        for alert in alerts {
            assert!(seen.insert(*alert), "alert {alert} arrived twice");
        }
    }
    let expected: BTreeSet<i64> = alerts.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(seen, expected, "every alert arrived");
    // The same delivery ids were used through the day: the ids retried are the ids delivered.
    let ids: BTreeSet<String> = failing
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, by_id.keys().cloned().collect::<BTreeSet<_>>());
}

#[test]
fn killed_while_delivering_many_times_nothing_is_lost_and_no_id_is_reused() {
    let receiver = HttpReceiver::start(Some(SECRET));
    let ws = Workspace::new();
    for app in ["a1", "a2", "a3", "a4", "a5", "a6"] {
        ws.baselined_shop(app);
    }
    ws.add_webhook("soc", &receiver.url());
    for i in 1..=4 {
        ws.import_records(&[&advisory(
            &format!("PYSEC-KILL-{i}"),
            &format!("2024-05-0{i}T00:00:00Z"),
        )]);
    }
    let alerts = ws.json_lines(&["alerts", "--json"]);
    assert_eq!(alerts.len(), 24);
    // Each answer takes a while, so that kills land mid-send.
    receiver.plan(
        serde_json::json!([]),
        serde_json::json!({"hang": 0.15, "status": 200}),
    );
    let base = chrono::DateTime::parse_from_rfc3339("2031-02-01T00:00:00Z").unwrap();
    let mut kills = 0;
    for round in 0..12u64 {
        let now = base + chrono::Duration::minutes(5 * round as i64);
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
            .arg("--data-dir")
            .arg(ws.dir.path())
            .args(["deliveries", "send"])
            .env("VIGIL_NOW", now.to_rfc3339())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(60 + 37 * (round % 5)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert!(kills >= 6, "the kills landed mid-send ({kills})");
    // Restarted later: everything left is delivered.
    let end = base + chrono::Duration::hours(2);
    ws.ok_with(&["deliveries", "send"], None, Some(&end.to_rfc3339()));
    let listed = ws.deliveries();
    assert!(listed.iter().all(|d| d["status"] == "sent"), "{listed:?}");

    let mut alerts_of: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut repeats = 0;
    for record in receiver.records().iter().filter(|r| r["status"] == 200) {
        let id = record["headers"]["webhook-id"]
            .as_str()
            .unwrap()
            .to_string();
        let lines: BTreeSet<i64> = record["json"]["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["alertId"].as_i64().unwrap())
            .collect();
        match alerts_of.get(&id) {
            // A kill after the receiver answered and before the outcome was recorded: the
            // same id, the same alerts, sent again (at least once, never under a new id).
            Some(before) => {
                assert_eq!(before, &lines, "delivery {id} changed between attempts");
                repeats += 1;
            }
            None => {
                alerts_of.insert(id, lines);
            }
        }
    }
    assert!(repeats <= kills, "{repeats} repeats for {kills} kills");
    let mut seen = BTreeSet::new();
    for lines in alerts_of.values() {
        for alert in lines {
            assert!(
                seen.insert(*alert),
                "alert {alert} went out under two delivery ids"
            );
        }
    }
    let expected: BTreeSet<i64> = alerts.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(seen, expected, "nothing lost");
}

#[test]
fn gone_disables_a_webhook_and_a_client_error_fails_at_once_with_the_answer() {
    let gone = HttpReceiver::start(None);
    let refusing = HttpReceiver::start(None);
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.ok(&["channels", "add", "webhook", "old", "--url", &gone.url()]);
    ws.ok(&[
        "channels",
        "add",
        "webhook",
        "strict",
        "--url",
        &refusing.url(),
    ]);
    gone.plan(serde_json::json!([]), serde_json::json!({"status": 410}));
    refusing.plan(
        serde_json::json!([{"status": 400, "body": "bad envelope"}]),
        serde_json::json!(200),
    );
    ws.import_records(&[DJANGO_SECOND]);
    let out = ws.run(&["deliveries", "send"], None, None);
    assert_eq!(out.status.code(), Some(1), "a failure exits 1");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("channel old disabled (410 Gone)"), "{text}");
    let channels = ws.json_lines(&["channels", "list", "--json"]);
    let old = channels.iter().find(|c| c["name"] == "old").unwrap();
    assert_eq!(old["enabled"], false);
    assert!(
        old["disabled_reason"].as_str().unwrap().contains("410"),
        "{old}"
    );
    let failed = ws.json_lines(&["deliveries", "--failed", "--json"]);
    assert_eq!(failed.len(), 2, "{failed:?}");
    let strict = failed.iter().find(|d| d["channel"] == "strict").unwrap();
    assert_eq!(strict["attempts"], 1, "a 400 is not retried");
    assert!(
        strict["last_answer"]
            .as_str()
            .unwrap()
            .contains("bad envelope"),
        "{strict}"
    );
    // "Retry now": the same delivery, under the same id, now accepted.
    let id = strict["id"].as_str().unwrap();
    let retried = ws.ok(&["deliveries", "retry", id]);
    assert!(retried.contains("sent after 2 attempts"), "{retried}");
    let ids: Vec<String> = refusing
        .records()
        .iter()
        .map(|r| r["headers"]["webhook-id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec![id.to_string(), id.to_string()]);
}

#[test]
fn email_to_the_owners_over_starttls_with_auth() {
    let smtp = SmtpServer::start(SmtpMode::Starttls, Some(("vigil", "smtp-pass-93b1")));
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.baselined_shop("other-app");
    ws.ok(&["apps", "set", "shop-api", "--owner", "alice@example.com"]);
    ws.ok(&["apps", "set", "other-app", "--owner", "bob@example.com"]);
    let port = smtp.port().to_string();
    let ca = smtp.ca_pem_path();
    ws.ok_with(
        &[
            "channels",
            "add",
            "email",
            "owners",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "starttls",
            "--from",
            "vigil@example.com",
            "--to",
            "appsec@example.com",
            "--to-role",
            "owner",
            "--user",
            "vigil",
            "--password-stdin",
            "--ca-file",
            ca.to_str().unwrap(),
        ],
        Some("smtp-pass-93b1\n"),
        None,
    );
    ws.import_records(&[DJANGO_SECOND]);
    let sent = ws.ok(&["deliveries", "send"]);
    assert!(sent.starts_with("2 sent"), "{sent}");
    let messages = smtp.records();
    assert_eq!(
        messages.len(),
        2,
        "one message per application: {messages:?}"
    );
    for message in &messages {
        let to: Vec<String> = serde_json::from_value(message["rcpt_tos"].clone()).unwrap();
        let content = message["content"].as_str().unwrap();
        let app = if content.contains("X-Vigil-Application: shop-api") {
            "shop-api"
        } else {
            "other-app"
        };
        let owner = if app == "shop-api" {
            "alice@example.com"
        } else {
            "bob@example.com"
        };
        let stranger = if app == "shop-api" {
            "bob@example.com"
        } else {
            "alice@example.com"
        };
        assert!(
            to.contains(&owner.to_string()) && to.contains(&"appsec@example.com".to_string()),
            "{to:?}"
        );
        assert!(
            !to.contains(&stranger.to_string()),
            "an owner hears only about their own application"
        );
        assert!(content.contains("X-Vigil-Threat-Level: 10"), "{content}");
        assert!(content.contains("List-Id:"), "{content}");
        assert!(content.contains("multipart/alternative"), "{content}");
        assert_eq!(message["authenticated"], "vigil");
    }
}

#[test]
fn no_secret_appears_in_the_database_the_output_or_an_export() {
    let receiver = HttpReceiver::start(Some(SECRET));
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.add_webhook("soc", &receiver.url());
    let slack_secret = "T0VIGIL/B0VIGIL/slacksecretpart4242";
    let slack = format!("{}/services/{slack_secret}", receiver.url());
    ws.ok(&["channels", "add", "slack", "room", "--url", &slack]);
    ws.ok_with(
        &[
            "channels",
            "add",
            "jira",
            "tickets",
            "--url",
            &receiver.url(),
            "--project",
            "SEC",
            "--issue-type",
            "Bug",
            "--user",
            "bot",
            "--token-stdin",
        ],
        Some("jira-token-c0ffee\n"),
        None,
    );
    ws.ok(&["channels", "test", "soc"]);
    ws.run(&["channels", "test", "room"], None, None);
    ws.run(&["channels", "test", "tickets"], None, None);
    ws.import_records(&[DJANGO_SECOND]);
    receiver.plan(
        serde_json::json!([{"status": 500, "body": "down"}]),
        serde_json::json!(200),
    );
    ws.run(&["deliveries", "send"], None, None);
    ws.ok(&["channels", "list"]);
    ws.ok(&["channels", "list", "--json"]);
    ws.ok(&["deliveries", "--json"]);
    ws.ok(&["plan", "export"]);
    ws.ok(&["policy", "export"]);
    let data = ws.data_bytes();
    let printed = ws.printed.borrow().clone();
    for secret in [
        SECRET,
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        AUTH,
        "slacksecretpart4242",
        "jira-token-c0ffee",
    ] {
        assert!(
            !contains(&data, secret),
            "{secret} is in the data directory"
        );
        assert!(!printed.contains(secret), "{secret} was printed");
    }
    // They are in the keyring, where a send found them.
    assert!(receiver.records().iter().any(|r| r["verified"] == true));
}

#[test]
fn a_plan_sends_critical_tiers_at_once_collects_a_digest_and_says_so_in_its_preview() {
    let receiver = HttpReceiver::start(Some(SECRET));
    let smtp = SmtpServer::start(SmtpMode::Plain, None);
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.baselined_shop("shop-web");
    ws.ok(&["apps", "set", "shop-api", "--tier", "critical"]);
    ws.add_webhook("soc", &receiver.url());
    let port = smtp.port().to_string();
    ws.ok(&[
        "channels",
        "add",
        "email",
        "mail",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "none",
        "--from",
        "vigil@example.com",
        "--to",
        "appsec@example.com",
    ]);
    let plan = "tiers:\n  critical:\n    channels: [soc]\n  medium:\n    channels: [mail]\n    delivery: digest\ndigest_at: \"08:00\"\ntimezone: UTC\n";
    let file = ws.dir.path().join("plan.yaml");
    std::fs::write(&file, plan).unwrap();
    ws.ok(&["plan", "import", file.to_str().unwrap()]);

    // The preview says who would be told, and when.
    let critical: Value =
        serde_json::from_str(&ws.ok(&["plan", "preview", "--app", "shop-api", "--json"])).unwrap();
    assert_eq!(
        critical["entries"].as_array().unwrap().len(),
        1,
        "{critical}"
    );
    assert_eq!(critical["entries"][0]["channel"], "soc");
    assert_eq!(critical["entries"][0]["when"], "immediately");
    let medium = ws.ok(&["plan", "preview", "--app", "shop-web"]);
    assert!(
        medium.contains("mail (email) → appsec@example.com, in the digest at"),
        "{medium}"
    );
    let low: Value = serde_json::from_str(&ws.ok(&[
        "plan", "preview", "--app", "shop-web", "--threat", "9", "--kind", "resolved", "--json",
    ]))
    .unwrap();
    assert_eq!(low["entries"][0]["mode"], "digest", "{low}");

    // Two advisories, imported one after the other: the critical application's webhook hears
    // of each at once; the medium one's digest collects both.
    ws.import_records(&[DJANGO_SECOND]);
    ws.import_records(&[&advisory("PYSEC-DIGEST-2", "2024-06-01T00:00:00Z")]);
    let out = ws.ok(&["deliveries", "send"]);
    assert!(out.starts_with("2 sent"), "{out}");
    assert!(smtp.records().is_empty(), "the digest waits for its time");
    let digests: Vec<Value> = ws
        .deliveries()
        .into_iter()
        .filter(|d| d["event"] == "digest")
        .collect();
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert_eq!(digests[0]["alerts"].as_array().unwrap().len(), 2);
    let due = digests[0]["next_attempt_at"].as_str().unwrap().to_string();
    assert!(due.ends_with("T08:00:00Z"), "{due}");
    let after = chrono::DateTime::parse_from_rfc3339(&due).unwrap() + chrono::Duration::minutes(1);
    let out = ws.ok_with(&["deliveries", "send"], None, Some(&after.to_rfc3339()));
    assert!(out.starts_with("1 sent"), "{out}");
    let mail = smtp.records();
    assert_eq!(mail.len(), 1);
    let content = mail[0]["content"].as_str().unwrap();
    assert!(
        content.contains("PYSEC-TEST-4") && content.contains("PYSEC-DIGEST-2"),
        "{content}"
    );

    // As code: exported, it imports back; a bad file is refused whole, at its line.
    let exported = ws.ok(&["plan", "export"]);
    std::fs::write(&file, &exported).unwrap();
    ws.ok(&["plan", "import", file.to_str().unwrap()]);
    assert_eq!(ws.ok(&["plan", "export"]), exported);
    std::fs::write(&file, "tiers:\n  critical:\n    channels: [nowhere]\n").unwrap();
    let refused = ws.run(&["plan", "import", file.to_str().unwrap()], None, None);
    assert_eq!(refused.status.code(), Some(2));
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(error.contains("plan.yaml: line 3"), "{error}");
    assert!(error.contains("nowhere"), "{error}");
    assert_eq!(ws.ok(&["plan", "export"]), exported, "nothing changed");
}

#[test]
fn a_violation_open_past_its_sla_escalates_to_the_manager_once() {
    let smtp = SmtpServer::start(SmtpMode::Plain, None);
    let ws = Workspace::new();
    let start = "2031-03-01T09:00:00Z";
    ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    ws.ok(&[
        "scan",
        fixtures()
            .join("shop-api/requirements.txt")
            .to_str()
            .unwrap(),
        "--app",
        "shop-api",
    ]);
    ws.ok(&[
        "apps",
        "set",
        "shop-api",
        "--owner",
        "alice@example.com",
        "--manager",
        "carol@example.com",
    ]);
    ws.ok_with(&["monitor", "run"], None, Some(start));
    let port = smtp.port().to_string();
    ws.ok(&[
        "channels",
        "add",
        "email",
        "mail",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "none",
        "--from",
        "vigil@example.com",
        "--to-role",
        "owner",
    ]);
    // Six days later: within the critical SLA (7 days), nothing.
    ws.ok_with(&["monitor", "run"], None, Some("2031-03-07T09:00:00Z"));
    ws.ok_with(&["deliveries", "send"], None, Some("2031-03-07T09:00:00Z"));
    assert!(smtp.records().is_empty());
    // Eight days later: the critical violation escalates to the manager, once.
    ws.ok_with(&["monitor", "run"], None, Some("2031-03-09T09:00:00Z"));
    ws.ok_with(&["deliveries", "send"], None, Some("2031-03-09T09:00:00Z"));
    let mail = smtp.records();
    assert_eq!(mail.len(), 1, "{mail:?}");
    let to: Vec<String> = serde_json::from_value(mail[0]["rcpt_tos"].clone()).unwrap();
    assert_eq!(to, vec!["carol@example.com".to_string()]);
    let content = mail[0]["content"].as_str().unwrap();
    assert!(content.contains("SLA"), "{content}");
    ws.ok_with(&["monitor", "run"], None, Some("2031-03-10T09:00:00Z"));
    ws.ok_with(&["deliveries", "send"], None, Some("2031-03-10T09:00:00Z"));
    assert_eq!(smtp.records().len(), 1, "an escalation is told once");
}

#[test]
fn a_waiver_expiring_soon_is_announced_once() {
    let receiver = HttpReceiver::start(None);
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.ok(&[
        "channels",
        "add",
        "webhook",
        "soc",
        "--url",
        &receiver.url(),
    ]);
    ws.ok_with(
        &[
            "waivers",
            "add",
            "--app",
            "shop-api",
            "--component",
            "pkg:pypi/six@1.16.0",
            "--reason",
            "not reachable",
            "--expires",
            "2031-04-10",
        ],
        None,
        Some("2031-03-01T09:00:00Z"),
    );
    // 20 days before: not yet within the 14 days.
    ws.ok_with(&["monitor", "run"], None, Some("2031-03-21T09:00:00Z"));
    ws.ok_with(&["deliveries", "send"], None, Some("2031-03-21T09:00:00Z"));
    assert!(receiver.records().is_empty());
    for day in ["2031-03-30T09:00:00Z", "2031-03-31T09:00:00Z"] {
        ws.ok_with(&["monitor", "run"], None, Some(day));
        ws.ok_with(&["deliveries", "send"], None, Some(day));
    }
    let records = receiver.records();
    assert_eq!(records.len(), 1, "{records:?}");
    let body = &records[0]["json"];
    assert_eq!(body["type"], "waiver.expiring");
    assert_eq!(body["waivers"][0]["expires"], "2031-04-10");
    assert_eq!(body["waivers"][0]["daysLeft"], 11);
}

#[test]
fn a_webhook_listing_its_events_hears_of_runs_and_advisory_updates_and_nothing_else() {
    let receiver = HttpReceiver::start(None);
    let ws = Workspace::new();
    ws.baselined_shop("shop-api");
    ws.ok(&[
        "channels",
        "add",
        "webhook",
        "ops",
        "--url",
        &receiver.url(),
        "--events",
        "violation.new,evaluation.completed,advisories.updated",
    ]);
    let unknown = ws.run(
        &[
            "channels",
            "add",
            "webhook",
            "x",
            "--url",
            &receiver.url(),
            "--events",
            "violation.maybe",
        ],
        None,
        None,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown type \"violation.maybe\""));
    // A CHANGED alert: not asked for. The advisory update and the import's run: asked for.
    ws.import_records(&[DJANGO_SECOND]);
    ws.ok(&["monitor", "run"]);
    ws.ok(&["deliveries", "send"]);
    let types: Vec<String> = receiver
        .records()
        .iter()
        .map(|r| r["json"]["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        types,
        vec![
            "advisories.updated",
            "evaluation.completed",
            "evaluation.completed"
        ],
        "{types:?}"
    );
    let records = receiver.records();
    assert!(
        records[0]["json"]["summary"]
            .as_str()
            .unwrap()
            .contains("1 advisory records new or changed"),
        "{}",
        records[0]["json"]
    );
    assert!(
        records[1]["json"]["summary"]
            .as_str()
            .unwrap()
            .contains("0 new, 1 changed"),
        "{}",
        records[1]["json"]
    );
}

#[test]
fn without_a_reachable_keyring_a_channel_with_a_secret_is_refused_clearly_and_nothing_is_stored() {
    let ws = Workspace::new();
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    let output = command
        .arg("--data-dir")
        .arg(ws.dir.path())
        .args([
            "channels",
            "add",
            "webhook",
            "soc",
            "--url",
            "http://127.0.0.1:9/",
            "--secret-stdin",
        ])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/vigil-bus",
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{SECRET}\n").as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("OS keyring"), "{error}");
    assert!(!error.contains(SECRET), "{error}");
    assert!(ws.ok(&["channels", "list"]).starts_with("no channels"));
}

#[test]
fn jira_opens_one_issue_per_new_violation_and_comments_on_its_change() {
    let jira = vigil_testkit::JiraServer::start("bot", "jira-token-e2e", "SEC");
    let ws = Workspace::new();
    ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    ws.ok(&[
        "scan",
        fixtures()
            .join("shop-api/requirements.txt")
            .to_str()
            .unwrap(),
        "--app",
        "shop-api",
    ]);
    ws.ok(&["apps", "set", "shop-api", "--alert-on-baseline", "on"]);
    ws.ok_with(
        &[
            "channels",
            "add",
            "jira",
            "tickets",
            "--url",
            &jira.url(),
            "--project",
            "SEC",
            "--issue-type",
            "Bug",
            "--user",
            "bot",
            "--token-stdin",
        ],
        Some("jira-token-e2e\n"),
        None,
    );
    let tested = ws.ok(&["channels", "test", "tickets"]);
    assert!(tested.contains("ok"), "{tested}");
    ws.ok(&["monitor", "run"]);
    let new = ws.json_lines(&["alerts", "--json"]).len();
    assert!(new >= 2, "the baseline alerts here ({new})");
    ws.ok(&["deliveries", "send"]);
    let issues = jira.issues();
    assert_eq!(issues.len(), new, "one issue per new violation: {issues:?}");
    // The Django violation changes: a comment on its issue, no second issue.
    ws.import_records(&[DJANGO_SECOND]);
    ws.ok(&["deliveries", "send"]);
    let issues = jira.issues();
    assert_eq!(issues.len(), new);
    let commented: Vec<&Value> = issues
        .iter()
        .filter(|i| i["comments"].as_array().is_some_and(|c| !c.is_empty()))
        .collect();
    assert_eq!(commented.len(), 1, "{issues:?}");
    assert!(
        commented[0]["comments"][0]
            .to_string()
            .contains("PYSEC-TEST-4"),
        "{}",
        commented[0]
    );
    let reference = ws
        .deliveries()
        .iter()
        .filter_map(|d| d["reference"].as_str().map(str::to_string))
        .collect::<Vec<_>>();
    assert!(
        reference.iter().any(|r| r.starts_with("SEC-")),
        "{reference:?}"
    );
}
