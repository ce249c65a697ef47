//! How far each ecosystem has been synced.

use rusqlite::{params, OptionalExtension};

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncState {
    pub ecosystem: String,
    pub base_url: String,
    pub high_water: Option<String>,
    pub csv_etag: Option<String>,
    pub last_attempt: String,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
}

impl Store {
    /// Every ecosystem synced before, sorted.
    pub fn synced_ecosystems(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn()
            .prepare("SELECT ecosystem FROM sync_state ORDER BY ecosystem")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn sync_state(&self, ecosystem: &str) -> Result<Option<SyncState>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT ecosystem, base_url, high_water, csv_etag, last_attempt, last_success, last_error
                 FROM sync_state WHERE ecosystem = ?1",
                [ecosystem],
                |row| {
                    Ok(SyncState {
                        ecosystem: row.get(0)?,
                        base_url: row.get(1)?,
                        high_water: row.get(2)?,
                        csv_etag: row.get(3)?,
                        last_attempt: row.get(4)?,
                        last_success: row.get(5)?,
                        last_error: row.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn save_sync_state(&self, state: &SyncState) -> Result<()> {
        self.conn().execute(
            "INSERT INTO sync_state(ecosystem, base_url, high_water, csv_etag, last_attempt, last_success, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(ecosystem) DO UPDATE SET base_url = excluded.base_url, high_water = excluded.high_water,
               csv_etag = excluded.csv_etag, last_attempt = excluded.last_attempt,
               last_success = excluded.last_success, last_error = excluded.last_error",
            params![
                state.ecosystem,
                state.base_url,
                state.high_water,
                state.csv_etag,
                state.last_attempt,
                state.last_success,
                state.last_error
            ],
        )?;
        Ok(())
    }
}
