//! The types that cross the engine's boundary: what the CLI prints and what the desktop app
//! sends to its webview. TypeScript bindings are generated from these (ts-rs) into
//! `ui/src/lib/ipc/bindings/`; `tests/bindings.rs` fails when the committed ones are stale.
//!
//! Domain types (`vigil_model`, `vigil_advisories`) stay free of serde-for-the-UI; conversions
//! happen here, at the edge.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as the UI sees it: it branches on `code`, never on `message`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ErrorDto {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The user gave something unusable (a bad purl, an unknown stage, an empty name).
    InvalidInput,
    /// A file could not be read or understood; the message names it.
    UnreadableInput,
    /// The database was written by a newer Vigil.
    SchemaTooNew,
    /// Asked for something that does not exist (an application name, say).
    NotFound,
    /// Anything else: IO, SQLite.
    Internal,
}

/// How current the advisory data is, per ecosystem.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DbStatus {
    pub data_dir: String,
    pub database: String,
    pub schema_version: u32,
    /// Total records, withdrawn included.
    pub advisories: u32,
    pub ecosystems: Vec<EcosystemStatus>,
    /// KEV and EPSS, when imported.
    pub feeds: Vec<FeedStatus>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct FeedStatus {
    /// `kev` or `epss`.
    pub name: String,
    /// The KEV catalogVersion or the EPSS score_date.
    pub version: String,
    pub entries: u32,
    pub imported_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct EcosystemStatus {
    /// The OSV ecosystem name (`npm`, `PyPI`, …).
    pub ecosystem: String,
    pub advisories: u32,
    pub withdrawn: u32,
    /// RFC 3339, UTC; when data for this ecosystem was last imported.
    pub imported_at: Option<String>,
    /// Whether Vigil can match this ecosystem's versions yet.
    pub matched: bool,
    /// RFC 3339; the last sync that succeeded (new data or none), when synced.
    pub last_sync: Option<String>,
    /// Why the last sync failed, when it did; the data from before is intact.
    pub last_error: Option<String>,
    /// Seconds since the data was last known current (the newer of the last import and the
    /// last successful sync).
    pub age_seconds: Option<u32>,
}

/// How current the advisory data behind an evaluation is, per ecosystem of its components.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DataFreshness {
    pub ecosystems: Vec<EcosystemFreshness>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct EcosystemFreshness {
    pub ecosystem: String,
    /// RFC 3339; `null` when there is no advisory data for this ecosystem at all.
    pub checked_at: Option<String>,
    pub age_seconds: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ImportReport {
    pub sources: Vec<ImportedSource>,
    /// Records read across all sources.
    pub read: u32,
    /// Records that were new or newer than the stored copy.
    pub changed: u32,
    pub unchanged: u32,
    /// Records that could not be read; the rest of the import went on.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ImportedSource {
    pub path: String,
    pub read: u32,
    pub changed: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SyncReport {
    pub ecosystems: Vec<EcosystemSync>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct EcosystemSync {
    pub ecosystem: String,
    /// `full` (all.zip), `incremental` (modified_id.csv), `unchanged` or `failed`.
    pub mode: String,
    /// Records read (full) or fetched (incremental).
    pub read: u32,
    pub changed: u32,
    pub warnings: Vec<Warning>,
    /// Why the sync failed; the previous data is intact.
    pub error: Option<String>,
}

/// Progress of long work, streamed to the UI (`tauri::ipc::Channel`) and the CLI's bar.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Progress {
    /// What is being read: a file, a URL, an artifact.
    pub path: String,
    /// The ecosystem being synced or imported, when the work is per ecosystem.
    pub ecosystem: Option<String>,
    pub unit: ProgressUnit,
    #[ts(type = "number")]
    pub done: u64,
    /// Unknown (`null`) until the source's size is known.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProgressUnit {
    Bytes,
    Records,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LicenseDto {
    /// The SPDX expression, when the declared text could be normalised to one.
    pub expression: Option<String>,
    /// The license as the artifact declares it.
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HashDto {
    /// `SHA-1`, `SHA-256`... (CycloneDX spelling).
    pub alg: String,
    /// Lower-case hex.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ComponentDto {
    pub purl: String,
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    /// `direct`, `transitive`, `dev` or `unknown`.
    pub scope: String,
    pub evidence: Vec<String>,
    pub license: Option<LicenseDto>,
    pub hashes: Vec<HashDto>,
}

/// An SBOM entry that names no package Vigil can identify: no purl, or a purl of a type it
/// cannot place. Never matched against advisories.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct UnidentifiedDto {
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub license: Option<LicenseDto>,
    pub hashes: Vec<HashDto>,
    pub evidence: Vec<String>,
}

/// The result of reading artifacts, before (or without) storing it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ScanResult {
    pub components: Vec<ComponentDto>,
    pub unidentified: Vec<UnidentifiedDto>,
    pub warnings: Vec<Warning>,
    /// Set when the inventory was stored as an application's scan.
    pub stored: Option<StoredScan>,
    /// How old the advisory data is for the ecosystems found (set when the scan was evaluated).
    pub advisory_data: Option<DataFreshness>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StoredScan {
    pub scan_id: i64,
    pub application: String,
    pub stage: String,
    /// Open violations found when the scan was evaluated.
    pub violations: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AdvisoryRef {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    /// How bad it is; `null` when the advisory carries no severity at all ("unscored").
    pub severity: Option<SeverityDto>,
    /// In CISA's Known Exploited Vulnerabilities catalog.
    pub kev: bool,
    /// FIRST EPSS probability of exploitation in the next 30 days (0–1).
    pub epss: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SeverityDto {
    /// The highest CVSS base score (0.0–10.0); `null` when only a rating is known.
    pub score: Option<f64>,
    /// `NONE`, `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    pub rating: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct QueryResult {
    pub purl: String,
    pub advisories: Vec<AdvisoryRef>,
    /// Set when the purl could not be queried (invalid, unsupported, no version).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ApplicationSummary {
    pub id: i64,
    pub name: String,
    pub monitored: bool,
    pub monitored_stage: String,
    /// RFC 3339 time of the latest scan at the monitored stage, if any.
    pub last_scan_at: Option<String>,
    pub components: u32,
    /// Open violations of the latest evaluation of that scan.
    pub violations: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ViolationDto {
    pub policy: String,
    pub threat_level: u8,
    pub purl: String,
    pub condition_key: String,
    pub advisories: Vec<AdvisoryRef>,
    /// One line: why the policy matched.
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    pub components: Vec<ComponentDto>,
    pub unidentified: Vec<UnidentifiedDto>,
    pub violations: Vec<ViolationDto>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    New,
    Changed,
    Resolved,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AlertDto {
    pub kind: AlertKind,
    pub application: String,
    pub violation: ViolationDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MonitorReport {
    pub run_id: i64,
    /// `cli`, `tray`, `window`, `schedule`.
    pub trigger: String,
    pub started_at: String,
    pub applications: u32,
    pub alerts: Vec<AlertDto>,
    /// How old the advisory data was for the ecosystems of the monitored applications.
    pub advisory_data: DataFreshness,
}
