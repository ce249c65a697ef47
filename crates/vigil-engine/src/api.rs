//! The types that cross the engine's boundary: what the CLI prints and what the desktop app
//! sends to its webview. TypeScript bindings are generated from these (ts-rs) into
//! `ui/src/lib/ipc/bindings/`; `tests/bindings.rs` fails when the committed ones are stale.
//!
//! Domain types (`vigil_model`, `vigil_advisories`) stay free of serde-for-the-UI; conversions
//! happen here, at the edge.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
pub use vigil_policy::{
    Action, Condition, Constraint, LicenseGroups, Match, Policy, PolicyScope, PurlPattern, Rating,
    ScoreBound, StageActions, Targets, ThreatGroup,
};

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
    /// Data older than this (the `advisory-data-max-age` setting, default 48) is stale.
    pub max_age_hours: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct EcosystemFreshness {
    pub ecosystem: String,
    /// RFC 3339; `null` when there is no advisory data for this ecosystem at all.
    pub checked_at: Option<String>,
    pub age_seconds: Option<u32>,
    /// No data at all, or older than `max_age_hours`: scans, the gate and runs warn.
    pub stale: bool,
}

impl DataFreshness {
    /// One sentence per stale ecosystem, saying what to do about it.
    pub fn warnings(&self) -> Vec<String> {
        self.ecosystems
            .iter()
            .filter(|e| e.stale)
            .map(|e| match e.age_seconds {
                Some(seconds) => format!(
                    "advisory data for {eco} is {age} old, past the {max}-hour limit: run \
                     `vigil db sync --ecosystem {eco}` or import a newer dump",
                    eco = e.ecosystem,
                    age = crate::freshness::human_age(seconds),
                    max = self.max_age_hours,
                ),
                None => format!(
                    "no advisory data for {eco}: its components were matched against nothing; \
                     run `vigil db sync --ecosystem {eco}` or `vigil db import`",
                    eco = e.ecosystem
                ),
            })
            .collect()
    }
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
    /// The monitoring run the changed records caused (the applications they touch,
    /// re-evaluated at once); `None` when nothing changed or nothing monitored was touched.
    pub monitoring: Option<MonitorReport>,
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
    /// The monitoring run the changed records caused, as for an import.
    pub monitoring: Option<MonitorReport>,
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

/// Progress of one artifact of a scan (each path the user gave), streamed to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScanProgress {
    /// The path as the user gave it.
    pub artifact: String,
    #[ts(type = "number")]
    pub bytes_read: u64,
    /// About how much the scan of this artifact reads (`planned_bytes`); a folder's files that
    /// no extractor wants are not counted.
    #[ts(type = "number")]
    pub total_bytes: u64,
    /// Components found in this artifact so far (not counting those an earlier one had).
    pub components: u32,
    /// Set on the artifact's last message.
    pub done: bool,
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
    /// `exact` (the artifact names the package) or `manifest` (read off a jar's manifest).
    pub identified_by: String,
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
    /// Versions that fix it for the component's package ("upgrade to 2.17.1"); empty when
    /// no fix is known.
    pub fixed: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SeverityDto {
    /// The highest CVSS base score (0.0–10.0); `null` when only a rating is known.
    pub score: Option<f64>,
    /// `NONE`, `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    pub rating: String,
    /// The CVSS vector the score comes from; `null` when only a rating is known.
    pub vector: Option<String>,
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
    pub organization: Option<String>,
    pub categories: Vec<String>,
    /// Whether monitoring runs for it: its own switch (`monitor`) or an organization above that
    /// turned monitoring on, unless a coverage rule takes it out of monitoring.
    pub monitored: bool,
    pub monitored_stage: String,
    /// RFC 3339 time of the latest scan at the monitored stage, if any.
    pub last_scan_at: Option<String>,
    pub components: u32,
    /// Open violations of the latest evaluation of that scan (waived ones not counted).
    pub violations: u32,
    pub public_id: String,
    /// `critical`, `high`, `medium`, `low`.
    pub tier: String,
    /// The first owner's email (or name, when it has no email).
    pub owner: Option<String>,
    /// `internal` or `external`.
    pub exposure: String,
    /// `hosted` or `distributed`.
    pub hosting: String,
    pub users: Option<u32>,
    /// `active` or `retired`.
    pub status: String,
    /// The application's own monitoring switch.
    pub monitor: bool,
    /// `latest`, `major` or `labels`.
    pub watch: String,
    /// The same open violations by threat band.
    pub violations_by_threat: ThreatCounts,
}

/// A policy matched by a component. Identity: (application, policy, purl, condition key).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ViolationDto {
    pub policy: String,
    pub threat_level: u8,
    /// The component's purl (or `name@version` for an SBOM entry without one).
    pub purl: String,
    /// The policy constraint that holds.
    pub condition_key: String,
    /// The advisories that satisfied it, sorted by id.
    pub advisories: Vec<AdvisoryRef>,
    /// The component's license, when a license condition matched.
    pub license: Option<String>,
    /// Each satisfied condition with why it holds.
    pub conditions: Vec<ConditionDto>,
    /// One line: why the policy matched.
    pub summary: String,
    /// Set when a waiver covers it: shown, but it neither counts nor fails.
    pub waiver: Option<WaiverMarkDto>,
    /// What the policy does about it at the evaluated stage; `null` when no stage applies.
    pub action: Option<Action>,
    /// Where the component was found (`app.war!/WEB-INF/lib/…`).
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ConditionDto {
    /// "Security Vulnerability Severity >= 9"
    pub summary: String,
    /// "Found security vulnerability CVE-2021-44228 with severity 10.0"
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct WaiverMarkDto {
    pub id: i64,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day it holds.
    pub expires: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    pub components: Vec<ComponentDto>,
    pub unidentified: Vec<UnidentifiedDto>,
    /// Of the latest scan's latest evaluation, waived ones included (marked).
    pub violations: Vec<ViolationDto>,
    /// When and for which stage that evaluation was made.
    pub evaluation: Option<EvaluationInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct EvaluationInfo {
    pub evaluated_at: String,
    pub stage: Option<String>,
    #[ts(type = "number")]
    pub advisory_generation: i64,
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
    #[ts(type = "number")]
    pub id: i64,
    pub kind: AlertKind,
    pub application: String,
    pub violation: ViolationDto,
    /// For a changed violation: what changed, as sentences (`score 5.3 → 9.8`).
    pub changed: Vec<String>,
    pub changes: Vec<ChangeNote>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MonitorReport {
    pub run_id: i64,
    /// `cli`, `tray`, `window`, `schedule`.
    pub trigger: String,
    pub started_at: String,
    /// Monitored applications with a watched scan.
    pub applications: u32,
    /// Of those, the ones evaluated afresh (the others' inputs had not changed).
    pub evaluated: u32,
    /// Violations recorded silently as applications' baselines.
    pub baseline: u32,
    pub alerts: Vec<AlertDto>,
    /// How old the advisory data was for the ecosystems of the monitored applications.
    pub advisory_data: DataFreshness,
}

/// The policies and license threat groups in force.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PoliciesView {
    pub policies: Vec<Policy>,
    pub license_groups: LicenseGroups,
}

/// What `vigil policy import` changed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PolicyImportReport {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: u32,
    /// Whether the file carried license groups (which then replaced the stored ones).
    pub license_groups: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WaiverScopeKind {
    Application,
    Organization,
    Everywhere,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct WaiverDto {
    pub id: i64,
    pub scope: WaiverScopeKind,
    /// The application or organization; `null` for everywhere.
    pub scope_name: Option<String>,
    /// A purl; with `all_versions`, every version of its package.
    pub component: String,
    pub all_versions: bool,
    /// `null`: every policy.
    pub policy: Option<String>,
    pub advisory: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day it holds.
    pub expires: String,
    /// Days from today to expiry (negative once expired).
    #[ts(type = "number")]
    pub days_left: i64,
    pub created_at: String,
    pub created_by: String,
    /// The VEX document it was imported from.
    pub source: Option<String>,
}

/// A waiver to create.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewWaiver {
    pub scope: WaiverScopeKind,
    pub scope_name: Option<String>,
    pub component: String,
    pub all_versions: bool,
    pub policy: Option<String>,
    pub advisory: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`; `null` for the default of 90 days from today.
    pub expires: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct VexImportReport {
    pub file: String,
    /// `openvex` or `cyclonedx`.
    pub format: String,
    /// Statements read.
    pub statements: u32,
    /// Waivers created (one per statement × product).
    pub imported: u32,
    /// Statements that did not become waivers, and why (an `affected` status, no purl…).
    pub skipped: Vec<Warning>,
}

/// The gate's verdict at a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GateOutcome {
    /// No violation has a warn or fail action.
    Pass,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ViolationCounts {
    pub fail: u32,
    pub warn: u32,
    /// Violations whose policy takes no action at this stage.
    pub none: u32,
    pub waived: u32,
}

/// `vigil evaluate`: a scan evaluated against the policies at one stage, and stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct EvaluationReport {
    pub application: String,
    pub stage: String,
    pub scan_id: i64,
    pub evaluated_at: String,
    pub components: u32,
    pub unidentified: u32,
    pub outcome: GateOutcome,
    pub counts: ViolationCounts,
    /// Sorted by threat level (highest first), then policy, component and constraint.
    pub violations: Vec<ViolationDto>,
    pub warnings: Vec<Warning>,
    pub advisory_data: DataFreshness,
}

// ---- Applications, organizations and coverage -------------------------------------------

/// A person who holds a role on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContactDto {
    /// `owner`, `developer`, `security`, `manager`.
    pub role: String,
    pub name: String,
    pub email: String,
}

/// Open violations of an application by threat band, so that 700 license findings do not
/// hide three critical ones: critical 8–10, severe 4–7, moderate 2–3, low 0–1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ThreatCounts {
    pub critical: u32,
    pub severe: u32,
    pub moderate: u32,
    pub low: u32,
}

/// Everything known about an application besides its components.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ApplicationProfile {
    pub name: String,
    pub public_id: String,
    /// The organization's name (`Root` when it belongs to no other).
    pub organization: String,
    pub categories: Vec<String>,
    pub contacts: Vec<ContactDto>,
    /// `critical`, `high`, `medium`, `low`.
    pub tier: String,
    /// `internal` or `external`.
    pub exposure: String,
    /// `hosted` or `distributed`.
    pub hosting: String,
    pub users: Option<u32>,
    /// `active` or `retired`.
    pub status: String,
    /// The application's own monitoring switch.
    pub monitor: bool,
    /// Whether monitoring runs for it: its switch, or an organization above that turned it
    /// on, unless a coverage rule takes it out of monitoring.
    pub monitored: bool,
    /// Why monitoring does not simply follow `monitor` (the switch is then locked or
    /// overruled): `organization Payments turns monitoring on`,
    /// `coverage rule: status is retired ⇒ leaves monitoring`.
    pub monitored_because: Option<String>,
    pub stage: String,
    /// `latest`, `major` or `labels`.
    pub watch: String,
    pub watch_labels: Vec<String>,
    pub alert_on_baseline: bool,
    /// Whether its baseline has been recorded.
    pub baselined: bool,
}

/// A change to an application; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ApplicationUpdate {
    pub monitor: Option<bool>,
    pub stage: Option<String>,
    pub organization: Option<String>,
    pub categories: Option<Vec<String>>,
    /// Replaces every contact.
    pub contacts: Option<Vec<ContactDto>>,
    pub tier: Option<String>,
    pub exposure: Option<String>,
    pub hosting: Option<String>,
    pub users: Option<u32>,
    pub status: Option<String>,
    pub public_id: Option<String>,
    pub watch: Option<String>,
    pub watch_labels: Option<Vec<String>>,
    pub alert_on_baseline: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct OrganizationDto {
    pub name: String,
    /// `None` for the root.
    pub parent: Option<String>,
    /// Turns monitoring on for everything below it.
    pub monitoring_on: bool,
    pub applications: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AppsImportReport {
    pub created: u32,
    pub updated: u32,
}

/// Why an application shows in the coverage view.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CoverageGapKind {
    /// A coverage rule says it must be monitored; it is not.
    NotMonitored { rule: String },
    /// Monitored, but its watched stage has no scan.
    NeverScanned { stage: String },
    /// The latest scan of its watched stage is older than the limit.
    Stale { days: u32, last_scan_at: String },
}

/// A coverage rule: conditions on an application's profile and what follows when they hold.
/// Stored as JSON under the setting `coverage.rules`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CoverageRule {
    /// `any`: one condition suffices; `all`: every one must hold.
    pub combine: RuleCombine,
    pub conditions: Vec<CoverageCondition>,
    pub effect: CoverageEffect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RuleCombine {
    Any,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CoverageEffect {
    /// The application must be monitored; the coverage view lists it when it is not.
    MustMonitor,
    /// Monitoring leaves the application out, whatever its switch or organization says.
    LeavesMonitoring,
}

/// One condition of a coverage rule. `organization` holds for that organization and every
/// one below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum CoverageCondition {
    Exposure(String),
    Hosting(String),
    Tier(String),
    Status(String),
    UsersAtLeast(u32),
    Organization(String),
    Category(String),
}

/// A rule in force with its sentence (`exposure is external or users ≥ 1000 ⇒ must be
/// monitored`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CoverageRuleView {
    pub rule: CoverageRule,
    pub sentence: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CoverageGap {
    pub application: String,
    pub organization: String,
    pub tier: String,
    pub gap: CoverageGapKind,
    /// One line for people: `external, 12000 users: must be monitored (rule …), is not`.
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CoverageReport {
    /// The rules in force, as sentences.
    pub rules: Vec<String>,
    pub stale_after_days: u32,
    pub applications: u32,
    pub monitored: u32,
    /// Applications some rule says must be monitored.
    pub must_be_monitored: u32,
    pub gaps: Vec<CoverageGap>,
}

// ---- Runs and alerts ----------------------------------------------------------------------

/// What changed in a CHANGED alert, so that people are told the difference, not just the
/// new state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeNote {
    AdvisoryAdded {
        id: String,
    },
    AdvisoryRemoved {
        id: String,
    },
    AdvisoryWithdrawn {
        id: String,
    },
    ScoreChanged {
        from: Option<f64>,
        to: Option<f64>,
    },
    FixAvailable {
        version: String,
    },
    AddedToKev {
        id: String,
    },
    RemovedFromKev {
        id: String,
    },
    WaiverExpired,
    ThreatLevelChanged {
        from: u8,
        to: u8,
    },
    LicenseChanged {
        from: Option<String>,
        to: Option<String>,
    },
}

/// One recorded alert, whatever created it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AlertRecord {
    #[ts(type = "number")]
    pub id: i64,
    /// `NEW`, `CHANGED`, `RESOLVED`.
    pub kind: String,
    pub application: String,
    pub policy: String,
    pub threat_level: u8,
    /// The component's purl.
    pub component: String,
    /// The advisory ids of the violation (for RESOLVED: as last reported).
    pub advisories: Vec<String>,
    /// For CHANGED: what changed, as sentences (`PYSEC-2019-10 withdrawn`, `score 5.3 → 9.8`).
    pub changed: Vec<String>,
    /// The same, structured.
    pub changes: Vec<ChangeNote>,
    pub summary: String,
    #[ts(type = "number")]
    pub run: i64,
    pub trigger: String,
    pub created_at: String,
}

/// One monitoring run in the history.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RunSummary {
    #[ts(type = "number")]
    pub id: i64,
    /// `cli`, `tray`, `window`, `schedule`, `import`, `sync`, `agent`.
    pub trigger: String,
    pub started_at: String,
    pub finished_at: String,
    /// For a scheduled run: the scheduled time it was for.
    pub due_at: Option<String>,
    /// Monitored applications the run looked at.
    pub applications: u32,
    /// Of those, the ones evaluated afresh (the others' inputs had not changed).
    pub evaluated: u32,
    pub new: u32,
    pub changed: u32,
    pub resolved: u32,
    /// Violations recorded silently as baselines.
    pub baseline: u32,
    /// JSON: the advisory data the run saw (generation, per-ecosystem times, KEV/EPSS).
    pub advisory_snapshot: String,
}

/// One application's part of a run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RunApplicationDiff {
    #[ts(type = "number")]
    pub run: i64,
    pub application: String,
    pub started_at: String,
    pub trigger: String,
    pub new: u32,
    pub changed: u32,
    pub resolved: u32,
    pub baseline: u32,
    pub alerts: Vec<AlertRecord>,
}

/// Where the components an advisory affects are deployed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AffectedReport {
    /// The advisory asked for (an id or alias) and the records it resolved to.
    pub query: String,
    pub advisories: Vec<String>,
    pub hits: Vec<AffectedHit>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AffectedHit {
    pub application: String,
    pub stage: String,
    pub version_label: Option<String>,
    #[ts(type = "number")]
    pub scan_id: i64,
    /// Whether this is a scan monitoring watches.
    pub watched: bool,
    pub component: String,
    pub evidence: Vec<String>,
    /// The advisory ids (among `advisories`) that affect this component's version.
    pub advisories: Vec<String>,
    pub fixed: Vec<String>,
}

// ---- The schedule and the agent -----------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ScheduleStatus {
    /// `HH:MM`, local time in `timezone`.
    pub at: String,
    /// IANA name; the system's zone when none was set.
    pub timezone: String,
    pub paused: bool,
    /// RFC 3339 of the next scheduled run (`None` while paused).
    pub next_run: Option<String>,
    /// The latest monitoring run of any trigger.
    pub last_run: Option<RunSummary>,
}

