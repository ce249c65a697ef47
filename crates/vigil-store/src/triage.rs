//! Triage across the portfolio: every open violation of every application's current
//! evaluation in one bounded query, acknowledgements and their timeline, and what a
//! violation's history is made of (its reported state, alerts, the deliveries that carried
//! them).

use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension, Transaction};
use vigil_policy::ViolationDetails;

use crate::{Result, Store, StoreError};

/// A violation identity: (application, policy, purl, condition key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ViolationIdentity {
    pub application_id: i64,
    pub policy: String,
    pub purl: String,
    pub condition_key: String,
}

/// Which kind of finding a violation is: one with advisories, or one about a license.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    Security,
    License,
}

/// Which portfolio violations to list. Every filter is applied in SQL.
#[derive(Debug, Clone, Default)]
pub struct PortfolioQuery<'a> {
    pub application: Option<&'a str>,
    pub policy: Option<&'a str>,
    pub min_threat: Option<u8>,
    pub max_threat: Option<u8>,
    pub kind: Option<FindingKind>,
    pub include_waived: bool,
    pub include_acknowledged: bool,
    /// Matched case-insensitively against the application's name, the purl, and the ids and
    /// aliases of the advisories.
    pub text: Option<&'a str>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcknowledgementRow {
    pub note: Option<String>,
    pub at: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioViolationRow {
    pub application_id: i64,
    pub application: String,
    pub organization: Option<String>,
    pub stage: String,
    pub version_label: Option<String>,
    /// The stage the evaluation was judged for.
    pub evaluated_stage: Option<String>,
    pub policy: String,
    pub threat_level: u8,
    pub purl: String,
    pub condition_key: String,
    pub details: ViolationDetails,
    pub acknowledgement: Option<AcknowledgementRow>,
    pub evidence: Vec<String>,
}

/// Each application's current evaluation: the latest evaluation of its latest scan at the
/// monitored stage, the one the application view shows.
const CURRENT: &str = "
    FROM applications a
    JOIN scans s ON s.id = (SELECT MAX(id) FROM scans WHERE application_id = a.id AND stage = a.monitored_stage)
    JOIN evaluations e ON e.id = (SELECT MAX(id) FROM evaluations WHERE scan_id = s.id)
    JOIN evaluation_violations v ON v.evaluation_id = e.id
    LEFT JOIN acknowledgements k ON k.application_id = a.id AND k.policy = v.policy
        AND k.purl = v.purl AND k.condition_key = v.condition_key";

fn where_clause(query: &PortfolioQuery<'_>) -> (String, Vec<Value>) {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    let bind = |values: &mut Vec<Value>, value: Value| {
        values.push(value);
        values.len()
    };
    if let Some(name) = query.application {
        let n = bind(&mut values, name.to_string().into());
        sql.push_str(&format!(" AND a.name = ?{n} COLLATE NOCASE"));
    }
    if let Some(policy) = query.policy {
        let n = bind(&mut values, policy.to_string().into());
        sql.push_str(&format!(" AND v.policy = ?{n}"));
    }
    if let Some(min) = query.min_threat {
        let n = bind(&mut values, i64::from(min).into());
        sql.push_str(&format!(" AND v.threat_level >= ?{n}"));
    }
    if let Some(max) = query.max_threat {
        let n = bind(&mut values, i64::from(max).into());
        sql.push_str(&format!(" AND v.threat_level <= ?{n}"));
    }
    match query.kind {
        Some(FindingKind::Security) => {
            sql.push_str(" AND json_array_length(v.details, '$.advisories') > 0")
        }
        Some(FindingKind::License) => {
            sql.push_str(" AND json_extract(v.details, '$.license') IS NOT NULL")
        }
        None => {}
    }
    if !query.include_waived {
        sql.push_str(" AND v.waived = 0");
    }
    if !query.include_acknowledged {
        sql.push_str(" AND k.application_id IS NULL");
    }
    if let Some(text) = query.text.map(str::trim).filter(|t| !t.is_empty()) {
        let n = bind(&mut values, text.to_lowercase().into());
        sql.push_str(&format!(
            " AND (instr(lower(a.name), ?{n}) OR instr(lower(v.purl), ?{n})
                   OR EXISTS (SELECT 1 FROM json_each(v.details, '$.advisories') j
                              WHERE instr(lower(json_extract(j.value, '$.id')), ?{n})
                                 OR instr(lower(COALESCE(json_extract(j.value, '$.aliases'), '')), ?{n})))"
        ));
    }
    (sql, values)
}

