//! Monitoring runs, the reported state of each violation, and the alerts a run created.
//! A run's evaluations, state changes and alerts are written in one transaction by the caller.

use rusqlite::{params, Transaction};
use vigil_policy::{Violation, ViolationDetails};

use crate::{Result, StoreError};

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
}

pub fn insert_run(tx: &Transaction<'_>, trigger: &str, started_at: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO monitor_runs(trigger, started_at, finished_at, applications, new, changed, resolved)
         VALUES (?1, ?2, ?2, 0, 0, 0, 0)",
        params![trigger, started_at],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn finish_run(
    tx: &Transaction<'_>,
    run_id: i64,
    finished_at: &str,
    applications: u32,
    counts: (u32, u32, u32),
) -> Result<()> {
    tx.execute(
        "UPDATE monitor_runs SET finished_at = ?2, applications = ?3, new = ?4, changed = ?5, resolved = ?6 WHERE id = ?1",
        params![run_id, finished_at, applications, counts.0, counts.1, counts.2],
    )?;
    Ok(())
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
    tx.prepare_cached(
        "INSERT INTO violations(application_id, policy, purl, condition_key, threat_level, details, status, first_seen_run, last_changed_run)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT(application_id, policy, purl, condition_key) DO UPDATE SET
           threat_level = excluded.threat_level, details = excluded.details, status = excluded.status,
           last_changed_run = excluded.last_changed_run",
    )?
    .execute(params![
        application_id,
        violation.policy,
        violation.purl,
        violation.condition_key,
        violation.threat_level,
        details,
        if open { "open" } else { "resolved" },
        run_id
    ])?;
    Ok(tx.query_row(
        "SELECT id FROM violations WHERE application_id = ?1 AND policy = ?2 AND purl = ?3 AND condition_key = ?4",
        params![application_id, violation.policy, violation.purl, violation.condition_key],
        |row| row.get(0),
    )?)
}

pub fn insert_alert(tx: &Transaction<'_>, run_id: i64, alert: &AlertRow, now: &str) -> Result<()> {
    let details =
        serde_json::to_string(&alert.details).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.prepare_cached("INSERT INTO alerts(run_id, violation_id, kind, details, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![run_id, alert.violation_id, alert.kind, details, now])?;
    Ok(())
}