/// Settings the agent (desktop or `vigil agent`) works by.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AgentSettings {
    /// Seconds between advisory syncs (default 3600); 0 turns syncing off.
    pub sync_every_seconds: u64,
    /// The OSV bucket to sync from.
    pub sync_base_url: String,
    /// A folder watched for SBOMs and lockfiles (`APP@STAGE[@VERSION].EXT` or a sidecar).
    pub intake_folder: Option<String>,
    pub monitor_new_applications: bool,
    /// A scan older than this many days counts as stale in the coverage view.
    pub stale_after_days: u32,
    /// Advisory data older than this many hours makes scans, the gate and runs warn.
    pub advisory_data_max_age_hours: u32,
}

/// The window's look: the system's light or dark, or one of them whatever the system says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// What the agent last did, for the status bar and Settings.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AgentStatus {
    pub schedule: ScheduleStatus,
    pub settings: AgentSettings,
    pub last_sync_at: Option<String>,
    pub last_sync_error: Option<String>,
    pub next_sync_at: Option<String>,
    /// Files the intake folder took in or refused, most recent first.
    pub intake: Vec<IntakeEvent>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct IntakeEvent {
    pub file: String,
    pub at: String,
    /// `done` or `failed`.
    pub outcome: String,
    pub application: Option<String>,
    pub message: String,
}

