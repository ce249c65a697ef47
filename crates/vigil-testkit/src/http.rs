//! `tests/servers/http_receiver.py`: records every request, answers by a scripted plan.

use crate::Server;

pub struct HttpReceiver {
    server: Server,
}

impl HttpReceiver {
    /// A receiver; with `secret` (`whsec_…`) it verifies each request's Standard Webhooks
    /// signature and records `verified`.
    pub fn start(secret: Option<&str>) -> HttpReceiver {
        let mut args = Vec::new();
        if let Some(secret) = secret {
            args.extend(["--secret".to_string(), secret.to_string()]);
        }
        // Standard library only: any python3 would do, but the venv is the one we know.
        let server = Server::spawn(
            &crate::python(),
            &crate::server_script("http_receiver.py"),
            &args,
        );
        HttpReceiver { server }
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port())
    }

    /// Every request received (control requests excluded): `method`, `path`, `headers`
    /// (lowercase names), `body`, `json`, `verified`, `status`.
    pub fn records(&self) -> Vec<serde_json::Value> {
        let records = crate::get_json(&format!("{}/_records", self.url()));
        records
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("/_records answered {records}"))
    }

    /// The next requests are answered with `responses` in order (each `{"status": 500}`,
    /// `{"status": 429, "retryAfter": "2"}`, `{"hang": 5}`, `{"reset": true}`…), later ones
    /// with `then` (a status or a response object).
    pub fn plan(&self, responses: serde_json::Value, then: serde_json::Value) {
        crate::post_json(
            &format!("{}/_control", self.url()),
            &serde_json::json!({ "responses": responses, "then": then }),
        );
    }

    /// Forgets the records and answers 200 again.
    pub fn clear(&self) {
        crate::post_json(
            &format!("{}/_control", self.url()),
            &serde_json::json!({ "responses": [], "then": 200, "clear": true }),
        );
    }
}
