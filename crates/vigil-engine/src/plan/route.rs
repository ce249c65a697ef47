//! Routing: which channels and recipients one alert goes to, and when. Pure: the plan, the
//! channels, the application's facts and `now` come in; nothing is read or written (the one
//! exception: a plan with an empty `timezone` reads the system's zone, as the schedule does).
//!
//! The rules, in the order they apply:
//!
//! 1. An ESCALATED alert goes where [`escalation_routes`] says; the rest below is for NEW,
//!    CHANGED and RESOLVED alerts.
//! 2. RESOLVED alerts are announced unless `announce_resolved` is false (with an open plan too).
//! 3. **Open plan** ([`Plan::is_open`]): every enabled channel, immediately. **Tier plan**: the
//!    application's tier's rule; a tier left out hears nothing, an alert below the rule's
//!    `min_threat_level` neither (a RESOLVED alert compares the level of the violation it
//!    resolves). Channels are the rule's channels that exist and are enabled (unknown names are
//!    ignored here; the import refuses them), then the policy's `targets.channels` (enabled).
//! 4. Email recipients of a channel: its `to` ∪ the application's contacts holding one of its
//!    `to_roles` ∪ (for the tier's own channels) one of the rule's `roles` ∪ the policy's
//!    targets: `targets.roles`' contacts of this application and `targets.contacts` (an entry
//!    with `@` is an address, any other a contact name of this application). When the targets
//!    name recipients and no email channel is routed, every enabled email channel carries
//!    them (to them only: the channels' own `to` and roles were not asked for this tier).
//!    Roles and names always resolve against this application's contacts only: nobody hears
//!    about an application they hold no role on. Non-email channels ignore recipients.
//!    Addresses are deduplicated without regard to case and sorted; an email route with no
//!    recipient is dropped.
//! 5. **When**: the rule's `digest` → the next digest time (quiet hours do not hold digests
//!    further). `immediate` (and every alert of an open plan) → now, unless quiet hours hold
//!    an alert below `except_at_least` until their end.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use vigil_notify::notice::AlertKind;
use vigil_notify::ChannelKind;
use vigil_policy::Targets;

use super::model::{DeliveryMode, Plan, TierRule, BANDS, TIERS};
use crate::api::ContactDto;
use crate::schedule::{parse_at, parse_timezone, system_timezone, Schedule};

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
    /// This application's contacts, and only its: roles resolve against these.
    pub contacts: &'a [ContactDto],
}

/// What routing needs of an alert.
#[derive(Debug, Clone, Copy)]
pub struct AlertFacts<'a> {
    /// The violation's policy's threat level (for RESOLVED, the resolved violation's).
    pub threat_level: u8,
    pub kind: AlertKind,
    /// The policy's own notification targets (contacts, roles, channels), if any.
    pub targets: Option<&'a Targets>,
    /// The policy's name, for the `why` sentences (`policy Security-Critical targets …`).
    pub policy: Option<&'a str>,
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
    /// Why, as sentences for the preview (`tier critical → appsec-mail (immediate)`).
    pub why: Vec<String>,
}

/// Routes one alert. With an open plan ([`Plan::is_open`]) every enabled channel gets it at
/// once (email to its fixed recipients and its roles' contacts); otherwise the tier's rule
/// and the policy's targets decide, quiet hours and digests set `send_at`. A disabled channel
/// is never routed to. An email route with no recipient is dropped.
///
/// The policy's targets apply with an open plan too (their contacts and roles are added to
/// every email route), and so do quiet hours when an open plan sets them. An ESCALATED alert
/// is routed by [`escalation_routes`]. The routes come in the rule's channel order, then the
/// policy's extra channels (an open plan: the order of `channels`). See the module doc.
pub fn route(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: &AppFacts<'_>,
    alert: &AlertFacts<'_>,
    now: DateTime<Utc>,
) -> Vec<Route> {
    if alert.kind == AlertKind::Escalated {
        return escalation_routes(plan, channels, app, alert.threat_level, now);
    }
    match decide(plan, channels, app, alert) {
        Ok((drafts, mode)) => {
            let hold = match mode {
                DeliveryMode::Digest => Hold::Digest,
                DeliveryMode::Immediate => Hold::Quiet(alert.threat_level),
            };
            finish(plan, drafts, hold, now)
        }
        Err(_) => Vec::new(),
    }
}