/// One scan of an application, for its Scans tab.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ScanSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub stage: String,
    pub version_label: Option<String>,
    pub created_at: String,
    pub components: u32,
    pub sources: Vec<String>,
    /// Whether monitoring watches this scan.
    pub watched: bool,
}

/// Which alerts `Engine::alerts` lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AlertFilter {
    pub application: Option<String>,
    /// RFC 3339: alerts created at or after it.
    pub since: Option<String>,
    /// Only the alerts of this run.
    #[ts(type = "number | null")]
    pub run: Option<i64>,
    pub limit: Option<u32>,
}

// ---- Notifications: channels, deliveries, the plan --------------------------------------

pub use crate::plan::{DeliveryMode, Plan, QuietHours, Sla, TierRule, WaiverAlerts};
pub use vigil_notify::{
    ChannelConfig, ChannelKind, ChatConfig, EmailConfig, EmailSecurity, JiraConfig, JiraGrouping,
    SecretKind, WebhookConfig, WebhookEvent,
};

/// A channel as lists show it. Secrets never appear: `secrets` names the ones stored in the
/// OS keyring ("stored in the keyring").
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChannelDto {
    pub name: String,
    pub kind: ChannelKind,
    pub config: ChannelConfig,
    pub secrets: Vec<SecretKind>,
    pub enabled: bool,
    /// Why it is disabled (`the receiver answered 410 Gone at …`).
    pub disabled_reason: Option<String>,
    pub rate_per_minute: u32,
    pub created_at: String,
    pub last_success_at: Option<String>,
    pub last_failure_at: Option<String>,
    /// The server's last answer, success or failure.
    pub last_answer: Option<String>,
    pub pending: u32,
    pub failed: u32,
}

