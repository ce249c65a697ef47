//! Triage across the portfolio: every open violation in one bounded list, waiving and
//! acknowledging many at once, and one violation's history (first seen, alerts, who was told
//! through which channel, waivers and acknowledgements).
//!
//! An acknowledgement is a triage mark, "seen, being handled". It silences nothing: the
//! violation stays open, counts, gates and notifies as before. Lists can hide acknowledged
//! violations; monitoring clears the mark when it reports the violation changed (the change
//! needs a fresh look) or resolved (`monitor.rs`).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use vigil_model::Stage;
use vigil_policy::WaiverScope;
use vigil_store::{
    notifications::DeliveryQuery,
    triage::{self, FindingKind, PortfolioQuery, Unacknowledge, ViolationIdentity},
    waivers::insert_waiver,
    ApplicationRow, Store,
};

use crate::{api, convert, deliveries, evaluate, monitor, rfc3339, waivers, Engine, EngineError};

/// The most rows one listing returns: enough to triage, bounded for the window.
pub const PORTFOLIO_LIMIT: u32 = 10_000;

/// The user monitoring acts as when it clears an acknowledgement.
pub const MONITORING: &str = "monitoring";

impl Engine {
    /// Open violations of every application's current evaluation (the one the application
    /// view shows), highest threat level first, then by application; at most the filter's
    /// limit (10,000 at most), with how many match in all.
    pub fn portfolio_violations(
        &self,
        filter: &api::PortfolioFilter,
    ) -> Result<api::PortfolioViolations, EngineError> {
        if let (Some(min), Some(max)) = (filter.min_threat, filter.max_threat) {
            if min > max {
                return Err(EngineError::InvalidInput(format!(
                    "the threat band {min}–{max} is empty: the minimum is above the maximum"
                )));
            }
        }
        for level in [filter.min_threat, filter.max_threat].into_iter().flatten() {
            if level > 10 {
                return Err(EngineError::InvalidInput(format!(
                    "threat level {level} is outside 0–10"
                )));
            }
        }
        let limit = filter.limit.unwrap_or(PORTFOLIO_LIMIT).min(PORTFOLIO_LIMIT);
        let store = self.store()?;
        let query = PortfolioQuery {
            application: filter.application.as_deref(),
            policy: filter.policy.as_deref(),
            min_threat: filter.min_threat,
            max_threat: filter.max_threat,
            kind: filter.kind.map(|k| match k {
                api::FindingKind::Security => FindingKind::Security,
                api::FindingKind::License => FindingKind::License,
            }),
            include_waived: filter.include_waived,
            include_acknowledged: filter.include_acknowledged,
            text: filter.text.as_deref(),
            limit,
        };
        let (rows, total) = store.portfolio_violations(&query)?;
        let policies = store.policies()?;
        let violations = rows
            .into_iter()
            .map(|row| {
                let stage: Option<Stage> = row.evaluated_stage.as_deref().and_then(|s| s.parse().ok());
                let action = stage.and_then(|stage| evaluate::action_at(&policies, &row.policy, stage));
                let violation = vigil_policy::Violation {
                    policy: row.policy,
                    threat_level: row.threat_level,
                    purl: row.purl,
                    condition_key: row.condition_key,
                    details: row.details,
                };
                api::PortfolioViolation {
                    application: row.application,
                    organization: row.organization,
                    stage: row.stage,
                    version_label: row.version_label,
                    violation: convert::violation(&violation, action, row.evidence),
                    acknowledgement: row.acknowledgement.map(acknowledgement_dto),
                }
            })
            .collect();
        Ok(api::PortfolioViolations {
            violations,
            total,
            limit,
        })
    }

