//! Alerts become deliveries: routed by the plan inside the transaction that records them, so
//! an alert and the deliveries that will tell people about it commit together or not at all.
//!
//! Grouping follows what each channel's readers want: email, Slack, Teams and Mattermost get
//! one message per application and run; a webhook one event per application, run and alert
//! kind (an envelope has one `type`); Jira one issue per violation, or per application and
//! run; the desktop one summary per run and priority tier. A digest collects everything of a
//! channel and recipient list until its time.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use vigil_notify::{
    notice::AlertKind, AdvisoryNotice, AppNotice, ChannelConfig, ChannelKind, JiraGrouping, Notice,
    NoticeKind, ViolationNotice,
};
use vigil_policy::{Targets, Violation};
use vigil_store::{
    notifications::{self, ChannelRow, NewDelivery},
    ApplicationRow, Store, Transaction,
};

use crate::{
    api::ContactDto,
    plan::{
        route::{self, AlertFacts, AppFacts, ChannelFacts, Route},
        DeliveryMode, Plan,
    },
    rfc3339, EngineError,
};

/// An enabled channel, parsed.
#[derive(Debug, Clone)]
pub(crate) struct Channel {
    pub id: i64,
    pub name: String,
    pub config: ChannelConfig,
}

/// One alert of one application, as routing needs it.
#[derive(Debug, Clone)]
pub(crate) struct RoutedAlert {
    pub alert_id: i64,
    pub violation_id: i64,
    pub kind: AlertKind,
    pub violation: Violation,
    pub changed: Vec<String>,
}

/// What routing needs for a whole run, loaded once.
pub(crate) struct Router {
    pub plan: Plan,
    pub channels: Vec<Channel>,
    pub facts: Vec<ChannelFacts>,
    targets: HashMap<String, Targets>,
}

pub(crate) const PLAN_SETTING: &str = "notification_plan";

pub(crate) fn load_plan(store: &Store) -> Result<(Plan, bool), EngineError> {
    Ok(match store.setting::<Plan>(PLAN_SETTING)? {
        Some(plan) => (plan, true),
        None => (Plan::default(), false),
    })
}

/// An application's contacts as routing takes them.
fn app_contacts(tx: &Transaction<'_>, application_id: i64) -> Result<Vec<ContactDto>, EngineError> {
    Ok(vigil_store::applications::contacts(tx, application_id)?
        .into_iter()
        .map(crate::apps::contact_dto)
        .collect())
}

pub(crate) fn parse_channel(row: &ChannelRow) -> Result<ChannelConfig, EngineError> {
    serde_json::from_str(&row.config).map_err(|e| {
        EngineError::Store(vigil_store::StoreError::Corrupt(format!(
            "channel {}: {e}",
            row.name
        )))
    })
}

pub(crate) fn channel_facts(row: &ChannelRow, config: &ChannelConfig) -> ChannelFacts {
    let (to, to_roles) = match config {
        ChannelConfig::Email(email) => (email.to.clone(), email.to_roles.clone()),
        ChannelConfig::Webhook(_)
        | ChannelConfig::Slack(_)
        | ChannelConfig::Teams(_)
        | ChannelConfig::Mattermost(_)
        | ChannelConfig::Jira(_)
        | ChannelConfig::Desktop => (Vec::new(), Vec::new()),
    };
    ChannelFacts {
        name: row.name.clone(),
        kind: config.kind(),
        enabled: row.enabled,
        to,
        to_roles,
    }
}

impl Router {
    pub fn load(store: &Store, policies: &[vigil_policy::Policy]) -> Result<Router, EngineError> {
        let (plan, _) = load_plan(store)?;
        let mut channels = Vec::new();
        let mut facts = Vec::new();
        for row in store.channels()? {
            let config = parse_channel(&row)?;
            facts.push(channel_facts(&row, &config));
            if row.enabled {
                channels.push(Channel {
                    id: row.id,
                    name: row.name.clone(),
                    config,
                });
            }
        }
        let targets = policies
            .iter()
            .filter(|p| {
                !(p.targets.contacts.is_empty()
                    && p.targets.roles.is_empty()
                    && p.targets.channels.is_empty())
            })
            .map(|p| (p.name.clone(), p.targets.clone()))
            .collect();
        Ok(Router {
            plan,
            channels,
            facts,
            targets,
        })
    }

