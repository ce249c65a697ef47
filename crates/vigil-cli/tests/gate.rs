//! `vigil evaluate`, `vigil policy` and `vigil waivers` as a CI pipeline calls them: the real
//! binary on a real SQLite file, exit codes and the documented output formats.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Ws(tempfile::TempDir);

impl Ws {
    fn new() -> Ws {
        let ws = Ws(tempfile::tempdir().unwrap());
        ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
        ws
    }

    fn vigil(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_vigil"))
            .arg("--data-dir")
            .arg(self.0.path().join("data"))
            .args(args)
            .env_remove("VIGIL_DATA_DIR")
            .env("USER", "ci-bot")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.vigil(args);
        assert!(
            output.status.success(),
            "vigil {args:?}: {:?}\n{}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn path(&self, name: &str) -> String {
        self.0.path().join(name).display().to_string()
    }
}

fn requirements() -> String {
    fixtures()
        .join("shop-api/requirements.txt")
        .display()
        .to_string()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn evaluate_exits_1_on_a_fail_action_0_on_warnings_and_1_on_warnings_when_asked() {
    let ws = Ws::new();
    // Django 2.2.10 has a CVSS 9.8 advisory: Security-Critical fails at release.
    let release = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "release",
        &requirements(),
    ]);
    assert_eq!(release.status.code(), Some(1), "{}", stdout(&release));
    let table = stdout(&release);
    assert!(
        table.lines().any(|l| l.starts_with("FAIL")
            && l.contains("Security-Critical")
            && l.contains("pkg:pypi/django@2.2.10")
            && l.contains("PYSEC-TEST-1 (9.8, fixed in 2.2.28)")),
        "{table}"
    );
    assert!(
        table.contains("FAIL: shop at release: 1 fail, 1 warn, 0 without action, 0 waived"),
        "{table}"
    );

    // At build the same violations only warn.
    let build = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "build",
        &requirements(),
    ]);
    assert_eq!(build.status.code(), Some(0), "{}", stdout(&build));
    assert!(stdout(&build).contains("WARN: shop at build"));
    let strict = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "build",
        "--fail-on-warn",
        &requirements(),
    ]);
    assert_eq!(strict.status.code(), Some(1));

    // Usage and system errors are 2: an unknown stage, a file that cannot be read at all.
    let usage = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "prod",
        &requirements(),
    ]);
    assert_eq!(usage.status.code(), Some(2));
    let missing = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "build",
        &ws.path("nope.txt"),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.txt"));
    let no_app = ws.vigil(&["evaluate", "--stage", "build", &requirements()]);
    assert_eq!(no_app.status.code(), Some(2));
}

#[test]
fn evaluate_writes_json_and_sarif_result_files() {
    let ws = Ws::new();
    let json_file = ws.path("result.json");
    let run = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "release",
        "--format",
        "json",
        "--result-file",
        &json_file,
        &requirements(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stdout(&run).contains("FAIL: shop at release"),
        "the table still goes to the log"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    assert_eq!(report["outcome"], "fail");
    assert_eq!(report["stage"], "release");
    assert_eq!(report["counts"]["fail"], 1);
    let first = &report["violations"][0];
    assert_eq!(first["policy"], "Security-Critical");
    assert_eq!(first["action"], "fail");
    assert_eq!(first["advisories"][0]["id"], "PYSEC-TEST-1");

    let sarif_file = ws.path("vigil.sarif");
    ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "release",
        "--format",
        "sarif",
        "--result-file",
        &sarif_file,
        &requirements(),
    ]);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_file).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "Vigil");
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        report["violations"].as_array().unwrap().len()
    );
    let critical = results
        .iter()
        .find(|r| r["level"] == "error")
        .expect("the fail action is an error");
    assert!(critical["message"]["text"]
        .as_str()
        .unwrap()
        .contains("PYSEC-TEST-1"));
    assert!(
        critical["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("requirements.txt")
    );
}

