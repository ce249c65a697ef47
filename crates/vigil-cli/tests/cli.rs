//! The `vigil` binary end to end, on a real SQLite file in a temporary data directory.
//! Fixtures are the project's own (tests/fixtures); tests on the real OSV dumps in
//! `../shared/data` say so when they are skipped.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
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
        self.vigil_with_stdin(args, None)
    }

    fn vigil_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
            .arg("--data-dir")
            .arg(self.dir.path())
            .args(args)
            .env_remove("VIGIL_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).unwrap();
        }
        drop(pipe);
        child.wait_with_output().unwrap()
    }

    /// Runs and insists on exit code 0; returns stdout.
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

    fn import_fixtures(&self) {
        self.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    }
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn ids(line: &Value) -> Vec<String> {
    line["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn import_is_idempotent_and_status_counts_per_ecosystem() {
    let ws = Workspace::new();
    let first = ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    assert!(
        first.contains("imported 4 records: 4 new or updated, 0 unchanged"),
        "{first}"
    );
    let again = ws.ok(&["db", "import", fixtures().join("osv").to_str().unwrap()]);
    assert!(
        again.contains("imported 4 records: 0 new or updated, 4 unchanged"),
        "{again}"
    );

    let status: Value = serde_json::from_str(&ws.ok(&["db", "status", "--json"])).unwrap();
    assert!(status["schema_version"].as_u64().unwrap() >= 1);
    assert_eq!(status["advisories"], 4);
    let ecosystems: Vec<(String, u64, u64)> = status["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["ecosystem"].as_str().unwrap().into(),
                e["advisories"].as_u64().unwrap(),
                e["withdrawn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ecosystems, [("PyPI".into(), 4, 1), ("npm".into(), 1, 0)]);
    assert!(status["ecosystems"][0]["imported_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    let table = ws.ok(&["db", "status"]);
    assert!(
        table.contains(&format!("schema version   {}", status["schema_version"])),
        "{table}"
    );
}

#[test]
fn query_prints_one_json_object_per_purl_in_the_documented_shape() {
    let ws = Workspace::new();
    ws.import_fixtures();
    let out = ws.ok(&[
        "query",
        "--json",
        "pkg:pypi/django@2.2.10",
        "pkg:pypi/DJANGO@3.2.13",
        "pkg:npm/lodash@4.17.20",
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    // Key order and fields are a contract for scripts.
    assert!(out.lines().next().unwrap().starts_with(r#"{"purl":"pkg:pypi/django@2.2.10","advisories":[{"id":"PYSEC-TEST-1","aliases":["CVE-2099-0001"],"summary":"#), "{out}");
    assert_eq!(
        lines[0]["advisories"][0]["severity"],
        serde_json::json!({"score": 9.8, "rating": "CRITICAL"})
    );
    assert!(
        lines[2]["advisories"][0]["severity"].is_null(),
        "an unscored advisory says so: {}",
        lines[2]
    );
    assert_eq!(
        ids(&lines[0]),
        ["PYSEC-TEST-1"],
        "the withdrawn advisory never matches"
    );
    assert_eq!(
        ids(&lines[1]),
        Vec::<String>::new(),
        "3.2.13 is the fixed version"
    );
    assert_eq!(ids(&lines[2]), ["GHSA-test-lodash"]);
    assert_eq!(lines[2]["purl"], "pkg:npm/lodash@4.17.20");
}

#[test]
fn pypi_names_are_one_package_whatever_their_case_and_stdin_works() {
    let ws = Workspace::new();
    ws.import_fixtures();
    let input = "pkg:pypi/Django@2.2.10\npkg:pypi/django@2.2.10\n\npkg:pypi/DJANGO@2.2.10\npkg:pypi/django@99.0\n";
    let output = ws.vigil_with_stdin(&["query", "--json", "--stdin"], Some(input));
    assert!(output.status.success());
    let lines = json_lines(&String::from_utf8(output.stdout).unwrap());
    let found: Vec<Vec<String>> = lines.iter().map(ids).collect();
    assert_eq!(
        found,
        [
            vec!["PYSEC-TEST-1"],
            vec!["PYSEC-TEST-1"],
            vec!["PYSEC-TEST-1"],
            vec![]
        ]
    );
}

#[test]
fn bad_purls_are_reported_by_name_and_the_rest_is_answered() {
    let ws = Workspace::new();
    ws.import_fixtures();
    let output = ws.vigil(&[
        "query",
        "--json",
        "pkg:pypi/django@not..valid",
        "garbage",
        "pkg:npm/lodash@4.17.20",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "findings are data: the good purl was answered"
    );
    let lines = json_lines(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(lines.len(), 3);
    assert!(lines[0]["error"].as_str().unwrap().contains("not..valid"));
    assert!(lines[1]["error"].as_str().unwrap().contains("garbage"));
    assert_eq!(ids(&lines[2]), ["GHSA-test-lodash"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("garbage"), "{stderr}");
    assert_eq!(
        ws.vigil(&["query", "garbage"]).status.code(),
        Some(1),
        "nothing could be queried"
    );
}

#[test]
fn scan_reads_lockfiles_into_purls_and_cyclonedx() {
    let ws = Workspace::new();
    let out: Value = serde_json::from_str(
        &ws.ok(&[
            "scan",
            fixtures()
                .join("shop-api/requirements.txt")
                .to_str()
                .unwrap(),
            "--format",
            "json",
        ]),
    )
    .unwrap();
    let purls: Vec<&str> = out["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert_eq!(
        purls,
        [
            "pkg:pypi/django@2.2.10",
            "pkg:pypi/requests@2.8.1",
            "pkg:pypi/six@1.16.0"
        ]
    );
    assert_eq!(
        out["warnings"].as_array().unwrap().len(),
        1,
        "gunicorn>=20 is not pinned"
    );
    assert!(out["stored"].is_null(), "without --app nothing is stored");

    let sbom: Value = serde_json::from_str(&ws.ok(&[
        "scan",
        fixtures().join("web").to_str().unwrap(),
        "--format",
        "cyclonedx",
    ]))
    .unwrap();
    assert_eq!(sbom["bomFormat"], "CycloneDX");
    assert_eq!(sbom["specVersion"], "1.6");
    let components: Vec<(&str, &str)> = sbom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["purl"].as_str().unwrap(), c["version"].as_str().unwrap()))
        .collect();
    assert_eq!(
        components,
        [
            ("pkg:npm/left-pad@1.3.0", "1.3.0"),
            ("pkg:npm/lodash@4.17.20", "4.17.20"),
            ("pkg:npm/lodash@4.17.21", "4.17.21")
        ]
    );
}

#[test]
fn scan_writes_spdx_and_json_to_a_file_with_hashes_and_stores_the_version_label() {
    let ws = Workspace::new();
    let dir = tempfile::tempdir().unwrap();
    let requirements = fixtures().join("shop-api/requirements.txt");
    let report = dir.path().join("report.spdx.json");
    let stdout = ws.ok(&[
        "scan",
        requirements.to_str().unwrap(),
        "--format",
        "spdx",
        "--output",
        report.to_str().unwrap(),
    ]);
    assert!(
        stdout.is_empty(),
        "the document goes to the file only: {stdout}"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["name"], "requirements.txt");
    let packages = doc["packages"].as_array().unwrap();
    let purls: Vec<&str> = packages
        .iter()
        .map(|p| p["externalRefs"][0]["referenceLocator"].as_str().unwrap())
        .collect();
    assert_eq!(
        purls,
        [
            "pkg:pypi/django@2.2.10",
            "pkg:pypi/requests@2.8.1",
            "pkg:pypi/six@1.16.0"
        ]
    );
    assert_eq!(
        packages[0]["checksums"][0]["algorithm"], "SHA256",
        "pip's --hash pin"
    );
    assert_eq!(doc["relationships"].as_array().unwrap().len(), 3);

    let json_report = dir.path().join("scan.json");
    ws.ok(&[
        "scan",
        requirements.to_str().unwrap(),
        "--app",
        "shop-api",
        "--version",
        "2.3.1",
        "--format",
        "json",
        "--output",
        json_report.to_str().unwrap(),
    ]);
    let out: Value = serde_json::from_str(&std::fs::read_to_string(&json_report).unwrap()).unwrap();
    assert_eq!(out["components"][0]["hashes"][0]["alg"], "SHA-256");
    assert_eq!(out["stored"]["application"], "shop-api");
    let db = rusqlite_label(&ws, "shop-api");
    assert_eq!(db.as_deref(), Some("2.3.1"));

    let output = ws.vigil(&["scan", requirements.to_str().unwrap(), "--version", "1.0"]);
    assert_eq!(output.status.code(), Some(2), "--version needs --app");
    let unwritable = dir.path().join("no-such-folder/report.json");
    let output = ws.vigil(&[
        "scan",
        requirements.to_str().unwrap(),
        "--output",
        unwritable.to_str().unwrap(),
    ]);
    assert_ne!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("report.json"));
}

/// The version label of an application's latest scan, read from the workspace's SQLite file.
fn rusqlite_label(ws: &Workspace, application: &str) -> Option<String> {
    let db = rusqlite::Connection::open(ws.dir.path().join("vigil.db")).unwrap();
    db.query_row(
        "SELECT s.version_label FROM scans s JOIN applications a ON a.id = s.application_id
         WHERE a.name = ?1 ORDER BY s.id DESC LIMIT 1",
        [application],
        |row| row.get(0),
    )
    .unwrap()
}

#[test]
fn a_scan_that_reads_nothing_fails_naming_the_file_and_stores_nothing() {
    let ws = Workspace::new();
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("package-lock.json");
    std::fs::write(&broken, "{\"lockfileVersion\": 3, \"packages\": {").unwrap();
    let output = ws.vigil(&["scan", broken.to_str().unwrap(), "--app", "broken"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(broken.to_str().unwrap()) && stderr.contains("not valid JSON"),
        "{stderr}"
    );
    let apps = ws.ok(&["monitor", "run"]);
    assert!(apps.contains("0 applications"), "{apps}");
}

#[test]
fn progress_bars_draw_on_a_terminal_and_never_into_a_pipe() {
    let ws = Workspace::new();
    let osv = fixtures().join("osv");
    let piped = ws.vigil(&["db", "import", osv.to_str().unwrap()]);
    assert!(piped.status.success());
    let stderr = String::from_utf8(piped.stderr).unwrap();
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b') && !stderr.contains("records  "),
        "stderr is a pipe: no bar, no escape codes: {stderr:?}"
    );
    // `script` (util-linux) gives the command a pseudo-terminal, as a user's shell does.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: the terminal half needs `script` (util-linux)");
        return;
    }
    let lockfile = fixtures().join("web/package-lock.json");
    let command = format!(
        "{} --data-dir {} scan {}",
        env!("CARGO_BIN_EXE_vigil"),
        ws.dir.path().display(),
        lockfile.display()
    );
    let tty = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    assert!(tty.status.success(), "{tty:?}");
    let screen = String::from_utf8_lossy(&tty.stdout);
    assert!(
        screen.contains("package-lock.json  [") && screen.contains("components"),
        "on a terminal the scan draws its bar: {screen:?}"
    );
    assert!(
        screen.contains("\r\x1b[2K"),
        "and clears it before the report: {screen:?}"
    );
    assert!(screen.contains("pkg:npm/left-pad@1.3.0"), "{screen:?}");
}

#[test]
fn stale_or_missing_advisory_data_warns_in_scans_the_gate_and_runs() {
    let ws = Workspace::new();
    ws.ok(&[
        "db",
        "import",
        fixtures().join("osv/PYSEC-TEST-1.json").to_str().unwrap(),
    ]);
    let lockfile = fixtures().join("web/package-lock.json");
    let scan = ws.vigil(&["scan", lockfile.to_str().unwrap(), "--app", "web"]);
    assert!(scan.status.success());
    let stderr = String::from_utf8_lossy(&scan.stderr);
    assert!(
        stderr.contains(
            "warning: no advisory data for npm: its components were matched against nothing"
        ),
        "{stderr}"
    );
    let requirements = fixtures().join("shop-api/requirements.txt");
    let gate = ws.vigil(&[
        "evaluate",
        "--app",
        "shop-api",
        "--stage",
        "release",
        requirements.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&gate.stderr);
    assert!(
        stderr.contains("advisory data: PyPI updated just now")
            && !stderr.contains("warning: advisory data")
            && !stderr.contains("warning: no advisory data"),
        "fresh data is a note, not a warning: {stderr}"
    );

    // Three days on, nobody synced: the PyPI data behind the run is past the 48-hour default.
    let later = (chrono::Utc::now() + chrono::TimeDelta::days(3) + chrono::TimeDelta::minutes(1))
        .to_rfc3339();
    let run = |full: bool| {
        let mut args = vec!["monitor", "run", "--json"];
        if full {
            args.push("--full");
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
        command
            .arg("--data-dir")
            .arg(ws.dir.path())
            .args(&args)
            .env("VIGIL_NOW", &later);
        let output = command.output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        (report, String::from_utf8(output.stderr).unwrap())
    };
    let (report, stderr) = run(false);
    assert!(
        stderr.contains(
            "warning: advisory data for PyPI is 3 days old, past the 48-hour limit: run \
             `vigil db sync --ecosystem PyPI` or import a newer dump"
        ),
        "{stderr}"
    );
    let pypi = report["advisory_data"]["ecosystems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["ecosystem"] == "PyPI")
        .unwrap()
        .clone();
    assert_eq!(pypi["stale"], true, "{pypi}");
    assert_eq!(report["advisory_data"]["max_age_hours"], 48);

    ws.ok(&["settings", "set", "advisory-data-max-age", "4days"]);
    assert!(ws
        .ok(&["settings", "show"])
        .contains("advisory-data-max-age"));
    let (report, stderr) = run(true);
    assert!(
        !stderr.contains("warning: advisory data for PyPI")
            && stderr.contains("advisory data: PyPI updated 3 days ago"),
        "within the user's 96-hour limit: {stderr}"
    );
    assert_eq!(report["advisory_data"]["max_age_hours"], 96);
    let refused = ws.vigil(&["settings", "set", "advisory-data-max-age", "10m"]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
}

#[test]
fn monitoring_reports_only_what_is_new_and_nothing_twice() {
    let ws = Workspace::new();
    ws.import_fixtures();
    let stored = ws.vigil(&[
        "scan",
        fixtures()
            .join("shop-api/requirements.txt")
            .to_str()
            .unwrap(),
        "--app",
        "shop-api",
    ]);
    assert!(stored.status.success());
    assert!(String::from_utf8_lossy(&stored.stderr)
        .contains("shop-api (build): 3 components, 2 violations"));
    assert!(
        String::from_utf8_lossy(&stored.stderr).contains("advisory data: PyPI updated just now"),
        "a stored scan says how old the data behind its evaluation is"
    );
    let web = ws.vigil(&[
        "scan",
        fixtures().join("web/package-lock.json").to_str().unwrap(),
        "--app",
        "web",
        "--stage",
        "release",
    ]);
    assert!(web.status.success());

    let run = ws.vigil(&["monitor", "run"]);
    assert!(
        String::from_utf8_lossy(&run.stderr)
            .contains("advisory data: PyPI updated just now; npm updated just now"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The first evaluation is each application's baseline: recorded, nobody told.
    let first = String::from_utf8(run.stdout).unwrap();
    assert!(!first.lines().any(|l| l.starts_with("NEW")), "{first}");
    assert!(first.contains("nothing new since the last run"), "{first}");
    assert!(
        first.contains("2 applications, 0 new, 0 changed, 0 resolved (0 evaluated; 3 violations recorded as baselines, not alerted)"),
        "{first}"
    );

    let second = ws.ok(&["monitor", "run"]);
    assert!(
        second.contains("nothing new since the last run"),
        "{second}"
    );
    assert!(
        second.contains("0 new, 0 changed, 0 resolved (0 evaluated)"),
        "{second}"
    );

    // A newer copy of an advisory that now also covers six, and withdraws the requests one:
    // the import re-evaluates the application they touch at once and alerts then.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("six.json"),
        r#"{"id":"PYSEC-TEST-3","modified":"2024-05-01T00:00:00Z","summary":"Test: six","affected":[{"package":{"ecosystem":"PyPI","name":"six"},"versions":["1.16.0"]}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("requests.json"),
        r#"{"id":"PYSEC-TEST-2","modified":"2024-06-01T00:00:00Z","withdrawn":"2024-06-01T00:00:00Z","summary":"Test","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"versions":["2.8.1"]}]}"#,
    )
    .unwrap();
    let imported = ws.ok(&["db", "import", dir.path().to_str().unwrap()]);
    assert!(
        imported.contains("2 applications, 1 new, 0 changed, 1 resolved (1 evaluated)"),
        "only shop-api holds a touched package: {imported}"
    );
    let alerts: Vec<(String, String, String)> = json_lines(&ws.ok(&["alerts", "--json"]))
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().into(),
                a["application"].as_str().unwrap().into(),
                a["component"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        alerts,
        [
            (
                "NEW".into(),
                "shop-api".into(),
                "pkg:pypi/six@1.16.0".into()
            ),
            (
                "RESOLVED".into(),
                "shop-api".into(),
                "pkg:pypi/requests@2.8.1".into()
            ),
        ]
    );
    let again = ws.ok(&["monitor", "run"]);
    assert!(again.contains("nothing new since the last run"), "{again}");
    assert_eq!(
        json_lines(&ws.ok(&["alerts", "--json"])).len(),
        2,
        "nothing twice"
    );
}

#[test]
fn a_database_from_a_newer_vigil_is_refused() {
    let ws = Workspace::new();
    let status: Value = serde_json::from_str(&ws.ok(&["db", "status", "--json"])).unwrap();
    let supported = status["schema_version"].as_u64().unwrap();
    let db = ws.dir.path().join("vigil.db");
    // Bump user_version with the sqlite3 file format directly: offset 60, big-endian u32.
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(&db, bytes).unwrap();
    let output = ws.vigil(&["db", "status"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("schema version 99")
            && stderr.contains(&format!("schema version {supported} at most")),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let ws = Workspace::new();
    assert_eq!(
        ws.vigil(&["scan", "x", "--stage", "prod"]).status.code(),
        Some(2)
    );
    assert_eq!(ws.vigil(&["query"]).status.code(), Some(2));
}

/// The real OSV dumps in ../shared/data; skipped (and says so) where they are absent.
fn shared_osv(file: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/osv")
        .join(file);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} is missing (../shared/data is not here)",
            path.display()
        );
        None
    }
}

#[test]
fn real_pypi_dump_lists_the_real_django_advisories() {
    let Some(dump) = shared_osv("PyPI-all.zip") else {
        return;
    };
    let ws = Workspace::new();
    let import = ws.ok(&["db", "import", dump.to_str().unwrap()]);
    assert!(import.contains("2665 records read"), "{import}");
    let lines = json_lines(&ws.ok(&[
        "query",
        "--json",
        "pkg:pypi/django@2.2",
        "pkg:pypi/Django@2.2",
        "pkg:pypi/DJANGO@2.2",
        "pkg:pypi/django@99.0",
    ]));
    let django = ids(&lines[0]);
    // CVE-2019-12781 (fixed in 2.2.3) and CVE-2019-14232 (fixed in 2.2.4) are real Django 2.2 advisories.
    for expected in ["PYSEC-2019-10", "PYSEC-2019-11"] {
        assert!(
            django.contains(&expected.to_string()),
            "{expected} missing from {django:?}"
        );
    }
    assert!(django.len() > 20, "{django:?}");
    assert_eq!(ids(&lines[1]), django);
    assert_eq!(ids(&lines[2]), django);
    assert!(
        ids(&lines[3]).is_empty(),
        "django 99.0 has no advisories: {:?}",
        ids(&lines[3])
    );
    let again = ws.ok(&["db", "import", dump.to_str().unwrap()]);
    assert!(
        again.contains("0 new or updated, 2665 unchanged"),
        "{again}"
    );
}

#[test]
fn every_real_dump_imports_without_unreadable_records() {
    let Some(first) = shared_osv("PyPI-all.zip") else {
        return;
    };
    let dir = first.parent().unwrap();
    let ws = Workspace::new();
    let mut zips: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    zips.sort();
    let args: Vec<&str> = ["db", "import"]
        .into_iter()
        .chain(zips.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let out = ws.ok(&args);
    assert!(out.contains(", 0 unreadable"), "{out}");
    let lodash = json_lines(&ws.ok(&[
        "query",
        "--json",
        "pkg:npm/lodash@4.17.15",
        "pkg:npm/lodash@4.17.21",
    ]));
    assert!(
        !ids(&lodash[0]).is_empty(),
        "lodash 4.17.15 has known advisories"
    );
    assert!(ids(&lodash[0]).len() > ids(&lodash[1]).len());
}

#[test]
fn regression_legacy_pypi_version_still_matches_versions_lists() {
    // PyPI's OSV records list legacy versions such as `0.9-eevee` that PEP 440 rejects; they
    // must still match exactly, and the ranges that could not be checked are reported.
    let ws = Workspace::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        r#"{"id":"PYSEC-LEGACY","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"pokedex"},"versions":["0.9-eevee"]}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        r#"{"id":"PYSEC-RANGE","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"pokedex"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]}"#,
    )
    .unwrap();
    ws.ok(&["db", "import", dir.path().to_str().unwrap()]);
    let lines = json_lines(&ws.ok(&["query", "--json", "pkg:pypi/pokedex@0.9-eevee"]));
    assert_eq!(ids(&lines[0]), ["PYSEC-LEGACY"]);
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("not a valid PyPI version"),
        "{}",
        lines[0]
    );
}

#[test]
fn one_vulnerability_published_under_two_ids_is_listed_once() {
    let ws = Workspace::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pysec.json"),
        r#"{"id":"PYSEC-2099-1","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2099-9","GHSA-2099-xxxx-yyyy"],"affected":[{"package":{"ecosystem":"PyPI","name":"flask"},"versions":["1.0"]}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ghsa.json"),
        r#"{"id":"GHSA-2099-xxxx-yyyy","modified":"2024-01-01T00:00:00Z","aliases":["CVE-2099-9"],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],"affected":[{"package":{"ecosystem":"PyPI","name":"Flask"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1"}]}]}]}"#,
    )
    .unwrap();
    ws.ok(&["db", "import", dir.path().to_str().unwrap()]);
    let lines = json_lines(&ws.ok(&["query", "--json", "pkg:pypi/flask@1.0"]));
    assert_eq!(ids(&lines[0]), ["GHSA-2099-xxxx-yyyy"]);
    assert_eq!(
        lines[0]["advisories"][0]["aliases"],
        serde_json::json!(["CVE-2099-9", "PYSEC-2099-1"])
    );
    assert_eq!(lines[0]["advisories"][0]["severity"]["score"], 7.5);
}

#[test]
fn kev_and_epss_flag_advisories_through_their_cve_aliases() {
    let ws = Workspace::new();
    ws.import_fixtures();
    let dir = tempfile::tempdir().unwrap();
    let kev = dir.path().join("known_exploited_vulnerabilities.json");
    std::fs::write(
        &kev,
        r#"{"title":"CISA Catalog","catalogVersion":"2099.01.01","count":1,"vulnerabilities":[{"cveID":"CVE-2099-0003","vendorProject":"x","product":"lodash","vulnerabilityName":"test","dateAdded":"2099-01-01","dueDate":"2099-01-21","knownRansomwareCampaignUse":"Unknown"}]}"#,
    )
    .unwrap();
    let epss = dir.path().join("epss_scores-2099-01-01.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&epss).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(b"#model_version:v2099,score_date:2099-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2099-0001,0.12345,0.9\nbad line\n").unwrap();
    gz.finish().unwrap();
    let out = ws.vigil(&[
        "db",
        "import",
        kev.to_str().unwrap(),
        epss.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("skipped line 4"),
        "bad EPSS lines are reported"
    );

    let status: Value = serde_json::from_str(&ws.ok(&["db", "status", "--json"])).unwrap();
    let feeds: Vec<(&str, &str, u64)> = status["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap(),
                f["version"].as_str().unwrap(),
                f["entries"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        feeds,
        [
            ("epss", "2099-01-01T00:00:00+0000", 1),
            ("kev", "2099.01.01", 1)
        ]
    );

    let table = ws.ok(&["query", "pkg:npm/lodash@4.17.20", "pkg:pypi/django@2.2.10"]);
    assert!(
        table.contains("GHSA-test-lodash (CVE-2099-0003)  [unscored, KEV]"),
        "{table}"
    );
    assert!(table.contains("[9.8 CRITICAL, EPSS 12.3%]"), "{table}");
}

#[test]
fn the_real_kev_catalog_imports() {
    let Some(first) = shared_osv("PyPI-all.zip") else {
        return;
    };
    let kev = first
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("kev/known_exploited_vulnerabilities.json");
    let ws = Workspace::new();
    let out = ws.ok(&["db", "import", kev.to_str().unwrap()]);
    assert!(out.contains("1404 records read"), "{out}");
}

#[test]
fn version_compare_prints_the_order_in_the_ecosystem_without_a_workspace() {
    let ws = Workspace::new();
    let cases = [
        ("Maven", "1.0", "1.0.0", "="),
        ("Maven", "2.9.1", "2.15.0", "<"),
        ("npm", "1.0.0-rc.1", "1.0.0", "<"),
        ("Go", "v1.2.3", "1.2.3", "="),
        ("Packagist", "v3.0.0-beta", "v3.0", "<"),
        ("Debian:12", "1:1.0", "2.0", ">"),
        ("Alpine", "1.36.1-r10", "1.36.1-r2", ">"),
        ("Red Hat", "1.0~rc1", "1.0", "<"),
        ("RubyGems", "5.2.4.rc1", "5.2.4", "<"),
    ];
    for (ecosystem, a, b, expected) in cases {
        let out = ws.ok(&["version", "compare", "--ecosystem", ecosystem, a, b]);
        assert_eq!(out, format!("{expected}\n"), "{ecosystem}: {a} vs {b}");
    }
    // Comparing versions neither needs nor creates a workspace.
    let untouched = ws.dir.path().join("never-created");
    let output = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([
            "--data-dir",
            untouched.to_str().unwrap(),
            "version",
            "compare",
            "--ecosystem",
            "npm",
            "1.0.0",
            "2.0.0",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "<\n");
    assert!(!untouched.exists(), "version compare created a workspace");
}

#[test]
fn version_compare_names_an_invalid_version_and_an_unknown_ecosystem() {
    let ws = Workspace::new();
    let output = ws.vigil(&["version", "compare", "--ecosystem", "npm", "1.0", "1.0.0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("\"1.0\" is not a valid npm version"),
        "{stderr}"
    );

    let output = ws.vigil(&["version", "compare", "--ecosystem", "CRAN", "1.0", "1.1"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("unknown ecosystem \"CRAN\"")
            && stderr.contains("crates.io")
            && stderr.contains("Red Hat"),
        "{stderr}"
    );
    assert_eq!(
        ws.vigil(&["version", "compare", "--ecosystem", "npm", "1.0.0"])
            .status
            .code(),
        Some(2),
        "B is missing"
    );
}

#[test]
fn version_compare_stdin_answers_every_line() {
    let ws = Workspace::new();
    let input = "1.0\t1.0.0\n2.15.0\t2.9.1\n1.0-SNAPSHOT\t1.0\nno tab here\n\n1.0/2\t1.0\n2.0.0-alpha\t2.0.0-beta\r\n";
    let output = ws.vigil_with_stdin(
        &["version", "compare", "--ecosystem", "Maven", "--stdin"],
        Some(input),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "=\n>\n<\n!\n!\n!\n<\n"
    );
    let output = ws.vigil_with_stdin(
        &["version", "compare", "--ecosystem", "npm", "--stdin"],
        Some("1.0\t1.0.0\n1.0.0\t1.0.0+build\n"),
    );
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "!\n=\n");
}

/// Whether a query result lists `id`, as an advisory or as an alias of one.
fn mentions(line: &Value, id: &str) -> bool {
    line["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|advisory| {
            advisory["id"] == id
                || advisory["aliases"]
                    .as_array()
                    .is_some_and(|aliases| aliases.iter().any(|alias| alias == id))
        })
}

#[test]
fn query_answers_purls_of_every_ecosystem_in_its_own_order() {
    let ws = Workspace::new();
    let dir = tempfile::tempdir().unwrap();
    let records = [
        (
            "maven",
            "GHSA-test-maven",
            "Maven",
            "org.apache.logging.log4j:log4j-core",
            "ECOSYSTEM",
            "2.0-beta9",
            "2.15.0",
        ),
        (
            "go",
            "GO-TEST-1",
            "Go",
            "github.com/BurntSushi/toml",
            "SEMVER",
            "0",
            "1.2.0",
        ),
        (
            "crates",
            "RUSTSEC-TEST-1",
            "crates.io",
            "smallvec",
            "SEMVER",
            "1.0.0",
            "1.6.1",
        ),
        (
            "nuget",
            "GHSA-test-nuget",
            "NuGet",
            "Newtonsoft.Json",
            "ECOSYSTEM",
            "0",
            "13.0.1",
        ),
        (
            "composer",
            "GHSA-test-composer",
            "Packagist",
            "symfony/http-kernel",
            "ECOSYSTEM",
            "0",
            "3.0.0",
        ),
        (
            "debian",
            "DSA-TEST-1",
            "Debian:12",
            "curl",
            "ECOSYSTEM",
            "0",
            "7.88.1-10+deb12u5",
        ),
        (
            "alpine",
            "ALPINE-TEST-1",
            "Alpine:v3.18",
            "busybox",
            "ECOSYSTEM",
            "0",
            "1.36.1-r2",
        ),
        (
            "redhat",
            "RHSA-TEST-1",
            "Red Hat:enterprise_linux:9::appstream",
            "openssl",
            "ECOSYSTEM",
            "0",
            "1:3.0.7-24.el9",
        ),
    ];
    for (file, id, ecosystem, name, kind, introduced, fixed) in records {
        let record = serde_json::json!({
            "id": id, "modified": "2024-01-01T00:00:00Z", "summary": format!("test {ecosystem}"),
            "affected": [{"package": {"ecosystem": ecosystem, "name": name},
                          "ranges": [{"type": kind, "events": [{"introduced": introduced}, {"fixed": fixed}]}]}]
        });
        std::fs::write(dir.path().join(format!("{file}.json")), record.to_string()).unwrap();
    }
    ws.ok(&["db", "import", dir.path().to_str().unwrap()]);
    // (purl, the advisory it must list, or None for none)
    let cases = [
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            Some("GHSA-test-maven"),
        ),
        // As text, 2.9.1 sorts after 2.15.0; in Maven's order it is before the fix.
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.9.1",
            Some("GHSA-test-maven"),
        ),
        ("pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0", None),
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.0-alpha1",
            None,
        ),
        // purls write Go versions with `v`, OSV without; the purl spec lowercases the path.
        (
            "pkg:golang/github.com/BurntSushi/toml@v1.1.0",
            Some("GO-TEST-1"),
        ),
        ("pkg:golang/github.com/burntsushi/toml@v1.2.0", None),
        ("pkg:cargo/smallvec@1.6.0", Some("RUSTSEC-TEST-1")),
        ("pkg:cargo/smallvec@1.6.1", None),
        (
            "pkg:nuget/newtonsoft.json@13.0.1-beta1",
            Some("GHSA-test-nuget"),
        ),
        ("pkg:nuget/Newtonsoft.Json@13.0.1.0", None),
        (
            "pkg:composer/symfony/http-kernel@v3.0.0-beta",
            Some("GHSA-test-composer"),
        ),
        ("pkg:composer/symfony/http-kernel@v3.0", None),
        (
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?distro=debian-12",
            Some("DSA-TEST-1"),
        ),
        ("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5", None),
        // The advisory is for Debian 12 only: Debian 11's build of the same version is not it,
        // and a package of unknown release is checked against every release.
        (
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?distro=debian-11",
            None,
        ),
        (
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?distro=bookworm",
            Some("DSA-TEST-1"),
        ),
        (
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4",
            Some("DSA-TEST-1"),
        ),
        (
            "pkg:apk/alpine/busybox@1.36.1-r1?distro=alpine-3.18.4",
            Some("ALPINE-TEST-1"),
        ),
        ("pkg:apk/alpine/busybox@1.36.1-r1?distro=alpine-3.19", None),
        (
            "pkg:rpm/redhat/openssl@3.0.7-16.el9?epoch=1&distro=rhel-8",
            None,
        ),
        ("pkg:apk/alpine/busybox@1.36.1-r1", Some("ALPINE-TEST-1")),
        ("pkg:apk/alpine/busybox@1.36.1-r10", None),
        (
            "pkg:rpm/redhat/openssl@3.0.7-16.el9?epoch=1",
            Some("RHSA-TEST-1"),
        ),
        ("pkg:rpm/redhat/openssl@3.0.7-24.el9?epoch=1", None),
        ("pkg:rpm/redhat/openssl@3.0.7-25.el9", Some("RHSA-TEST-1")),
    ];
    let purls: Vec<&str> = cases.iter().map(|(purl, _)| *purl).collect();
    let args: Vec<&str> = ["query", "--json"]
        .into_iter()
        .chain(purls.iter().copied())
        .collect();
    let lines = json_lines(&ws.ok(&args));
    assert_eq!(lines.len(), cases.len());
    for (line, (purl, expected)) in lines.iter().zip(cases) {
        assert!(line["error"].is_null(), "{purl}: {line}");
        match expected {
            Some(id) => assert_eq!(ids(line), [id], "{purl}"),
            None => assert!(ids(line).is_empty(), "{purl}: {line}"),
        }
    }
    let lines = json_lines(&ws.ok(&[
        "query",
        "--json",
        "pkg:rpm/fedora/curl@7.50.3-1.fc25",
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
    ]));
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("redhat, rocky, almalinux"),
        "{}",
        lines[0]
    );
}

#[test]
fn real_maven_go_and_crates_dumps_answer_real_purls() {
    let (Some(maven), Some(go), Some(crates)) = (
        shared_osv("Maven-all.zip"),
        shared_osv("Go-all.zip"),
        shared_osv("crates.io-all.zip"),
    ) else {
        return;
    };
    let ws = Workspace::new();
    let import = ws.ok(&[
        "db",
        "import",
        maven.to_str().unwrap(),
        go.to_str().unwrap(),
        crates.to_str().unwrap(),
    ]);
    assert!(import.contains(", 0 unreadable"), "{import}");
    // (purl, advisory, whether it affects the purl)
    let cases = [
        // Log4Shell (CVE-2021-44228): 2.13.0 up to 2.15.0, among other ranges.
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "GHSA-jfh8-c2jp-5v3q",
            true,
        ),
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
            "GHSA-jfh8-c2jp-5v3q",
            false,
        ),
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.3",
            "GHSA-jfh8-c2jp-5v3q",
            true,
        ),
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.12.2",
            "GHSA-jfh8-c2jp-5v3q",
            false,
        ),
        // golang.org/x/text: GO-2020-0015 fixed in 0.3.3, GO-2021-0113 in 0.3.7.
        ("pkg:golang/golang.org/x/text@v0.3.2", "GO-2020-0015", true),
        ("pkg:golang/golang.org/x/text@v0.3.6", "GO-2020-0015", false),
        ("pkg:golang/golang.org/x/text@v0.3.6", "GO-2021-0113", true),
        ("pkg:golang/golang.org/x/text@v0.3.7", "GO-2021-0113", false),
        // The Go standard library: GO-2022-0969 affects < 1.18.6 and 1.19.0.
        ("pkg:golang/stdlib@1.19.0", "GO-2022-0969", true),
        ("pkg:golang/stdlib@v1.18.6", "GO-2022-0969", false),
        ("pkg:golang/stdlib@1.19.1", "GO-2022-0969", false),
        // smallvec: RUSTSEC-2021-0003 affects 0.6.3..0.6.14 and 1.0.0..1.6.1.
        ("pkg:cargo/smallvec@1.6.0", "RUSTSEC-2021-0003", true),
        ("pkg:cargo/smallvec@1.6.1", "RUSTSEC-2021-0003", false),
        ("pkg:cargo/smallvec@0.6.13", "RUSTSEC-2021-0003", true),
        ("pkg:cargo/smallvec@0.6.14", "RUSTSEC-2021-0003", false),
    ];
    let args: Vec<&str> = ["query", "--json"]
        .into_iter()
        .chain(cases.iter().map(|(purl, _, _)| *purl))
        .collect();
    let lines = json_lines(&ws.ok(&args));
    for (line, (purl, id, affected)) in lines.iter().zip(cases) {
        assert!(line["error"].is_null(), "{purl}: {line}");
        assert_eq!(mentions(line, id), affected, "{purl} and {id}: {line}");
    }
}

#[test]
fn sync_says_what_to_do_and_an_unreachable_bucket_keeps_the_data() {
    let ws = Workspace::new();
    ws.import_fixtures();
    let nothing = ws.vigil(&["db", "sync"]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&nothing.stderr).contains("--ecosystem"),
        "the error says what to do"
    );

    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let refused = ws.vigil(&[
        "db",
        "sync",
        "--ecosystem",
        "npm",
        "--base-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("npm")
            && stderr.contains("127.0.0.1:9")
            && stderr.contains("previous data is kept"),
        "{stderr}"
    );
    let lines = json_lines(&ws.ok(&["query", "--json", "pkg:npm/lodash@4.17.20"]));
    assert_eq!(ids(&lines[0]), ["GHSA-test-lodash"]);
}
