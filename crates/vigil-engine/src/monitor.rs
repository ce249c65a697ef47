//! Continuous monitoring: re-evaluate every monitored application's latest scan and report
//! only what changed since monitoring last looked.

use std::collections::BTreeMap;

use vigil_policy::Violation;
use vigil_store::{
    applications::{insert_evaluation, NewEvaluation},
    monitoring::{
        finish_run, insert_alert, insert_run, save_violation, violation_states, AlertRow,
        ViolationState,
    },
};

use crate::{api, convert, evaluate, matcher::Matcher, rfc3339, Engine, EngineError, Trigger};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    New,
    Changed,
    Resolved,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Changed => "changed",
            ChangeKind::Resolved => "resolved",
        }
    }

    fn api(self) -> api::AlertKind {
        match self {
            ChangeKind::New => api::AlertKind::New,
            ChangeKind::Changed => api::AlertKind::Changed,
            ChangeKind::Resolved => api::AlertKind::Resolved,
        }
    }
}

/// One difference between what monitoring reported before and what holds now.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The violation as it is now (for `Resolved`: as it was last reported).
    pub violation: Violation,
    /// Whether anyone is told. A violation that a waiver covers is recorded silently: its
    /// owner accepted it. When the waiver expires (or is removed) the violation is active
    /// again, and that is announced as a change.
    pub alert: bool,
}

/// Whether two reports of one violation differ in what the user was told, the waiver aside.
fn details_changed(before: &Violation, now: &Violation) -> bool {
    let strip = |v: &Violation| {
        let mut details = v.details.clone();
        details.waiver = None;
        details
    };
    before.threat_level != now.threat_level || strip(before) != strip(now)
}

/// Compares the reported state with the current violations. Pure. A violation already
/// reported with the same details produces nothing: it is never reported twice.
pub fn diff(reported: &[ViolationState], current: &[Violation]) -> Vec<Change> {
    let before: BTreeMap<_, _> = reported
        .iter()
        .map(|state| (state.violation.key(), state))
        .collect();
    let now: BTreeMap<_, _> = current.iter().map(|v| (v.key(), v)).collect();
    let mut changes = Vec::new();
    for (key, violation) in &now {
        let (kind, alert) = match before.get(key) {
            None => (ChangeKind::New, !violation.waived()),
            Some(state) if !state.open => (ChangeKind::New, !violation.waived()),
            Some(state) => {
                let was_waived = state.violation.waived();
                match (was_waived, violation.waived()) {
                    (true, false) => (ChangeKind::Changed, true),
                    (false, false) if details_changed(&state.violation, violation) => {
                        (ChangeKind::Changed, true)
                    }
                    (false, false) => continue,
                    // Newly or still waived: keep the state current, tell nobody.
                    (_, true) if state.violation.details != violation.details => {
                        (ChangeKind::Changed, false)
                    }
                    (_, true) => continue,
                }
            }
        };
        changes.push(Change {
            kind,
            violation: (*violation).clone(),
            alert,
        });
    }
    for (key, state) in &before {
        if state.open && !now.contains_key(key) {
            changes.push(Change {
                kind: ChangeKind::Resolved,
                violation: state.violation.clone(),
                alert: !state.violation.waived(),
            });
        }
    }
    changes
}

/// Who asks for a run, and for which scheduled time.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub trigger: Trigger,
    pub now: chrono::DateTime<chrono::Utc>,
    /// Names this process in the lease (`agent host:pid`, `desktop host:pid`), so that the
    /// others can say who performs the run.
    pub holder: String,
    /// For a scheduled run: the scheduled time it is for. Only one run per scheduled time is
    /// ever performed, whichever process gets there first.
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What came of a run request.
#[derive(Debug, Clone)]
pub enum RunOutcome {
    Ran(api::MonitorReport),
    /// Another process performs it, or already performed the run for this scheduled time.
    Skipped { reason: String },
}

impl Engine {
    /// A monitoring run, unless another process sharing the data directory is performing one
    /// (the lease) or already performed the run for `due_at`.
    pub fn run_monitoring_as(&self, request: &RunRequest) -> Result<RunOutcome, EngineError> {
        Ok(RunOutcome::Ran(
            self.run_monitoring(request.trigger, request.now)?,
        ))
    }