#[test]
fn waivers_are_added_listed_honoured_and_removed_from_the_command_line() {
    let ws = Ws::new();
    ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "release",
        &requirements(),
    ]);
    let added = ws.ok(&[
        "waivers",
        "add",
        "--app",
        "shop",
        "--component",
        "pkg:pypi/django@2.2.10",
        "--policy",
        "Security-Critical",
        "--reason",
        "not reachable",
        "--expires",
        "2099-12-31",
    ]);
    assert!(added.starts_with("waiver 1 added: pkg:pypi/django@2.2.10, policy Security-Critical in application shop, expires 2099-12-31"), "{added}");

    let run = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "release",
        &requirements(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "waived: the gate passes\n{}",
        stdout(&run)
    );
    assert!(stdout(&run)
        .lines()
        .any(|l| l.starts_with("waived") && l.contains("waived until 2099-12-31: not reachable")));

    let listed = ws.ok(&["waivers", "list"]);
    assert!(
        listed.contains("2099-12-31") && listed.contains("ci-bot"),
        "{listed}"
    );
    let json: Value = serde_json::from_str(&ws.ok(&["waivers", "list", "--json"])).unwrap();
    assert_eq!(json[0]["reason"], "not reachable");

    // Exactly one scope is required, and a reason.
    let both = ws.vigil(&[
        "waivers",
        "add",
        "--app",
        "shop",
        "--everywhere",
        "--component",
        "pkg:pypi/six@1.16.0",
        "--reason",
        "x",
    ]);
    assert_eq!(both.status.code(), Some(2));
    let no_reason = ws.vigil(&[
        "waivers",
        "add",
        "--everywhere",
        "--component",
        "pkg:pypi/six@1.16.0",
    ]);
    assert_eq!(no_reason.status.code(), Some(2));

    ws.ok(&["waivers", "remove", "1"]);
    assert_eq!(ws.vigil(&["waivers", "remove", "1"]).status.code(), Some(2));
    let run = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "release",
        &requirements(),
    ]);
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn vex_in_and_out() {
    let ws = Ws::new();
    let nothing = ws.vigil(&["waivers", "export-vex"]);
    assert_eq!(
        nothing.status.code(),
        Some(1),
        "no waiver: no OpenVEX document"
    );
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("nothing to state"));
    let vex = ws.path("django.cdx.json");
    std::fs::write(
        &vex,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
  "components":[{"bom-ref":"django","type":"library","name":"django","version":"2.2.10","purl":"pkg:pypi/django@2.2.10"}],
  "vulnerabilities":[{"id":"CVE-2099-0001","analysis":{"state":"not_affected","justification":"code_not_reachable","detail":"values() is never called"},"affects":[{"ref":"django"}]}]}"#,
    )
    .unwrap();
    let imported = ws.ok(&["waivers", "import-vex", &vex]);
    assert!(
        imported.contains("(cyclonedx): 1 statements, 1 waivers created, 0 skipped"),
        "{imported}"
    );
    let run = ws.vigil(&[
        "evaluate",
        "--app",
        "shop",
        "--stage",
        "release",
        &requirements(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "CVE-2099-0001 is PYSEC-TEST-1's alias\n{}",
        stdout(&run)
    );
    let exported: Value = serde_json::from_str(&ws.ok(&["waivers", "export-vex"])).unwrap();
    assert_eq!(exported["statements"][0]["status"], "not_affected");
    assert!(exported["@context"]
        .as_str()
        .unwrap()
        .starts_with("https://openvex.dev/ns"));

    let bad = ws.path("bad.json");
    std::fs::write(&bad, "{\"hello\": 1}").unwrap();
    let refused = ws.vigil(&["waivers", "import-vex", &bad]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("bad.json"));
}

#[test]
fn policy_export_import_round_trips_and_errors_point_at_the_line() {
    let ws = Ws::new();
    let exported = ws.ok(&["policy", "export"]);
    assert!(exported.contains("Security-Critical"));
    let file = ws.path("policies.yaml");
    std::fs::write(&file, &exported).unwrap();
    let imported = ws.ok(&["policy", "import", &file]);
    assert!(
        imported.contains("0 added, 0 changed, 0 removed, 10 unchanged"),
        "{imported}"
    );

    let broken = exported.replacen("threat_level: 10", "threat_level: ten", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("threat_level: ten"))
        .unwrap()
        + 1;
    std::fs::write(&file, &broken).unwrap();
    let refused = ws.vigil(&["policy", "import", &file]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!("policies.yaml: line {line}")),
        "line {line}: {stderr}"
    );
    assert_eq!(ws.ok(&["policy", "export"]), exported, "nothing changed");
}

