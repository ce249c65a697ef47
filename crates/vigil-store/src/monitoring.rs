//! Monitoring runs, the reported state of each violation, and the alerts a run created.
//! A run's evaluations, state changes and alerts are written in one transaction by the caller.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};
use vigil_policy::{Violation, ViolationDetails};

use crate::{Result, Store, StoreError};

/// What monitoring last reported about one violation identity.
#[derive(Debug, Clone, PartialEq)]
pub struct ViolationState {
    pub id: i64,
    pub violation: Violation,
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorRunRow {
    pub id: i64,
    pub trigger: String,
    pub started_at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    pub kind: &'static str,
    pub violation_id: i64,
    pub details: ViolationDetails,
    /// JSON array: what changed (for `changed` alerts).
    pub changes: String,
}

/// How many of each kind a run (or one application's part of it) recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub new: u32,
    pub changed: u32,
    pub resolved: u32,
    /// Violations recorded silently as baselines.
    pub baseline: u32,
}

impl RunCounts {
    pub fn add(&mut self, other: RunCounts) {
        self.new += other.new;
        self.changed += other.changed;
        self.resolved += other.resolved;
        self.baseline += other.baseline;
    }

    pub fn is_empty(&self) -> bool {
        *self == RunCounts::default()
    }
}

/// A finished run as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub id: i64,
    pub trigger: String,
    pub started_at: String,
    pub finished_at: String,
    pub due_at: Option<String>,
    pub applications: u32,
    pub evaluated: u32,
    pub counts: RunCounts,
    pub advisory_snapshot: String,
}

/// A recorded alert with what it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRecordRow {
    pub id: i64,
    pub kind: String,
    pub application: String,
    pub policy: String,
    pub threat_level: u8,
    pub purl: String,
    pub details: ViolationDetails,
    pub changes: String,
    pub run_id: i64,
    pub trigger: String,
    pub created_at: String,
}

/// One application's part of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunApplicationRow {
    pub run_id: i64,
    pub started_at: String,
    pub trigger: String,
    pub counts: RunCounts,
}

/// The current evaluation of a scan: enough to tell whether it is still current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationStamp {
    pub evaluation_id: i64,
    pub advisory_generation: i64,
    pub rules_hash: String,
}

pub fn insert_run(
    tx: &Transaction<'_>,
    trigger: &str,
    started_at: &str,
    due_at: Option<&str>,
    advisory_snapshot: &str,
    holder: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO monitor_runs(trigger, started_at, finished_at, applications, new, changed, resolved, due_at, advisory_snapshot, holder)
         VALUES (?1, ?2, ?2, 0, 0, 0, 0, ?3, ?4, ?5)",
        params![trigger, started_at, due_at, advisory_snapshot, holder],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn finish_run(
    tx: &Transaction<'_>,
    run_id: i64,
    finished_at: &str,
    applications: u32,
    evaluated: u32,
    counts: RunCounts,
) -> Result<()> {
    tx.execute(
        "UPDATE monitor_runs SET finished_at = ?2, applications = ?3, evaluated = ?4, new = ?5,
           changed = ?6, resolved = ?7, baseline = ?8 WHERE id = ?1",
        params![
            run_id,
            finished_at,
            applications,
            evaluated,
            counts.new,
            counts.changed,
            counts.resolved,
            counts.baseline
        ],
    )?;
    Ok(())
}

pub fn insert_run_application(
    tx: &Transaction<'_>,
    run_id: i64,
    application_id: i64,
    counts: RunCounts,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO run_applications(run_id, application_id, new, changed, resolved, baseline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        run_id,
        application_id,
        counts.new,
        counts.changed,
        counts.resolved,
        counts.baseline
    ])?;
    Ok(())
}

/// Remembers which evaluations monitoring compared for an application, and its baseline run.
pub fn set_monitored(
    tx: &Transaction<'_>,
    application_id: i64,
    evaluations: &[i64],
    baseline_run: Option<i64>,
) -> Result<()> {
    let evaluations =
        serde_json::to_string(evaluations).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.prepare_cached(
        "UPDATE applications SET monitored_evaluations = ?2, baseline_run = COALESCE(baseline_run, ?3)
         WHERE id = ?1",
    )?
    .execute(params![application_id, evaluations, baseline_run])?;
    Ok(())
}

/// Removes a run that recorded nothing (its rows reference nothing yet).
pub fn delete_run(tx: &Transaction<'_>, run_id: i64) -> Result<()> {
    tx.execute("DELETE FROM monitor_runs WHERE id = ?1", [run_id])?;
    Ok(())
}

