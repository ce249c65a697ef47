//! Policies and license threat groups. A policy is stored whole as JSON (the shape of the
//! policies-as-code file), so a field added to `vigil_policy::Policy` needs no migration.

use rusqlite::{params, OptionalExtension, Transaction};
use vigil_policy::{LicenseGroups, Policy, ThreatGroup};

use crate::{Result, Store, StoreError};

const SEEDED: &str = "policies_seeded";

impl Store {
    /// Every policy, in the user's order.
    pub fn policies(&self) -> Result<Vec<Policy>> {
        let mut statement = self
            .conn()
            .prepare_cached("SELECT name, definition FROM policies ORDER BY position, name")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, definition) = row?;
            out.push(
                serde_json::from_str(&definition)
                    .map_err(|e| StoreError::Corrupt(format!("policy {name:?}: {e}")))?,
            );
        }
        Ok(out)
    }

    pub fn license_groups(&self) -> Result<LicenseGroups> {
        let mut statement = self
            .conn()
            .prepare_cached("SELECT license_id, threat_group FROM license_groups")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut groups = LicenseGroups::default();
        for row in rows {
            let (id, group) = row?;
            let group = ThreatGroup::ALL
                .into_iter()
                .find(|g| g.as_str() == group)
                .ok_or_else(|| {
                    StoreError::Corrupt(format!("license {id}: unknown threat group {group:?}"))
                })?;
            groups.licenses.insert(id, group);
        }
        Ok(groups)
    }

    /// Whether the reference policies and license groups were ever installed (they are
    /// installed once: a user who deletes them does not get them back on the next start).
    pub fn policies_seeded(&self) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT 1 FROM meta WHERE key = ?1", [SEEDED], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

/// Installs the first policies and groups, once per workspace.
pub fn seed(tx: &Transaction<'_>, policies: &[Policy], groups: &LicenseGroups) -> Result<bool> {
    let fresh = tx.execute(
        "INSERT INTO meta(key, value) VALUES (?1, '1') ON CONFLICT(key) DO NOTHING",
        [SEEDED],
    )? == 1;
    if fresh {
        replace_policies(tx, policies)?;
        replace_license_groups(tx, groups)?;
    }
    Ok(fresh)
}

/// Makes the stored set exactly `policies`, in this order.
pub fn replace_policies(tx: &Transaction<'_>, policies: &[Policy]) -> Result<()> {
    tx.execute("DELETE FROM policies", [])?;
    for (position, policy) in policies.iter().enumerate() {
        insert(tx, position as i64, policy)?;
    }
    Ok(())
}

/// Saves one policy; `original` is its name before an edit (a rename keeps its place).
/// Returns false when `original` names no policy.
pub fn save_policy(tx: &Transaction<'_>, original: Option<&str>, policy: &Policy) -> Result<bool> {
    let position: i64 = match original {
        Some(original) => {
            let Some(position) = tx
                .query_row(
                    "SELECT position FROM policies WHERE name = ?1",
                    [original],
                    |row| row.get(0),
                )
                .optional()?
            else {
                return Ok(false);
            };
            tx.execute("DELETE FROM policies WHERE name = ?1", [original])?;
            position
        }
        None => tx.query_row(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM policies",
            [],
            |row| row.get(0),
        )?,
    };
    insert(tx, position, policy)?;
    Ok(true)
}

pub fn delete_policy(tx: &Transaction<'_>, name: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM policies WHERE name = ?1", [name])? == 1)
}

fn insert(tx: &Transaction<'_>, position: i64, policy: &Policy) -> Result<()> {
    let definition =
        serde_json::to_string(policy).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.prepare_cached("INSERT INTO policies(name, position, definition) VALUES (?1, ?2, ?3)")?
        .execute(params![policy.name, position, definition])
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::Conflict(format!("a policy named {:?} already exists", policy.name))
            }
            other => other.into(),
        })?;
    Ok(())
}

pub fn replace_license_groups(tx: &Transaction<'_>, groups: &LicenseGroups) -> Result<()> {
    tx.execute("DELETE FROM license_groups", [])?;
    let mut insert =
        tx.prepare_cached("INSERT INTO license_groups(license_id, threat_group) VALUES (?1, ?2)")?;
    for (id, group) in &groups.licenses {
        insert.execute(params![id, group.as_str()])?;
    }
    Ok(())
}