impl Store {
    /// Open violations across the portfolio, highest threat level first, then by application;
    /// at most `query.limit` rows, and how many match in all.
    pub fn portfolio_violations(
        &self,
        query: &PortfolioQuery<'_>,
    ) -> Result<(Vec<PortfolioViolationRow>, u32)> {
        let (filter, values) = where_clause(query);
        let total: u32 = self.conn().query_row(
            &format!("SELECT COUNT(*) {CURRENT}{filter}"),
            params_from_iter(values.iter()),
            |row| row.get(0),
        )?;
        let sql = format!(
            "SELECT a.id, a.name, a.organization, s.stage, s.version_label, e.stage, v.policy,
                    v.threat_level, v.purl, v.condition_key, v.details,
                    k.note, k.acknowledged_at, k.acknowledged_by,
                    (SELECT c.evidence FROM components c WHERE c.scan_id = s.id AND c.purl = v.purl)
             {CURRENT}{filter}
             ORDER BY v.threat_level DESC, a.name COLLATE NOCASE, v.policy, v.purl, v.condition_key
             LIMIT {}",
            query.limit
        );
        let mut statement = self.conn().prepare(&sql)?;
        let rows = statement.query_map(params_from_iter(values.iter()), |row| {
            let acknowledgement = match row.get::<_, Option<String>>(12)? {
                Some(at) => Some(AcknowledgementRow {
                    note: row.get(11)?,
                    at,
                    by: row.get(13)?,
                }),
                None => None,
            };
            Ok((
                PortfolioViolationRow {
                    application_id: row.get(0)?,
                    application: row.get(1)?,
                    organization: row.get(2)?,
                    stage: row.get(3)?,
                    version_label: row.get(4)?,
                    evaluated_stage: row.get(5)?,
                    policy: row.get(6)?,
                    threat_level: row.get(7)?,
                    purl: row.get(8)?,
                    condition_key: row.get(9)?,
                    details: ViolationDetails::default(),
                    acknowledgement,
                    evidence: Vec::new(),
                },
                row.get::<_, String>(10)?,
                row.get::<_, Option<String>>(14)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut violation, details, evidence) = row?;
            violation.details = serde_json::from_str(&details)
                .map_err(|e| StoreError::Corrupt(format!("violation details: {e}")))?;
            if let Some(evidence) = evidence {
                // Damaged evidence reads as none rather than hiding the violation.
                violation.evidence = serde_json::from_str(&evidence).unwrap_or_default();
            }
            out.push(violation);
        }
        Ok((out, total))
    }

    /// The acknowledgement on a violation identity, if any.
    pub fn acknowledgement(&self, id: &ViolationIdentity) -> Result<Option<AcknowledgementRow>> {
        acknowledgement(self.conn(), id)
    }

    /// A violation identity's triage timeline, oldest first.
    pub fn triage_events(&self, id: &ViolationIdentity) -> Result<Vec<TriageEventRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT kind, at, by, note FROM triage_events
             WHERE application_id = ?1 AND policy = ?2 AND purl = ?3 AND condition_key = ?4
             ORDER BY id",
        )?;
        let rows = statement.query_map(
            params![id.application_id, id.policy, id.purl, id.condition_key],
            |row| {
                Ok(TriageEventRow {
                    kind: row.get(0)?,
                    at: row.get(1)?,
                    by: row.get(2)?,
                    note: row.get(3)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What monitoring reported about a violation identity, if it ever did: the row's id and
    /// status, and when its first run started.
    pub fn reported_violation(&self, id: &ViolationIdentity) -> Result<Option<ReportedViolation>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT v.id, v.status, r.id, r.started_at, r.trigger, a.baseline_run = r.id
                 FROM violations v
                 JOIN monitor_runs r ON r.id = v.first_seen_run
                 JOIN applications a ON a.id = v.application_id
                 WHERE v.application_id = ?1 AND v.policy = ?2 AND v.purl = ?3 AND v.condition_key = ?4",
            )?
            .query_row(
                params![id.application_id, id.policy, id.purl, id.condition_key],
                |row| {
                    Ok(ReportedViolation {
                        id: row.get(0)?,
                        open: row.get::<_, String>(1)? == "open",
                        first_seen_run: row.get(2)?,
                        first_seen_at: row.get(3)?,
                        first_seen_trigger: row.get(4)?,
                        baseline: row.get::<_, Option<bool>>(5)?.unwrap_or(false),
                    })
                },
            )
            .optional()?)
    }

    /// The alerts about one reported violation, oldest first.
    pub fn violation_alerts(&self, violation_id: i64) -> Result<Vec<ViolationAlertRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT al.id, al.kind, al.created_at, al.changes, al.run_id
             FROM alerts al WHERE al.violation_id = ?1 ORDER BY al.id",
        )?;
        let rows = statement.query_map([violation_id], |row| {
            Ok(ViolationAlertRow {
                id: row.get(0)?,
                kind: row.get(1)?,
                created_at: row.get(2)?,
                changes: row.get(3)?,
                run_id: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageEventRow {
    /// `acknowledged`, `unacknowledged`, `cleared_changed`, `cleared_resolved`.
    pub kind: String,
    pub at: String,
    pub by: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedViolation {
    pub id: i64,
    pub open: bool,
    pub first_seen_run: i64,
    pub first_seen_at: String,
    pub first_seen_trigger: String,
    /// Recorded silently as part of the application's baseline.
    pub baseline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationAlertRow {
    pub id: i64,
    pub kind: String,
    pub created_at: String,
    /// JSON array of change notes.
    pub changes: String,
    pub run_id: i64,
}

fn acknowledgement(conn: &Connection, id: &ViolationIdentity) -> Result<Option<AcknowledgementRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT note, acknowledged_at, acknowledged_by FROM acknowledgements
             WHERE application_id = ?1 AND policy = ?2 AND purl = ?3 AND condition_key = ?4",
        )?
        .query_row(
            params![id.application_id, id.policy, id.purl, id.condition_key],
            |row| {
                Ok(AcknowledgementRow {
                    note: row.get(0)?,
                    at: row.get(1)?,
                    by: row.get(2)?,
                })
            },
        )
        .optional()?)
}

fn record_event(
    tx: &Transaction<'_>,
    id: &ViolationIdentity,
    kind: &str,
    at: &str,
    by: &str,
    note: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO triage_events(application_id, policy, purl, condition_key, kind, at, by, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id.application_id,
        id.policy,
        id.purl,
        id.condition_key,
        kind,
        at,
        by,
        note
    ])?;
    Ok(())
}

/// Acknowledges a violation identity (again: the newer note and time replace the older).
pub fn acknowledge(
    tx: &Transaction<'_>,
    id: &ViolationIdentity,
    note: Option<&str>,
    at: &str,
    by: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO acknowledgements(application_id, policy, purl, condition_key, note, acknowledged_at, acknowledged_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(application_id, policy, purl, condition_key) DO UPDATE SET
           note = excluded.note, acknowledged_at = excluded.acknowledged_at,
           acknowledged_by = excluded.acknowledged_by",
    )?
    .execute(params![
        id.application_id,
        id.policy,
        id.purl,
        id.condition_key,
        note,
        at,
        by
    ])?;
    record_event(tx, id, "acknowledged", at, by, note)
}

/// Why an acknowledgement goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unacknowledge {
    /// A person cleared it.
    ByUser,
    /// Monitoring reported the violation changed: the change needs a fresh look.
    Changed,
    /// Monitoring reported the violation resolved.
    Resolved,
}

/// Removes the acknowledgement on a violation identity; `false` when there was none.
pub fn unacknowledge(
    tx: &Transaction<'_>,
    id: &ViolationIdentity,
    why: Unacknowledge,
    at: &str,
    by: &str,
) -> Result<bool> {
    let removed = tx
        .prepare_cached(
            "DELETE FROM acknowledgements
             WHERE application_id = ?1 AND policy = ?2 AND purl = ?3 AND condition_key = ?4",
        )?
        .execute(params![id.application_id, id.policy, id.purl, id.condition_key])?
        == 1;
    if removed {
        let kind = match why {
            Unacknowledge::ByUser => "unacknowledged",
            Unacknowledge::Changed => "cleared_changed",
            Unacknowledge::Resolved => "cleared_resolved",
        };
        record_event(tx, id, kind, at, by, None)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acknowledgement_is_replaced_cleared_once_and_its_timeline_kept() {
        let mut store = Store::open_in_memory().unwrap();
        let app = store
            .transaction(|tx| {
                crate::applications::ensure_application(tx, "Shop", vigil_model::Stage::Build, "2026-01-01T00:00:00Z")
            })
            .unwrap();
        let id = ViolationIdentity {
            application_id: app,
            policy: "Security-High".into(),
            purl: "pkg:npm/a@1".into(),
            condition_key: "c".into(),
        };
        store
            .transaction(|tx| {
                acknowledge(tx, &id, Some("looking"), "2026-01-02T00:00:00Z", "ann")?;
                acknowledge(tx, &id, None, "2026-01-03T00:00:00Z", "bob")
            })
            .unwrap();
        let mark = store.acknowledgement(&id).unwrap().unwrap();
        assert_eq!((mark.by.as_str(), mark.note), ("bob", None));
        let removed = store
            .transaction(|tx| {
                Ok((
                    unacknowledge(tx, &id, Unacknowledge::Changed, "2026-01-04T00:00:00Z", "monitoring")?,
                    unacknowledge(tx, &id, Unacknowledge::ByUser, "2026-01-05T00:00:00Z", "ann")?,
                ))
            })
            .unwrap();
        assert_eq!(removed, (true, false));
        assert_eq!(store.acknowledgement(&id).unwrap(), None);
        let kinds: Vec<String> = store.triage_events(&id).unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["acknowledged", "acknowledged", "cleared_changed"]);
    }
}