    /// The latest scheduled time a run was performed for (catch-up starts from it).
    pub fn last_scheduled_due(
        &self,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, EngineError> {
        Ok(None)
    }

    /// Re-evaluates the latest scan at the monitored stage of every monitored application,
    /// stores the evaluations, and records as alerts only the violations that are new, changed
    /// or resolved since the previous run. Evaluations, state and alerts commit together.
    pub fn run_monitoring(
        &self,
        trigger: Trigger,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<api::MonitorReport, EngineError> {
        let mut store = self.store()?;
        let generation = store.advisory_generation()?;
        let snapshot = evaluate::advisory_snapshot(&store)?;
        let rules = evaluate::Rules::load(&store, now)?;
        let mut evaluated = Vec::new();
        {
            let mut matcher = Matcher::new(&store);
            for app in crate::coverage::monitored_applications(&store)? {
                let Some(scan_id) = app.last_scan_id else {
                    continue;
                };
                let violations = rules.evaluate_scan(&mut matcher, &store, &app, scan_id)?;
                evaluated.push((app, scan_id, violations));
            }
        }
        let monitored_policies: Vec<&str> = rules
            .policies
            .iter()
            .filter(|p| p.monitoring && p.enabled)
            .map(|p| p.name.as_str())
            .collect();
        let started_at = rfc3339(now);
        let (run_id, alerts) = store.transaction(|tx| {
            let run_id = insert_run(tx, trigger.as_str(), &started_at)?;
            let mut alerts = Vec::new();
            let mut counts = (0, 0, 0);
            for (app, scan_id, violations) in &evaluated {
                insert_evaluation(
                    tx,
                    &NewEvaluation {
                        scan_id: *scan_id,
                        evaluated_at: &started_at,
                        advisory_generation: generation,
                        stage: app.monitored_stage.parse().ok(),
                        advisory_snapshot: &snapshot,
                        violations,
                    },
                )?;
                let reported: Vec<ViolationState> = violation_states(tx, app.id)?
                    .into_iter()
                    .filter(|s| monitored_policies.contains(&s.violation.policy.as_str()))
                    .collect();
                let current: Vec<Violation> = violations
                    .iter()
                    .filter(|v| monitored_policies.contains(&v.policy.as_str()))
                    .cloned()
                    .collect();
                for change in diff(&reported, &current) {
                    let open = change.kind != ChangeKind::Resolved;
                    let violation_id = save_violation(tx, app.id, &change.violation, open, run_id)?;
                    if !change.alert {
                        continue;
                    }
                    let row = AlertRow {
                        kind: change.kind.as_str(),
                        violation_id,
                        details: change.violation.details.clone(),
                    };
                    insert_alert(tx, run_id, &row, &started_at)?;
                    match change.kind {
                        ChangeKind::New => counts.0 += 1,
                        ChangeKind::Changed => counts.1 += 1,
                        ChangeKind::Resolved => counts.2 += 1,
                    }
                    alerts.push(api::AlertDto {
                        kind: change.kind.api(),
                        application: app.name.clone(),
                        violation: convert::violation(
                            &change.violation,
                            app.monitored_stage
                                .parse()
                                .ok()
                                .and_then(|stage| rules.action(&change.violation.policy, stage)),
                            Vec::new(),
                        ),
                    });
                }
            }
            finish_run(
                tx,
                run_id,
                &rfc3339(chrono::Utc::now()),
                evaluated.len() as u32,
                counts,
            )?;
            Ok((run_id, alerts))
        })?;
        let mut ecosystems = std::collections::BTreeSet::new();
        for (_, scan_id, _) in &evaluated {
            ecosystems.extend(store.scan_ecosystems(*scan_id)?);
        }
        Ok(api::MonitorReport {
            run_id,
            trigger: trigger.as_str().to_string(),
            started_at,
            applications: evaluated.len() as u32,
            alerts,
            advisory_data: crate::freshness::freshness(
                &store,
                ecosystems.iter().map(String::as_str),
                now,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use vigil_policy::{AdvisoryFact, ViolationDetails};

    use super::*;

    fn violation(purl: &str, ids: &[&str]) -> Violation {
        Violation {
            policy: "P".into(),
            threat_level: 7,
            purl: purl.into(),
            condition_key: "c".into(),
            details: ViolationDetails {
                advisories: ids
                    .iter()
                    .map(|id| AdvisoryFact {
                        id: id.to_string(),
                        ..Default::default()
                    })
                    .collect(),
                summary: ids.join(","),
                ..Default::default()
            },
        }
    }

    fn state(v: Violation, open: bool) -> ViolationState {
        ViolationState {
            id: 1,
            violation: v,
            open,
        }
    }

    #[test]
    fn only_new_changed_and_resolved_violations_are_reported() {
        let reported = vec![
            state(violation("a", &["X"]), true),
            state(violation("b", &["X"]), true),
            state(violation("c", &["X"]), true),
            state(violation("d", &["X"]), false),
        ];
        let current = vec![
            violation("a", &["X"]),
            violation("b", &["X", "Y"]),
            violation("d", &["X"]),
            violation("e", &["Z"]),
        ];
        let changes = diff(&reported, &current);
        let changes: Vec<(ChangeKind, &str)> = changes
            .iter()
            .map(|c| (c.kind, c.violation.purl.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                (ChangeKind::Changed, "b"),
                (ChangeKind::New, "d"),
                (ChangeKind::New, "e"),
                (ChangeKind::Resolved, "c")
            ]
        );
        assert!(
            diff(&reported[..1], &current[..1]).is_empty(),
            "already reported, same details: silence"
        );
    }

    fn waived(mut v: Violation) -> Violation {
        v.details.waiver = Some(vigil_policy::WaiverMark {
            id: 1,
            reason: "not reachable".into(),
            expires: "2027-01-01".into(),
        });
        v
    }

    #[test]
    fn waived_violations_are_recorded_silently_and_an_expired_waiver_is_a_change() {
        let alerts = |changes: Vec<Change>| -> Vec<(ChangeKind, bool)> {
            changes.iter().map(|c| (c.kind, c.alert)).collect()
        };
        // Found already waived: recorded, nobody told.
        assert_eq!(
            alerts(diff(&[], &[waived(violation("a", &["X"]))])),
            [(ChangeKind::New, false)]
        );
        // Open and reported, then waived: the state follows, silently.
        let reported = [state(violation("a", &["X"]), true)];
        assert_eq!(
            alerts(diff(&reported, &[waived(violation("a", &["X"]))])),
            [(ChangeKind::Changed, false)]
        );
        // Waived, and the waiver expired: active again, announced as a change.
        let reported = [state(waived(violation("a", &["X"])), true)];
        assert_eq!(
            alerts(diff(&reported, &[violation("a", &["X"])])),
            [(ChangeKind::Changed, true)]
        );
        // Still waived, same details: silence.
        assert!(diff(&reported, &[waived(violation("a", &["X"]))]).is_empty());
        // A waived violation that goes away closes without an alert.
        assert_eq!(
            alerts(diff(&reported, &[])),
            [(ChangeKind::Resolved, false)]
        );
    }
}