/// A new channel, or a changed one. Secrets travel only from the window or the CLI to the
/// engine, which puts them in the OS keyring; in an update, a secret left out is kept and an
/// empty one is removed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChannelInput {
    pub name: String,
    pub config: ChannelConfig,
    #[serde(default)]
    pub secrets: std::collections::BTreeMap<SecretKind, String>,
    /// Messages per minute; `None`: the kind's default for a new channel, the current rate when editing.
    #[serde(default)]
    pub rate_per_minute: Option<u32>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// "Send test": what the server answered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChannelTestResult {
    pub channel: String,
    pub ok: bool,
    pub status: Option<u16>,
    pub answer: String,
    pub delivery_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for its time (a first attempt, a retry, a digest, quiet hours).
    Pending,
    Sent,
    /// Given up: a permanent answer, or retries exhausted. "Retry now" sends it again.
    Failed,
}

/// One message in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DeliveryDto {
    /// UUIDv7, the same on every attempt (`webhook-id`, `Message-ID`).
    pub id: String,
    pub channel: String,
    pub channel_kind: ChannelKind,
    /// `violation.new`, `digest`, `waiver.expiring`, `escalation`, `test`, …
    pub event: String,
    pub title: String,
    pub application: Option<String>,
    pub recipients: Vec<String>,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub created_at: String,
    /// When it is (next) attempted; `None` once sent or failed.
    pub next_attempt_at: Option<String>,
    pub sent_at: Option<String>,
    pub last_attempt_at: Option<String>,
    /// The server's last answer.
    pub last_answer: Option<String>,
    /// What the send created (Jira issue keys).
    pub reference: Option<String>,
    /// The alerts it carries.
    pub alerts: Vec<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct DeliveryFilter {
    /// Only failed deliveries.
    #[serde(default)]
    pub failed: bool,
    pub channel: Option<String>,
    /// Only deliveries carrying this alert.
    #[ts(type = "number | null")]
    pub alert: Option<i64>,
    pub limit: Option<u32>,
}

