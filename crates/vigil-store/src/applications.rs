//! Applications, their scans (inventories) and the stored evaluation of each scan.

use rusqlite::{params, OptionalExtension, Row, Transaction};
use vigil_model::{
    Component, Hash, HashAlgorithm, Identification, License, ScanWarning, Stage,
    UnidentifiedComponent,
};
use vigil_policy::{Violation, ViolationDetails};

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    pub id: i64,
    pub name: String,
    pub monitored: bool,
    pub monitored_stage: String,
    pub created_at: String,
    pub organization: Option<String>,
    pub categories: Vec<String>,
    /// The latest scan at the monitored stage.
    pub last_scan_id: Option<i64>,
    pub last_scan_at: Option<String>,
    pub components: u32,
    /// Violations in the latest evaluation of that scan, waived ones left out.
    pub violations: u32,
    pub public_id: String,
    /// `critical`, `high`, `medium`, `low`.
    pub tier: String,
    /// `internal` or `external`.
    pub exposure: String,
    /// `hosted` or `distributed`.
    pub hosting: String,
    pub users: Option<u32>,
    /// `active` or `retired`.
    pub status: String,
    /// `latest`, `major` or `labels`.
    pub watch: String,
    pub watch_labels: Vec<String>,
    pub alert_on_baseline: bool,
    /// The run that recorded this application's baseline; `None` before its first evaluation.
    pub baseline_run: Option<i64>,
    /// The evaluations monitoring last compared with the reported state.
    pub monitored_evaluations: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentRow {
    pub purl: String,
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    pub scope: String,
    pub evidence: Vec<String>,
    pub license: Option<License>,
    pub hashes: Vec<Hash>,
    pub identified_by: Identification,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnidentifiedRow {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub license: Option<License>,
    pub hashes: Vec<Hash>,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationRow {
    pub id: i64,
    pub scan_id: i64,
    pub evaluated_at: String,
    pub advisory_generation: i64,
    /// The stage whose actions the evaluation was judged by.
    pub stage: Option<String>,
    /// JSON: the advisory data the evaluation saw.
    pub advisory_snapshot: String,
}

/// What an evaluation is stored with.
pub struct NewEvaluation<'a> {
    pub scan_id: i64,
    pub evaluated_at: &'a str,
    pub advisory_generation: i64,
    pub stage: Option<Stage>,
    /// JSON, see `EvaluationRow::advisory_snapshot`.
    pub advisory_snapshot: &'a str,
    /// What it was judged with besides advisory data (see migration 8); equal hash and no
    /// touched package since its generation mean it is still current.
    pub rules_hash: &'a str,
    pub violations: &'a [Violation],
}

pub struct NewScan<'a> {
    pub stage: Stage,
    pub version_label: Option<&'a str>,
    pub sources: &'a [String],
    pub components: &'a [Component],
    pub unidentified: &'a [UnidentifiedComponent],
    pub warnings: &'a [ScanWarning],
}

const APPLICATION_SELECT: &str = "
    SELECT a.id, a.name, a.monitored, a.monitored_stage, a.created_at, s.id, s.created_at,
           (SELECT COUNT(*) FROM components c WHERE c.scan_id = s.id),
           (SELECT COUNT(*) FROM evaluation_violations v WHERE v.waived = 0 AND v.evaluation_id =
               (SELECT MAX(e.id) FROM evaluations e WHERE e.scan_id = s.id)),
           a.organization, a.categories, a.public_id, a.tier, a.exposure, a.hosting, a.users,
           a.status, a.watch, a.watch_labels, a.alert_on_baseline, a.baseline_run,
           a.monitored_evaluations
    FROM applications a
    LEFT JOIN scans s ON s.id = (SELECT MAX(id) FROM scans WHERE application_id = a.id AND stage = a.monitored_stage)";

