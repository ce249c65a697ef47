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
        // rusqlite's error has many variants; only a constraint failure means "name taken".
        .map_err(|e| {
            #[allow(clippy::wildcard_enum_match_arm)]
            match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::Conflict(format!("a policy named {:?} already exists", policy.name))
                }
                other => other.into(),
            }
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

#[cfg(test)]
mod tests {
    use vigil_policy::{Condition, Constraint, Match, ScoreBound};

    use super::*;

    fn policy(name: &str, threat_level: u8) -> Policy {
        Policy {
            name: name.into(),
            threat_level,
            enabled: true,
            monitoring: true,
            reference: false,
            scope: Default::default(),
            actions: Default::default(),
            targets: Default::default(),
            constraints: vec![Constraint {
                name: "critical".into(),
                operator: Match::All,
                conditions: vec![Condition::Cvss(ScoreBound {
                    at_least: Some(9.0),
                    below: None,
                })],
            }],
        }
    }

    #[test]
    fn policies_are_seeded_once_kept_in_order_and_renamed_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        let mut groups = LicenseGroups::default();
        groups
            .licenses
            .insert("AGPL-3.0-only".into(), ThreatGroup::Banned);
        groups.licenses.insert("MIT".into(), ThreatGroup::Liberal);
        let first = [policy("B", 9), policy("A", 3)];
        assert!(store.transaction(|tx| seed(tx, &first, &groups)).unwrap());
        assert!(store.policies_seeded().unwrap());
        assert!(
            !store
                .transaction(|tx| seed(tx, &[], &LicenseGroups::default()))
                .unwrap(),
            "seeding happens once"
        );
        let names = |store: &Store| -> Vec<String> {
            store
                .policies()
                .unwrap()
                .into_iter()
                .map(|p| p.name)
                .collect()
        };
        assert_eq!(
            names(&store),
            ["B", "A"],
            "the user's order, not the alphabet's"
        );
        assert_eq!(store.license_groups().unwrap(), groups);

        let mut renamed = policy("B2", 10);
        renamed.enabled = false;
        assert!(store
            .transaction(|tx| save_policy(tx, Some("B"), &renamed))
            .unwrap());
        assert_eq!(names(&store), ["B2", "A"]);
        assert_eq!(store.policies().unwrap()[0], renamed);
        assert!(!store
            .transaction(|tx| save_policy(tx, Some("nope"), &renamed))
            .unwrap());
        let taken = store.transaction(|tx| save_policy(tx, None, &policy("A", 1)));
        assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
        store
            .transaction(|tx| save_policy(tx, None, &policy("C", 1)))
            .unwrap();
        assert_eq!(names(&store), ["B2", "A", "C"]);
        assert!(store.transaction(|tx| delete_policy(tx, "A")).unwrap());
        assert_eq!(names(&store), ["B2", "C"]);
    }
}
