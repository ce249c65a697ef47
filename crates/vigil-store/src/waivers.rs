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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn waiver(scope: WaiverScope, expires: &str) -> Waiver {
        Waiver {
            id: 0,
            scope,
            component: "pkg:pypi/django@2.2.10".into(),
            all_versions: false,
            policy: Some("Security-Critical".into()),
            advisory: Some("CVE-2099-1".into()),
            reason: "not reachable".into(),
            expires: NaiveDate::parse_from_str(expires, "%Y-%m-%d").unwrap(),
            created_at: "2026-11-26T00:00:00Z".into(),
            created_by: "tester".into(),
        }
    }

    #[test]
    fn waivers_round_trip_sorted_by_expiry_and_are_removed_by_id() {
        let mut store = Store::open_in_memory().unwrap();
        let later = waiver(WaiverScope::Application("shop".into()), "2027-03-01");
        let sooner = waiver(WaiverScope::Organization("payments".into()), "2026-12-01");
        let everywhere = waiver(WaiverScope::Everywhere, "2027-01-01");
        let ids = store
            .transaction(|tx| {
                Ok([
                    insert_waiver(tx, &later, None)?,
                    insert_waiver(tx, &sooner, Some("vex.json"))?,
                    insert_waiver(tx, &everywhere, None)?,
                ])
            })
            .unwrap();
        let rows = store.waivers().unwrap();
        let order: Vec<i64> = rows.iter().map(|r| r.waiver.id).collect();
        assert_eq!(order, [ids[1], ids[2], ids[0]]);
        let mut expected = sooner.clone();
        expected.id = ids[1];
        assert_eq!(rows[0].waiver, expected);
        assert_eq!(rows[0].source.as_deref(), Some("vex.json"));
        assert_eq!(rows[1].waiver.scope, WaiverScope::Everywhere);
        assert!(store.transaction(|tx| remove_waiver(tx, ids[1])).unwrap());
        assert!(!store.transaction(|tx| remove_waiver(tx, ids[1])).unwrap());
        assert_eq!(store.waivers().unwrap().len(), 2);

        let mut empty_reason = later.clone();
        empty_reason.reason.clear();
        assert!(
            store
                .transaction(|tx| insert_waiver(tx, &empty_reason, None))
                .is_err(),
            "the schema itself refuses a waiver without a reason"
        );
    }
}