/// What one pass of the delivery worker did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct DeliveryReport {
    pub sent: u32,
    /// Failed this time, to be retried.
    pub retrying: u32,
    /// Given up on (permanent answers, retries exhausted).
    pub failed: u32,
    /// Desktop deliveries left for the desktop app.
    pub left_for_desktop: u32,
    /// Channels disabled because their receiver answered 410 Gone.
    pub disabled: Vec<String>,
    /// Still pending, for later.
    pub pending: u32,
    /// Another process is delivering (the `deliveries` lease): this pass did nothing.
    pub skipped: Option<String>,
}

/// The plan with what the Plan screen needs beside it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PlanView {
    pub plan: Plan,
    /// Whether a plan was ever set (else every channel receives every alert).
    pub configured: bool,
    pub channels: Vec<String>,
}

/// "Who would be told what, where, if an alert happened now?"
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PlanPreviewRequest {
    pub application: String,
    /// The imagined alert's threat level (default: 10).
    pub threat_level: Option<u8>,
    /// `new`, `changed`, `resolved` (default `new`).
    pub kind: Option<String>,
    /// A policy whose notification targets apply (default: none).
    pub policy: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PlanPreviewEntry {
    pub channel: String,
    pub channel_kind: ChannelKind,
    /// Email addresses (empty for channels that post to a room or a receiver).
    pub recipients: Vec<String>,
    pub mode: DeliveryMode,
    /// RFC 3339: when it would be sent.
    pub send_at: String,
    /// `immediately`, `in the digest at 08:00`, `held by quiet hours until 07:00`.
    pub when: String,
    /// Why: `tier critical → channel appsec-mail`, `policy Security-Critical targets owner`.
    pub why: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PlanPreview {
    pub application: String,
    pub tier: String,
    pub threat_level: u8,
    pub kind: String,
    pub entries: Vec<PlanPreviewEntry>,
    /// Why nobody would be told, when nobody would (`below the tier's minimum threat level 7`).
    pub silent_because: Option<String>,
}

// ---- The dashboard ------------------------------------------------------------------------

/// The start screen: what the last run found, how open violations moved over the last runs,
/// coverage, where the risk is, what did not reach people, and what is left to set up.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DashboardDto {
    /// The latest monitoring run; `None` before the first.
    pub last_run: Option<RunSummary>,
    /// The last run's NEW and CHANGED alerts, highest threat level first (NEW before CHANGED
    /// at one level), at most ten.
    pub top_items: Vec<DashboardItem>,
    /// The last 30 runs, oldest first, with what each left open.
    pub runs: Vec<RunOpenViolations>,
    pub coverage: DashboardCoverage,
    /// At most ten applications with open violations, riskiest first (see `RiskEntry`).
    pub risk: Vec<RiskEntry>,
    pub deliveries: DeliveryHealth,
    pub onboarding: Onboarding,
}

/// One alert of the last run, with the identity that opens its violation (application,
/// policy, component, constraint).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DashboardItem {
    /// `NEW` or `CHANGED`.
    pub kind: String,
    pub application: String,
    pub policy: String,
    pub purl: String,
    pub condition_key: String,
    pub threat_level: u8,
    pub advisories: Vec<String>,
    pub summary: String,
    /// For CHANGED: what changed, as sentences.
    pub changed: Vec<String>,
}

