//! `vigil agent` as a real child process on a real data directory: the intake folder, the
//! scheduled run shared by two agents, syncs against a loopback OSV bucket, and SIGTERM.
#![cfg(unix)]

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{mpsc, Arc, Mutex},
    time::Duration,
};

/// Not a timing assertion: only how long a broken agent may keep a test waiting for a line.
const CEILING: Duration = Duration::from_secs(120);

fn vigil(data: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("VIGIL_DATA_DIR")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "vigil {args:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A running `vigil agent`, its stdout read line by line on a thread.
struct Agent {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Every line so far, for the failure message.
    seen: Vec<String>,
    /// Lines no wait has matched yet.
    unread: Vec<String>,
}

impl Agent {
    fn start(data: &Path, args: &[&str]) -> Agent {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigil"))
            .arg("--data-dir")
            .arg(data)
            .arg("agent")
            .args(args)
            .env_remove("VIGIL_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Agent {
            child,
            lines,
            seen: Vec::new(),
            unread: Vec::new(),
        }
    }

    /// Waits for a line containing `needle` (one not returned before) and returns it.
    fn wait_for(&mut self, needle: &str) -> String {
        self.wait_for_any(&[needle])
    }

    fn wait_for_any(&mut self, needles: &[&str]) -> String {
        let matches = |line: &str| needles.iter().any(|n| line.contains(n));
        if let Some(i) = self.unread.iter().position(|l| matches(l)) {
            return self.unread.remove(i);
        }
        loop {
            match self.lines.recv_timeout(CEILING) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if matches(&line) {
                        return line;
                    }
                    self.unread.push(line);
                }
                Err(_) => panic!(
                    "none of {needles:?}; the agent said:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// SIGTERM; returns the exit code and the lines printed after the last one waited for.
    fn terminate(mut self) -> (Option<i32>, Vec<String>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let code = self.child.wait().unwrap().code();
        let rest: Vec<String> = self.lines.try_iter().collect();
        self.seen.extend(rest.iter().cloned());
        (code, rest)
    }
}

fn cyclonedx() -> &'static str {
    r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "components": [
          {"type": "library", "name": "requests", "version": "2.19.0", "purl": "pkg:pypi/requests@2.19.0"},
          {"type": "library", "name": "lodash", "version": "4.17.20", "purl": "pkg:npm/lodash@4.17.20"}]}"#
}

#[test]
fn intake_files_are_scanned_into_their_application_or_refused_with_a_reason() {
    let data = tempfile::tempdir().unwrap();
    let intake = tempfile::tempdir().unwrap();
    vigil(
        data.path(),
        &[
            "settings",
            "set",
            "intake-folder",
            intake.path().to_str().unwrap(),
        ],
    );
    // Written through a temporary name and renamed, as a careful CI job would; the .part file
    // must be ignored even while it sits there.
    let part = intake.path().join("shop@release@2.1.cdx.json.part");
    std::fs::write(&part, cyclonedx()).unwrap();
    std::fs::rename(&part, intake.path().join("shop@release@2.1.cdx.json")).unwrap();
    std::fs::write(intake.path().join("notes@prod@1.cdx.json"), cyclonedx()).unwrap();

    let mut agent = Agent::start(data.path(), &["--sync-every", "0s"]);
    let done = agent.wait_for("intake: shop@release@2.1.cdx.json");
    assert!(
        done.ends_with("intake: shop@release@2.1.cdx.json → shop release 2.1 (2 components)"),
        "{done}"
    );
    let failed = agent.wait_for("intake: notes@prod@1.cdx.json");
    assert!(
        failed.contains("failed: unknown stage \"prod\""),
        "{failed}"
    );
    let (code, _) = agent.terminate();
    assert_eq!(code, Some(0));

    assert!(intake
        .path()
        .join("done/shop@release@2.1.cdx.json")
        .is_file());
    let reason = std::fs::read_to_string(
        intake
            .path()
            .join("failed/notes@prod@1.cdx.json.reason.txt"),
    )
    .unwrap();
    assert!(reason.contains("unknown stage \"prod\""), "{reason}");
    let db = rusqlite::Connection::open(data.path().join("vigil.db")).unwrap();
    let (stage, version): (String, Option<String>) = db
        .query_row(
            "SELECT s.stage, s.version_label FROM scans s JOIN applications a ON a.id = s.application_id
             WHERE a.name = 'shop'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (stage.as_str(), version.as_deref()),
        ("release", Some("2.1"))
    );
}

#[test]
fn two_agents_on_one_data_directory_perform_a_due_run_once() {
    let data = tempfile::tempdir().unwrap();
    vigil(
        data.path(),
        &["schedule", "set", "--at", "00:00", "--tz", "UTC"],
    );
    // As if the schedule had been set long ago: today's 00:00 is owed.
    let db = rusqlite::Connection::open(data.path().join("vigil.db")).unwrap();
    db.execute(
        "UPDATE settings SET value = '\"2000-01-01T00:00:00Z\"' WHERE key = 'schedule.set_at'",
        [],
    )
    .unwrap();

    let mut a = Agent::start(data.path(), &["--sync-every", "0s"]);
    let mut b = Agent::start(data.path(), &["--sync-every", "0s"]);
    let said_a = a.wait_for_any(&[" run: ", " skipped: "]);
    let said_b = b.wait_for_any(&[" run: ", " skipped: "]);
    let (code_a, _) = a.terminate();
    let (code_b, _) = b.terminate();
    assert_eq!((code_a, code_b), (Some(0), Some(0)));
    let ran = [&said_a, &said_b]
        .iter()
        .filter(|l| l.contains(" run: "))
        .count();
    assert_eq!(ran, 1, "exactly one performs the run:\n{said_a}\n{said_b}");
    let skipped = if said_a.contains(" skipped: ") {
        &said_a
    } else {
        &said_b
    };
    assert!(
        skipped.contains("agent "),
        "the skip names who performed it: {skipped}"
    );
    let runs: i64 = db
        .query_row(
            "SELECT count(*) FROM monitor_runs WHERE trigger = 'schedule'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(runs, 1);
}

/// An OSV bucket on loopback: path → body; anything else is 404.
#[derive(Clone, Default)]
struct Bucket {
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
}

impl Bucket {
    fn put(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.files.lock().unwrap().insert(path.into(), body.into());
    }

    fn serve(&self) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let bucket = self.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                        break;
                    }
                }
                let body = bucket.files.lock().unwrap().get(&path).cloned();
                let _ = match body {
                    None => stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    ),
                    Some(body) => stream
                        .write_all(
                            format!(
                                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                                body.len()
                            )
                            .as_bytes(),
                        )
                        .and_then(|()| stream.write_all(&body)),
                };
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        url
    }
}