/// Why `route` returned nothing, as a sentence for the preview (`tier low is told nothing`,
/// `below tier high's minimum threat level 7`, `no channel is enabled`,
/// `RESOLVED alerts are not announced`, `email channel X has no recipient for this
/// application`); `None` when `route` returns at least one route. Whether routes exist never
/// depends on the time, so no `now` is needed.
pub fn silent_because(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: &AppFacts<'_>,
    alert: &AlertFacts<'_>,
) -> Option<String> {
    let decided = if alert.kind == AlertKind::Escalated {
        decide_escalation(plan, channels, app, alert.threat_level)
    } else {
        decide(plan, channels, app, alert).map(|(drafts, _)| drafts)
    };
    decided.err()
}

/// The next digest time strictly after `now` (the plan's `digest_at` in its time zone, DST
/// handled as the monitoring schedule does: a time the clocks skip is the first instant after
/// the gap, a time they pass twice the first). A `digest_at` that is not `HH:MM` (the import
/// refuses it) is read as 08:00.
pub fn next_digest(plan: &Plan, now: DateTime<Utc>) -> DateTime<Utc> {
    let at = parse_at(&plan.digest_at)
        .unwrap_or_else(|_| NaiveTime::from_hms_opt(8, 0, 0).expect("08:00 is a time"));
    daily(at, plan_timezone(plan)).first_after(now)
}

/// When quiet hours hold an alert of this threat level back until, if they do at `now`.
///
/// Quiet hours run from `from` (included) to `to` (excluded), local times in the plan's zone;
/// `from` after `to` wraps past midnight (20:00–07:00 holds an alert at 23:00 and at 06:59
/// until 07:00). A threat level at or above `except_at_least` is never held. On a day the
/// clocks change, both ends are read as [`next_digest`] reads `digest_at`: 07:00 is 07:00 of
/// whichever offset holds then. Equal `from` and `to` (the import refuses them) or a time
/// that is not `HH:MM` hold nothing.
pub fn quiet_until(plan: &Plan, threat_level: u8, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let quiet = plan.quiet_hours.as_ref()?;
    if threat_level >= quiet.except_at_least {
        return None;
    }
    quiet_end(plan, now)
}

/// The SLA in days for a threat level's band, if that band escalates.
pub fn sla_days(plan: &Plan, threat_level: u8) -> Option<u32> {
    plan.sla.days.get(band(threat_level)).copied()
}

/// Where an escalation of a violation of this application goes: the SLA's channels (every
/// enabled email channel when it names none), writing to the `escalate_to` roles' contacts.
/// Quiet hours do not hold escalations of critical violations; digests do not apply.
///
/// Email recipients are the `escalate_to` roles' contacts of this application only: neither
/// the channels' `to` nor their `to_roles` (those hear the alerts; an escalation is for the
/// people who answer for the SLA). A band with no SLA never escalates: no route. An
/// escalation of another band is held by quiet hours like an alert of its threat level.
pub fn escalation_routes(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: &AppFacts<'_>,
    threat_level: u8,
    now: DateTime<Utc>,
) -> Vec<Route> {
    match decide_escalation(plan, channels, app, threat_level) {
        Ok(drafts) => {
            let hold = if band(threat_level) == "critical" {
                Hold::Never
            } else {
                Hold::Quiet(threat_level)
            };
            finish(plan, drafts, hold, now)
        }
        Err(_) => Vec::new(),
    }
}

/// Where a waiver-expiring alert goes: the plan's waiver channels, else every channel of any
/// tier (every enabled channel with an open plan). Email goes to the fixed recipients and,
/// when the waiver is scoped to one application (`app`), its contacts of the channel's roles.
///
/// Only enabled channels; the tiers' channels in the order `critical`, `high`, `medium`,
/// `low`. Sent immediately (never in the digest) but held by quiet hours as an alert of threat
/// level 0 is: an expiry days away is no reason to wake anyone.
pub fn waiver_routes(
    plan: &Plan,
    channels: &[ChannelFacts],
    app: Option<&AppFacts<'_>>,
    now: DateTime<Utc>,
) -> Vec<Route> {
    let mut candidates: Vec<(&ChannelFacts, String)> = Vec::new();
    let mut add = |name: &str, why: String| {
        if let Some(channel) = enabled(channels, name) {
            if !candidates.iter().any(|(c, _)| c.name == channel.name) {
                candidates.push((channel, why));
            }
        }
    };
    if !plan.waivers.channels.is_empty() {
        for name in &plan.waivers.channels {
            add(
                name,
                format!("waiver expiring: the plan's waiver channels → {name}"),
            );
        }
    } else if plan.is_open() {
        for channel in channels {
            add(
                &channel.name,
                format!(
                    "waiver expiring: no plan, every enabled channel → {}",
                    channel.name
                ),
            );
        }
    } else {
        for (tier, rule) in tiers_in_order(plan) {
            for name in &rule.channels {
                add(
                    name,
                    format!("waiver expiring: a channel of tier {tier} → {name}"),
                );
            }
        }
    }
    let mut drafts = Vec::new();
    for (channel, why) in candidates {
        let mut draft = Draft::new(channel, why);
        if channel.kind == ChannelKind::Email {
            draft.fixed(channel);
            if let Some(app) = app {
                for role in &channel.to_roles {
                    let sentence = format!("channel {}'s role {role}", channel.name);
                    draft.role(app, role, &sentence);
                }
            }
        }
        drafts.push(draft);
    }
    finish(plan, drafts, Hold::Quiet(0), now)
}

