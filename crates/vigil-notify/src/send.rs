//! Sends one [`Outgoing`] message through the transport of its channel.

use crate::{Answer, ChannelConfig, Failure, Outgoing};

/// Holds what sends share (the HTTP client's connection pool); one per worker.
pub struct Sender {
    pub(crate) http: reqwest::blocking::Client,
    /// SMTP's timeout for each command (lettre makes a connection per send).
    pub(crate) smtp_timeout: std::time::Duration,
}

impl Sender {
    pub fn new() -> Result<Sender, String> {
        Sender::with_timeout(std::time::Duration::from_secs(30))
    }

    /// A sender whose HTTP requests give up after `timeout` (connecting: at most 10 s).
    /// Tests use a short one to see a hanging receiver classified as Retry.
    pub fn with_timeout(timeout: std::time::Duration) -> Result<Sender, String> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("Vigil/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(timeout.min(std::time::Duration::from_secs(10)))
            .build()
            .map_err(|e| format!("cannot set up HTTP: {e}"))?;
        Ok(Sender {
            http,
            smtp_timeout: timeout,
        })
    }

    pub fn send(&self, out: &Outgoing<'_>) -> Result<Answer, Failure> {
        send(self, out)
    }
}

pub fn send(sender: &Sender, out: &Outgoing<'_>) -> Result<Answer, Failure> {
    match out.config {
        ChannelConfig::Email(config) => crate::email::send(sender, config, out),
        ChannelConfig::Webhook(config) => crate::webhook::send(sender, config, out),
        ChannelConfig::Slack(_) | ChannelConfig::Teams(_) | ChannelConfig::Mattermost(_) => {
            crate::webhook::send_chat(sender, out)
        }
        ChannelConfig::Jira(config) => crate::jira::send(sender, config, out),
        ChannelConfig::Desktop => Err(Failure::permanent(
            "desktop notifications are shown by the desktop app",
        )),
    }
}
