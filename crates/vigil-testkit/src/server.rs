//! One server process: spawned, awaited until it prints its ready line, killed on Drop.
//!
//! The server's stdin is a pipe this process holds (`--exit-with-stdin`): should the test
//! process die without running Drop (killed), the pipe closes and the server exits too, so
//! no server outlives its test.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a server may take to print its ready line (trustme makes an RSA key first).
const READY_TIMEOUT: Duration = Duration::from_secs(20);

pub struct Server {
    child: Child,
    ready: serde_json::Value,
    port: u16,
    name: String,
    stderr: tempfile::NamedTempFile,
}

impl Server {
    /// Runs `interpreter script args…` and waits for the first stdout line, a JSON object
    /// with `port`. Panics with the server's stderr when it exits or times out first.
    pub fn spawn(interpreter: &Path, script: &Path, args: &[String]) -> Server {
        let name = script
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stderr = tempfile::NamedTempFile::new().expect("a temporary file for stderr");
        let mut child = Command::new(interpreter)
            .arg(script)
            .args(args)
            .arg("--exit-with-stdin")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().expect("reopen stderr file"))
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} {}: {e}",
                    interpreter.display(),
                    script.display()
                )
            });
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next());
            // Keep draining so the server never blocks on a full pipe.
            for _ in lines {}
        });
        let line = match rx.recv_timeout(READY_TIMEOUT) {
            Ok(Some(Ok(line))) => line,
            outcome => {
                let _ = child.kill();
                let _ = child.wait();
                let err = std::fs::read_to_string(stderr.path()).unwrap_or_default();
                let why = match outcome {
                    Err(_) => format!("printed no ready line within {READY_TIMEOUT:?}"),
                    _ => "exited before printing its ready line".to_string(),
                };
                panic!("{name} {why}; its stderr:\n{err}");
            }
        };
        let ready: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("{name}: ready line {line:?} is not JSON: {e}"));
        let port = ready["port"]
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or_else(|| panic!("{name}: ready line {line:?} has no port"));
        Server {
            child,
            ready,
            port,
            name,
            stderr,
        }
    }

    /// What the server wrote to stderr so far (for a failing test's message).
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap_or_default()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The ready line as printed.
    pub fn ready(&self) -> &serde_json::Value {
        &self.ready
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
