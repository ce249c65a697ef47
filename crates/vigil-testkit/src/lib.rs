//! Real servers on loopback for the notification tests, so that a test sends through the same
//! SMTP, TLS and HTTP code a user's channel does and then asserts on what the server received.
//!
//! Each server is a Python script in `tests/servers/` (aiosmtpd + trustme for SMTP, the standard
//! library for HTTP and Jira). [`Server`] starts one, waits for its ready line (`{"port": N}` on
//! stdout), and kills it on Drop. The interpreter comes from [`python()`]: the venv
//! `scripts/setup-python.sh` makes (`make setup-test`), or `$VIGIL_TEST_PYTHON`.

mod http;
mod jira;
mod server;
mod smtp;

pub use http::HttpReceiver;
pub use jira::JiraServer;
pub use server::Server;
pub use smtp::{SmtpMode, SmtpServer};

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository's root (where `tests/servers/` is).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// A script of `tests/servers/`.
pub fn server_script(name: &str) -> PathBuf {
    repo_root().join("tests/servers").join(name)
}

/// The Python interpreter the servers run with: `$VIGIL_TEST_PYTHON`, else
/// `<repo>/target/test-python/bin/python3`. Panics with what to run when it lacks aiosmtpd or
/// trustme (checked once per process).
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| python_importing(&["aiosmtpd", "trustme"]))
        .clone()
}

/// The same interpreter, checked to import `modules` (the official SBOM validators, say);
/// panics with what to run when it does not.
pub fn python_importing(modules: &[&str]) -> PathBuf {
    let path = std::env::var_os("VIGIL_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/test-python/bin/python3"));
    usable_python(&path, modules).unwrap_or_else(|message| panic!("{message}"))
}

/// `path` when it runs and imports `modules`; else what to do about it.
fn usable_python(path: &Path, modules: &[&str]) -> Result<PathBuf, String> {
    let ok = std::process::Command::new(path)
        .args(["-c", &format!("import {}", modules.join(", "))])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(path.to_path_buf())
    } else {
        Err(format!(
            "{} cannot import {}: run `make setup-test` (scripts/setup-python.sh installs them \
             into target/test-python), or set VIGIL_TEST_PYTHON",
            path.display(),
            modules.join(", ")
        ))
    }
}

/// GET a loopback URL, parsed as JSON (the servers' `/_records` and `/_state`).
pub(crate) fn get_json(url: &str) -> serde_json::Value {
    let response = reqwest::blocking::get(url).unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let text = response.text().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {text}"))
}

/// POST JSON to a loopback URL (the servers' `/_control`).
pub(crate) fn post_json(url: &str, body: &serde_json::Value) {
    let response = reqwest::blocking::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    assert!(
        response.status().is_success(),
        "POST {url}: {}",
        response.status()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_server_starts_answers_and_stops() {
        let receiver = HttpReceiver::start(None);
        assert!(receiver.url().starts_with("http://127.0.0.1:"));
        assert!(receiver.records().is_empty());
        let smtp = SmtpServer::start(SmtpMode::Starttls, Some(("u", "p")));
        let pem = std::fs::read_to_string(smtp.ca_pem_path()).expect("the CA PEM is written");
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(smtp.records().is_empty());
        let jira = JiraServer::start("u", "t", "VIG");
        assert!(jira.issues().is_empty());
        let port = receiver.port();
        drop(receiver);
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
            "a dropped server is gone"
        );
    }

    #[test]
    fn a_server_exits_when_its_parents_pipe_closes() {
        let records = tempfile::NamedTempFile::new().expect("a file");
        let records = records.path().to_string_lossy().into_owned();
        for (script, args) in [
            ("http_receiver.py", vec![]),
            ("jira_server.py", vec!["--user", "u", "--token", "t"]),
            (
                "smtp_server.py",
                vec!["--mode", "plain", "--records", &records],
            ),
        ] {
            let mut child = std::process::Command::new(python())
                .arg(server_script(script))
                .arg("--exit-with-stdin")
                .args(args)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("started");
            let mut line = String::new();
            let stdout = child.stdout.take().expect("stdout");
            std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
                .expect("a ready line");
            assert!(line.contains("\"port\""), "{script}: {line}");
            drop(child.stdin.take()); // what the kernel does when this process dies
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            loop {
                if child.try_wait().expect("try_wait").is_some() {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "{script} outlived its pipe"
                );
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    }

    #[test]
    fn an_interpreter_without_the_modules_says_what_to_run() {
        let error = usable_python(Path::new("/nonexistent/python3"), &["aiosmtpd", "trustme"])
            .expect_err("no such interpreter");
        assert!(
            error.contains("cannot import aiosmtpd, trustme: run `make setup-test`"),
            "{error}"
        );
    }
}
