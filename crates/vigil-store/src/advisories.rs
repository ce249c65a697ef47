//! The advisory store: upserting OSV records and looking them up by package.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension, Transaction};
use vigil_advisories::{assess, Affected, OsvRecord, Severity};
use vigil_model::Ecosystem;

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    Inserted,
    Updated,
    /// The stored copy is as new or newer (`modified`); nothing was written.
    Unchanged,
}

/// Writes records inside one transaction, so that an import is all or nothing.
pub struct AdvisoryWriter<'t> {
    tx: &'t Transaction<'t>,
    now: String,
    ecosystems: BTreeSet<String>,
    changed: bool,
    /// The packages the records written so far affect (before and after the write): what
    /// this generation touched, for the reverse index.
    touched: BTreeSet<(String, String)>,
}

impl<'t> AdvisoryWriter<'t> {
    pub fn new(tx: &'t Transaction<'t>, now: String) -> Self {
        AdvisoryWriter {
            tx,
            now,
            ecosystems: BTreeSet::new(),
            changed: false,
            touched: BTreeSet::new(),
        }
    }

    pub fn upsert(&mut self, record: &OsvRecord, raw: &str) -> Result<UpsertOutcome> {
        for affected in &record.affected {
            if let Some(package) = &affected.package {
                self.ecosystems
                    .insert(base_ecosystem(&package.ecosystem).to_string());
            }
        }
        let stored: Option<String> = self
            .tx
            .prepare_cached("SELECT modified FROM advisories WHERE id = ?1")?
            .query_row([&record.id], |row| row.get(0))
            .optional()?;
        if let Some(stored) = &stored {
            if !is_newer(&record.modified, stored) {
                return Ok(UpsertOutcome::Unchanged);
            }
            let mut before = self
                .tx
                .prepare_cached("SELECT ecosystem, name FROM affected WHERE advisory_id = ?1")?;
            let rows = before.query_map([&record.id], |row| Ok((row.get(0)?, row.get(1)?)))?;
            for row in rows {
                self.touched.insert(row?);
            }
            self.tx
                .prepare_cached("DELETE FROM affected WHERE advisory_id = ?1")?
                .execute([&record.id])?;
        }
        let aliases = serde_json::to_string(&record.aliases)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.tx
            .prepare_cached(
                "INSERT INTO advisories(id, modified, withdrawn, summary, aliases, raw, imported_at, severity)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn,
                   summary = excluded.summary, aliases = excluded.aliases, raw = excluded.raw,
                   imported_at = excluded.imported_at, severity = excluded.severity",
            )?
            .execute(params![
                record.id,
                record.modified,
                record.withdrawn,
                record.headline(),
                aliases,
                raw,
                self.now,
                severity_json(record)?
            ])?;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO affected(advisory_id, ecosystem, name, entry) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for affected in &record.affected {
            let Some(package) = &affected.package else {
                continue;
            };
            let ecosystem = base_ecosystem(&package.ecosystem);
            let name = match Ecosystem::from_osv(ecosystem) {
                Some(known) => known.normalize_name(&package.name),
                None => package.name.clone(),
            };
            let entry =
                serde_json::to_string(affected).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            insert.execute(params![record.id, ecosystem, name, entry])?;
            self.touched.insert((ecosystem.to_string(), name));
        }
        self.changed = true;
        Ok(if stored.is_some() {
            UpsertOutcome::Updated
        } else {
            UpsertOutcome::Inserted
        })
    }

    /// Records when each ecosystem seen was imported, and bumps the data generation when
    /// anything changed.
    pub fn finish(self, source: &str) -> Result<()> {
        for ecosystem in &self.ecosystems {
            self.tx.execute(
                "INSERT INTO ecosystem_imports(ecosystem, imported_at, source) VALUES (?1, ?2, ?3)
                 ON CONFLICT(ecosystem) DO UPDATE SET imported_at = excluded.imported_at, source = excluded.source",
                params![ecosystem, self.now, source],
            )?;
        }
        if self.changed {
            let generation = bump_generation(self.tx)?;
            let mut insert = self.tx.prepare_cached(
                "INSERT OR IGNORE INTO advisory_changes(generation, ecosystem, name) VALUES (?1, ?2, ?3)",
            )?;
            for (ecosystem, name) in &self.touched {
                insert.execute(params![generation, ecosystem, name])?;
            }
        }
        Ok(())
    }
}