    /// No enabled channel: nothing to route (the common case before a channel is set up).
    pub fn is_silent(&self) -> bool {
        self.channels.is_empty()
    }

    fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Routes one application's alerts of one run into the outbox. Returns how many
    /// deliveries were created or grown.
    pub fn route_application(
        &self,
        tx: &Transaction<'_>,
        app: &ApplicationRow,
        alerts: &[RoutedAlert],
        run_id: i64,
        now: DateTime<Utc>,
    ) -> Result<u32, EngineError> {
        if self.is_silent() || alerts.is_empty() {
            return Ok(0);
        }
        let contacts = app_contacts(tx, app.id)?;
        let facts = AppFacts {
            name: &app.name,
            tier: &app.tier,
            contacts: &contacts,
        };
        // Buckets: one delivery each.
        let mut buckets: BTreeMap<BucketKey, Vec<&RoutedAlert>> = BTreeMap::new();
        for alert in alerts {
            let alert_facts = AlertFacts {
                threat_level: alert.violation.threat_level,
                kind: alert.kind,
                targets: self.targets.get(&alert.violation.policy),
                policy: Some(&alert.violation.policy),
            };
            for route in route::route(&self.plan, &self.facts, &facts, &alert_facts, now) {
                let Some(channel) = self.channel(&route.channel) else {
                    continue;
                };
                if !subscribes(channel, alert.kind) {
                    continue;
                }
                let key = bucket_key(channel, &route, alert, &app.tier, run_id);
                buckets.entry(key).or_default().push(alert);
            }
        }
        let mut written = 0;
        for (key, alerts) in buckets {
            let channel = self
                .channels
                .iter()
                .find(|c| c.id == key.channel_id)
                .expect("bucketed channels exist");
            let app_notice = app_notice(app, &alerts);
            let alert_ids: Vec<i64> = alerts.iter().map(|a| a.alert_id).collect();
            write(
                tx,
                channel,
                &key,
                app_notice,
                &alert_ids,
                Some(app.id),
                Some(run_id),
                now,
            )?;
            written += 1;
        }
        Ok(written)
    }
}

/// What makes two alerts share one delivery.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct BucketKey {
    pub channel_id: i64,
    pub recipients: Vec<String>,
    pub send_at: String,
    pub digest: bool,
    /// Within the channel and time: the kind of alert (webhooks), the violation (Jira per
    /// violation), or nothing (one per application and run).
    pub part: String,
    /// Deliveries that collect across applications (digests, desktop summaries).
    pub collect: Option<String>,
}

fn bucket_key(
    channel: &Channel,
    route: &Route,
    alert: &RoutedAlert,
    tier: &str,
    run_id: i64,
) -> BucketKey {
    let send_at = rfc3339(route.send_at);
    let digest = route.mode == DeliveryMode::Digest;
    let part = match &channel.config {
        ChannelConfig::Webhook(_) => format!("{:?}", alert.kind),
        ChannelConfig::Jira(jira) if jira.grouping == JiraGrouping::PerViolation => {
            alert.violation_id.to_string()
        }
        ChannelConfig::Jira(_)
        | ChannelConfig::Email(_)
        | ChannelConfig::Slack(_)
        | ChannelConfig::Teams(_)
        | ChannelConfig::Mattermost(_)
        | ChannelConfig::Desktop => String::new(),
    };
    let collect = if digest {
        Some(format!(
            "digest:{}:{}:{}:{}",
            channel.id,
            hash_short(&route.recipients.join(",")),
            send_at,
            part
        ))
    } else if channel.config.kind() == ChannelKind::Desktop {
        Some(format!("desktop:{}:{run_id}:{tier}:{send_at}", channel.id))
    } else {
        None
    };
    BucketKey {
        channel_id: channel.id,
        recipients: route.recipients.clone(),
        send_at,
        digest,
        part,
        collect,
    }
}

