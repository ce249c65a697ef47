//! `tests/servers/smtp_server.py`: aiosmtpd with a trustme CA.

use std::path::{Path, PathBuf};

use crate::Server;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    /// STARTTLS required, AUTH (after it) required when a user is given.
    Starttls,
    /// Implicit TLS.
    Tls,
    /// No TLS, no AUTH.
    Plain,
}

impl SmtpMode {
    fn as_str(self) -> &'static str {
        match self {
            SmtpMode::Starttls => "starttls",
            SmtpMode::Tls => "tls",
            SmtpMode::Plain => "plain",
        }
    }
}

pub struct SmtpServer {
    server: Server,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    /// A server in `mode`; with `login` = `(user, password)`, AUTH is required.
    pub fn start(mode: SmtpMode, login: Option<(&str, &str)>) -> SmtpServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut args = vec![
            "--mode".to_string(),
            mode.as_str().to_string(),
            "--records".to_string(),
            path_arg(&dir.path().join("records.jsonl")),
            "--ca-pem".to_string(),
            path_arg(&dir.path().join("ca.pem")),
            "--control".to_string(),
            path_arg(&dir.path().join("control.json")),
        ];
        if let Some((user, password)) = login {
            args.extend([
                "--user".into(),
                user.into(),
                "--password".into(),
                password.into(),
            ]);
        }
        let server = Server::spawn(
            &crate::python(),
            &crate::server_script("smtp_server.py"),
            &args,
        );
        SmtpServer { server, dir }
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// `smtp://127.0.0.1:<port>` (for messages; lettre is configured by host and port).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port())
    }

    /// The PEM of the CA that signed the server's certificate (TLS modes).
    pub fn ca_pem_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// One JSON object per message that reached DATA (accepted or refused), in order:
    /// `mail_from`, `rcpt_tos`, `content`, `content_b64`, `authenticated`, `answer`, and the
    /// message as Python reads it: `headers` (decoded, lowercase names), `contentType`,
    /// `parts` (`[{contentType, text}]`).
    pub fn records(&self) -> Vec<serde_json::Value> {
        let text =
            std::fs::read_to_string(self.dir.path().join("records.jsonl")).unwrap_or_default();
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("a JSON record"))
            .collect()
    }

    /// The next messages are answered with these SMTP codes (one each, in order), e.g.
    /// `[451]` for a temporary failure, `[550]` for a permanent one.
    pub fn answer_next(&self, codes: &[u16]) {
        let path = self.dir.path().join("control.json");
        let tmp = self.dir.path().join("control.json.new");
        std::fs::write(&tmp, serde_json::json!({ "codes": codes }).to_string())
            .expect("write control");
        std::fs::rename(&tmp, &path).expect("install control");
    }
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