fn severity_json(record: &OsvRecord) -> Result<Option<String>> {
    assess(record)
        .map(|s| serde_json::to_string(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

/// Migration 2: score the records stored before severities were.
pub(crate) fn backfill_severity(tx: &Transaction<'_>) -> Result<()> {
    let mut select = tx.prepare("SELECT id, raw FROM advisories")?;
    let rows = select.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut update = tx.prepare("UPDATE advisories SET severity = ?2 WHERE id = ?1")?;
    for row in rows {
        let (id, raw) = row?;
        // A raw record that no longer parses keeps a NULL severity rather than failing the upgrade.
        if let Ok(record) = serde_json::from_str::<OsvRecord>(&raw) {
            update.execute(params![id, severity_json(&record)?])?;
        }
    }
    Ok(())
}

/// Migration 5: key every stored package name as its ecosystem compares names today.
pub(crate) fn rekey_names(tx: &Transaction<'_>) -> Result<()> {
    let mut select = tx.prepare("SELECT rowid, ecosystem, name, entry FROM affected")?;
    let rows = select.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut update = tx.prepare("UPDATE affected SET name = ?2 WHERE rowid = ?1")?;
    for row in rows {
        let (rowid, ecosystem, name, entry) = row?;
        let Some(known) = Ecosystem::from_osv(&ecosystem) else {
            continue;
        };
        let Ok(affected) = serde_json::from_str::<Affected>(&entry) else {
            continue;
        };
        let Some(package) = affected.package else {
            continue;
        };
        let key = known.normalize_name(&package.name);
        if key != name {
            update.execute(params![rowid, key])?;
        }
    }
    Ok(())
}

/// Starts a new advisory-data generation and returns it.
pub(crate) fn bump_generation(tx: &Transaction<'_>) -> Result<i64> {
    tx.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'advisory_generation'",
        [],
    )?;
    let value: String = tx.query_row(
        "SELECT value FROM meta WHERE key = 'advisory_generation'",
        [],
        |row| row.get(0),
    )?;
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("advisory_generation {value:?}")))
}

/// Records that a generation touched every package (a KEV or EPSS feed was replaced: any
/// advisory's exploitation facts may differ).
pub(crate) fn touch_everything(tx: &Transaction<'_>) -> Result<()> {
    let generation = bump_generation(tx)?;
    tx.execute(
        "INSERT OR IGNORE INTO advisory_changes(generation, ecosystem, name) VALUES (?1, '*', '*')",
        [generation],
    )?;
    Ok(())
}

/// OSV ecosystems may carry a `:suffix` (`Debian:12`); the base decides the semantics.
fn base_ecosystem(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem)
}

