//! The organization tree. The root (id 1, `Root`) has no parent; an application names its
//! organization in `applications.organization` (NULL: the root), which is what policy and
//! waiver scopes match, so an organization's name is its identity for everything else.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::{Result, Store};

pub const ROOT_ID: i64 = 1;
pub const ROOT_NAME: &str = "Root";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationRow {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    /// Turns monitoring on for every application below it.
    pub monitoring_on: bool,
    /// Applications directly in it (not in organizations below).
    pub applications: u32,
}

const SELECT: &str = "
    SELECT o.id, o.name, o.parent_id, o.monitoring = 'on',
           (SELECT COUNT(*) FROM applications a WHERE
               CASE WHEN o.id = 1 THEN a.organization IS NULL OR a.organization = '' COLLATE NOCASE
                    ELSE a.organization = o.name COLLATE NOCASE END)
    FROM organizations o";

fn row(row: &Row<'_>) -> rusqlite::Result<OrganizationRow> {
    Ok(OrganizationRow {
        id: row.get(0)?,
        name: row.get(1)?,
        parent_id: row.get(2)?,
        monitoring_on: row.get(3)?,
        applications: row.get(4)?,
    })
}

/// Every organization, by id (so a parent created before its children comes first).
pub fn organizations(conn: &Connection) -> Result<Vec<OrganizationRow>> {
    let mut statement = conn.prepare_cached(&format!("{SELECT} ORDER BY o.id"))?;
    let rows = statement.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The organization of that name, case-insensitively.
pub fn find_organization(conn: &Connection, name: &str) -> Result<Option<OrganizationRow>> {
    let mut statement = conn.prepare_cached(&format!("{SELECT} WHERE o.name = ?1"))?;
    Ok(statement.query_row([name.trim()], row).optional()?)
}

pub fn insert_organization(
    tx: &Transaction<'_>,
    name: &str,
    parent_id: i64,
    monitoring_on: bool,
    now: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO organizations(name, parent_id, monitoring, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, parent_id, monitoring(monitoring_on), now],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn update_organization(
    tx: &Transaction<'_>,
    id: i64,
    parent_id: Option<i64>,
    monitoring_on: bool,
) -> Result<()> {
    tx.execute(
        "UPDATE organizations SET parent_id = ?2, monitoring = ?3 WHERE id = ?1",
        params![id, parent_id, monitoring(monitoring_on)],
    )?;
    Ok(())
}

/// The stored spelling of an organization an application names, created under the root when
/// new; `None` for the root itself (an empty name or `Root`).
pub fn ensure_organization(tx: &Transaction<'_>, name: &str, now: &str) -> Result<Option<String>> {
    let name = name.trim();
    if name.is_empty() || name.eq_ignore_ascii_case(ROOT_NAME) {
        return Ok(None);
    }
    if let Some(found) = find_organization(tx, name)? {
        return Ok(Some(found.name));
    }
    insert_organization(tx, name, ROOT_ID, false, now)?;
    Ok(Some(name.to_string()))
}

fn monitoring(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "inherit"
    }
}

impl Store {
    pub fn organizations(&self) -> Result<Vec<OrganizationRow>> {
        organizations(self.conn())
    }

    pub fn organization(&self, name: &str) -> Result<Option<OrganizationRow>> {
        find_organization(self.conn(), name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_name_becomes_an_organization_under_the_root_and_keeps_its_first_spelling() {
        let mut store = Store::open_in_memory().unwrap();
        let names = store
            .transaction(|tx| {
                Ok((
                    ensure_organization(tx, " Payments ", "t")?,
                    ensure_organization(tx, "payments", "t")?,
                    ensure_organization(tx, "root", "t")?,
                ))
            })
            .unwrap();
        assert_eq!(
            names,
            (Some("Payments".into()), Some("Payments".into()), None)
        );
        let orgs = store.organizations().unwrap();
        assert_eq!(orgs.len(), 2);
        assert_eq!(orgs[0].name, ROOT_NAME);
        assert_eq!(orgs[1].parent_id, Some(ROOT_ID));
        assert!(!orgs[1].monitoring_on);
    }
}

#[cfg(test)]
mod migration_tests {
    use super::*;

    #[test]
    fn names_differing_only_in_case_become_one_organization_and_root_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            crate::schema::migrate_to(&mut conn, "test", 7).unwrap();
            conn.execute_batch(
                "INSERT INTO applications(name, monitored, monitored_stage, created_at, organization)
                 VALUES ('a', 1, 'build', 't', 'payments'), ('b', 1, 'build', 't', 'Payments'),
                        ('c', 1, 'build', 't', 'root'), ('d', 1, 'build', 't', '')",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let orgs = store.organizations().unwrap();
        let names: Vec<(&str, u32)> = orgs
            .iter()
            .map(|o| (o.name.as_str(), o.applications))
            .collect();
        assert_eq!(names, [("Root", 2), ("Payments", 2)]);
    }
}
