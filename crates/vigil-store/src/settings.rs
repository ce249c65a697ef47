//! Workspace settings (JSON values by key) and leases: which of several processes sharing one
//! data directory performs a piece of shared work.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{de::DeserializeOwned, Serialize};

use crate::{Result, Store, StoreError};

impl Store {
    /// The setting stored under `key`, or `None` when it was never set (the caller's default).
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let value: Option<String> = self
            .conn()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?;
        value
            .map(|v| {
                serde_json::from_str(&v)
                    .map_err(|e| StoreError::Corrupt(format!("setting {key}: {e}")))
            })
            .transpose()
    }

    pub fn set_setting<T: Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        self.transaction(|tx| set_setting(tx, key, value))
    }
}

pub fn set_setting<T: Serialize>(tx: &Transaction<'_>, key: &str, value: &T) -> Result<()> {
    let value = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

pub fn remove_setting(tx: &Transaction<'_>, key: &str) -> Result<()> {
    tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}

/// Who holds a lease, and until when (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub holder: String,
    pub acquired_at: String,
    pub expires_at: String,
}

/// Takes the lease `name` for `holder` until `expires_at` when it is free, expired, or already
/// this holder's; otherwise returns who holds it. Times are RFC 3339 UTC with the same
/// precision, so they order as strings. Call inside an immediate transaction.
pub fn try_acquire_lease(
    tx: &Transaction<'_>,
    name: &str,
    holder: &str,
    now: &str,
    expires_at: &str,
) -> Result<std::result::Result<(), Lease>> {
    let current: Option<Lease> = tx
        .prepare_cached("SELECT holder, acquired_at, expires_at FROM leases WHERE name = ?1")?
        .query_row([name], |row| {
            Ok(Lease {
                holder: row.get(0)?,
                acquired_at: row.get(1)?,
                expires_at: row.get(2)?,
            })
        })
        .optional()?;
    if let Some(lease) = current {
        if lease.holder != holder && lease.expires_at.as_str() > now {
            return Ok(Err(lease));
        }
    }
    tx.prepare_cached(
        "INSERT INTO leases(name, holder, acquired_at, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
           expires_at = excluded.expires_at",
    )?
    .execute(params![name, holder, now, expires_at])?;
    Ok(Ok(()))
}

/// Takes over a lease from a holder known to be gone (its process died), if that holder still
/// holds it; returns whether it did.
pub fn take_over_lease(
    tx: &Transaction<'_>,
    name: &str,
    gone: &str,
    holder: &str,
    now: &str,
    expires_at: &str,
) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE leases SET holder = ?3, acquired_at = ?4, expires_at = ?5 WHERE name = ?1 AND holder = ?2",
        params![name, gone, holder, now, expires_at],
    )? == 1)
}

/// Gives the lease up, if `holder` still holds it.
pub fn release_lease(tx: &Transaction<'_>, name: &str, holder: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM leases WHERE name = ?1 AND holder = ?2",
        params![name, holder],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_is_held_by_one_holder_until_it_expires_or_is_released() {
        let mut store = Store::open_in_memory().unwrap();
        let take = |store: &mut Store, holder: &str, now: &str, until: &str| {
            store
                .transaction(|tx| try_acquire_lease(tx, "run", holder, now, until))
                .unwrap()
        };
        assert!(take(&mut store, "a", "2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z").is_ok());
        let held = take(&mut store, "b", "2026-01-01T00:05:00Z", "2026-01-01T00:15:00Z");
        assert_eq!(held.unwrap_err().holder, "a");
        // The holder renews; another takes it once it expired.
        assert!(take(&mut store, "a", "2026-01-01T00:05:00Z", "2026-01-01T00:20:00Z").is_ok());
        assert!(take(&mut store, "b", "2026-01-01T00:21:00Z", "2026-01-01T00:30:00Z").is_ok());
        store
            .transaction(|tx| release_lease(tx, "run", "b"))
            .unwrap();
        assert!(take(&mut store, "a", "2026-01-01T00:22:00Z", "2026-01-01T00:30:00Z").is_ok());
    }

    #[test]
    fn settings_round_trip_and_missing_ones_are_none() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.setting::<String>("schedule.at").unwrap(), None);
        store.set_setting("schedule.at", &"06:30").unwrap();
        assert_eq!(
            store.setting::<String>("schedule.at").unwrap().as_deref(),
            Some("06:30")
        );
    }
}