/// Whether an advisory is withdrawn in the store (an unknown id is not).
pub fn is_withdrawn(tx: &Transaction<'_>, id: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT withdrawn IS NOT NULL FROM advisories WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?
        .unwrap_or(false))
}

/// The run performed for a scheduled time, if any, and who performed it.
pub fn run_for_due(tx: &Transaction<'_>, due_at: &str) -> Result<Option<(i64, Option<String>)>> {
    Ok(tx
        .query_row(
            "SELECT id, holder FROM monitor_runs WHERE due_at = ?1",
            [due_at],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

/// Every violation monitoring has reported for an application, open or resolved.
pub fn violation_states(tx: &Transaction<'_>, application_id: i64) -> Result<Vec<ViolationState>> {
    let mut statement = tx.prepare_cached(
        "SELECT id, policy, purl, condition_key, threat_level, details, status FROM violations
         WHERE application_id = ?1 ORDER BY policy, purl, condition_key",
    )?;
    let rows = statement.query_map([application_id], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, u8>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, policy, purl, condition_key, threat_level, details, status) = row?;
        let details: ViolationDetails = serde_json::from_str(&details)
            .map_err(|e| StoreError::Corrupt(format!("violation {id}: {e}")))?;
        out.push(ViolationState {
            id,
            violation: Violation {
                policy,
                threat_level,
                purl,
                condition_key,
                details,
            },
            open: status == "open",
        });
    }
    Ok(out)
}

/// Records a violation's new reported state; returns its id.
pub fn save_violation(
    tx: &Transaction<'_>,
    application_id: i64,
    violation: &Violation,
    open: bool,
    run_id: i64,
) -> Result<i64> {
    let details = serde_json::to_string(&violation.details)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    // One statement: the upsert returns the row's id whether it inserted or updated.
    Ok(tx
        .prepare_cached(
            "INSERT INTO violations(application_id, policy, purl, condition_key, threat_level, details, status, first_seen_run, last_changed_run, waived)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)
             ON CONFLICT(application_id, policy, purl, condition_key) DO UPDATE SET
               threat_level = excluded.threat_level, details = excluded.details, status = excluded.status,
               last_changed_run = excluded.last_changed_run, waived = excluded.waived
             RETURNING id",
        )?
        .query_row(
            params![
                application_id,
                violation.policy,
                violation.purl,
                violation.condition_key,
                violation.threat_level,
                details,
                if open { "open" } else { "resolved" },
                run_id,
                violation.waived()
            ],
            |row| row.get(0),
        )?)
}

pub fn insert_alert(tx: &Transaction<'_>, run_id: i64, alert: &AlertRow, now: &str) -> Result<i64> {
    let details =
        serde_json::to_string(&alert.details).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.prepare_cached("INSERT INTO alerts(run_id, violation_id, kind, details, created_at, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![run_id, alert.violation_id, alert.kind, details, now, alert.changes])?;
    Ok(tx.last_insert_rowid())
}

fn run_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: row.get(0)?,
        trigger: row.get(1)?,
        started_at: row.get(2)?,
        finished_at: row.get(3)?,
        due_at: row.get(4)?,
        applications: row.get(5)?,
        evaluated: row.get(6)?,
        counts: RunCounts {
            new: row.get(7)?,
            changed: row.get(8)?,
            resolved: row.get(9)?,
            baseline: row.get(10)?,
        },
        advisory_snapshot: row.get(11)?,
    })
}

const RUN_SELECT: &str = "SELECT id, trigger, started_at, finished_at, due_at, applications, evaluated,
    new, changed, resolved, baseline, advisory_snapshot FROM monitor_runs";

/// Which alerts to read.
#[derive(Debug, Clone, Default)]
pub struct AlertQuery<'a> {
    pub application: Option<&'a str>,
    pub since: Option<&'a str>,
    pub run: Option<i64>,
    pub limit: Option<u32>,
}