fn record(id: &str, modified: &str, package: &str, fixed: &str) -> String {
    format!(
        r#"{{"id":"{id}","modified":"{modified}","summary":"{id} in {package}","affected":[{{"package":{{"ecosystem":"npm","name":"{package}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}},{{"fixed":"{fixed}"}}]}}]}}]}}"#
    )
}

fn zip_of(id: &str, json: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file(format!("{id}.json"), options).unwrap();
    zip.write_all(json.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn the_agent_syncs_every_period_and_backs_off_without_dying_while_the_server_is_down() {
    let data = tempfile::tempdir().unwrap();
    let bucket = Bucket::default();
    bucket.put(
        "/npm/all.zip",
        zip_of(
            "GHSA-a",
            &record("GHSA-a", "2024-01-01T00:00:00Z", "lodash", "4.17.21"),
        ),
    );
    let url = bucket.serve();
    vigil(
        data.path(),
        &["db", "sync", "--ecosystem", "npm", "--base-url", &url],
    );
    // Upstream moves on: the agent's next sync fetches the new record.
    bucket.put("/npm/modified_id.csv", "2024-04-01T00:00:00Z,GHSA-c\n");
    bucket.put(
        "/npm/GHSA-c.json",
        record("GHSA-c", "2024-04-01T00:00:00Z", "express", "4.0.0"),
    );

    let mut agent = Agent::start(data.path(), &["--sync-every", "1s", "--base-url", &url]);
    let synced = agent.wait_for(" sync: ");
    assert!(synced.ends_with("sync: npm 1 changed"), "{synced}");
    // Next period: nothing new upstream.
    let again = agent.wait_for(" sync: ");
    assert!(again.contains("sync: npm"), "{again}");
    let (code, _) = agent.terminate();
    assert_eq!(code, Some(0));
    let query = vigil(data.path(), &["query", "pkg:npm/express@3.0.0"]);
    assert!(query.contains("GHSA-c"), "{query}");

    // A server that is gone: a port nobody listens on any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let mut offline = Agent::start(data.path(), &["--sync-every", "1s", "--base-url", &closed]);
    let first = offline.wait_for(" sync: ");
    assert!(first.contains("sync: failed: npm: "), "{first}");
    assert!(first.contains("next try "), "{first}");
    let second = offline.wait_for(" sync: ");
    assert!(
        second.contains("sync: failed: "),
        "still trying, still alive: {second}"
    );
    let (code, _) = offline.terminate();
    assert_eq!(code, Some(0));
}

#[test]
fn the_agent_delivers_what_the_outbox_holds_and_says_so() {
    let receiver = vigil_testkit::HttpReceiver::start(None);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    vigil(data, &["db", "import", fixtures.join("osv").to_str().unwrap()]);
    vigil(data, &["scan", fixtures.join("shop-api/requirements.txt").to_str().unwrap(), "--app", "shop-api"]);
    vigil(data, &["apps", "set", "shop-api", "--alert-on-baseline", "on"]);
    vigil(data, &["channels", "add", "webhook", "soc", "--url", &receiver.url()]);
    vigil(data, &["monitor", "run"]);
    let mut agent = Agent::start(data, &["--sync-every", "0s"]);
    let line = agent.wait_for("deliveries:");
    assert!(line.contains("1 sent"), "{line}");
    let (code, _) = agent.terminate();
    assert_eq!(code, Some(0));
    let records = receiver.records();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["json"]["type"], "violation.new");
}