/// Whether `candidate` is a newer `modified` time than `stored`. RFC 3339 times are compared as
/// instants (`Z` and `+00:00`, fractions of seconds); unparseable ones as text, and an
/// unparseable candidate never replaces a parseable stored time.
fn is_newer(candidate: &str, stored: &str) -> bool {
    use chrono::DateTime;
    match (
        DateTime::parse_from_rfc3339(candidate),
        DateTime::parse_from_rfc3339(stored),
    ) {
        (Ok(candidate), Ok(stored)) => candidate > stored,
        (Ok(_), Err(_)) => true,
        (Err(_), Ok(_)) => false,
        (Err(_), Err(_)) => candidate > stored,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdvisoryRow {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub withdrawn: bool,
    pub severity: Option<Severity>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcosystemCount {
    pub ecosystem: String,
    pub advisories: u32,
    pub withdrawn: u32,
    pub imported_at: Option<String>,
}

impl Store {
    /// Every (ecosystem, name key) that some stored `affected[]` entry names: the index that
    /// lets a matcher answer "no advisory" without a query for most packages.
    pub fn affected_keys(&self) -> Result<Vec<(String, String)>> {
        let mut statement = self
            .conn()
            .prepare("SELECT DISTINCT ecosystem, name FROM affected")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every stored `affected[]` entry naming this package, with its advisory.
    pub fn affected_by_package(
        &self,
        ecosystem: Ecosystem,
        name_key: &str,
    ) -> Result<Vec<(AdvisoryRow, Affected)>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT a.id, a.aliases, a.summary, a.withdrawn IS NOT NULL, f.entry, a.severity
             FROM affected f JOIN advisories a ON a.id = f.advisory_id
             WHERE f.ecosystem = ?1 AND f.name = ?2
             ORDER BY a.id",
        )?;
        let rows = statement.query_map(params![ecosystem.osv_name(), name_key], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, aliases, summary, withdrawn, entry, severity) = row?;
            let aliases = serde_json::from_str(&aliases)
                .map_err(|e| StoreError::Corrupt(format!("{id} aliases: {e}")))?;
            let entry = serde_json::from_str(&entry)
                .map_err(|e| StoreError::Corrupt(format!("{id} affected: {e}")))?;
            let severity = severity
                .map(|s| {
                    serde_json::from_str(&s)
                        .map_err(|e| StoreError::Corrupt(format!("{id} severity: {e}")))
                })
                .transpose()?;
            out.push((
                AdvisoryRow {
                    id,
                    aliases,
                    summary,
                    withdrawn,
                    severity,
                },
                entry,
            ));
        }
        Ok(out)
    }

    pub fn advisory_total(&self) -> Result<u32> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM advisories", [], |row| row.get(0))?)
    }

    /// Advisory counts per ecosystem, with when each was last imported. Sorted by ecosystem.
    pub fn ecosystem_counts(&self) -> Result<Vec<EcosystemCount>> {
        let mut statement = self.conn().prepare(
            "SELECT e.ecosystem,
                    (SELECT COUNT(DISTINCT f.advisory_id) FROM affected f WHERE f.ecosystem = e.ecosystem),
                    (SELECT COUNT(DISTINCT f.advisory_id) FROM affected f JOIN advisories a ON a.id = f.advisory_id
                      WHERE f.ecosystem = e.ecosystem AND a.withdrawn IS NOT NULL),
                    i.imported_at
             FROM (SELECT DISTINCT ecosystem FROM affected UNION SELECT ecosystem FROM ecosystem_imports) e
             LEFT JOIN ecosystem_imports i ON i.ecosystem = e.ecosystem
             ORDER BY e.ecosystem",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(EcosystemCount {
                ecosystem: row.get(0)?,
                advisories: row.get(1)?,
                withdrawn: row.get(2)?,
                imported_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When each ecosystem's data was last imported: cheap (no counting), for the freshness
    /// note every evaluation prints.
    pub fn ecosystem_imports(&self) -> Result<Vec<(String, String)>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT ecosystem, imported_at FROM ecosystem_imports ORDER BY ecosystem",
        )?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Bumped by every import that changed something.
    pub fn advisory_generation(&self) -> Result<i64> {
        let value: String = self.conn().query_row(
            "SELECT value FROM meta WHERE key = 'advisory_generation'",
            [],
            |row| row.get(0),
        )?;
        value
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("advisory_generation {value:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, modified: &str, withdrawn: bool) -> OsvRecord {
        serde_json::from_value(serde_json::json!({
            "id": id, "modified": modified, "aliases": ["CVE-1"], "summary": "s",
            "withdrawn": if withdrawn { Some("2024-01-01T00:00:00Z") } else { None },
            "affected": [{"package": {"ecosystem": "PyPI", "name": "Django"}, "versions": ["1.0"]},
                         {"package": {"ecosystem": "npm", "name": "x"}, "versions": ["1.0.0"]}]
        }))
        .unwrap()
    }

    fn import(store: &mut Store, records: &[OsvRecord]) -> Vec<UpsertOutcome> {
        store
            .transaction(|tx| {
                let mut writer = AdvisoryWriter::new(tx, "2026-01-01T00:00:00Z".into());
                let outcomes = records
                    .iter()
                    .map(|r| writer.upsert(r, "{}"))
                    .collect::<Result<Vec<_>>>()?;
                writer.finish("test")?;
                Ok(outcomes)
            })
            .unwrap()
    }

    #[test]
    fn newer_modified_wins_and_reimport_changes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(
            import(&mut store, &[record("A", "2024-01-01T00:00:00Z", false)]),
            [UpsertOutcome::Inserted]
        );
        let generation = store.advisory_generation().unwrap();
        assert_eq!(
            import(&mut store, &[record("A", "2024-01-01T00:00:00Z", false)]),
            [UpsertOutcome::Unchanged]
        );
        assert_eq!(
            import(
                &mut store,
                &[record("A", "2023-06-01T00:00:00+00:00", false)]
            ),
            [UpsertOutcome::Unchanged]
        );
        assert_eq!(
            store.advisory_generation().unwrap(),
            generation,
            "nothing changed"
        );
        assert_eq!(
            import(&mut store, &[record("A", "2024-01-01T00:00:00.5Z", true)]),
            [UpsertOutcome::Updated]
        );
        assert!(store.advisory_generation().unwrap() > generation);

        let found = store
            .affected_by_package(Ecosystem::PyPI, "django")
            .unwrap();
        assert_eq!(
            found.len(),
            1,
            "re-import replaced, not duplicated, the affected rows"
        );
        assert!(found[0].0.withdrawn);
        let counts = store.ecosystem_counts().unwrap();
        let names: Vec<_> = counts
            .iter()
            .map(|c| (c.ecosystem.as_str(), c.advisories, c.withdrawn))
            .collect();
        assert_eq!(names, [("PyPI", 1, 1), ("npm", 1, 1)]);
    }

    #[test]
    fn upgrading_a_version_1_database_scores_its_stored_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(include_str!("migrations/0001_init.sql"))
                .unwrap();
            conn.execute_batch("PRAGMA user_version = 1").unwrap();
            let raw = r#"{"id":"GHSA-x","modified":"2024-01-01T00:00:00Z","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
                          "affected":[{"package":{"ecosystem":"npm","name":"x"},"versions":["1.0.0"]}]}"#;
            conn.execute(
                "INSERT INTO advisories(id, modified, summary, aliases, raw, imported_at) VALUES ('GHSA-x', '2024-01-01T00:00:00Z', '', '[]', ?1, 'now')",
                [raw],
            )
            .unwrap();
            conn.execute(
                r#"INSERT INTO affected(advisory_id, ecosystem, name, entry) VALUES ('GHSA-x', 'npm', 'x', '{"versions":["1.0.0"]}')"#,
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), crate::SCHEMA_VERSION);
        let found = store.affected_by_package(Ecosystem::Npm, "x").unwrap();
        let severity = found[0].0.severity.as_ref().expect("backfilled from raw");
        assert_eq!(severity.score, Some(10.0));
    }

    #[test]
    fn upgrading_rekeys_names_stored_under_an_older_rule() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            crate::schema::migrate_to(&mut conn, "test", 4).unwrap();
            conn.execute(
                "INSERT INTO advisories(id, modified, summary, aliases, raw, imported_at) VALUES ('GHSA-n', '2024-01-01T00:00:00Z', '', '[]', '{}', 'now')",
                [],
            )
            .unwrap();
            conn.execute(
                r#"INSERT INTO affected(advisory_id, ecosystem, name, entry) VALUES ('GHSA-n', 'NuGet', 'Newtonsoft.Json',
                   '{"package":{"ecosystem":"NuGet","name":"Newtonsoft.Json"},"versions":["12.0.1"]}')"#,
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let key = Ecosystem::NuGet.normalize_name("Newtonsoft.Json");
        assert_ne!(
            key, "Newtonsoft.Json",
            "NuGet names compare case-insensitively"
        );
        assert_eq!(
            store
                .affected_by_package(Ecosystem::NuGet, &key)
                .unwrap()
                .len(),
            1
        );
    }
}
