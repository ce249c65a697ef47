//! `vigil apps`, `vigil orgs` and `vigil coverage` end to end: the built binary on a real
//! SQLite file in a temporary data directory.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Ws {
    dir: tempfile::TempDir,
}

impl Ws {
    fn new() -> Self {
        Ws {
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

    /// Runs, insists on exit code 2 (a refused input); returns stderr.
    fn refused(&self, args: &[&str]) -> String {
        let output = self.vigil(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "vigil {args:?} should be refused\nstdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8(output.stderr).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn scan(&self, app: &str) {
        let requirements = fixtures().join("shop-api/requirements.txt");
        self.ok(&["scan", requirements.to_str().unwrap(), "--app", app]);
    }
}

fn app<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in {list}"))
}

#[test]
fn set_show_and_list_speak_the_same_profile() {
    let ws = Ws::new();
    let refused = ws.refused(&["apps", "set", "shop", "--tier", "high"]);
    assert!(
        refused.contains("no application named \"shop\"; add --create"),
        "{refused}"
    );
    let set = ws.ok(&[
        "apps",
        "set",
        "shop",
        "--create",
        "--tier",
        "high",
        "--owner",
        "Ada <ada@example.com>",
        "--owner",
        "bob@example.com",
        "--exposure",
        "external",
        "--users",
        "5000",
        "--stage",
        "release",
        "--org",
        "Payments",
        "--category",
        "pci",
    ]);
    assert_eq!(
        set.trim(),
        "shop: created, stage release, organization Payments, categories pci, tier high, \
         owner ada@example.com, bob@example.com, exposure external, users 5000"
    );
    let shown = ws.json(&["apps", "show", "shop", "--json"]);
    assert_eq!(shown["public_id"], "shop");
    assert_eq!(shown["organization"], "Payments");
    assert_eq!(shown["users"], 5000);
    assert_eq!(shown["contacts"][0]["name"], "Ada");
    assert_eq!(shown["contacts"][1]["email"], "bob@example.com");
    let text = ws.ok(&["apps", "show", "shop"]);
    assert!(text.contains("exposure:          external"), "{text}");

    // A bad value names the field and value, and changes nothing.
    let refused = ws.refused(&["apps", "set", "shop", "--tier", "urgent", "--users", "1"]);
    assert!(
        refused.contains("tier \"urgent\" is not one of critical, high, medium, low"),
        "{refused}"
    );
    let refused = ws.refused(&["apps", "set", "shop", "--owner", "not-an-email"]);
    assert!(
        refused.contains("owner \"not-an-email\" is not an email address"),
        "{refused}"
    );
    assert_eq!(ws.json(&["apps", "show", "shop", "--json"])["users"], 5000);

    ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    ws.scan("web");
    let list = ws.json(&["apps", "list", "--json"]);
    let shop = app(&list, "shop");
    assert_eq!(shop["tier"], "high");
    assert_eq!(shop["owner"], "ada@example.com");
    assert_eq!(shop["monitored"], true);
    assert_eq!(shop["last_scan_at"], Value::Null);
    let web = app(&list, "web");
    let bands = &web["violations_by_threat"];
    let banded: u64 = ["critical", "severe", "moderate", "low"]
        .iter()
        .map(|b| bands[b].as_u64().unwrap())
        .sum();
    assert!(web["violations"].as_u64().unwrap() > 0, "{web}");
    assert_eq!(banded, web["violations"].as_u64().unwrap(), "{web}");
    let table = ws.ok(&["apps", "list"]);
    assert!(table.starts_with("NAME "), "{table}");
    assert!(table.contains("ada@example.com"), "{table}");

    // `vigil app` is the same command.
    let set = ws.ok(&["app", "set", "shop", "--status", "retired"]);
    assert_eq!(set.trim(), "shop: status retired");
}

#[test]
fn an_organization_that_turns_monitoring_on_keeps_its_applications_monitored() {
    let ws = Ws::new();
    ws.ok(&["orgs", "add", "Payments", "--monitor", "on"]);
    ws.ok(&["orgs", "add", "Cards", "--parent", "Payments"]);
    ws.ok(&["apps", "set", "card-api", "--create", "--org", "Cards"]);
    let refused = ws.refused(&["apps", "set", "card-api", "--monitor", "off"]);
    assert!(
        refused.contains("organization Payments turns monitoring on"),
        "{refused}"
    );
    assert_eq!(
        ws.json(&["apps", "show", "card-api", "--json"])["monitor"],
        true
    );
    let tree = ws.ok(&["orgs", "list"]);
    assert_eq!(
        tree,
        "Root  (monitoring inherit, 0 applications)\n  Payments  (monitoring on, 0 applications)\n    Cards  (monitoring inherit, 1 applications)\n"
    );
    assert!(ws
        .refused(&["orgs", "set", "Payments", "--parent", "Cards"])
        .contains("cycle"));
    assert!(ws.refused(&["orgs", "add", "payments"]).contains("exists"));

    ws.ok(&["orgs", "set", "Payments", "--monitor", "inherit"]);
    let set = ws.ok(&["apps", "set", "card-api", "--monitor", "off"]);
    assert_eq!(set.trim(), "card-api: monitor off");
    let list = ws.json(&["apps", "list", "--json"]);
    assert_eq!(app(&list, "card-api")["monitored"], false);

    // Turned on again above it, the application is monitored though its own switch is off.
    ws.ok(&["orgs", "set", "Payments", "--monitor", "on"]);
    let shown = ws.json(&["apps", "show", "card-api", "--json"]);
    assert_eq!(
        (shown["monitor"].as_bool(), shown["monitored"].as_bool()),
        (Some(false), Some(true))
    );
}

#[test]
fn a_csv_import_with_a_bad_row_changes_nothing_and_a_good_one_applies_whole() {
    let ws = Ws::new();
    ws.ok(&["apps", "set", "kept", "--create", "--tier", "low"]);
    let bad = ws.write(
        "bad.csv",
        "name,organization,tier,owner\nfresh,Retail,high,ada@example.com\nkept,,critical,bad-address\n",
    );
    let refused = ws.refused(&["apps", "import", &bad]);
    assert!(
        refused.contains("bad.csv line 3: owner \"bad-address\" is not an email address"),
        "{refused}"
    );
    let list = ws.json(&["apps", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(app(&list, "kept")["tier"], "low");
    assert_eq!(
        ws.json(&["orgs", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let good = ws.write(
        "good.csv",
        "name,organization,tier,owner,monitor\nfresh,Retail,high,Ada <ada@example.com>,off\nkept,,critical,,\n",
    );
    let out = ws.ok(&["apps", "import", &good]);
    assert!(
        out.ends_with(": 1 applications created, 1 updated\n"),
        "{out}"
    );
    let list = ws.json(&["apps", "list", "--json"]);
    assert_eq!(app(&list, "kept")["tier"], "critical");
    assert_eq!(app(&list, "fresh")["organization"], "Retail");
    assert_eq!(app(&list, "fresh")["monitored"], false);
    assert_eq!(app(&list, "fresh")["owner"], "ada@example.com");

    let unknown = ws.write("unknown.csv", "name,colour\nx,red\n");
    assert!(ws
        .refused(&["apps", "import", &unknown])
        .contains("unknown column \"colour\""));
}

#[test]
fn coverage_lists_the_unmonitored_the_never_scanned_and_the_stale() {
    let ws = Ws::new();
    ws.scan("old-scan");
    ws.scan("recent");
    ws.ok(&[
        "apps",
        "set",
        "public-site",
        "--create",
        "--exposure",
        "external",
        "--monitor",
        "off",
    ]);
    ws.ok(&["apps", "set", "unscanned", "--create", "--stage", "release"]);
    let db = ws.dir.path().join("vigil.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let changed = conn
        .execute(
            "UPDATE scans SET created_at = '2020-01-01T00:00:00Z'
             WHERE application_id = (SELECT id FROM applications WHERE name = 'old-scan')",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);

    let report = ws.json(&["coverage", "--json"]);
    let gaps: Vec<(String, String)> = report["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["application"].as_str().unwrap().to_string(),
                g["gap"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("old-scan", "stale"),
        ("public-site", "not_monitored"),
        ("unscanned", "never_scanned"),
    ];
    assert_eq!(
        gaps,
        expected.map(|(a, k)| (a.to_string(), k.to_string())),
        "{report}"
    );
    assert_eq!(
        report["gaps"][0]["gap"]["last_scan_at"],
        "2020-01-01T00:00:00Z"
    );
    let output = ws.vigil(&["coverage"]);
    assert_eq!(output.status.code(), Some(0));
    let table = String::from_utf8(output.stdout).unwrap();
    for (name, gap) in [
        ("old-scan", "stale"),
        ("public-site", "not monitored"),
        ("unscanned", "never scanned"),
    ] {
        assert!(
            table
                .lines()
                .any(|l| l.starts_with(name) && l.contains(gap)),
            "{name} {gap} in\n{table}"
        );
    }
    assert!(!table.contains("recent"), "{table}");
}

#[test]
fn coverage_rules_are_listed_added_removed_and_reset() {
    let ws = Ws::new();
    assert_eq!(
        ws.ok(&["coverage", "rules"]),
        "1. exposure is external or users ≥ 1000 ⇒ must be monitored\n2. status is retired ⇒ leaves monitoring\n"
    );
    let added = ws.ok(&[
        "coverage",
        "rules",
        "add",
        "--when",
        "tier=critical",
        "--when",
        "hosting=distributed",
        "--all",
        "--must-monitor",
    ]);
    assert!(
        added.ends_with("3. tier is critical and hosting is distributed ⇒ must be monitored\n"),
        "{added}"
    );
    let refused = ws.refused(&[
        "coverage",
        "rules",
        "add",
        "--when",
        "tier=urgent",
        "--must-monitor",
    ]);
    assert!(
        refused.contains("coverage rule 4: tier \"urgent\""),
        "{refused}"
    );
    assert!(ws
        .refused(&["coverage", "rules", "remove", "9"])
        .contains("no coverage rule 9"));
    let removed = ws.ok(&["coverage", "rules", "remove", "1"]);
    assert!(removed.starts_with("1. status is retired"), "{removed}");

    // With the external rule gone, an unmonitored external application is no gap.
    ws.ok(&[
        "apps",
        "set",
        "site",
        "--create",
        "--exposure",
        "external",
        "--monitor",
        "off",
    ]);
    let report = ws.json(&["coverage", "--json"]);
    assert_eq!(report["gaps"].as_array().unwrap().len(), 0, "{report}");
    ws.ok(&["coverage", "rules", "reset"]);
    let report = ws.json(&["coverage", "--json"]);
    assert_eq!(report["gaps"][0]["application"], "site");
}

#[test]
fn monitor_new_applications_decides_for_an_application_created_by_its_first_scan() {
    let ws = Ws::new();
    assert_eq!(
        ws.ok(&["apps", "monitor-new"]),
        "monitor new applications: on\n"
    );
    ws.ok(&["apps", "monitor-new", "off"]);
    ws.scan("quiet");
    let list = ws.json(&["apps", "list", "--json"]);
    assert_eq!(app(&list, "quiet")["monitored"], false);
    ws.ok(&["apps", "monitor-new", "on"]);
    ws.scan("loud");
    let list = ws.json(&["apps", "list", "--json"]);
    assert_eq!(app(&list, "loud")["monitored"], true);
}