impl Store {
    /// The current evaluation of every scan that has one.
    pub fn evaluation_stamps(&self) -> Result<HashMap<i64, EvaluationStamp>> {
        let mut statement = self.conn().prepare(
            "SELECT scan_id, id, advisory_generation, rules_hash FROM evaluations ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                EvaluationStamp {
                    evaluation_id: row.get(1)?,
                    advisory_generation: row.get(2)?,
                    rules_hash: row.get(3)?,
                },
            ))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (scan_id, stamp) = row?;
            out.insert(scan_id, stamp);
        }
        Ok(out)
    }

    /// The reverse index at work: for every scan containing a package that advisory data
    /// generations after `since` touched, the newest such generation; and the newest
    /// generation after `since` that touched every package (a feed replaced), if any.
    pub fn touched_since(&self, since: i64) -> Result<(HashMap<i64, i64>, Option<i64>)> {
        let everything: Option<i64> = self.conn().query_row(
            "SELECT MAX(generation) FROM advisory_changes WHERE generation > ?1 AND ecosystem = '*'",
            [since],
            |row| row.get(0),
        )?;
        let mut statement = self.conn().prepare(
            "SELECT c.scan_id, MAX(ch.generation) FROM advisory_changes ch
             JOIN components c ON c.ecosystem = ch.ecosystem AND c.pkg_key = ch.name
             WHERE ch.generation > ?1 GROUP BY c.scan_id",
        )?;
        let rows = statement.query_map([since], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok((rows.collect::<rusqlite::Result<_>>()?, everything))
    }

    /// The scans of an application at a stage, newest first: (id, version label).
    pub fn scans_at_stage(
        &self,
        application_id: i64,
        stage: &str,
    ) -> Result<Vec<(i64, Option<String>)>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT id, version_label FROM scans WHERE application_id = ?1 AND stage = ?2 ORDER BY id DESC",
        )?;
        let rows = statement.query_map(params![application_id, stage], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest scheduled time a run was performed for.
    pub fn last_scheduled_due(&self) -> Result<Option<String>> {
        Ok(self.conn().query_row(
            "SELECT MAX(due_at) FROM monitor_runs",
            [],
            |row| row.get(0),
        )?)
    }

    /// Runs, newest first.
    pub fn runs(&self, limit: u32) -> Result<Vec<RunRow>> {
        let mut statement = self
            .conn()
            .prepare(&format!("{RUN_SELECT} ORDER BY id DESC LIMIT ?1"))?;
        let rows = statement.query_map([limit], run_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Alerts, oldest first.
    pub fn alerts(&self, query: &AlertQuery<'_>) -> Result<Vec<AlertRecordRow>> {
        let mut statement = self.conn().prepare(
            "SELECT al.id, al.kind, a.name, v.policy, v.threat_level, v.purl, al.details, al.changes,
                    al.run_id, r.trigger, al.created_at
             FROM alerts al
             JOIN violations v ON v.id = al.violation_id
             JOIN applications a ON a.id = v.application_id
             JOIN monitor_runs r ON r.id = al.run_id
             WHERE (?1 IS NULL OR a.name = ?1 COLLATE NOCASE)
               AND (?2 IS NULL OR al.created_at >= ?2)
               AND (?3 IS NULL OR al.run_id = ?3)
             ORDER BY al.id
             LIMIT ?4",
        )?;
        let limit = query.limit.map_or(-1, i64::from);
        let rows = statement.query_map(
            params![query.application, query.since, query.run, limit],
            |row| {
                Ok((
                    AlertRecordRow {
                        id: row.get(0)?,
                        kind: row.get(1)?,
                        application: row.get(2)?,
                        policy: row.get(3)?,
                        threat_level: row.get(4)?,
                        purl: row.get(5)?,
                        details: ViolationDetails::default(),
                        changes: row.get(7)?,
                        run_id: row.get(8)?,
                        trigger: row.get(9)?,
                        created_at: row.get(10)?,
                    },
                    row.get::<_, String>(6)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (mut alert, details) = row?;
            alert.details = serde_json::from_str(&details)
                .map_err(|e| StoreError::Corrupt(format!("alert {}: {e}", alert.id)))?;
            out.push(alert);
        }
        Ok(out)
    }

    /// One application's part of each run, newest first.
    pub fn application_runs(&self, application_id: i64, limit: u32) -> Result<Vec<RunApplicationRow>> {
        let mut statement = self.conn().prepare(
            "SELECT ra.run_id, r.started_at, r.trigger, ra.new, ra.changed, ra.resolved, ra.baseline
             FROM run_applications ra JOIN monitor_runs r ON r.id = ra.run_id
             WHERE ra.application_id = ?1 ORDER BY ra.run_id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![application_id, limit], |row| {
            Ok(RunApplicationRow {
                run_id: row.get(0)?,
                started_at: row.get(1)?,
                trigger: row.get(2)?,
                counts: RunCounts {
                    new: row.get(3)?,
                    changed: row.get(4)?,
                    resolved: row.get(5)?,
                    baseline: row.get(6)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