/// A threat level's band (`model::BANDS`): critical 8–10 (and above), severe 4–7,
/// moderate 2–3, low 0–1.
pub fn band(threat_level: u8) -> &'static str {
    match threat_level {
        8.. => BANDS[0],
        4..=7 => BANDS[1],
        2..=3 => BANDS[2],
        0..=1 => BANDS[3],
    }
}

/// The plan's time zone: `timezone`, or the system's when it is empty (or not a zone, which
/// the import refuses).
pub fn plan_timezone(plan: &Plan) -> Tz {
    if plan.timezone.trim().is_empty() {
        return system_timezone();
    }
    parse_timezone(&plan.timezone).unwrap_or_else(|_| system_timezone())
}

// ---------------------------------------------------------------------------------------------

/// What holds a route back.
#[derive(Debug, Clone, Copy)]
enum Hold {
    /// Until the next digest time.
    Digest,
    /// Quiet hours, for an alert of this threat level.
    Quiet(u8),
    /// Nothing: sent now.
    Never,
}

/// A route before its time is known.
struct Draft<'c> {
    channel: &'c ChannelFacts,
    /// Lowercased address → the first spelling met.
    recipients: BTreeMap<String, String>,
    why: Vec<String>,
}

impl<'c> Draft<'c> {
    fn new(channel: &'c ChannelFacts, why: String) -> Draft<'c> {
        Draft {
            channel,
            recipients: BTreeMap::new(),
            why: vec![why],
        }
    }

    fn is_email(&self) -> bool {
        self.channel.kind == ChannelKind::Email
    }

    fn add(&mut self, address: &str) {
        let address = address.trim();
        if !address.is_empty() {
            self.recipients
                .entry(address.to_lowercase())
                .or_insert_with(|| address.to_string());
        }
    }

    /// The channel's fixed recipients.
    fn fixed(&mut self, channel: &ChannelFacts) {
        let fixed: Vec<&str> = channel
            .to
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .collect();
        if !fixed.is_empty() {
            self.why.push(format!(
                "channel {} writes to {}",
                channel.name,
                fixed.join(", ")
            ));
            for address in fixed {
                self.add(address);
            }
        }
    }

    /// A role's contacts of this application, with the sentence `{label} → …`.
    fn role(&mut self, app: &AppFacts<'_>, role: &str, label: &str) {
        let found = role_contacts(app.contacts, role);
        if found.is_empty() {
            self.why
                .push(format!("{label} → nobody ({} has no {role})", app.name));
        } else {
            self.why.push(format!("{label} → {}", found.join(", ")));
            for address in found {
                self.add(address);
            }
        }
    }

    fn take(&mut self, targets: &TargetRecipients) {
        self.why.extend(targets.why.iter().cloned());
        for address in &targets.addresses {
            self.add(address);
        }
    }

    fn recipients(&self) -> Vec<String> {
        self.recipients.values().cloned().collect()
    }
}

/// The policy's targets, resolved against this application's contacts.
#[derive(Default)]
struct TargetRecipients {
    addresses: Vec<String>,
    why: Vec<String>,
}

fn target_recipients(targets: &Targets, policy: &str, app: &AppFacts<'_>) -> TargetRecipients {
    let mut out = TargetRecipients::default();
    for role in &targets.roles {
        let found = role_contacts(app.contacts, role);
        if found.is_empty() {
            out.why.push(format!(
                "{policy} targets role {role} → nobody ({} has no {role})",
                app.name
            ));
        } else {
            out.why.push(format!(
                "{policy} targets role {role} → {}",
                found.join(", ")
            ));
            out.addresses.extend(found.into_iter().map(str::to_string));
        }
    }
    for entry in &targets.contacts {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        if entry.contains('@') {
            out.why.push(format!("{policy} targets {entry}"));
            out.addresses.push(entry.to_string());
            continue;
        }
        let found: Vec<&str> = app
            .contacts
            .iter()
            .filter(|c| c.name.trim().eq_ignore_ascii_case(entry) && !c.email.trim().is_empty())
            .map(|c| c.email.trim())
            .collect();
        if found.is_empty() {
            out.why.push(format!(
                "{policy} targets contact {entry}, who is not a contact of {}",
                app.name
            ));
        } else {
            out.why.push(format!(
                "{policy} targets contact {entry} → {}",
                found.join(", ")
            ));
            out.addresses.extend(found.into_iter().map(str::to_string));
        }
    }
    out
}

/// The email addresses of this application's contacts holding `role` (in contact order).
fn role_contacts<'a>(contacts: &'a [ContactDto], role: &str) -> Vec<&'a str> {
    let role = role.trim();
    let mut found: Vec<&str> = Vec::new();
    for contact in contacts {
        let email = contact.email.trim();
        if contact.role.trim().eq_ignore_ascii_case(role)
            && !email.is_empty()
            && !found.iter().any(|f| f.eq_ignore_ascii_case(email))
        {
            found.push(email);
        }
    }
    found
}

