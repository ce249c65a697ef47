//! The notification plan: who is told what, through which channel, how fast, and the
//! remediation process (SLA per threat band, escalation). Its serde shape is the
//! `vigil plan export|import` YAML and, through ts-rs, the Plan screen's types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Priority tiers, as applications carry them (`applications.tier`).
pub const TIERS: [&str; 4] = ["critical", "high", "medium", "low"];
/// Contact roles.
pub const ROLES: [&str; 4] = ["owner", "developer", "security", "manager"];
/// Threat bands, as everywhere in Vigil: critical 8–10, severe 4–7, moderate 2–3, low 0–1.
pub const BANDS: [&str; 4] = ["critical", "severe", "moderate", "low"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryMode {
    #[default]
    Immediate,
    /// Collected and sent once a day at the plan's `digest_at`.
    Digest,
}

/// What one priority tier's applications' alerts do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    /// Channel names.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Roles whose contacts the tier's email channels also write to.
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub delivery: DeliveryMode,
    /// Alerts below this threat level are not sent (they stay in Vigil's history).
    #[serde(default)]
    pub min_threat_level: u8,
}

/// Hours during which alerts below `except_at_least` are held until the hours end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    /// `HH:MM` local time, in the plan's time zone.
    pub from: String,
    pub to: String,
    /// Alerts at or above this threat level are sent anyway (default 8: critical).
    #[serde(default = "default_quiet_except")]
    pub except_at_least: u8,
}

fn default_quiet_except() -> u8 {
    8
}

/// How long a violation may stay open, per threat band, before it escalates (once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// Days per band (`critical`, `severe`, `moderate`, `low`); a band left out never escalates.
    #[serde(default)]
    pub days: BTreeMap<String, u32>,
    /// Who hears of an escalation: these roles' contacts, through `channels` (email channels
    /// resolve the roles; other channels get the escalation as it is).
    #[serde(default = "default_escalation_roles")]
    pub escalate_to: Vec<String>,
    #[serde(default)]
    pub channels: Vec<String>,
}

fn default_escalation_roles() -> Vec<String> {
    vec!["manager".to_string()]
}

impl Default for Sla {
    fn default() -> Sla {
        Sla {
            days: BTreeMap::from([
                ("critical".to_string(), 7),
                ("severe".to_string(), 30),
                ("moderate".to_string(), 90),
            ]),
            escalate_to: default_escalation_roles(),
            channels: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WaiverAlerts {
    /// A waiver expiring within this many days is an alert of its own, once per waiver.
    #[serde(default = "default_waiver_days")]
    pub expiring_within_days: u32,
    /// Channels told; empty means the channels of every tier.
    #[serde(default)]
    pub channels: Vec<String>,
}

fn default_waiver_days() -> u32 {
    14
}

impl Default for WaiverAlerts {
    fn default() -> WaiverAlerts {
        WaiverAlerts {
            expiring_within_days: default_waiver_days(),
            channels: Vec::new(),
        }
    }
}

/// The whole plan. A workspace without one ([`Plan::is_empty`] tiers) sends every alert to
/// every enabled channel at once: until a plan narrows it, a channel receives everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Per priority tier (`critical`, `high`, `medium`, `low`); a tier left out is told nothing.
    #[serde(default)]
    pub tiers: BTreeMap<String, TierRule>,
    /// `HH:MM`, local time in `timezone`: when digests go out.
    #[serde(default = "default_digest_at")]
    pub digest_at: String,
    /// IANA zone; empty means the system's.
    #[serde(default)]
    pub timezone: String,
    /// Owners and developers hear only about their own applications: an email channel never
    /// writes to a role's contacts of another application. Always true; kept explicit so the
    /// YAML says it.
    #[serde(default = "yes")]
    pub owners_only: bool,
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
    #[serde(default)]
    pub sla: Sla,
    #[serde(default)]
    pub waivers: WaiverAlerts,
    /// Whether RESOLVED alerts are announced (they are always recorded).
    #[serde(default = "yes")]
    pub announce_resolved: bool,
}

fn default_digest_at() -> String {
    "08:00".to_string()
}

fn yes() -> bool {
    true
}

impl Default for Plan {
    fn default() -> Plan {
        Plan {
            tiers: BTreeMap::new(),
            digest_at: default_digest_at(),
            timezone: String::new(),
            owners_only: true,
            quiet_hours: None,
            sla: Sla::default(),
            waivers: WaiverAlerts::default(),
            announce_resolved: true,
        }
    }
}

impl Plan {
    /// No tier configured: every channel receives every alert, immediately.
    pub fn is_open(&self) -> bool {
        self.tiers.is_empty()
    }
}
