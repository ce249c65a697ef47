//! What the dashboard reads besides the history: open violations by threat band as each run
//! left them, the worst alerts of a run, open threat levels per application, deliveries by
//! status. Every query is an aggregate or a bounded list: none reads an inventory.

use std::collections::HashMap;

use rusqlite::{params, Connection, Transaction};
use vigil_policy::ViolationDetails;

use crate::{Result, Store, StoreError, ThreatBands};

/// The band counts of one threat level: critical 8–10, severe 4–7, moderate 2–3, low 0–1.
fn band_sums(level: &str) -> String {
    format!(
        "SUM({level} >= 8), SUM({level} BETWEEN 4 AND 7), SUM({level} BETWEEN 2 AND 3), SUM({level} <= 1)"
    )
}

fn bands_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<ThreatBands> {
    Ok(ThreatBands {
        critical: row.get(first)?,
        severe: row.get(first + 1)?,
        moderate: row.get(first + 2)?,
        low: row.get(first + 3)?,
    })
}

/// Monitoring's reported state: open violations no waiver covers, by threat band, per
/// application and policy (the caller keeps the monitored ones). One pass over an index.
pub fn open_reported_bands(conn: &Connection) -> Result<Vec<(i64, String, ThreatBands)>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT application_id, policy, {} FROM violations
         WHERE status = 'open' AND waived = 0 GROUP BY application_id, policy",
        band_sums("threat_level")
    ))?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, bands_at(row, 2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records what a run left open, at its end.
pub fn set_run_open(tx: &Transaction<'_>, run_id: i64, open: ThreatBands) -> Result<()> {
    tx.execute(
        "UPDATE monitor_runs SET open_critical = ?2, open_severe = ?3, open_moderate = ?4, open_low = ?5
         WHERE id = ?1",
        params![run_id, open.critical, open.severe, open.moderate, open.low],
    )?;
    Ok(())
}

/// One run's open violations when it ended; `None` for runs from before they were counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOpenRow {
    pub id: i64,
    pub trigger: String,
    pub started_at: String,
    pub open: Option<ThreatBands>,
}

/// An alert of a run with what opens its violation.
#[derive(Debug, Clone, PartialEq)]
pub struct RunAlertRow {
    pub kind: String,
    pub application: String,
    pub policy: String,
    pub purl: String,
    pub condition_key: String,
    pub threat_level: u8,
    pub details: ViolationDetails,
    pub changes: String,
}

/// Deliveries waiting or given up on, of every channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    pub pending: u32,
    pub failed: u32,
}

impl Store {
    /// The latest runs with what each left open, newest first.
    pub fn run_open_bands(&self, limit: u32) -> Result<Vec<RunOpenRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT id, trigger, started_at, open_critical, open_severe, open_moderate, open_low
             FROM monitor_runs ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| {
            let critical: Option<u32> = row.get(3)?;
            Ok(RunOpenRow {
                id: row.get(0)?,
                trigger: row.get(1)?,
                started_at: row.get(2)?,
                open: match critical {
                    None => None,
                    Some(_) => Some(bands_at(row, 3)?),
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A run's alerts of the given kinds, highest threat level first, at most `limit`.
    pub fn run_alerts_by_threat(&self, run_id: i64, kinds: &[&str], limit: u32) -> Result<Vec<RunAlertRow>> {
        let kinds = serde_json::to_string(kinds).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut statement = self.conn().prepare_cached(
            "SELECT al.kind, a.name, v.policy, v.purl, v.condition_key, v.threat_level, al.details, al.changes
             FROM alerts al
             JOIN violations v ON v.id = al.violation_id
             JOIN applications a ON a.id = v.application_id
             WHERE al.run_id = ?1 AND al.kind IN (SELECT value FROM json_each(?2))
             ORDER BY v.threat_level DESC, al.kind = 'changed', a.name COLLATE NOCASE, v.purl, al.id
             LIMIT ?3",
        )?;
        let rows = statement.query_map(params![run_id, kinds, limit], |row| {
            Ok((
                RunAlertRow {
                    kind: row.get(0)?,
                    application: row.get(1)?,
                    policy: row.get(2)?,
                    purl: row.get(3)?,
                    condition_key: row.get(4)?,
                    threat_level: row.get(5)?,
                    details: ViolationDetails::default(),
                    changes: row.get(7)?,
                },
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut alert, details) = row?;
            alert.details = serde_json::from_str(&details)
                .map_err(|e| StoreError::Corrupt(format!("alert of run {run_id}: {e}")))?;
            out.push(alert);
        }
        Ok(out)
    }

    /// Every application's open violations (no waiver) per threat level, of the latest
    /// evaluation of its latest scan at the monitored stage, as the Applications bar counts
    /// them: application id → (threat level, count), highest level first.
    pub fn open_threat_levels(&self) -> Result<HashMap<i64, Vec<(u8, u32)>>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT a.id, v.threat_level, COUNT(*)
             FROM applications a
             JOIN scans s ON s.id = (SELECT MAX(id) FROM scans WHERE application_id = a.id AND stage = a.monitored_stage)
             JOIN evaluations e ON e.id = (SELECT MAX(id) FROM evaluations WHERE scan_id = s.id)
             JOIN evaluation_violations v ON v.evaluation_id = e.id AND v.waived = 0
             GROUP BY a.id, v.threat_level
             ORDER BY a.id, v.threat_level DESC",
        )?;
        let rows = statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?)))?;
        let mut out: HashMap<i64, Vec<(u8, u32)>> = HashMap::new();
        for row in rows {
            let (id, level, count) = row?;
            out.entry(id).or_default().push((level, count));
        }
        Ok(out)
    }

    pub fn delivery_counts(&self) -> Result<DeliveryCounts> {
        Ok(self.conn().query_row(
            "SELECT (SELECT COUNT(*) FROM deliveries WHERE status = 'pending'),
                    (SELECT COUNT(*) FROM deliveries WHERE status = 'failed')",
            [],
            |row| {
                Ok(DeliveryCounts {
                    pending: row.get(0)?,
                    failed: row.get(1)?,
                })
            },
        )?)
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;

    #[test]
    fn runs_from_before_the_migration_have_no_open_counts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            crate::schema::migrate_to(&mut conn, "test", 11).unwrap();
            conn.execute_batch(
                r#"INSERT INTO applications(id, name, monitored, monitored_stage, created_at, public_id) VALUES (1, 'shop', 1, 'build', 'then', 'shop');
                   INSERT INTO monitor_runs(id, trigger, started_at, finished_at, applications, new, changed, resolved) VALUES (1, 'cli', 'then', 'then', 1, 2, 0, 0);
                   INSERT INTO violations(application_id, policy, purl, condition_key, threat_level, details, status, first_seen_run, last_changed_run) VALUES
                     (1, 'p', 'pkg:npm/a@1', 'security', 9, '{"summary":"x"}', 'open', 1, 1),
                     (1, 'p', 'pkg:npm/b@1', 'security', 9, '{"summary":"x","waiver":{"id":1,"reason":"r","expires":"2027-01-01"}}', 'open', 1, 1),
                     (1, 'p', 'pkg:npm/c@1', 'security', 3, '{"summary":"x"}', 'resolved', 1, 1);"#,
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let runs = store.run_open_bands(30).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].open, None, "not counted then; not invented now");
        // The migration marks the violations a waiver covered: only the first counts.
        let open = super::open_reported_bands(store.conn()).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!((open[0].0, open[0].1.as_str(), open[0].2.critical, open[0].2.moderate), (1, "p", 1, 0));
    }
}
