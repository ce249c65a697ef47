//! Routing: which channels and recipients one alert goes to, and when. Pure: the plan, the
//! channels, the application's facts and `now` come in; nothing is read or written.

use chrono::{DateTime, Utc};
use vigil_notify::ChannelKind;
use vigil_policy::Targets;

use super::model::{DeliveryMode, Plan};
use crate::api::ContactDto;

/// A channel as routing sees it.
#[derive(Debug, Clone)]
pub struct ChannelFacts {
    pub name: String,
    pub kind: ChannelKind,
    pub enabled: bool,
    /// Email: fixed recipients.
    pub to: Vec<String>,
    /// Email: roles resolved to the application's contacts.
    pub to_roles: Vec<String>,
}

/// The application an alert is about.
#[derive(Debug, Clone)]
pub struct AppFacts<'a> {
    pub name: &'a str,
    /// `critical`, `high`, `medium`, `low`.
    pub tier: &'a str,
    pub contacts: &'a [ContactDto],
}

/// What routing needs of an alert.
#[derive(Debug, Clone, Copy)]
pub struct AlertFacts<'a> {
    pub threat_level: u8,
    pub kind: vigil_notify::notice::AlertKind,
    /// The policy's own notification targets (contacts, roles, channels), if any.
    pub targets: Option<&'a Targets>,
}

/// Where and when one alert goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub channel: String,
    /// Email: the addresses, sorted and without duplicates; empty for other kinds.
    pub recipients: Vec<String>,
    pub mode: DeliveryMode,
    /// When it may be sent: now, the end of quiet hours, or the next digest time.
    pub send_at: DateTime<Utc>,
    /// Why, as sentences for the preview (`tier critical → channel appsec-mail`).
    pub why: Vec<String>,
}

/// Routes one alert. With an open plan ([`Plan::is_open`]) every enabled channel gets it at
/// once (email to its fixed recipients and its roles' contacts); otherwise the tier's rule
/// and the policy's targets decide, quiet hours and digests set `send_at`. A disabled channel
/// is never routed to. An email route with no recipient is dropped.
pub fn route(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: &AppFacts<'_>,
    alert: &AlertFacts<'_>,
    now: DateTime<Utc>,
) -> Vec<Route> {
    let _ = (plan, channels, app, alert, now);
    todo!("helper: plan")
}

/// Why `route` returned nothing, as a sentence for the preview (`tier low is told nothing`,
/// `below the tier's minimum threat level 7`, `no channel is enabled`).
pub fn silent_because(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: &AppFacts<'_>,
    alert: &AlertFacts<'_>,
) -> Option<String> {
    let _ = (plan, channels, app, alert);
    todo!("helper: plan")
}

/// The next digest time strictly after `now` (the plan's `digest_at` in its time zone, DST
/// handled as the monitoring schedule does).
pub fn next_digest(plan: &Plan, now: DateTime<Utc>) -> DateTime<Utc> {
    let _ = (plan, now);
    todo!("helper: plan")
}

/// When quiet hours hold an alert of this threat level back until, if they do at `now`.
pub fn quiet_until(plan: &Plan, threat_level: u8, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let _ = (plan, threat_level, now);
    todo!("helper: plan")
}

/// The SLA in days for a threat level's band, if that band escalates.
pub fn sla_days(plan: &Plan, threat_level: u8) -> Option<u32> {
    let _ = (plan, threat_level);
    todo!("helper: plan")
}

/// Where an escalation of a violation of this application goes: the SLA's channels (every
/// enabled email channel when it names none), writing to the `escalate_to` roles' contacts.
/// Quiet hours do not hold escalations of critical violations; digests do not apply.
pub fn escalation_routes(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: &AppFacts<'_>,
    threat_level: u8,
    now: DateTime<Utc>,
) -> Vec<Route> {
    let _ = (plan, channels, app, threat_level, now);
    todo!("helper: plan")
}

/// Where a waiver-expiring alert goes: the plan's waiver channels, else every channel of any
/// tier (every enabled channel with an open plan). Email goes to the fixed recipients and,
/// when the waiver is scoped to one application (`app`), its contacts of the channel's roles.
pub fn waiver_routes(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: Option<&AppFacts<'_>>,
    now: DateTime<Utc>,
) -> Vec<Route> {
    let _ = (plan, channels, app, now);
    todo!("helper: plan")
}
