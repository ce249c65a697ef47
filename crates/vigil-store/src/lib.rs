//! Vigil's workspace database: one SQLite file per workspace.
//!
//! WAL, foreign keys, a busy timeout, and migrations embedded in the binary that run in one
//! immediate transaction. A database written by a newer Vigil is refused, never "repaired".
//! Everything else in Vigil reaches SQLite only through this crate.

mod advisories;
pub mod applications;
pub mod dashboard;
pub mod feeds;
pub mod monitoring;
pub mod notifications;
pub mod organizations;
pub mod policies;
mod portfolio;
mod purl_case;
mod schema;
pub mod settings;
mod sync_state;
pub mod triage;
pub mod waivers;

use std::{path::Path, time::Duration};

use rusqlite::Connection;

pub use advisories::{AdvisoryRow, AdvisoryWriter, EcosystemCount, UpsertOutcome};
pub use applications::{
    ApplicationProfileFields, ApplicationRow, ComponentRow, ContactRow, EvaluationRow,
    NewEvaluation, NewScan, ScanRow, ThreatBands, UnidentifiedRow,
};
pub use organizations::OrganizationRow;
pub use feeds::FeedRow;
pub use monitoring::{
    AlertQuery, AlertRecordRow, AlertRow, EvaluationStamp, MonitorRunRow, RunApplicationRow, RunCounts,
    RunRow, ViolationState,
};
/// A write transaction, for callers that stream work into one (`Store::transaction_with`).
pub use rusqlite::Transaction;
pub use portfolio::PortfolioComponent;
pub use schema::SCHEMA_VERSION;
pub use settings::Lease;
pub use sync_state::SyncState;
pub use waivers::WaiverRow;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the database {path} has schema version {found}, written by a newer Vigil; this Vigil \
         understands schema version {supported} at most. Upgrade Vigil, or use another --data-dir."
    )]
    SchemaTooNew {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A name that must be unique is taken.
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One connection to the workspace database. Cheap to open; open one per unit of work rather
/// than sharing one behind a lock.
pub struct Store {
    conn: Connection,
    /// The file, for [`Store::reopen`]; `None` in memory.
    path: Option<std::path::PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let open_err = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        let mut store = Store::setup(conn, &path.display().to_string())?;
        store.path = Some(path.to_path_buf());
        Ok(store)
    }

    /// A second connection to the same file: reads on it see what was committed while a write
    /// transaction on this one streams its results (WAL lets the two work side by side).
    pub fn reopen(&self) -> Result<Store> {
        match &self.path {
            Some(path) => Store::open(path),
            None => Err(StoreError::Corrupt(
                "an in-memory database cannot be reopened".into(),
            )),
        }
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, ":memory:")
    }

    fn setup(mut conn: Connection, label: &str) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        // journal_mode answers with a row, so it cannot go through execute_batch's pragma path.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        schema::migrate(&mut conn, label)?;
        Ok(Store { conn, path: None })
    }

    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Runs `work` in one immediate transaction: all of it is committed, or none.
    pub fn transaction<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Lets this connection keep up to `mib` MiB of pages in memory (SQLite's default is 2 MiB):
    /// a transaction that writes a portfolio's evaluations otherwise spills to the WAL page by
    /// page while it is still being written.
    pub fn set_cache_mib(&self, mib: u32) -> Result<()> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{}", u64::from(mib) * 1024))?;
        Ok(())
    }

    /// [`Store::transaction`] for work whose errors are the caller's own: rolled back on any
    /// error, committed otherwise.
    pub fn transaction_with<T, E: From<StoreError>>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = work(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_twice_keeps_data_and_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
            store
                .conn
                .execute("INSERT INTO meta(key, value) VALUES ('probe', 'kept')", [])
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let kept: String = store
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'probe'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(kept, "kept");
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn a_database_from_a_newer_vigil_is_refused_naming_both_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        drop(Store::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 7))
            .unwrap();
        let err = Store::open(&path)
            .err()
            .expect("a newer schema must be refused");
        let message = err.to_string();
        assert!(matches!(err, StoreError::SchemaTooNew { .. }));
        assert!(
            message.contains(&format!("schema version {}", SCHEMA_VERSION + 7)),
            "{message}"
        );
        assert!(
            message.contains(&format!("schema version {SCHEMA_VERSION} at most")),
            "{message}"
        );
    }
}
