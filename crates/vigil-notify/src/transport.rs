//! One message to one channel, and what came back.

use chrono::{DateTime, Utc};

use crate::{ChannelConfig, Notice};

/// A channel's secrets, read from the OS keyring for one send. `Debug` never prints them.
#[derive(Clone, Default)]
pub struct ChannelSecrets {
    pub password: Option<String>,
    pub signing_secret: Option<String>,
    pub authorization: Option<String>,
    pub token: Option<String>,
    pub url: Option<String>,
}

impl std::fmt::Debug for ChannelSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mark = |s: &Option<String>| if s.is_some() { "<stored>" } else { "<none>" };
        f.debug_struct("ChannelSecrets")
            .field("password", &mark(&self.password))
            .field("signing_secret", &mark(&self.signing_secret))
            .field("authorization", &mark(&self.authorization))
            .field("token", &mark(&self.token))
            .field("url", &mark(&self.url))
            .finish()
    }
}

/// One delivery attempt.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The delivery's id (a UUIDv7), the same on every attempt: `webhook-id`, the mail's
    /// `Message-ID`, Jira's idempotency label. Receivers deduplicate on it.
    pub delivery_id: &'a str,
    /// The channel's name: the mail's `List-Id` (`Vigil <name> <slug.vigil.invalid>`), so
    /// mail filters can sort by channel.
    pub channel: &'a str,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub now: DateTime<Utc>,
    pub config: &'a ChannelConfig,
    pub secrets: &'a ChannelSecrets,
    pub notice: &'a Notice,
    /// Email only: the addresses this message goes to (fixed and resolved from roles).
    pub recipients: &'a [String],
}

/// What the server answered to a successful send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status or SMTP reply code.
    pub status: Option<u16>,
    /// The server's answer as shown to the user (`250 2.0.0 Ok: queued as 4F2`,
    /// `HTTP 200: ok`), trimmed to a few hundred characters, never containing a secret.
    pub text: String,
    /// What the send created, when it created something (Jira issue keys, `VIG-12`).
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// Worth retrying: network errors, timeouts, 5xx, 408, 429, SMTP 4yz.
    Retry,
    /// Retrying will not help: other 4xx, SMTP 5yz, a refused configuration.
    Permanent,
    /// HTTP 410: the receiver is gone; the channel should be disabled.
    Gone,
}

/// A send that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub class: FailureClass,
    pub status: Option<u16>,
    /// `Retry-After`, when the server gave one (seconds or an HTTP date, resolved against `now`).
    pub retry_after: Option<std::time::Duration>,
    /// What went wrong as shown to the user; never containing a secret.
    pub answer: String,
}

impl Failure {
    pub fn permanent(answer: impl Into<String>) -> Failure {
        Failure {
            class: FailureClass::Permanent,
            status: None,
            retry_after: None,
            answer: answer.into(),
        }
    }

    pub fn retry(answer: impl Into<String>) -> Failure {
        Failure {
            class: FailureClass::Retry,
            status: None,
            retry_after: None,
            answer: answer.into(),
        }
    }
}