/// Open violations (monitored applications and policies, no waiver) as a run left them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RunOpenViolations {
    #[ts(type = "number")]
    pub run: i64,
    pub trigger: String,
    pub started_at: String,
    /// `None` for runs from before Vigil counted them.
    pub open: Option<ThreatCounts>,
}

/// Coverage's two ratios: monitored of must be monitored, and monitored of all.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct DashboardCoverage {
    pub applications: u32,
    pub monitored: u32,
    /// Applications a coverage rule says must be monitored.
    pub must_be_monitored: u32,
    /// Of those, the ones that are.
    pub covered: u32,
    /// Every gap the Coverage view lists (not monitored, never scanned, stale).
    pub gaps: u32,
}

/// An application's risk: `score` = its tier's weight (critical 4, high 3, medium 2, low 1)
/// × the highest threat level among its open violations. Ties go to more violations at that
/// level, then more open violations. A sum would let 700 license findings outrank three
/// criticals; the highest level does not.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RiskEntry {
    pub application: String,
    pub tier: String,
    pub score: u32,
    pub weight: u32,
    pub top_threat_level: u8,
    /// Open violations at `top_threat_level`.
    pub at_top: u32,
    pub open: u32,
    /// `tier critical (×4) × threat level 9 (3 violations)`.
    pub reason: String,
}