fn hash_short(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A violation's stable key: Jira labels and mail threading use it.
pub(crate) fn violation_key(app: &ApplicationRow, violation: &Violation) -> String {
    let identity = format!(
        "{}\n{}\n{}\n{}",
        app.public_id, violation.policy, violation.purl, violation.condition_key
    );
    hash_short(&identity)
}

pub(crate) fn app_notice(app: &ApplicationRow, alerts: &[&RoutedAlert]) -> AppNotice {
    AppNotice {
        name: app.name.clone(),
        public_id: Some(app.public_id.clone()),
        tier: app.tier.clone(),
        organization: app.organization.clone(),
        stage: app.monitored_stage.clone(),
        violations: alerts
            .iter()
            .map(|a| {
                violation_notice(
                    app,
                    a.violation_id,
                    Some(a.alert_id),
                    a.kind,
                    &a.violation,
                    &a.changed,
                )
            })
            .collect(),
    }
}

pub(crate) fn violation_notice(
    app: &ApplicationRow,
    violation_id: i64,
    alert_id: Option<i64>,
    kind: AlertKind,
    violation: &Violation,
    changed: &[String],
) -> ViolationNotice {
    let details = &violation.details;
    ViolationNotice {
        alert_id,
        violation_id,
        kind,
        policy: violation.policy.clone(),
        threat_level: violation.threat_level,
        purl: violation.purl.clone(),
        component: component_label(&violation.purl),
        condition: violation.condition_key.clone(),
        satisfied_conditions: details
            .conditions
            .iter()
            .map(|c| c.reason.clone())
            .collect(),
        advisories: details
            .advisories
            .iter()
            .map(|a| AdvisoryNotice {
                id: a.id.clone(),
                aliases: a.aliases.clone(),
                summary: (!a.summary.is_empty()).then(|| a.summary.clone()),
                score: a.score.map(|s| s as f32),
                rating: a.rating.clone(),
                kev: a.kev,
                epss: a.epss.map(|e| e as f32),
                fixed: a.fixed.clone(),
            })
            .collect(),
        changed: changed.to_vec(),
        fix: fix_version(&violation.purl, details),
        found_in: Vec::new(),
        key: violation_key(app, violation),
    }
}

/// `log4j-core 2.14.1` from a purl.
pub(crate) fn component_label(purl: &str) -> String {
    match vigil_model::PackageRef::parse_purl(purl) {
        Ok(package) => {
            let name = package
                .name
                .rsplit('/')
                .next()
                .unwrap_or(&package.name)
                .to_string();
            match package.version {
                Some(version) => format!("{name} {version}"),
                None => name,
            }
        }
        Err(_) => purl.to_string(),
    }
}

/// The lowest version that fixes every advisory: per advisory its lowest fix, then the
/// highest of those in the ecosystem's own order. `None` when an advisory has no fix.
pub(crate) fn fix_version(purl: &str, details: &vigil_policy::ViolationDetails) -> Option<String> {
    use vigil_advisories::version::Version;
    if details.advisories.is_empty() {
        return None;
    }
    let ecosystem = vigil_model::PackageRef::parse_purl(purl).ok()?.ecosystem;
    let mut best: Option<(Version, String)> = None;
    for advisory in &details.advisories {
        let mut lowest: Option<(Version, String)> = None;
        for fixed in &advisory.fixed {
            let Ok(version) = Version::parse(ecosystem, fixed) else {
                continue;
            };
            let lower = match &lowest {
                Some((current, _)) => {
                    version.partial_cmp_same_scheme(current) == Some(std::cmp::Ordering::Less)
                }
                None => true,
            };
            if lower {
                lowest = Some((version, fixed.clone()));
            }
        }
        let (version, text) = lowest?;
        let higher = match &best {
            Some((current, _)) => {
                version.partial_cmp_same_scheme(current) == Some(std::cmp::Ordering::Greater)
            }
            None => true,
        };
        if higher {
            best = Some((version, text));
        }
    }
    best.map(|(_, text)| text)
}

/// Counts of a notice's lines by kind, as a title: `2 new, 1 resolved violations in Payments`.
pub(crate) fn title_for(notice: &Notice) -> String {
    let mut counts: BTreeMap<u8, (usize, &str)> = BTreeMap::new();
    for v in notice.violations() {
        let (order, word) = match v.kind {
            AlertKind::New => (0, "new"),
            AlertKind::Changed => (1, "changed"),
            AlertKind::Resolved => (2, "resolved"),
            AlertKind::Escalated => (3, "past their SLA"),
        };
        counts.entry(order).or_insert((0, word)).0 += 1;
    }
    let total: usize = counts.values().map(|(n, _)| n).sum();
    let parts: Vec<String> = counts
        .values()
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
    let noun = if total == 1 {
        "violation"
    } else {
        "violations"
    };
    let apps = notice.applications.len();
    let place = if apps == 1 {
        notice.applications[0].name.clone()
    } else {
        format!("{apps} applications")
    };
    let lead = match notice.kind {
        NoticeKind::Digest => "Digest: ",
        NoticeKind::Escalation => "Escalation: ",
        NoticeKind::Violations
        | NoticeKind::WaiverExpiring
        | NoticeKind::EvaluationCompleted
        | NoticeKind::AdvisoriesUpdated
        | NoticeKind::Test => "",
    };
    format!("{lead}{} {noun} in {place}", parts.join(", "))
}

fn event_for(notice: &Notice, channel: &ChannelConfig) -> String {
    match (notice.kind, channel) {
        (NoticeKind::Digest, _) => "digest".to_string(),
        (NoticeKind::Escalation, _) => "escalation".to_string(),
        _ => notice.webhook_event().as_str().to_string(),
    }
}

/// Writes one bucket: a new delivery, or the growth of a collecting one.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write(
    tx: &Transaction<'_>,
    channel: &Channel,
    key: &BucketKey,
    app: AppNotice,
    alert_ids: &[i64],
    application_id: Option<i64>,
    run_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), EngineError> {
    let kind = if key.digest {
        NoticeKind::Digest
    } else {
        NoticeKind::Violations
    };
    write_notice(
        tx,
        channel,
        key,
        kind,
        app,
        alert_ids,
        application_id,
        run_id,
        now,
    )
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn write_notice(
    tx: &Transaction<'_>,
    channel: &Channel,
    key: &BucketKey,
    kind: NoticeKind,
    app: AppNotice,
    alert_ids: &[i64],
    application_id: Option<i64>,
    run_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), EngineError> {
    let corrupt =
        |e: serde_json::Error| EngineError::Store(vigil_store::StoreError::Corrupt(e.to_string()));
    if let Some(collect) = &key.collect {
        if let Some((id, notice)) = notifications::collecting(tx, collect)? {
            let mut notice: Notice = serde_json::from_str(&notice).map_err(corrupt)?;
            merge(&mut notice, app);
            notice.title = title_for(&notice);
            let text = serde_json::to_string(&notice).map_err(corrupt)?;
            notifications::extend_delivery(tx, &id, &notice.title, &text, alert_ids, application_id)?;
            return Ok(());
        }
    }
    let level = app
        .violations
        .iter()
        .map(|v| v.threat_level)
        .max()
        .unwrap_or(0);
    let mut notice = Notice {
        kind,
        title: String::new(),
        level,
        occurred_at: now,
        run_id,
        applications: vec![app],
        waivers: Vec::new(),
        summary: None,
    };
    notice.title = title_for(&notice);
    let id = uuid::Uuid::now_v7().to_string();
    let text = serde_json::to_string(&notice).map_err(corrupt)?;
    let recipients = serde_json::to_string(&key.recipients).map_err(corrupt)?;
    notifications::insert_delivery(
        tx,
        &NewDelivery {
            id: &id,
            channel_id: channel.id,
            event: &event_for(&notice, &channel.config),
            title: &notice.title,
            application_id,
            run_id,
            recipients: &recipients,
            notice: &text,
            collect_key: key.collect.as_deref(),
            due_at: &key.send_at,
            created_at: &rfc3339(now),
        },
        alert_ids,
    )?;
    Ok(())
}

/// Adds an application's lines to a collecting notice.
fn merge(notice: &mut Notice, app: AppNotice) {
    notice.level = notice.level.max(
        app.violations
            .iter()
            .map(|v| v.threat_level)
            .max()
            .unwrap_or(0),
    );
    match notice.applications.iter_mut().find(|a| a.name == app.name) {
        Some(existing) => existing.violations.extend(app.violations),
        None => notice.applications.push(app),
    }
}

impl Router {
    /// Violations open past their SLA escalate once, one notice per application and channel.
    pub fn escalate(
        &self,
        tx: &Transaction<'_>,
        run_id: i64,
        now: DateTime<Utc>,
    ) -> Result<u32, EngineError> {
        let Some(shortest) = ["critical", "severe", "moderate", "low"]
            .iter()
            .filter_map(|band| self.plan.sla.days.get(*band))
            .min()
        else {
            return Ok(0);
        };
        if self.is_silent() {
            return Ok(0);
        }
        let cutoff = rfc3339(now - chrono::Duration::days(i64::from(*shortest)));
        let candidates = notifications::escalation_candidates(tx, &cutoff)?;
        let mut by_app: BTreeMap<i64, Vec<(notifications::EscalationCandidate, u32)>> =
            BTreeMap::new();
        for candidate in candidates {
            let Some(days) = route::sla_days(&self.plan, candidate.violation.threat_level) else {
                continue;
            };
            let due = chrono::DateTime::parse_from_rfc3339(&candidate.first_seen_at)
                .map(|t| t.with_timezone(&Utc) + chrono::Duration::days(i64::from(days)));
            if due.is_ok_and(|due| due <= now) {
                by_app
                    .entry(candidate.application_id)
                    .or_default()
                    .push((candidate, days));
            }
        }
        let mut escalated = 0;
        let at = rfc3339(now);
        for (app_id, candidates) in by_app {
            let Some(app) = vigil_store::applications::application_by_id(tx, app_id)? else {
                continue;
            };
            let contacts = app_contacts(tx, app.id)?;
            let facts = AppFacts {
                name: &app.name,
                tier: &app.tier,
                contacts: &contacts,
            };
            let level = candidates
                .iter()
                .map(|(c, _)| c.violation.threat_level)
                .max()
                .unwrap_or(0);
            let routes = route::escalation_routes(&self.plan, &self.facts, &facts, level, now);
            let lines: Vec<ViolationNotice> = candidates
                .iter()
                .map(|(c, days)| {
                    let note = format!(
                        "open since {} — past its SLA of {days} days",
                        &c.first_seen_at[..10.min(c.first_seen_at.len())]
                    );
                    violation_notice(
                        &app,
                        c.violation_id,
                        None,
                        AlertKind::Escalated,
                        &c.violation,
                        &[note],
                    )
                })
                .collect();
            for route in &routes {
                let Some(channel) = self.channel(&route.channel) else {
                    continue;
                };
                let key = BucketKey {
                    channel_id: channel.id,
                    recipients: route.recipients.clone(),
                    send_at: rfc3339(route.send_at),
                    digest: false,
                    part: "escalation".into(),
                    collect: None,
                };
                let notice = AppNotice {
                    violations: lines.clone(),
                    ..app_notice(&app, &[])
                };
                write_notice(
                    tx,
                    channel,
                    &key,
                    NoticeKind::Escalation,
                    notice,
                    &[],
                    Some(app.id),
                    Some(run_id),
                    now,
                )?;
            }
            // Once, whether or not a route existed: nobody is to be told later in a burst.
            for (candidate, _) in &candidates {
                notifications::mark_escalated(tx, candidate.violation_id, &at)?;
                escalated += 1;
            }
        }
        Ok(escalated)
    }

    /// Waivers expiring within the plan's days: each announced once, as a notice of its own.
    pub fn announce_waivers(
        &self,
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
    ) -> Result<u32, EngineError> {
        if self.is_silent() {
            return Ok(0);
        }
        let today = now.date_naive();
        let until =
            today + chrono::Duration::days(i64::from(self.plan.waivers.expiring_within_days));
        let waivers = notifications::expiring_waivers(tx, &today.to_string(), &until.to_string())?;
        let at = rfc3339(now);
        for (id, scope, scope_name, component, policy, advisory, reason, expires) in &waivers {
            let app = match (scope.as_str(), scope_name) {
                ("application", Some(name)) => {
                    vigil_store::applications::application_by_name(tx, name)?
                }
                _ => None,
            };
            let contacts: Vec<ContactDto> = match &app {
                Some(app) => app_contacts(tx, app.id)?,
                None => Vec::new(),
            };
            let facts = app.as_ref().map(|a| AppFacts {
                name: &a.name,
                tier: &a.tier,
                contacts: &contacts,
            });
            let days_left = chrono::NaiveDate::parse_from_str(expires, "%Y-%m-%d")
                .map(|d| (d - today).num_days())
                .unwrap_or(0);
            let scope_text = match scope_name {
                Some(name) => format!("{scope} {name}"),
                None => scope.clone(),
            };
            let notice = Notice {
                kind: NoticeKind::WaiverExpiring,
                title: format!(
                    "Waiver {id} for {} expires in {days_left} days ({expires})",
                    component_label(component)
                ),
                level: 0,
                occurred_at: now,
                run_id: None,
                applications: Vec::new(),
                waivers: vec![vigil_notify::WaiverNotice {
                    id: *id,
                    scope: scope_text,
                    component: component.clone(),
                    policy: policy.clone(),
                    advisory: advisory.clone(),
                    reason: reason.clone(),
                    expires: expires.clone(),
                    days_left,
                }],
                summary: None,
            };
            let corrupt = |e: serde_json::Error| {
                EngineError::Store(vigil_store::StoreError::Corrupt(e.to_string()))
            };
            let text = serde_json::to_string(&notice).map_err(corrupt)?;
            for route in route::waiver_routes(&self.plan, &self.facts, facts.as_ref(), now) {
                let Some(channel) = self.channel(&route.channel) else {
                    continue;
                };
                let recipients = serde_json::to_string(&route.recipients).map_err(corrupt)?;
                notifications::insert_delivery(
                    tx,
                    &NewDelivery {
                        id: &uuid::Uuid::now_v7().to_string(),
                        channel_id: channel.id,
                        event: "waiver.expiring",
                        title: &notice.title,
                        application_id: app.as_ref().map(|a| a.id),
                        run_id: None,
                        recipients: &recipients,
                        notice: &text,
                        collect_key: None,
                        due_at: &rfc3339(route.send_at),
                        created_at: &at,
                    },
                    &[],
                )?;
            }
            notifications::mark_waiver_announced(tx, *id, &at)?;
        }
        Ok(waivers.len() as u32)
    }
}

/// Whether a channel wants an alert of this kind: a webhook listing its events wants only those.
fn subscribes(channel: &Channel, kind: AlertKind) -> bool {
    use vigil_notify::WebhookEvent;
    match &channel.config {
        ChannelConfig::Webhook(w) if !w.events.is_empty() => w.events.contains(&match kind {
            AlertKind::New => WebhookEvent::ViolationNew,
            AlertKind::Changed | AlertKind::Escalated => WebhookEvent::ViolationChanged,
            AlertKind::Resolved => WebhookEvent::ViolationResolved,
        }),
        ChannelConfig::Webhook(_)
        | ChannelConfig::Email(_)
        | ChannelConfig::Slack(_)
        | ChannelConfig::Teams(_)
        | ChannelConfig::Mattermost(_)
        | ChannelConfig::Jira(_)
        | ChannelConfig::Desktop => true,
    }
}

/// A webhook wants `event` only when it lists it: run summaries and advisory updates are
/// opt-in (`--events`), so a receiver set up for alerts does not hear of every daily run.
fn wants(channel: &Channel, event: vigil_notify::WebhookEvent) -> bool {
    matches!(&channel.config, ChannelConfig::Webhook(w) if w.events.contains(&event))
}

impl Router {
    /// `evaluation.completed` or `advisories.updated`: one delivery per webhook listing it.
    pub fn announce(
        &self,
        tx: &Transaction<'_>,
        event: vigil_notify::WebhookEvent,
        title: &str,
        summary: &str,
        run_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<u32, EngineError> {
        let kind = if event == vigil_notify::WebhookEvent::EvaluationCompleted {
            NoticeKind::EvaluationCompleted
        } else {
            NoticeKind::AdvisoriesUpdated
        };
        let notice = Notice {
            kind,
            title: title.to_string(),
            level: 0,
            occurred_at: now,
            run_id,
            applications: Vec::new(),
            waivers: Vec::new(),
            summary: Some(summary.to_string()),
        };
        let corrupt = |e: serde_json::Error| {
            EngineError::Store(vigil_store::StoreError::Corrupt(e.to_string()))
        };
        let text = serde_json::to_string(&notice).map_err(corrupt)?;
        let at = rfc3339(now);
        let mut written = 0;
        for channel in self.channels.iter().filter(|c| wants(c, event)) {
            notifications::insert_delivery(
                tx,
                &NewDelivery {
                    id: &uuid::Uuid::now_v7().to_string(),
                    channel_id: channel.id,
                    event: event.as_str(),
                    title,
                    application_id: None,
                    run_id,
                    recipients: "[]",
                    notice: &text,
                    collect_key: None,
                    due_at: &at,
                    created_at: &at,
                },
                &[],
            )?;
            written += 1;
        }
        Ok(written)
    }
}