fn enabled<'c>(channels: &'c [ChannelFacts], name: &str) -> Option<&'c ChannelFacts> {
    channels.iter().find(|c| c.name == name && c.enabled)
}

/// Why a named channel is not routed: `ghost (no such channel)`, `chat (disabled)`.
fn unusable(channels: &[ChannelFacts], name: &str) -> String {
    match channels.iter().find(|c| c.name == name) {
        Some(_) => format!("{name} (disabled)"),
        None => format!("{name} (no such channel)"),
    }
}

/// The plan's tier rules, known tiers first in `TIERS` order, then any other.
fn tiers_in_order(plan: &Plan) -> Vec<(&str, &TierRule)> {
    let mut out: Vec<(&str, &TierRule)> = TIERS
        .iter()
        .filter_map(|t| plan.tiers.get_key_value(*t))
        .map(|(t, r)| (t.as_str(), r))
        .collect();
    for (tier, rule) in &plan.tiers {
        if !TIERS.contains(&tier.as_str()) {
            out.push((tier, rule));
        }
    }
    out
}

fn daily(at: NaiveTime, timezone: Tz) -> Schedule {
    Schedule {
        at,
        timezone,
        paused: false,
        set_at: DateTime::<Utc>::MIN_UTC,
    }
}

fn occurrence(zone: Tz, date: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    daily(at, zone).occurrence(date)
}

/// `07:00 Europe/Berlin`: an instant as the plan's local time.
fn local(t: DateTime<Utc>, zone: Tz) -> String {
    format!("{} {}", t.with_timezone(&zone).format("%H:%M"), zone.name())
}

fn mode_word(mode: DeliveryMode) -> &'static str {
    match mode {
        DeliveryMode::Immediate => "immediate",
        DeliveryMode::Digest => "digest",
    }
}