/// Deliveries that have not reached people yet, or never will without help.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DeliveryHealth {
    pub pending: u32,
    pub failed: u32,
    /// The latest failed deliveries, newest first, at most five.
    pub recent_failures: Vec<FailedDelivery>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct FailedDelivery {
    pub id: String,
    pub channel: String,
    pub title: String,
    pub last_answer: Option<String>,
    /// The last attempt (its creation when never attempted).
    pub at: String,
}

/// The three first steps; the dashboard's onboarding card shows until all three are done.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct Onboarding {
    /// Some ecosystem's advisories were imported or synced.
    pub advisory_data: bool,
    pub applications: bool,
    /// A channel besides the desktop one the app creates by itself.
    pub channel: bool,
}

// ---- Triage across the portfolio -------------------------------------------------------------

/// A violation with advisories, or one about a license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Security,
    License,
}

/// Which portfolio violations to list; every field is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PortfolioFilter {
    #[serde(default)]
    pub application: Option<String>,
    #[serde(default)]
    pub policy: Option<String>,
    /// Only policies at this threat level or above.
    #[serde(default)]
    pub min_threat: Option<u8>,
    /// Only policies at this threat level or below (with `min_threat`: a band).
    #[serde(default)]
    pub max_threat: Option<u8>,
    #[serde(default)]
    pub kind: Option<FindingKind>,
    /// Waived violations too (marked); by default they are left out.
    #[serde(default)]
    pub include_waived: bool,
    /// Acknowledged violations too (marked); by default they are left out.
    #[serde(default)]
    pub include_acknowledged: bool,
    /// Matched against the application's name, the purl and the advisories' ids and aliases.
    #[serde(default)]
    pub text: Option<String>,
    /// At most this many rows (default and ceiling 10,000).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// "Seen, being handled": a triage mark. The violation stays open, counts, gates and notifies;
