//! KEV and EPSS, stored per CVE and joined to advisories through their aliases.

use rusqlite::{params, Transaction};
use vigil_advisories::feeds::{EpssScores, KevCatalog};

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    pub name: String,
    pub version: String,
    pub entries: u32,
    pub imported_at: String,
}

fn record_feed(
    tx: &Transaction<'_>,
    name: &str,
    version: &str,
    entries: usize,
    now: &str,
    source: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO feeds(name, version, entries, imported_at, source) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(name) DO UPDATE SET version = excluded.version, entries = excluded.entries,
           imported_at = excluded.imported_at, source = excluded.source",
        params![name, version, entries as i64, now, source],
    )?;
    Ok(())
}

/// More CVEs than this changing at once in KEV marks every package as touched: cheaper than
/// tracing each CVE to its advisories.
const KEV_TRACE_LIMIT: usize = 2_000;

/// After the KEV table was replaced: the packages whose advisories' KEV flag changed become
/// this generation's touched packages, so that monitoring re-evaluates only those.
fn record_kev_changes(tx: &Transaction<'_>) -> Result<()> {
    let changed: Vec<String> = tx
        .prepare(
            "SELECT cve FROM (SELECT cve FROM temp.old_kev EXCEPT SELECT cve FROM kev)
             UNION SELECT cve FROM (SELECT cve FROM kev EXCEPT SELECT cve FROM temp.old_kev)",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute("DROP TABLE temp.old_kev", [])?;
    if changed.is_empty() {
        return Ok(());
    }
    if changed.len() > KEV_TRACE_LIMIT {
        return crate::advisories::touch_everything(tx);
    }
    let generation = crate::advisories::bump_generation(tx)?;
    let cves = serde_json::to_string(&changed).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT OR IGNORE INTO advisory_changes(generation, ecosystem, name)
         SELECT DISTINCT ?1, f.ecosystem, f.name FROM advisories a JOIN affected f ON f.advisory_id = a.id
         WHERE a.id IN (SELECT value FROM json_each(?2))
            OR EXISTS (SELECT 1 FROM json_each(a.aliases) j WHERE j.value IN (SELECT value FROM json_each(?2)))",
        params![generation, cves],
    )?;
    Ok(())
}

/// Replaces the stored KEV catalog with this one.
pub fn replace_kev(
    tx: &Transaction<'_>,
    catalog: &KevCatalog,
    now: &str,
    source: &str,
) -> Result<()> {
    tx.execute_batch(
        "DROP TABLE IF EXISTS temp.old_kev; CREATE TEMP TABLE old_kev AS SELECT cve FROM kev; DELETE FROM kev;",
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO kev(cve, date_added, due_date, ransomware, name) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for entry in &catalog.entries {
        let ransomware = entry.ransomware.as_deref() == Some("Known");
        insert.execute(params![
            entry.cve,
            entry.date_added,
            entry.due_date,
            ransomware,
            entry.name
        ])?;
    }
    record_feed(
        tx,
        "kev",
        &catalog.version,
        catalog.entries.len(),
        now,
        source,
    )?;
    record_kev_changes(tx)
}

/// Replaces the stored EPSS scores with these.
pub fn replace_epss(
    tx: &Transaction<'_>,
    scores: &EpssScores,
    now: &str,
    source: &str,
) -> Result<()> {
    let same: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM feeds WHERE name = 'epss' AND version = ?1)",
        [&scores.version],
        |row| row.get(0),
    )?;
    tx.execute("DELETE FROM epss", [])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO epss(cve, score, percentile) VALUES (?1, ?2, ?3)",
    )?;
    for score in &scores.scores {
        insert.execute(params![score.cve, score.epss, score.percentile])?;
    }
    record_feed(
        tx,
        "epss",
        &scores.version,
        scores.scores.len(),
        now,
        source,
    )?;
    // Scores of one date are the same scores; a new date moves nearly every CVE a little.
    if same {
        Ok(())
    } else {
        crate::advisories::touch_everything(tx)
    }
}

impl Store {
    /// Whether any of these ids (an advisory's id and aliases) is in the KEV catalog, and the
    /// highest EPSS score among them. Asked only for advisories that matched, not for every
    /// stored `affected` row, so that look-ups of unaffected packages pay nothing for it.
    pub fn exploitation(&self, ids: &[&str]) -> Result<(bool, Option<f64>)> {
        let ids =
            serde_json::to_string(ids).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM kev WHERE cve IN (SELECT value FROM json_each(?1))),
                    (SELECT MAX(score) FROM epss WHERE cve IN (SELECT value FROM json_each(?1)))",
            )?
            .query_row([ids], |row| Ok((row.get(0)?, row.get(1)?)))?)
    }

    pub fn feeds(&self) -> Result<Vec<FeedRow>> {
        let mut statement = self
            .conn()
            .prepare("SELECT name, version, entries, imported_at FROM feeds ORDER BY name")?;
        let rows = statement.query_map([], |row| {
            Ok(FeedRow {
                name: row.get(0)?,
                version: row.get(1)?,
                entries: row.get(2)?,
                imported_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