/// The channels and recipients of a NEW, CHANGED or RESOLVED alert, or why there are none.
fn decide<'c>(
    plan: &Plan,
    channels: &'c [ChannelFacts],
    app: &AppFacts<'_>,
    alert: &AlertFacts<'_>,
) -> Result<(Vec<Draft<'c>>, DeliveryMode), String> {
    if alert.kind == AlertKind::Resolved && !plan.announce_resolved {
        return Err("RESOLVED alerts are not announced".to_string());
    }
    let policy = match alert.policy {
        Some(name) => format!("policy {name}"),
        None => "the policy".to_string(),
    };
    // (channel, first sentence, whether the tier's roles apply)
    let mut candidates: Vec<(&ChannelFacts, String, bool)> = Vec::new();
    let mode;
    let mut rule_roles: &[String] = &[];
    if plan.is_open() {
        mode = DeliveryMode::Immediate;
        for channel in channels.iter().filter(|c| c.enabled) {
            if !candidates.iter().any(|(c, _, _)| c.name == channel.name) {
                let why = format!(
                    "no plan: every enabled channel → {} (immediate)",
                    channel.name
                );
                candidates.push((channel, why, false));
            }
        }
        if candidates.is_empty() {
            return Err("no channel is enabled".to_string());
        }
    } else {
        let tier = app.tier;
        let Some(rule) = plan.tiers.get(tier) else {
            return Err(format!("tier {tier} is told nothing"));
        };
        if alert.threat_level < rule.min_threat_level {
            return Err(format!(
                "below tier {tier}'s minimum threat level {}",
                rule.min_threat_level
            ));
        }
        mode = rule.delivery;
        rule_roles = &rule.roles;
        let mut named = Vec::new();
        for name in &rule.channels {
            named.push(name.as_str());
            if let Some(channel) = enabled(channels, name) {
                if !candidates.iter().any(|(c, _, _)| c.name == channel.name) {
                    let why = format!("tier {tier} → {name} ({})", mode_word(mode));
                    candidates.push((channel, why, true));
                }
            }
        }
        for name in alert.targets.map_or(&[][..], |t| &t.channels[..]) {
            named.push(name.as_str());
            if let Some(channel) = enabled(channels, name) {
                if !candidates.iter().any(|(c, _, _)| c.name == channel.name) {
                    let why = format!("{policy} targets channel {name} ({})", mode_word(mode));
                    candidates.push((channel, why, false));
                }
            }
        }
        if candidates.is_empty() {
            if named.is_empty() {
                return Err(format!("tier {tier} names no channel"));
            }
            let mut seen: Vec<&str> = Vec::new();
            named.retain(|n| {
                let first = !seen.contains(n);
                seen.push(n);
                first
            });
            let named: Vec<String> = named.iter().map(|n| unusable(channels, n)).collect();
            return Err(format!(
                "no channel is enabled: {} named {}",
                if alert.targets.is_some_and(|t| !t.channels.is_empty()) {
                    format!("tier {tier} and {policy}")
                } else {
                    format!("tier {tier}")
                },
                named.join(", ")
            ));
        }
    }

    let targets = alert
        .targets
        .map(|t| target_recipients(t, &policy, app))
        .unwrap_or_default();
    let mut drafts = Vec::new();
    for (channel, why, tier_channel) in candidates {
        let mut draft = Draft::new(channel, why);
        if draft.is_email() {
            draft.fixed(channel);
            for role in &channel.to_roles {
                draft.role(
                    app,
                    role,
                    &format!("channel {}'s role {role}", channel.name),
                );
            }
            if tier_channel {
                for role in rule_roles {
                    draft.role(app, role, &format!("tier {}'s role {role}", app.tier));
                }
            }
            draft.take(&targets);
        }
        drafts.push(draft);
    }
    if !targets.addresses.is_empty() && !drafts.iter().any(Draft::is_email) {
        for channel in channels
            .iter()
            .filter(|c| c.enabled && c.kind == ChannelKind::Email)
        {
            let mut draft = Draft::new(
                channel,
                format!(
                    "{policy} targets recipients and no email channel is routed: every enabled email channel → {} ({})",
                    channel.name,
                    mode_word(mode)
                ),
            );
            draft.take(&targets);
            drafts.push(draft);
        }
    }
    keep_reachable(drafts).map(|drafts| (drafts, mode))
}

/// The channels and recipients of an escalation, or why there are none.
fn decide_escalation<'c>(
    plan: &Plan,
    channels: &'c [ChannelFacts],
    app: &AppFacts<'_>,
    threat_level: u8,
) -> Result<Vec<Draft<'c>>, String> {
    let band = band(threat_level);
    let Some(days) = sla_days(plan, threat_level) else {
        return Err(format!("the {band} band has no SLA: it never escalates"));
    };
    let lead = format!("open past the {band} SLA of {days} days");
    let mut candidates: Vec<(&ChannelFacts, String)> = Vec::new();
    if plan.sla.channels.is_empty() {
        for channel in channels
            .iter()
            .filter(|c| c.enabled && c.kind == ChannelKind::Email)
        {
            candidates.push((
                channel,
                format!(
                    "{lead} → {} (every enabled email channel: the SLA names none)",
                    channel.name
                ),
            ));
        }
        if candidates.is_empty() {
            return Err("no email channel is enabled for escalations".to_string());
        }
    } else {
        for name in &plan.sla.channels {
            if let Some(channel) = enabled(channels, name) {
                if !candidates.iter().any(|(c, _)| c.name == channel.name) {
                    candidates.push((channel, format!("{lead} → {name}")));
                }
            }
        }
        if candidates.is_empty() {
            let named: Vec<String> = plan
                .sla
                .channels
                .iter()
                .map(|n| unusable(channels, n))
                .collect();
            return Err(format!(
                "no channel is enabled: the SLA names {}",
                named.join(", ")
            ));
        }
    }
    let mut drafts = Vec::new();
    for (channel, why) in candidates {
        let mut draft = Draft::new(channel, why);
        if draft.is_email() {
            for role in &plan.sla.escalate_to {
                draft.role(app, role, &format!("escalates to role {role}"));
            }
        }
        drafts.push(draft);
    }
    keep_reachable(drafts)
}