#[test]
fn policies_scoped_to_a_category_or_organization_apply_only_there() {
    let ws = Ws::new();
    let file = ws.path("scoped.yaml");
    std::fs::write(
        &file,
        "version: 1\npolicies:\n  - name: Internet-Facing-Unscored\n    threat_level: 8\n    scope: {category: internet-facing}\n    actions: {release: fail}\n    constraints:\n      - name: unscored\n        conditions: [unscored]\n",
    )
    .unwrap();
    ws.ok(&["policy", "import", &file]);
    let evaluate = || {
        ws.vigil(&[
            "evaluate",
            "--app",
            "shop",
            "--stage",
            "release",
            &requirements(),
        ])
    };
    assert_eq!(
        evaluate().status.code(),
        Some(0),
        "shop carries no category yet"
    );
    let set = ws.ok(&[
        "app",
        "set",
        "shop",
        "--org",
        "payments",
        "--category",
        "internet-facing",
    ]);
    assert_eq!(
        set.trim(),
        "shop: organization payments, categories internet-facing"
    );
    let run = evaluate();
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    assert!(stdout(&run).contains("Internet-Facing-Unscored  pkg:pypi/requests@2.8.1"));
    ws.ok(&["app", "set", "shop", "--no-categories"]);
    assert_eq!(evaluate().status.code(), Some(0));
    assert_eq!(
        ws.vigil(&["app", "set", "nope", "--org", "x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_newer_spdx_license_list_adds_licenses_and_keeps_the_users_groups() {
    let ws = Ws::new();
    let list = ws.path("licenses.json");
    std::fs::write(
        &list,
        r#"{"licenseListVersion":"9.99","licenses":[
  {"licenseId":"MIT","isOsiApproved":true,"isDeprecatedLicenseId":false},
  {"licenseId":"AGPL-9.0-only","isOsiApproved":true,"isDeprecatedLicenseId":false},
  {"licenseId":"Brand-New-Permissive","isOsiApproved":true,"isDeprecatedLicenseId":false}
]}"#,
    )
    .unwrap();
    let out = ws.ok(&["policy", "license-list", &list]);
    assert!(
        out.ends_with(": 2 licenses added to the threat groups\n"),
        "{out}"
    );
    let exported = ws.ok(&["policy", "export"]);
    assert!(
        exported.contains("AGPL-9.0-only: banned"),
        "by the same rules as the defaults"
    );
    assert!(exported.contains("Brand-New-Permissive: liberal"));
    assert!(exported.contains("MIT: liberal"));
    let again = ws.ok(&["policy", "license-list", &list]);
    assert!(again.contains(": 0 licenses added"), "{again}");

    std::fs::write(&list, "{\"licenses\": 3}").unwrap();
    let refused = ws.vigil(&["policy", "license-list", &list]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("licenses.json"));
}

#[test]
fn the_real_spdx_license_list_is_grouped_whole() {
    let list =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/spdx/licenses.json");
    if !list.exists() {
        eprintln!("SKIPPED: {} is missing", list.display());
        return;
    }
    let ws = Ws::new();
    let out = ws.ok(&["policy", "license-list", list.to_str().unwrap()]);
    // Vigil's own list (from the spdx crate) is newer than 3.28.0: nothing is missing.
    assert!(out.contains(": 0 licenses added"), "{out}");
}
