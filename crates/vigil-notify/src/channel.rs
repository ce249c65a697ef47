//! A channel's configuration as stored (without secrets: those live in the OS keyring and are
//! named here only by [`SecretKind`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Email,
    Webhook,
    Slack,
    Teams,
    Mattermost,
    Jira,
    Desktop,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Webhook => "webhook",
            ChannelKind::Slack => "slack",
            ChannelKind::Teams => "teams",
            ChannelKind::Mattermost => "mattermost",
            ChannelKind::Jira => "jira",
            ChannelKind::Desktop => "desktop",
        }
    }

    pub fn parse(text: &str) -> Option<ChannelKind> {
        Some(match text {
            "email" => ChannelKind::Email,
            "webhook" => ChannelKind::Webhook,
            "slack" => ChannelKind::Slack,
            "teams" => ChannelKind::Teams,
            "mattermost" => ChannelKind::Mattermost,
            "jira" => ChannelKind::Jira,
            "desktop" => ChannelKind::Desktop,
            _ => return None,
        })
    }

    /// Messages per minute a channel of this kind sends unless configured otherwise: what the
    /// services document for incoming webhooks (Slack: about one per second), generous for
    /// the user's own servers.
    pub fn default_rate_per_minute(self) -> u32 {
        match self {
            ChannelKind::Slack | ChannelKind::Mattermost => 60,
            ChannelKind::Teams => 120,
            ChannelKind::Jira => 300,
            ChannelKind::Email => 600,
            ChannelKind::Webhook => 60_000,
            ChannelKind::Desktop => 600,
        }
    }
}

/// Which secret of a channel: the key under which the engine keeps it in the OS keyring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// SMTP AUTH password.
    Password,
    /// Standard Webhooks signing secret, `whsec_<base64>`.
    SigningSecret,
    /// A static `Authorization` header value sent with every webhook request.
    Authorization,
    /// Jira API token.
    Token,
    /// Slack, Teams and Mattermost incoming-webhook URLs carry their credential in the URL.
    Url,
}

impl SecretKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::Password => "password",
            SecretKind::SigningSecret => "signing_secret",
            SecretKind::Authorization => "authorization",
            SecretKind::Token => "token",
            SecretKind::Url => "url",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum EmailSecurity {
    /// No TLS: refused unless the host is loopback.
    None,
    Starttls,
    /// Implicit TLS (port 465 style).
    Tls,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EmailConfig {
    pub host: String,
    pub port: u16,
    pub security: EmailSecurity,
    pub from: String,
    /// Fixed recipients (may be empty when `to_roles` names roles).
    #[serde(default)]
    pub to: Vec<String>,
    /// Roles (`owner`, `developer`, `security`, `manager`) resolved to each application's
    /// contacts: owners hear only about their own applications.
    #[serde(default)]
    pub to_roles: Vec<String>,
    /// SMTP AUTH user; the password is the channel's `Password` secret.
    #[serde(default)]
    pub user: Option<String>,
    /// A PEM file of extra roots to trust (an internal relay's CA); the system roots stay.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// The webhook event types (Standard Webhooks `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum WebhookEvent {
    #[serde(rename = "violation.new")]
    ViolationNew,
    #[serde(rename = "violation.changed")]
    ViolationChanged,
    #[serde(rename = "violation.resolved")]
    ViolationResolved,
    #[serde(rename = "evaluation.completed")]
    EvaluationCompleted,
    #[serde(rename = "waiver.expiring")]
    WaiverExpiring,
    #[serde(rename = "advisories.updated")]
    AdvisoriesUpdated,
    #[serde(rename = "ping")]
    Ping,
}

impl WebhookEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::ViolationNew => "violation.new",
            WebhookEvent::ViolationChanged => "violation.changed",
            WebhookEvent::ViolationResolved => "violation.resolved",
            WebhookEvent::EvaluationCompleted => "evaluation.completed",
            WebhookEvent::WaiverExpiring => "waiver.expiring",
            WebhookEvent::AdvisoriesUpdated => "advisories.updated",
            WebhookEvent::Ping => "ping",
        }
    }

    pub const ALL: [WebhookEvent; 7] = [
        WebhookEvent::ViolationNew,
        WebhookEvent::ViolationChanged,
        WebhookEvent::ViolationResolved,
        WebhookEvent::EvaluationCompleted,
        WebhookEvent::WaiverExpiring,
        WebhookEvent::AdvisoriesUpdated,
        WebhookEvent::Ping,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WebhookConfig {
    pub url: String,
    /// The event types this receiver wants; empty means the violation, waiver and ping
    /// events. `evaluation.completed` (one per run) and `advisories.updated` are sent only
    /// to receivers that list them, so an alert receiver does not hear of every daily run.
    #[serde(default)]
    pub events: Vec<WebhookEvent>,
}

/// Slack, Teams and Mattermost: the URL itself is the credential (kept as the `Url` secret);
/// `url_hint` is what may be shown: scheme, host and the start of the path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChatConfig {
    pub url_hint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JiraGrouping {
    /// One issue per new violation.
    #[default]
    PerViolation,
    /// One issue per application and run.
    PerApplicationRun,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JiraConfig {
    /// The site, `https://example.atlassian.net` or a Data Center base URL.
    pub url: String,
    pub project: String,
    pub issue_type: String,
    pub user: String,
    /// REST API version: 2 (Data Center, plain-text bodies) or 3 (Cloud, ADF bodies).
    #[serde(default = "default_jira_api")]
    pub api_version: u8,
    #[serde(default)]
    pub grouping: JiraGrouping,
    /// The transition (by name) applied when a violation is resolved; without it, a comment.
    #[serde(default)]
    pub resolve_transition: Option<String>,
}

fn default_jira_api() -> u8 {
    2
}

/// A channel's configuration, stored as JSON without secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ChannelConfig {
    Email(EmailConfig),
    Webhook(WebhookConfig),
    Slack(ChatConfig),
    Teams(ChatConfig),
    Mattermost(ChatConfig),
    Jira(JiraConfig),
    Desktop,
}

impl ChannelConfig {
    pub fn kind(&self) -> ChannelKind {
        match self {
            ChannelConfig::Email(_) => ChannelKind::Email,
            ChannelConfig::Webhook(_) => ChannelKind::Webhook,
            ChannelConfig::Slack(_) => ChannelKind::Slack,
            ChannelConfig::Teams(_) => ChannelKind::Teams,
            ChannelConfig::Mattermost(_) => ChannelKind::Mattermost,
            ChannelConfig::Jira(_) => ChannelKind::Jira,
            ChannelConfig::Desktop => ChannelKind::Desktop,
        }
    }
}