fn application_row(row: &Row<'_>) -> rusqlite::Result<ApplicationRow> {
    Ok(ApplicationRow {
        id: row.get(0)?,
        name: row.get(1)?,
        monitored: row.get(2)?,
        monitored_stage: row.get(3)?,
        created_at: row.get(4)?,
        last_scan_id: row.get(5)?,
        last_scan_at: row.get(6)?,
        components: row.get(7)?,
        violations: row.get(8)?,
        organization: row.get(9)?,
        // A damaged list reads as none rather than hiding the application.
        categories: serde_json::from_str(&row.get::<_, String>(10)?).unwrap_or_default(),
        public_id: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
        tier: row.get(12)?,
        exposure: row.get(13)?,
        hosting: row.get(14)?,
        users: row.get(15)?,
        status: row.get(16)?,
        watch: row.get(17)?,
        watch_labels: serde_json::from_str(&row.get::<_, String>(18)?).unwrap_or_default(),
        alert_on_baseline: row.get(19)?,
        baseline_run: row.get(20)?,
        monitored_evaluations: serde_json::from_str(&row.get::<_, String>(21)?).unwrap_or_default(),
    })
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Finds an application by name (case-insensitively), creating it if new. A new application
/// watches the stage of its first scan, and is monitored unless the setting
/// `monitor_new_applications` is `false`.
pub fn ensure_application(
    tx: &Transaction<'_>,
    name: &str,
    stage: Stage,
    now: &str,
) -> Result<i64> {
    let exists = tx
        .prepare_cached("SELECT 1 FROM applications WHERE name = ?1")?
        .exists([name])?;
    if !exists {
        let monitor: bool = tx
            .query_row(
                "SELECT value FROM settings WHERE key = 'monitor_new_applications'",
                [],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .is_none_or(|v| v.trim() != "false");
        let public_id = unique_public_id(tx, name)?;
        tx.execute(
            "INSERT INTO applications(name, monitored, monitored_stage, created_at, public_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, monitor, stage.as_str(), now, public_id],
        )?;
    }
    Ok(tx.query_row(
        "SELECT id FROM applications WHERE name = ?1",
        [name],
        |row| row.get(0),
    )?)
}

/// Stores an inventory as a new scan of an application.
pub fn insert_scan(
    tx: &Transaction<'_>,
    application_id: i64,
    scan: &NewScan<'_>,
    now: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO scans(application_id, stage, version_label, created_at, sources) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![application_id, scan.stage.as_str(), scan.version_label, now, json(&scan.sources)?],
    )?;
    let scan_id = tx.last_insert_rowid();
    let mut insert = tx.prepare_cached(
        "INSERT INTO components(scan_id, purl, ecosystem, name, version, scope, evidence, license_expression, license_raw, hashes, pkg_key, identified_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for component in scan.components {
        let evidence: Vec<&str> = component.evidence.iter().map(|e| e.0.as_str()).collect();
        let license = component.license.as_ref();
        insert.execute(params![
            scan_id,
            component.purl(),
            component.ecosystem().osv_name(),
            component.package.name,
            component.package.version,
            component.scope.as_str(),
            json(&evidence)?,
            license.and_then(|l| l.expression.as_deref()),
            license.map(|l| l.raw.as_str()),
            hashes_json(&component.hashes)?,
            component.package.key(),
            component.identified_by.as_str(),
        ])?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO unidentified_components(scan_id, name, version, purl, license_expression, license_raw, hashes, evidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for component in scan.unidentified {
        let evidence: Vec<&str> = component.evidence.iter().map(|e| e.0.as_str()).collect();
        let license = component.license.as_ref();
        insert.execute(params![
            scan_id,
            component.name,
            component.version,
            component.purl,
            license.and_then(|l| l.expression.as_deref()),
            license.map(|l| l.raw.as_str()),
            hashes_json(&component.hashes)?,
            json(&evidence)?,
        ])?;
    }
    let mut warn =
        tx.prepare_cached("INSERT INTO scan_warnings(scan_id, path, message) VALUES (?1, ?2, ?3)")?;
    for warning in scan.warnings {
        warn.execute(params![
            scan_id,
            warning.path.display().to_string(),
            warning.message
        ])?;
    }
    Ok(scan_id)
}

/// Sets an application's organization and categories (`None` leaves that one as it is).
pub fn set_application_details(
    tx: &Transaction<'_>,
    application_id: i64,
    organization: Option<&str>,
    categories: Option<&[String]>,
) -> Result<()> {
    if let Some(organization) = organization {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let organization = crate::organizations::ensure_organization(tx, organization, &now)?;
        tx.execute(
            "UPDATE applications SET organization = ?2 WHERE id = ?1",
            params![application_id, organization],
        )?;
    }
    if let Some(categories) = categories {
        tx.execute(
            "UPDATE applications SET categories = ?2 WHERE id = ?1",
            params![application_id, json(&categories)?],
        )?;
    }
    Ok(())
}

/// A person with a role on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    /// `owner`, `developer`, `security`, `manager`.
    pub role: String,
    pub name: String,
    pub email: String,
}

/// Everything about an application that people edit, written whole by
/// [`write_application_profile`]; the engine validated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationProfileFields {
    pub monitored: bool,
    pub monitored_stage: String,
    /// `None`: the root.
    pub organization: Option<String>,
    pub categories: Vec<String>,
    pub public_id: String,
    pub tier: String,
    pub exposure: String,
    pub hosting: String,
    pub users: Option<u32>,
    pub status: String,
    pub watch: String,
    pub watch_labels: Vec<String>,
    pub alert_on_baseline: bool,
    pub contacts: Vec<ContactRow>,
}

/// Creates an application with no scan yet; returns its id.
pub fn create_application(
    tx: &Transaction<'_>,
    name: &str,
    profile: &ApplicationProfileFields,
    now: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO applications(name, monitored, monitored_stage, created_at, public_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, profile.monitored, profile.monitored_stage, now, profile.public_id],
    )?;
    let id = tx.last_insert_rowid();
    write_application_profile(tx, id, profile)?;
    Ok(id)
}

