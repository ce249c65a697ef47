//! Migration 11: purls of npm and Go components written again with their name's case.
//!
//! Before it, Vigil printed `pkg:npm/jsonstream@1.3.5` for `JSONStream` and
//! `pkg:golang/github.com/burntsushi/toml@v1.4.0` for `github.com/BurntSushi/toml`; the name
//! column kept the real spelling. A stored purl is the component's identity in its scan, in the
//! evaluations of that scan and in what monitoring reported for its application, so all three
//! move together: otherwise the next monitoring run would report every such violation resolved
//! and again as new.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Transaction};
use vigil_model::{Ecosystem, PackageRef};

use crate::Result;

pub(crate) fn restore_purl_case(tx: &Transaction<'_>) -> Result<()> {
    struct Rename {
        rowid: i64,
        scan_id: i64,
        application_id: i64,
        old: String,
        new: String,
        key: String,
    }
    let mut renames = Vec::new();
    {
        let mut select = tx.prepare(
            "SELECT c.rowid, c.scan_id, s.application_id, c.purl, c.ecosystem, c.name, c.version
             FROM components c JOIN scans s ON s.id = c.scan_id
             WHERE c.ecosystem IN ('npm', 'Go')",
        )?;
        let mut rows = select.query([])?;
        while let Some(row) = rows.next()? {
            let (old, ecosystem, name): (String, String, String) =
                (row.get(3)?, row.get(4)?, row.get(5)?);
            let Some(ecosystem) = Ecosystem::from_osv(&ecosystem) else {
                continue;
            };
            let package = PackageRef::new(ecosystem, name, row.get(6)?);
            let new = package.to_purl();
            // Only the case may differ: any other difference is not this migration's to mend.
            if new != old && new.to_lowercase() == old.to_lowercase() {
                renames.push(Rename {
                    rowid: row.get(0)?,
                    scan_id: row.get(1)?,
                    application_id: row.get(2)?,
                    old,
                    new,
                    key: package.key(),
                });
            }
        }
    }
    let mut component =
        tx.prepare("UPDATE components SET purl = ?2, pkg_key = ?3 WHERE rowid = ?1")?;
    let mut evaluated = tx.prepare(
        "UPDATE evaluation_violations SET purl = ?3
         WHERE purl = ?2 AND evaluation_id IN (SELECT id FROM evaluations WHERE scan_id = ?1)",
    )?;
    // What each application's old purl becomes, across all its scans.
    let mut targets: BTreeMap<(i64, &str), BTreeSet<&str>> = BTreeMap::new();
    for rename in &renames {
        component.execute(params![rename.rowid, rename.new, rename.key])?;
        evaluated.execute(params![rename.scan_id, rename.old, rename.new])?;
        targets
            .entry((rename.application_id, rename.old.as_str()))
            .or_default()
            .insert(rename.new.as_str());
    }
    // A reported violation moves when its old purl now means exactly one component spelling in
    // that application: not when a scan still holds the lowercase spelling (an SBOM that wrote
    // it so), nor when two spellings shared it.
    let mut still_there = tx.prepare(
        "SELECT 1 FROM components c JOIN scans s ON s.id = c.scan_id
         WHERE s.application_id = ?1 AND c.purl = ?2 LIMIT 1",
    )?;
    let mut reported =
        tx.prepare("UPDATE violations SET purl = ?3 WHERE application_id = ?1 AND purl = ?2")?;
    for ((application_id, old), new) in targets {
        if new.len() == 1 && !still_there.exists(params![application_id, old])? {
            let new = new.into_iter().next().unwrap_or(old);
            reported.execute(params![application_id, old, new])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::Store;

    #[test]
    fn a_version_9_database_gets_its_npm_and_go_purls_back_with_their_case() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            crate::schema::migrate_to(&mut conn, "test", 9).unwrap();
            // As Vigil 9 stored them: a lockfile's `JSONStream`, a Go binary's BurntSushi path,
            // and in a second application an SBOM that spelled `jsonstream` itself.
            conn.execute_batch(
                r#"INSERT INTO applications(id, name, monitored, monitored_stage, created_at, public_id) VALUES (1, 'shop', 1, 'build', 'then', 'shop'), (2, 'other', 1, 'build', 'then', 'other');
                   INSERT INTO scans(id, application_id, stage, created_at, sources) VALUES (1, 1, 'build', 'then', '[]'), (2, 2, 'build', 'then', '[]');
                   INSERT INTO components(scan_id, purl, ecosystem, name, version, scope, evidence, pkg_key) VALUES
                     (1, 'pkg:npm/jsonstream@1.3.5', 'npm', 'JSONStream', '1.3.5', 'transitive', '["package-lock.json"]', 'jsonstream'),
                     (1, 'pkg:golang/github.com/burntsushi/toml@v1.4.0', 'Go', 'github.com/BurntSushi/toml', 'v1.4.0', 'unknown', '["app"]', 'github.com/burntsushi/toml'),
                     (1, 'pkg:npm/lodash@4.17.20', 'npm', 'lodash', '4.17.20', 'direct', '["package-lock.json"]', 'lodash'),
                     (2, 'pkg:npm/jsonstream@1.3.5', 'npm', 'jsonstream', '1.3.5', 'unknown', '["bom.json"]', 'jsonstream');
                   INSERT INTO evaluations(id, scan_id, evaluated_at, advisory_generation) VALUES (1, 1, 'then', 1), (2, 2, 'then', 1);
                   INSERT INTO evaluation_violations(evaluation_id, policy, threat_level, purl, condition_key, details) VALUES
                     (1, 'p', 7, 'pkg:golang/github.com/burntsushi/toml@v1.4.0', 'security', '{}'),
                     (2, 'p', 7, 'pkg:npm/jsonstream@1.3.5', 'security', '{}');
                   INSERT INTO monitor_runs(id, trigger, started_at, finished_at, applications, new, changed, resolved) VALUES (1, 'manual', 'then', 'then', 2, 2, 0, 0);
                   INSERT INTO violations(application_id, policy, purl, condition_key, threat_level, details, status, first_seen_run, last_changed_run) VALUES
                     (1, 'p', 'pkg:golang/github.com/burntsushi/toml@v1.4.0', 'security', 7, '{}', 'open', 1, 1),
                     (2, 'p', 'pkg:npm/jsonstream@1.3.5', 'security', 7, '{}', 'open', 1, 1);"#,
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let conn = store.conn();
        let column = |sql: &str| -> Vec<String> {
            let mut statement = conn.prepare(sql).unwrap();
            let rows = statement.query_map([], |row| row.get(0)).unwrap();
            rows.collect::<rusqlite::Result<_>>().unwrap()
        };
        assert_eq!(
            column("SELECT purl || ' ' || pkg_key FROM components ORDER BY scan_id, name"),
            [
                "pkg:npm/JSONStream@1.3.5 JSONStream",
                "pkg:golang/github.com/BurntSushi/toml@v1.4.0 github.com/burntsushi/toml",
                "pkg:npm/lodash@4.17.20 lodash",
                "pkg:npm/jsonstream@1.3.5 jsonstream",
            ]
        );
        assert_eq!(
            column("SELECT purl FROM evaluation_violations ORDER BY evaluation_id"),
            [
                "pkg:golang/github.com/BurntSushi/toml@v1.4.0",
                "pkg:npm/jsonstream@1.3.5"
            ]
        );
        assert_eq!(
            column("SELECT purl FROM violations ORDER BY application_id"),
            [
                "pkg:golang/github.com/BurntSushi/toml@v1.4.0",
                "pkg:npm/jsonstream@1.3.5"
            ]
        );
    }
}
