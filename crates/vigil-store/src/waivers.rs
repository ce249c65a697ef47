//! Waivers as stored.

use rusqlite::{params, Row, Transaction};
use vigil_policy::{Waiver, WaiverScope};

use crate::{Result, Store, StoreError};

/// A waiver with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverRow {
    pub waiver: Waiver,
    /// The VEX document it was imported from.
    pub source: Option<String>,
}

pub fn insert_waiver(tx: &Transaction<'_>, waiver: &Waiver, source: Option<&str>) -> Result<i64> {
    let (scope, scope_name) = match &waiver.scope {
        WaiverScope::Application(name) => ("application", Some(name.as_str())),
        WaiverScope::Organization(name) => ("organization", Some(name.as_str())),
        WaiverScope::Everywhere => ("everywhere", None),
    };
    tx.prepare_cached(
        "INSERT INTO waivers(scope, scope_name, component, all_versions, policy, advisory, reason, expires, created_at, created_by, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        scope,
        scope_name,
        waiver.component,
        waiver.all_versions,
        waiver.policy,
        waiver.advisory,
        waiver.reason,
        waiver.expires.format("%Y-%m-%d").to_string(),
        waiver.created_at,
        waiver.created_by,
        source,
    ])?;
    Ok(tx.last_insert_rowid())
}

pub fn remove_waiver(tx: &Transaction<'_>, id: i64) -> Result<bool> {
    Ok(tx.execute("DELETE FROM waivers WHERE id = ?1", [id])? == 1)
}

impl Store {
    /// Every waiver, expiring first.
    pub fn waivers(&self) -> Result<Vec<WaiverRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT id, scope, scope_name, component, all_versions, policy, advisory, reason, expires, created_at, created_by, source
             FROM waivers ORDER BY expires, id",
        )?;
        let rows = statement.query_map([], waiver_row)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row??);
        }
        Ok(out)
    }
}

fn waiver_row(row: &Row<'_>) -> rusqlite::Result<Result<WaiverRow>> {
    let id: i64 = row.get(0)?;
    let scope: String = row.get(1)?;
    let scope_name: Option<String> = row.get(2)?;
    let expires: String = row.get(8)?;
    let scope = match (scope.as_str(), scope_name) {
        ("application", Some(name)) => WaiverScope::Application(name),
        ("organization", Some(name)) => WaiverScope::Organization(name),
        ("everywhere", _) => WaiverScope::Everywhere,
        _ => {
            return Ok(Err(StoreError::Corrupt(format!(
                "waiver {id}: scope {scope:?}"
            ))))
        }
    };
    let Ok(expires) = chrono::NaiveDate::parse_from_str(&expires, "%Y-%m-%d") else {
        return Ok(Err(StoreError::Corrupt(format!(
            "waiver {id}: expiry {expires:?}"
        ))));
    };
    Ok(Ok(WaiverRow {
        waiver: Waiver {
            id,
            scope,
            component: row.get(3)?,
            all_versions: row.get(4)?,
            policy: row.get(5)?,
            advisory: row.get(6)?,
            reason: row.get(7)?,
            expires,
            created_at: row.get(9)?,
            created_by: row.get(10)?,
        },
        source: row.get(11)?,
    }))
}
