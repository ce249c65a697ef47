//! Versioned migrations, embedded in the binary. `PRAGMA user_version` is the schema version.

use rusqlite::{Connection, Transaction};

use crate::{Result, StoreError};

struct Migration {
    sql: &'static str,
    /// Work SQL cannot do (parsing stored records), run in the same transaction.
    then: Option<fn(&Transaction<'_>) -> Result<()>>,
}

/// Each entry migrates from version `index` to `index + 1`. Append only; never edit one that
/// has shipped.
const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: include_str!("migrations/0001_init.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0002_severity.sql"),
        then: Some(crate::advisories::backfill_severity),
    },
    Migration {
        sql: include_str!("migrations/0003_feeds.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0004_sync.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0005_rekey_names.sql"),
        then: Some(crate::advisories::rekey_names),
    },
    Migration {
        sql: include_str!("migrations/0006_component_details.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0007_policies_waivers.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0008_monitoring.sql"),
        then: Some(crate::applications::backfill_monitoring),
    },
    Migration {
        sql: include_str!("migrations/0009_notifications.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0010_component_identification.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0011_case_kept_purls.sql"),
        then: Some(crate::purl_case::restore_purl_case),
    },
    Migration {
        sql: include_str!("migrations/0012_dashboard.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("migrations/0013_acknowledgements.sql"),
        then: None,
    },
];

pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn migrate(conn: &mut Connection, label: &str) -> Result<()> {
    migrate_to(conn, label, SCHEMA_VERSION)
}

/// Brings the schema up to `target` (tests use it to build a database as an older Vigil left it).
pub(crate) fn migrate_to(conn: &mut Connection, label: &str, target: u32) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            path: label.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(found as usize)
    {
        tx.execute_batch(migration.sql)?;
        if let Some(then) = migration.then {
            then(&tx)?;
        }
        tx.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
    }
    tx.commit()?;
    Ok(())
}
