//! Questions across the whole portfolio through the reverse index (package → scans): which
//! stored components are a package, which advisories an id or alias names.

use rusqlite::params;

use crate::{Result, Store, StoreError};

/// A stored component of some application's scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioComponent {
    pub application_id: i64,
    pub application: String,
    pub scan_id: i64,
    pub stage: String,
    pub version_label: Option<String>,
    pub purl: String,
    pub evidence: Vec<String>,
}

impl Store {
    /// The advisories whose id or one of whose aliases is `id` (exact, case-insensitive), sorted.
    pub fn advisories_named(&self, id: &str) -> Result<Vec<String>> {
        let mut statement = self.conn().prepare(
            "SELECT id FROM advisories WHERE id = ?1 COLLATE NOCASE
             UNION
             SELECT a.id FROM advisories a, json_each(a.aliases) j WHERE j.value = ?1 COLLATE NOCASE
             ORDER BY 1",
        )?;
        let rows = statement.query_map([id.trim()], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The packages (ecosystem, name key) an advisory's entries name.
    pub fn advisory_packages(&self, advisory_id: &str) -> Result<Vec<(String, String)>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT DISTINCT ecosystem, name FROM affected WHERE advisory_id = ?1 ORDER BY 1, 2",
        )?;
        let rows = statement.query_map([advisory_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every stored component that is this package, in any scan of any application.
    pub fn package_components(
        &self,
        ecosystem: &str,
        name_key: &str,
    ) -> Result<Vec<PortfolioComponent>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT a.id, a.name, s.id, s.stage, s.version_label, c.purl, c.evidence
             FROM components c JOIN scans s ON s.id = c.scan_id JOIN applications a ON a.id = s.application_id
             WHERE c.ecosystem = ?1 AND c.pkg_key = ?2
             ORDER BY a.name COLLATE NOCASE, s.id DESC, c.purl",
        )?;
        let rows = statement.query_map(params![ecosystem, name_key], |row| {
            Ok((
                PortfolioComponent {
                    application_id: row.get(0)?,
                    application: row.get(1)?,
                    scan_id: row.get(2)?,
                    stage: row.get(3)?,
                    version_label: row.get(4)?,
                    purl: row.get(5)?,
                    evidence: Vec::new(),
                },
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut component, evidence) = row?;
            component.evidence = serde_json::from_str(&evidence)
                .map_err(|e| StoreError::Corrupt(format!("evidence of {}: {e}", component.purl)))?;
            out.push(component);
        }
        Ok(out)
    }
}