/// Replaces an application's profile (and every contact) with `profile`.
pub fn write_application_profile(
    tx: &Transaction<'_>,
    application_id: i64,
    profile: &ApplicationProfileFields,
) -> Result<()> {
    tx.execute(
        "UPDATE applications SET monitored = ?2, monitored_stage = ?3, organization = ?4,
             categories = ?5, public_id = ?6, tier = ?7, exposure = ?8, hosting = ?9, users = ?10,
             status = ?11, watch = ?12, watch_labels = ?13, alert_on_baseline = ?14
         WHERE id = ?1",
        params![
            application_id,
            profile.monitored,
            profile.monitored_stage,
            profile.organization,
            json(&profile.categories)?,
            profile.public_id,
            profile.tier,
            profile.exposure,
            profile.hosting,
            profile.users,
            profile.status,
            profile.watch,
            json(&profile.watch_labels)?,
            profile.alert_on_baseline,
        ],
    )?;
    tx.execute(
        "DELETE FROM contacts WHERE application_id = ?1",
        [application_id],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO contacts(application_id, role, name, email) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for contact in &profile.contacts {
        insert.execute(params![
            application_id,
            contact.role,
            contact.name,
            contact.email
        ])?;
    }
    Ok(())
}

/// One stored scan, without its components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRow {
    pub id: i64,
    pub stage: String,
    pub version_label: Option<String>,
    pub created_at: String,
    pub components: u32,
    pub sources: Vec<String>,
}

/// Open violations by threat band (critical 8–10, severe 4–7, moderate 2–3, low 0–1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThreatBands {
    pub critical: u32,
    pub severe: u32,
    pub moderate: u32,
    pub low: u32,
}

/// Stores the evaluation of a scan with the advisory data it used. Only the latest
/// evaluation of a scan is kept.
pub fn insert_evaluation(tx: &Transaction<'_>, evaluation: &NewEvaluation<'_>) -> Result<i64> {
    tx.execute(
        "INSERT INTO evaluations(scan_id, evaluated_at, advisory_generation, stage, advisory_snapshot, rules_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            evaluation.scan_id,
            evaluation.evaluated_at,
            evaluation.advisory_generation,
            evaluation.stage.map(Stage::as_str),
            evaluation.advisory_snapshot,
            evaluation.rules_hash
        ],
    )?;
    let evaluation_id = tx.last_insert_rowid();
    tx.execute(
        "DELETE FROM evaluations WHERE scan_id = ?1 AND id <> ?2",
        params![evaluation.scan_id, evaluation_id],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO evaluation_violations(evaluation_id, policy, threat_level, purl, condition_key, details, waived)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for v in evaluation.violations {
        insert.execute(params![
            evaluation_id,
            v.policy,
            v.threat_level,
            v.purl,
            v.condition_key,
            json(&v.details)?,
            v.waived()
        ])?;
    }
    Ok(evaluation_id)
}