/// Drops email drafts with no recipient; none left is an error naming them.
fn keep_reachable(drafts: Vec<Draft<'_>>) -> Result<Vec<Draft<'_>>, String> {
    let (kept, dropped): (Vec<Draft<'_>>, Vec<Draft<'_>>) = drafts
        .into_iter()
        .partition(|d| !d.is_email() || !d.recipients.is_empty());
    if !kept.is_empty() {
        return Ok(kept);
    }
    let names: Vec<&str> = dropped.iter().map(|d| d.channel.name.as_str()).collect();
    Err(match names.as_slice() {
        [] => "no channel is enabled".to_string(),
        [one] => format!("email channel {one} has no recipient for this application"),
        many => format!(
            "email channels {} have no recipient for this application",
            many.join(", ")
        ),
    })
}

/// Sets each draft's time and says it.
fn finish(plan: &Plan, drafts: Vec<Draft<'_>>, hold: Hold, now: DateTime<Utc>) -> Vec<Route> {
    if drafts.is_empty() {
        return Vec::new();
    }
    let zone = plan_timezone(plan);
    let (mode, send_at, sentence) = match hold {
        Hold::Digest => {
            let at = next_digest(plan, now);
            (
                DeliveryMode::Digest,
                at,
                Some(format!("in the digest at {}", local(at, zone))),
            )
        }
        Hold::Quiet(level) => match quiet_until(plan, level, now) {
            Some(until) => (
                DeliveryMode::Immediate,
                until,
                Some(format!("held by quiet hours until {}", local(until, zone))),
            ),
            None => (
                DeliveryMode::Immediate,
                now,
                quiet_exception(plan, level, now),
            ),
        },
        Hold::Never => (
            DeliveryMode::Immediate,
            now,
            in_quiet_hours(plan, now).then(|| "critical: sent during quiet hours".to_string()),
        ),
    };
    drafts
        .into_iter()
        .map(|draft| {
            let recipients = draft.recipients();
            let mut why = draft.why;
            why.extend(sentence.clone());
            Route {
                channel: draft.channel.name.clone(),
                recipients,
                mode,
                send_at,
                why,
            }
        })
        .collect()
}

/// The end of the quiet period `now` is in, whatever the threat level.
fn quiet_end(plan: &Plan, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let quiet = plan.quiet_hours.as_ref()?;
    let from = parse_at(&quiet.from).ok()?;
    let to = parse_at(&quiet.to).ok()?;
    if from == to {
        return None;
    }
    let zone = plan_timezone(plan);
    let wraps = from > to;
    let today = now.with_timezone(&zone).date_naive();
    // A wrapping period that holds now may have begun yesterday.
    for start_day in [today.pred_opt()?, today] {
        let end_day = if wraps {
            start_day.succ_opt()?
        } else {
            start_day
        };
        let start = occurrence(zone, start_day, from);
        let end = occurrence(zone, end_day, to);
        if start <= now && now < end {
            return Some(end);
        }
    }
    None
}

fn in_quiet_hours(plan: &Plan, now: DateTime<Utc>) -> bool {
    quiet_end(plan, now).is_some()
}

/// `sent during quiet hours: threat level 9 is at least 8`, when that is why it was not held.
fn quiet_exception(plan: &Plan, level: u8, now: DateTime<Utc>) -> Option<String> {
    let quiet = plan.quiet_hours.as_ref()?;
    (level >= quiet.except_at_least && in_quiet_hours(plan, now)).then(|| {
        format!(
            "sent during quiet hours: threat level {level} is at least {}",
            quiet.except_at_least
        )
    })
}

#[cfg(test)]
mod tests;