    /// Acknowledges violations of current evaluations, all or none: one that is not a current
    /// violation fails the batch, naming it.
    pub fn acknowledge(
        &self,
        violations: &[api::ViolationRef],
        note: Option<&str>,
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<api::BulkReport, EngineError> {
        let mut store = self.store()?;
        let resolved = Current::load(&store, violations)?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let at = rfc3339(now);
        let identities = resolved.identities(violations)?;
        store.transaction(|tx| {
            for id in &identities {
                triage::acknowledge(tx, id, note, &at, by)?;
            }
            Ok(())
        })?;
        Ok(api::BulkReport {
            violations: identities.len() as u32,
            changed: identities.len() as u32,
        })
    }

    /// Clears the acknowledgement of violations; those without one are left as they are. An
    /// unknown application fails the batch. The violation need not be current any more.
    pub fn unacknowledge(
        &self,
        violations: &[api::ViolationRef],
        now: DateTime<Utc>,
        by: &str,
    ) -> Result<api::BulkReport, EngineError> {
        let mut store = self.store()?;
        let mut identities = Vec::with_capacity(violations.len());
        for v in violations {
            identities.push(identity(application(&store, &v.application)?.id, v));
        }
        let at = rfc3339(now);
        let changed = store.transaction(|tx| {
            let mut changed = 0;
            for id in &identities {
                changed += u32::from(triage::unacknowledge(tx, id, Unacknowledge::ByUser, &at, by)?);
            }
            Ok(changed)
        })?;
        Ok(api::BulkReport {
            violations: identities.len() as u32,
            changed,
        })
    }

    /// Waives many violations with one reason and expiry: every waiver is checked as a single
    /// waive checks it, then all are stored in one transaction, or none when one row is wrong
    /// (the error names it). Violations that would get the same waiver share one.
    pub fn waive_violations(
        &self,
        bulk: api::BulkWaiver,
        now: DateTime<Utc>,
        created_by: &str,
    ) -> Result<api::BulkReport, EngineError> {
        if bulk.violations.is_empty() {
            return Err(EngineError::InvalidInput("no violations to waive".into()));
        }
        let mut store = self.store()?;
        let current = Current::load(&store, &bulk.violations)?;
        current.identities(&bulk.violations)?;
        let mut waivers = Vec::new();
        let mut seen = BTreeSet::new();
        for v in &bulk.violations {
            let app = &current.apps[&v.application.to_lowercase()];
            let scope_name = match bulk.scope {
                api::WaiverScopeKind::Application => Some(app.name.clone()),
                api::WaiverScopeKind::Organization => Some(app.organization.clone().ok_or_else(|| {
                    EngineError::InvalidInput(format!(
                        "{} belongs to no organization: waive it for the application instead",
                        app.name
                    ))
                })?),
                api::WaiverScopeKind::Everywhere => None,
            };
            let component = if bulk.all_versions {
                package_of(&v.purl)
            } else {
                v.purl.clone()
            };
            let new = api::NewWaiver {
                scope: bulk.scope,
                scope_name,
                component,
                all_versions: bulk.all_versions,
                policy: (!bulk.all_policies).then(|| v.policy.clone()),
                advisory: None,
                reason: bulk.reason.clone(),
                expires: bulk.expires.clone(),
            };
            let waiver = waivers::waiver_from(&store, new, now, created_by).map_err(|e| {
                if let EngineError::InvalidInput(message) = e {
                    EngineError::InvalidInput(format!("{} in {} ({}): {message}", v.purl, app.name, v.policy))
                } else {
                    e
                }
            })?;
            let key = (
                scope_key(&waiver.scope),
                waiver.component.clone(),
                waiver.all_versions,
                waiver.policy.clone(),
            );
            if seen.insert(key) {
                waivers.push(waiver);
            }
        }
        store.transaction(|tx| {
            for waiver in &waivers {
                insert_waiver(tx, waiver, None)?;
            }
            Ok(())
        })?;
        evaluate::refresh_latest_evaluations(&mut store, now)?;
        Ok(api::BulkReport {
            violations: bulk.violations.len() as u32,
            changed: waivers.len() as u32,
        })
    }

    /// One violation's timeline: when monitoring first reported it, each alert about it with
    /// the deliveries that carried it (who was told, when, through which channel), the waiver
    /// that covers it, and its acknowledgements.
    pub fn violation_history(
        &self,
        violation: &api::ViolationRef,
    ) -> Result<api::ViolationHistory, EngineError> {
        let store = self.store()?;
        let app = application(&store, &violation.application)?;
        let id = identity(app.id, violation);
        let mut events = Vec::new();
        let reported = store.reported_violation(&id)?;
        if let Some(reported) = &reported {
            events.push(api::HistoryEvent {
                kind: api::HistoryEventKind::FirstSeen,
                at: reported.first_seen_at.clone(),
                by: Some(MONITORING.into()),
                text: format!(
                    "first seen by a {} monitoring run{}",
                    reported.first_seen_trigger,
                    if reported.baseline { " (the application's baseline, recorded silently)" } else { "" }
                ),
                deliveries: Vec::new(),
            });
            for alert in store.violation_alerts(reported.id)? {
                let notes: Vec<api::ChangeNote> = serde_json::from_str(&alert.changes).unwrap_or_default();
                let (kind, text) = match alert.kind.as_str() {
                    "new" => (api::HistoryEventKind::New, "reported as new".to_string()),
                    "resolved" => (api::HistoryEventKind::Resolved, "reported as resolved".to_string()),
                    _ => (
                        api::HistoryEventKind::Changed,
                        match notes.iter().map(monitor::describe).collect::<Vec<_>>().join("; ") {
                            s if s.is_empty() => "reported as changed".to_string(),
                            s => format!("changed: {s}"),
                        },
                    ),
                };
                let deliveries = store
                    .deliveries(&DeliveryQuery {
                        alert: Some(alert.id),
                        ..DeliveryQuery::default()
                    })?
                    .into_iter()
                    .rev()
                    .map(|row| {
                        let alerts = store.delivery_alerts(&row.id).unwrap_or_default();
                        deliveries::to_dto(row, alerts)
                    })
                    .collect();
                events.push(api::HistoryEvent {
                    kind,
                    at: alert.created_at,
                    by: Some(MONITORING.into()),
                    text,
                    deliveries,
                });
            }
        }
        if let Some(mark) = current_waiver(&store, &app, violation)? {
            let waiver = store.waivers()?.into_iter().find(|w| w.waiver.id == mark.id);
            let (at, by) = match &waiver {
                Some(w) => (w.waiver.created_at.clone(), Some(w.waiver.created_by.clone())),
                None => (String::new(), None),
            };
            events.push(api::HistoryEvent {
                kind: api::HistoryEventKind::Waived,
                at,
                by,
                text: format!("waived until {}: {}", mark.expires, mark.reason),
                deliveries: Vec::new(),
            });
        }
        for event in store.triage_events(&id)? {
            let (kind, text) = match event.kind.as_str() {
                "acknowledged" => (
                    api::HistoryEventKind::Acknowledged,
                    match &event.note {
                        Some(note) => format!("acknowledged: {note}"),
                        None => "acknowledged".to_string(),
                    },
                ),
                "unacknowledged" => (
                    api::HistoryEventKind::Unacknowledged,
                    "acknowledgement cleared".to_string(),
                ),
                "cleared_resolved" => (
                    api::HistoryEventKind::AcknowledgementCleared,
                    "acknowledgement cleared: the violation resolved".to_string(),
                ),
                _ => (
                    api::HistoryEventKind::AcknowledgementCleared,
                    "acknowledgement cleared: the violation changed and needs a fresh look".to_string(),
                ),
            };
            events.push(api::HistoryEvent {
                kind,
                at: event.at,
                by: Some(event.by),
                text,
                deliveries: Vec::new(),
            });
        }
        // RFC 3339 UTC times sort as text; the sort is stable, so equal times keep their order.
        events.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(api::ViolationHistory {
            first_seen: reported.as_ref().map(|r| r.first_seen_at.clone()),
            baseline: reported.as_ref().is_some_and(|r| r.baseline),
            acknowledgement: store.acknowledgement(&id)?.map(acknowledgement_dto),
            events,
        })
    }
}

fn acknowledgement_dto(row: triage::AcknowledgementRow) -> api::AcknowledgementDto {
    api::AcknowledgementDto {
        note: row.note,
        at: row.at,
        by: row.by,
    }
}

fn application(store: &Store, name: &str) -> Result<ApplicationRow, EngineError> {
    store
        .application(name)?
        .ok_or_else(|| EngineError::NotFound(format!("no application named {name:?}")))
}

fn identity(application_id: i64, v: &api::ViolationRef) -> ViolationIdentity {
    ViolationIdentity {
        application_id,
        policy: v.policy.clone(),
        purl: v.purl.clone(),
        condition_key: v.condition_key.clone(),
    }
}

/// The waiver that marks a violation in its application's current evaluation.
fn current_waiver(
    store: &Store,
    app: &ApplicationRow,
    v: &api::ViolationRef,
) -> Result<Option<vigil_policy::WaiverMark>, EngineError> {
    let Some(scan_id) = app.last_scan_id else {
        return Ok(None);
    };
    let Some((_, violations)) = store.latest_evaluation(scan_id)? else {
        return Ok(None);
    };
    Ok(violations
        .into_iter()
        .find(|c| c.policy == v.policy && c.purl == v.purl && c.condition_key == v.condition_key)
        .and_then(|c| c.details.waiver))
}

/// The applications named in a batch and the identities of their current violations, loaded
/// once per application.
struct Current {
    /// By lowercased name (names are unique case-insensitively).
    apps: HashMap<String, ApplicationRow>,
    violations: HashMap<i64, BTreeSet<(String, String, String)>>,
}

impl Current {
    fn load(store: &Store, refs: &[api::ViolationRef]) -> Result<Current, EngineError> {
        let mut apps = HashMap::new();
        let mut violations = HashMap::new();
        for v in refs {
            let key = v.application.to_lowercase();
            if apps.contains_key(&key) {
                continue;
            }
            let app = application(store, &v.application)?;
            let mut current = BTreeSet::new();
            if let Some(scan_id) = app.last_scan_id {
                if let Some((_, found)) = store.latest_evaluation(scan_id)? {
                    current.extend(found.into_iter().map(|f| (f.policy, f.purl, f.condition_key)));
                }
            }
            violations.insert(app.id, current);
            apps.insert(key, app);
        }
        Ok(Current { apps, violations })
    }