impl Store {
    /// Every application, sorted by name.
    pub fn applications(&self) -> Result<Vec<ApplicationRow>> {
        let mut statement = self.conn().prepare(&format!(
            "{APPLICATION_SELECT} ORDER BY a.name COLLATE NOCASE"
        ))?;
        let rows = statement.query_map([], application_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn application(&self, name: &str) -> Result<Option<ApplicationRow>> {
        application_by_name(self.conn(), name)
    }

    /// An application's contacts, by role (owner, developer, security, manager) and then as
    /// they were given.
    pub fn contacts(&self, application_id: i64) -> Result<Vec<ContactRow>> {
        contacts(self.conn(), application_id)
    }

    /// The first owner of every application that has one, in one query.
    pub fn first_owners(&self) -> Result<std::collections::HashMap<i64, ContactRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT application_id, role, name, email FROM contacts WHERE role = 'owner'
             ORDER BY application_id, rowid",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                ContactRow {
                    role: row.get(1)?,
                    name: row.get(2)?,
                    email: row.get(3)?,
                },
            ))
        })?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (id, contact) = row?;
            out.entry(id).or_insert(contact);
        }
        Ok(out)
    }

    /// Every application's open violations by threat band, of the latest evaluation of its
    /// latest scan at the monitored stage: one query for the whole portfolio.
    pub fn threat_bands(&self) -> Result<std::collections::HashMap<i64, ThreatBands>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT a.id,
                    SUM(v.threat_level >= 8),
                    SUM(v.threat_level BETWEEN 4 AND 7),
                    SUM(v.threat_level BETWEEN 2 AND 3),
                    SUM(v.threat_level <= 1)
             FROM applications a
             JOIN scans s ON s.id = (SELECT MAX(id) FROM scans WHERE application_id = a.id AND stage = a.monitored_stage)
             JOIN evaluations e ON e.id = (SELECT MAX(id) FROM evaluations WHERE scan_id = s.id)
             JOIN evaluation_violations v ON v.evaluation_id = e.id AND v.waived = 0
             GROUP BY a.id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                ThreatBands {
                    critical: row.get(1)?,
                    severe: row.get(2)?,
                    moderate: row.get(3)?,
                    low: row.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// An application's scans, newest first.
    pub fn application_scans(&self, application_id: i64) -> Result<Vec<ScanRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT s.id, s.stage, s.version_label, s.created_at,
                    (SELECT COUNT(*) FROM components c WHERE c.scan_id = s.id), s.sources
             FROM scans s WHERE s.application_id = ?1 ORDER BY s.id DESC",
        )?;
        let rows = statement.query_map([application_id], |row| {
            Ok(ScanRow {
                id: row.get(0)?,
                stage: row.get(1)?,
                version_label: row.get(2)?,
                created_at: row.get(3)?,
                components: row.get(4)?,
                sources: serde_json::from_str(&row.get::<_, String>(5)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Components of a scan, sorted by purl.
    pub fn scan_components(&self, scan_id: i64) -> Result<Vec<ComponentRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT purl, ecosystem, name, version, scope, evidence, license_expression, license_raw, hashes, identified_by
             FROM components WHERE scan_id = ?1 ORDER BY purl",
        )?;
        let rows = statement.query_map([scan_id], |row| {
            Ok((
                ComponentRow {
                    purl: row.get(0)?,
                    ecosystem: row.get(1)?,
                    name: row.get(2)?,
                    version: row.get(3)?,
                    scope: row.get(4)?,
                    evidence: Vec::new(),
                    license: license(row.get(6)?, row.get(7)?),
                    hashes: Vec::new(),
                    identified_by: Identification::parse(&row.get::<_, String>(9)?),
                },
                row.get::<_, String>(5)?,
                row.get::<_, String>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut component, evidence, hashes) = row?;
            component.evidence = serde_json::from_str(&evidence)
                .map_err(|e| StoreError::Corrupt(format!("evidence of {}: {e}", component.purl)))?;
            component.hashes = parse_hashes(&hashes, &component.purl)?;
            out.push(component);
        }
        Ok(out)
    }

    /// The ecosystems (OSV names) of every stored component, sorted (read off the package
    /// index, not the rows).
    pub fn component_ecosystems(&self) -> Result<Vec<String>> {
        let mut statement = self
            .conn()
            .prepare_cached("SELECT DISTINCT ecosystem FROM components ORDER BY ecosystem")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ecosystems (OSV names) of a scan's components, sorted.
    pub fn scan_ecosystems(&self, scan_id: i64) -> Result<Vec<String>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT DISTINCT ecosystem FROM components WHERE scan_id = ?1 ORDER BY ecosystem",
        )?;
        let rows = statement.query_map([scan_id], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The unidentified components of a scan, sorted by name and version.
    pub fn scan_unidentified(&self, scan_id: i64) -> Result<Vec<UnidentifiedRow>> {
        let mut statement = self.conn().prepare_cached(
            "SELECT name, version, purl, license_expression, license_raw, hashes, evidence
             FROM unidentified_components WHERE scan_id = ?1 ORDER BY name, version, rowid",
        )?;
        let rows = statement.query_map([scan_id], |row| {
            Ok((
                UnidentifiedRow {
                    name: row.get(0)?,
                    version: row.get(1)?,
                    purl: row.get(2)?,
                    license: license(row.get(3)?, row.get(4)?),
                    hashes: Vec::new(),
                    evidence: Vec::new(),
                },
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut component, hashes, evidence) = row?;
            component.hashes = parse_hashes(&hashes, &component.name)?;
            component.evidence = serde_json::from_str(&evidence)
                .map_err(|e| StoreError::Corrupt(format!("evidence of {}: {e}", component.name)))?;
            out.push(component);
        }
        Ok(out)
    }

    /// The latest evaluation of a scan and its violations (sorted by identity).
    pub fn latest_evaluation(
        &self,
        scan_id: i64,
    ) -> Result<Option<(EvaluationRow, Vec<Violation>)>> {
        let evaluation = self
            .conn()
            .query_row(
                "SELECT id, scan_id, evaluated_at, advisory_generation, stage, advisory_snapshot
                 FROM evaluations WHERE scan_id = ?1 ORDER BY id DESC LIMIT 1",
                [scan_id],
                |row| {
                    Ok(EvaluationRow {
                        id: row.get(0)?,
                        scan_id: row.get(1)?,
                        evaluated_at: row.get(2)?,
                        advisory_generation: row.get(3)?,
                        stage: row.get(4)?,
                        advisory_snapshot: row.get(5)?,
                    })
                },
            )
            .optional()?;
        let Some(evaluation) = evaluation else {
            return Ok(None);
        };
        let mut statement = self.conn().prepare_cached(
            "SELECT policy, threat_level, purl, condition_key, details FROM evaluation_violations
             WHERE evaluation_id = ?1 ORDER BY policy, purl, condition_key",
        )?;
        let rows = statement.query_map([evaluation.id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get(1)?,
                row.get::<_, String>(2)?,
                row.get(3)?,
                row.get::<_, String>(4)?,
            ))
        })?;
        let mut violations = Vec::new();
        for row in rows {
            let (policy, threat_level, purl, condition_key, details) = row?;
            let details: ViolationDetails = serde_json::from_str(&details)
                .map_err(|e| StoreError::Corrupt(format!("violation details: {e}")))?;
            violations.push(Violation {
                policy,
                threat_level,
                purl,
                condition_key,
                details,
            });
        }
        Ok(Some((evaluation, violations)))
    }
}

fn license(expression: Option<String>, raw: Option<String>) -> Option<License> {
    raw.map(|raw| License { expression, raw })
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredHash {
    alg: String,
    value: String,
}

fn hashes_json(hashes: &[Hash]) -> Result<String> {
    let stored: Vec<StoredHash> = hashes
        .iter()
        .map(|h| StoredHash {
            alg: h.algorithm.as_str().to_string(),
            value: h.value.clone(),
        })
        .collect();
    json(&stored)
}

fn parse_hashes(text: &str, of: &str) -> Result<Vec<Hash>> {
    let stored: Vec<StoredHash> = serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("hashes of {of}: {e}")))?;
    stored
        .into_iter()
        .map(|h| match HashAlgorithm::parse(&h.alg) {
            Some(algorithm) => Ok(Hash {
                algorithm,
                value: h.value,
            }),
            None => Err(StoreError::Corrupt(format!(
                "hashes of {of}: unknown algorithm {:?}",
                h.alg
            ))),
        })
        .collect()
}

/// A URL- and file-friendly id from a name: `Shop API` → `shop-api`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "app".to_string()
    } else {
        out
    }
}

/// A public id for a new application: the slug of its name, made unique with a number.
pub fn unique_public_id(tx: &Transaction<'_>, name: &str) -> Result<String> {
    let base = slug(name);
    let taken = |id: &str| -> Result<bool> {
        Ok(tx
            .prepare_cached("SELECT 1 FROM applications WHERE public_id = ?1")?
            .exists([id])?)
    };
    if !taken(&base)? {
        return Ok(base);
    }
    for n in 2.. {
        let candidate = format!("{base}-{n}");
        if !taken(&candidate)? {
            return Ok(candidate);
        }
    }
    unreachable!("an unbounded search ends")
}

/// Migration 8: the package key of every stored component (the reverse index) and a public id
/// for every stored application.
pub(crate) fn backfill_monitoring(tx: &Transaction<'_>) -> Result<()> {
    let mut select = tx.prepare("SELECT rowid, purl FROM components")?;
    let rows = select.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut update = tx.prepare("UPDATE components SET pkg_key = ?2 WHERE rowid = ?1")?;
    for row in rows {
        let (rowid, purl) = row?;
        if let Ok(package) = vigil_model::PackageRef::parse_purl(&purl) {
            update.execute(params![rowid, package.key()])?;
        }
    }
    let apps: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM applications ORDER BY id")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, name) in apps {
        let public_id = unique_public_id(tx, &name)?;
        tx.execute(
            "UPDATE applications SET public_id = ?2 WHERE id = ?1",
            params![id, public_id],
        )?;
    }
    Ok(())
}

/// An application by id, through any connection (the routing inside a run's transaction).
pub fn application_by_id(conn: &rusqlite::Connection, id: i64) -> Result<Option<ApplicationRow>> {
    use rusqlite::OptionalExtension;
    let mut statement = conn.prepare_cached(&format!("{APPLICATION_SELECT} WHERE a.id = ?1"))?;
    Ok(statement.query_row([id], application_row).optional()?)
}

/// An application's contacts (see [`Store::contacts`]), through any connection: the routing
/// inside a run's transaction reads them too.
pub fn contacts(conn: &rusqlite::Connection, application_id: i64) -> Result<Vec<ContactRow>> {
    let mut statement = conn.prepare_cached(
        "SELECT role, name, email FROM contacts WHERE application_id = ?1
         ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'developer' THEN 1 WHEN 'security' THEN 2 ELSE 3 END, rowid",
    )?;
    let rows = statement.query_map([application_id], |row| {
        Ok(ContactRow {
            role: row.get(0)?,
            name: row.get(1)?,
            email: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An application by name, through any connection.
pub fn application_by_name(conn: &rusqlite::Connection, name: &str) -> Result<Option<ApplicationRow>> {
    use rusqlite::OptionalExtension;
    let mut statement = conn.prepare_cached(&format!("{APPLICATION_SELECT} WHERE a.name = ?1"))?;
    Ok(statement.query_row([name], application_row).optional()?)
}

#[cfg(test)]
mod tests {
    use vigil_model::{Ecosystem, Evidence, PackageRef, Scope};

    use super::*;

    #[test]
    fn licenses_hashes_and_unidentified_components_survive_the_round_trip() {
        let mut store = Store::open_in_memory().unwrap();
        let mut jar = Component::new(
            PackageRef::new(Ecosystem::Maven, "org.example:lib", Some("1.0".into())),
            Scope::Unknown,
            Evidence("app.war!/WEB-INF/lib/lib-1.0.jar".into()),
        );
        jar.license = Some(License {
            expression: Some("Apache-2.0".into()),
            raw: "The Apache License".into(),
        });
        jar.hashes = vec![Hash {
            algorithm: HashAlgorithm::Sha1,
            value: "ab".repeat(20),
        }];
        jar.identified_by = Identification::Manifest;
        let api = Component::new(
            PackageRef::new(Ecosystem::Maven, "org.example:api", Some("1.0".into())),
            Scope::Direct,
            Evidence("pom.xml".into()),
        );
        let firmware = UnidentifiedComponent {
            name: "firmware-blob".into(),
            version: None,
            purl: Some("pkg:generic/firmware-blob".into()),
            license: Some(License {
                expression: None,
                raw: "Proprietary".into(),
            }),
            hashes: Vec::new(),
            evidence: vec![Evidence("bom.json".into())],
        };
        let scan_id = store
            .transaction(|tx| {
                let app = ensure_application(tx, "shop", Stage::Build, "2026-11-26T00:00:00Z")?;
                let scan = NewScan {
                    stage: Stage::Build,
                    version_label: Some("1.2"),
                    sources: &["app.war".to_string()],
                    components: &[jar.clone(), api.clone()],
                    unidentified: std::slice::from_ref(&firmware),
                    warnings: &[],
                };
                insert_scan(tx, app, &scan, "2026-11-26T00:00:00Z")
            })
            .unwrap();
        let rows = store.scan_components(scan_id).unwrap();
        assert_eq!(rows[0].identified_by, Identification::Exact);
        assert_eq!(rows[1].license, jar.license);
        assert_eq!(rows[1].hashes, jar.hashes);
        assert_eq!(rows[1].identified_by, Identification::Manifest);
        let unidentified = store.scan_unidentified(scan_id).unwrap();
        assert_eq!(unidentified.len(), 1);
        assert_eq!(unidentified[0].purl, firmware.purl);
        assert_eq!(unidentified[0].license, firmware.license);
        assert_eq!(unidentified[0].evidence, ["bom.json"]);
    }

    #[test]
    fn a_version_6_database_keeps_its_applications_and_evaluations_through_migration_7() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            crate::schema::migrate_to(&mut conn, "test", 6).unwrap();
            conn.execute_batch(
                r#"INSERT INTO applications(id, name, monitored, monitored_stage, created_at) VALUES (1, 'shop', 1, 'build', 'then');
                   INSERT INTO scans(id, application_id, stage, created_at, sources) VALUES (1, 1, 'build', 'then', '[]');
                   INSERT INTO evaluations(id, scan_id, evaluated_at, advisory_generation) VALUES (1, 1, 'then', 3);
                   INSERT INTO evaluation_violations(evaluation_id, policy, threat_level, purl, condition_key, details)
                     VALUES (1, 'Security-Any-Vulnerability', 7, 'pkg:pypi/django@2.2', 'security-vulnerability',
                             '{"advisories":[{"id":"PYSEC-1","aliases":[],"summary":""}],"summary":"old"}');"#,
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let app = store.application("shop").unwrap().unwrap();
        assert_eq!(
            (app.organization, app.categories.len(), app.violations),
            (None, 0, 1)
        );
        let (evaluation, violations) = store.latest_evaluation(1).unwrap().unwrap();
        assert_eq!(
            (evaluation.stage, evaluation.advisory_generation),
            (None, 3)
        );
        assert_eq!(violations[0].details.advisories[0].id, "PYSEC-1");
        assert!(!violations[0].waived());
        assert!(store.policies().unwrap().is_empty() && !store.policies_seeded().unwrap());
    }
}
