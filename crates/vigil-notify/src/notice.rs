//! What one delivery says, as plain facts the engine resolved when it routed the alerts:
//! rendering never reads the store, and the same delivery renders the same on every retry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::WebhookEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// One application's new, changed and resolved violations of one run (or, for Jira per
    /// violation and webhooks, those of one kind).
    Violations,
    /// Several applications' violations, collected until the plan's digest time.
    Digest,
    /// Violations still open past their SLA, for the manager role.
    Escalation,
    /// Waivers that expire soon.
    WaiverExpiring,
    /// A monitoring run finished (its counts in `summary`).
    EvaluationCompleted,
    /// Advisory data changed (import or sync; what changed in `summary`).
    AdvisoriesUpdated,
    /// "Send test".
    Test,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    New,
    Changed,
    Resolved,
    /// Open past its SLA.
    Escalated,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdvisoryNotice {
    pub id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// The highest CVSS base score, if any source gave one.
    #[serde(default)]
    pub score: Option<f32>,
    /// `critical`, `high`, … when only a rating is known.
    #[serde(default)]
    pub rating: Option<String>,
    #[serde(default)]
    pub kev: bool,
    #[serde(default)]
    pub epss: Option<f32>,
    #[serde(default)]
    pub fixed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ViolationNotice {
    /// The alert this line carries (none for an escalation).
    #[serde(default)]
    pub alert_id: Option<i64>,
    pub violation_id: i64,
    pub kind: AlertKind,
    pub policy: String,
    pub threat_level: u8,
    pub purl: String,
    /// `log4j-core 2.14.1`.
    pub component: String,
    /// The constraint that holds.
    pub condition: String,
    /// Each satisfied condition as a sentence (`CVSS 10.0 ≥ 9`, `in CISA KEV`).
    #[serde(default)]
    pub satisfied_conditions: Vec<String>,
    #[serde(default)]
    pub advisories: Vec<AdvisoryNotice>,
    /// For CHANGED (and escalations): what changed, as sentences.
    #[serde(default)]
    pub changed: Vec<String>,
    /// The lowest version that fixes every advisory, where one exists (`2.17.1`).
    #[serde(default)]
    pub fix: Option<String>,
    /// Where it was found, relative to the artifact (`app.war!/WEB-INF/lib/x.jar`), at most a few.
    #[serde(default)]
    pub found_in: Vec<String>,
    /// A stable key of the violation's identity (application, policy, component, condition),
    /// lowercase hex: Jira labels and mail threading use it so one violation is one thread.
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppNotice {
    pub name: String,
    #[serde(default)]
    pub public_id: Option<String>,
    /// `critical`, `high`, `medium`, `low`.
    pub tier: String,
    #[serde(default)]
    pub organization: Option<String>,
    /// The stage monitoring watches.
    pub stage: String,
    pub violations: Vec<ViolationNotice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WaiverNotice {
    pub id: i64,
    /// `application Payments`, `organization Retail`, `everywhere`.
    pub scope: String,
    pub component: String,
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default)]
    pub advisory: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day it holds.
    pub expires: String,
    pub days_left: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Notice {
    pub kind: NoticeKind,
    /// One line: `3 new violations in Payments (critical)`.
    pub title: String,
    /// The highest threat level it carries (0 when none).
    pub level: u8,
    #[ts(type = "string")]
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    pub run_id: Option<i64>,
    #[serde(default)]
    pub applications: Vec<AppNotice>,
    #[serde(default)]
    pub waivers: Vec<WaiverNotice>,
    /// For run, advisory-update and test notices: a sentence or two.
    #[serde(default)]
    pub summary: Option<String>,
}

impl Notice {
    /// The Standard Webhooks `type` of this notice. A violations notice for a webhook carries
    /// one kind of alert (the engine groups them so); an escalation reads as a change.
    pub fn webhook_event(&self) -> WebhookEvent {
        match self.kind {
            NoticeKind::Violations | NoticeKind::Digest | NoticeKind::Escalation => {
                let kind = self
                    .applications
                    .iter()
                    .flat_map(|a| &a.violations)
                    .map(|v| v.kind)
                    .next();
                match kind {
                    Some(AlertKind::New) | None => WebhookEvent::ViolationNew,
                    Some(AlertKind::Changed | AlertKind::Escalated) => {
                        WebhookEvent::ViolationChanged
                    }
                    Some(AlertKind::Resolved) => WebhookEvent::ViolationResolved,
                }
            }
            NoticeKind::WaiverExpiring => WebhookEvent::WaiverExpiring,
            NoticeKind::EvaluationCompleted => WebhookEvent::EvaluationCompleted,
            NoticeKind::AdvisoriesUpdated => WebhookEvent::AdvisoriesUpdated,
            NoticeKind::Test => WebhookEvent::Ping,
        }
    }

    /// Every violation line, across applications.
    pub fn violations(&self) -> impl Iterator<Item = &ViolationNotice> {
        self.applications.iter().flat_map(|a| &a.violations)
    }
}
