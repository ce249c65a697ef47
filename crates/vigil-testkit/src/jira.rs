//! `tests/servers/jira_server.py`: the Jira REST subset Vigil uses, in memory.

use crate::Server;

pub struct JiraServer {
    server: Server,
}

impl JiraServer {
    /// A Jira with project `project` accepting Basic auth `user:token`.
    pub fn start(user: &str, token: &str, project: &str) -> JiraServer {
        let args = ["--user", user, "--token", token, "--project", project].map(String::from);
        let server = Server::spawn(
            &crate::python(),
            &crate::server_script("jira_server.py"),
            &args,
        );
        JiraServer { server }
    }

    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// `http://127.0.0.1:<port>`, the site URL to configure.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port())
    }

    /// `{"issues": [{key, summary, description, labels, status, comments, transitions, api}],
    /// "requests": [{method, path}]}`.
    pub fn state(&self) -> serde_json::Value {
        crate::get_json(&format!("{}/_state", self.url()))
    }

    /// The issues, as [`JiraServer::state`] lists them.
    pub fn issues(&self) -> Vec<serde_json::Value> {
        let state = self.state();
        state["issues"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("/_state has no issues array: {state}"))
    }

    /// Same as [`JiraServer::state`]: the records of what was received.
    pub fn records(&self) -> serde_json::Value {
        self.state()
    }

    /// The next `n` creates store their issue but answer 502, as if the response were lost.
    pub fn lose_next_creates(&self, n: u32) {
        crate::post_json(
            &format!("{}/_control", self.url()),
            &serde_json::json!({ "loseNextCreates": n }),
        );
    }
}