    /// Each reference's identity; an error naming the first that is not a current violation.
    fn identities(&self, refs: &[api::ViolationRef]) -> Result<Vec<ViolationIdentity>, EngineError> {
        let mut out = Vec::with_capacity(refs.len());
        for v in refs {
            let app = &self.apps[&v.application.to_lowercase()];
            let key = (v.policy.clone(), v.purl.clone(), v.condition_key.clone());
            if !self.violations[&app.id].contains(&key) {
                return Err(EngineError::NotFound(format!(
                    "{} has no current violation of {} by {} ({}); nothing was changed",
                    app.name, v.policy, v.purl, v.condition_key
                )));
            }
            out.push(identity(app.id, v));
        }
        Ok(out)
    }
}

/// A purl without its version: `pkg:npm/a@1.0?x=y` → `pkg:npm/a?x=y`.
fn package_of(purl: &str) -> String {
    let suffix_at = purl.find(['?', '#']).unwrap_or(purl.len());
    let (head, suffix) = purl.split_at(suffix_at);
    let name_start = head.rfind('/').map_or(0, |i| i + 1);
    match head[name_start..].find('@') {
        Some(at) => format!("{}{suffix}", &head[..name_start + at]),
        None => purl.to_string(),
    }
}

fn scope_key(scope: &WaiverScope) -> (u8, String) {
    match scope {
        WaiverScope::Application(name) => (0, name.to_lowercase()),
        WaiverScope::Organization(name) => (1, name.to_lowercase()),
        WaiverScope::Everywhere => (2, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::package_of;

    #[test]
    fn a_package_is_its_purl_without_the_version() {
        assert_eq!(package_of("pkg:npm/%40scope/a@1.0?x=y"), "pkg:npm/%40scope/a?x=y");
        assert_eq!(
            package_of("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
            "pkg:maven/org.apache.logging.log4j/log4j-core"
        );
        assert_eq!(package_of("pkg:npm/a"), "pkg:npm/a");
    }
}