/// monitoring clears the mark when the violation changes or resolves.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AcknowledgementDto {
    pub note: Option<String>,
    pub at: String,
    pub by: String,
}

/// One open violation of one application's current evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PortfolioViolation {
    pub application: String,
    pub organization: Option<String>,
    /// The stage of the scan it was found in, and that scan's version label.
    pub stage: String,
    pub version_label: Option<String>,
    pub violation: ViolationDto,
    pub acknowledgement: Option<AcknowledgementDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PortfolioViolations {
    /// Highest threat level first, then by application.
    pub violations: Vec<PortfolioViolation>,
    /// How many match the filter in all (more than `violations` holds when the limit cut).
    pub total: u32,
    pub limit: u32,
}

/// A violation's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ViolationRef {
    pub application: String,
    pub policy: String,
    pub purl: String,
    pub condition_key: String,
}

/// One waiver per violation, all with the same reason and expiry, in one transaction.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct BulkWaiver {
    pub violations: Vec<ViolationRef>,
    /// `application`: each violation's application; `organization`: its organization.
    pub scope: WaiverScopeKind,
    pub all_versions: bool,
    /// Waive every policy for the component, not only the violated one.
    #[serde(default)]
    pub all_policies: bool,
    pub reason: String,
    /// `YYYY-MM-DD`; `null` for the default of 90 days from today.
    pub expires: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct BulkReport {
    /// Violations the action applied to.
    pub violations: u32,
    /// Waivers created (violations sharing a component and policy share one), or
    /// acknowledgements changed.
    pub changed: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HistoryEventKind {
    /// Monitoring first reported it (`baseline`: silently, as part of the first evaluation).
    FirstSeen,
    New,
    Changed,
    Resolved,
    Waived,
    Acknowledged,
    Unacknowledged,
    /// Monitoring cleared the acknowledgement: the violation changed or resolved.
    AcknowledgementCleared,
}

/// One entry of a violation's timeline.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct HistoryEvent {
    pub kind: HistoryEventKind,
    pub at: String,
    /// Who: the person (acknowledgements, waivers) or `monitoring`.
    pub by: Option<String>,
    /// One line: `first seen by a scheduled run (baseline)`, `score 5.3 → 9.8`, a note.
    pub text: String,
    /// For alerts: the deliveries that carried it, i.e. who was told, when, through which
    /// channel.
    pub deliveries: Vec<DeliveryDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ViolationHistory {
    /// When monitoring first reported it; `None` when monitoring never did.
    pub first_seen: Option<String>,
    /// Recorded silently as part of the application's baseline.
    pub baseline: bool,
    pub acknowledgement: Option<AcknowledgementDto>,
    /// Oldest first.
    pub events: Vec<HistoryEvent>,
}
