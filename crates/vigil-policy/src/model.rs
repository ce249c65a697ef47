//! What a policy is: the conditions that make it hold, how bad it is, what each stage does
//! about it, whether monitoring reports it, who hears about it and where it applies.
//!
//! These types are the YAML format of `vigil policy export|import` (see `yaml.rs`) and the
//! desktop app's policy editor (TypeScript bindings via ts-rs), so their serde shape is a
//! public format: change it only compatibly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vigil_model::Stage;

/// One policy. Violated by a component when any of its constraints holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Unique, case-sensitive; the violation identity includes it.
    pub name: String,
    /// 0–10, as in Lifecycle: how bad a violation of this policy is.
    pub threat_level: u8,
    /// A disabled policy is kept but never evaluated.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Whether monitoring reports this policy's violations.
    #[serde(default)]
    pub monitoring: bool,
    /// Part of the reference set Vigil installs on first run (shown marked in the UI).
    #[serde(default)]
    pub reference: bool,
    #[serde(default)]
    pub scope: PolicyScope,
    /// What a violation does at each stage; a stage left out is `none`.
    #[serde(default)]
    pub actions: StageActions,
    #[serde(default)]
    pub targets: Targets,
    /// At least one.
    pub constraints: Vec<Constraint>,
}

fn yes() -> bool {
    true
}

/// Where a policy (or a waiver) applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PolicyScope {
    #[default]
    Everywhere,
    /// Applications of this organization.
    Organization(String),
    /// Applications that carry this category.
    Category(String),
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    #[default]
    None,
    Warn,
    Fail,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::None => "none",
            Action::Warn => "warn",
            Action::Fail => "fail",
        }
    }
}

/// The action per stage (`develop`, `build`, `stage-release`, `release`, `operate`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct StageActions {
    #[serde(default)]
    pub develop: Action,
    #[serde(default)]
    pub build: Action,
    #[serde(default, rename = "stage-release")]
    #[ts(rename = "stage-release")]
    pub stage_release: Action,
    #[serde(default)]
    pub release: Action,
    #[serde(default)]
    pub operate: Action,
}

impl StageActions {
    pub fn at(&self, stage: Stage) -> Action {
        match stage {
            Stage::Develop => self.develop,
            Stage::Build => self.build,
            Stage::StageRelease => self.stage_release,
            Stage::Release => self.release,
            Stage::Operate => self.operate,
        }
    }

    pub fn set(&mut self, stage: Stage, action: Action) {
        match stage {
            Stage::Develop => self.develop = action,
            Stage::Build => self.build = action,
            Stage::StageRelease => self.stage_release = action,
            Stage::Release => self.release = action,
            Stage::Operate => self.operate = action,
        }
    }
}

/// Who is told about a violation; resolved against contacts, roles and channels by the
/// notification plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// `owner`, `developer`, `security`, `manager`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
}

/// A constraint holds when ALL (or ANY) of its conditions hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// Shown in reports; also the violation's condition key (so it must be unique within
    /// its policy and should not change once violations were reported).
    pub name: String,
    #[serde(default, rename = "match")]
    #[ts(rename = "match")]
    pub operator: Match,
    /// At least one.
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    #[default]
    All,
    Any,
}

/// One test on a component. Security conditions test each advisory affecting the component:
/// under ALL, one and the same advisory must satisfy every security condition of the
/// constraint (so "CVSS ≥ 9 and in KEV" means one advisory that is both).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The advisory's highest CVSS base score is within the bound.
    Cvss(ScoreBound),
    /// The advisory's rating is one of these (`low`, `medium`, `high`, `critical`).
    Rating(Vec<Rating>),
    /// The advisory has no score and no rating in any source.
    Unscored,
    /// The advisory (or one of its aliases) is in CISA's KEV catalog.
    Kev,
    /// FIRST EPSS probability ≥ this (0–1).
    EpssAtLeast(f64),
    /// A fixed version is (`true`) or is not (`false`) known for the affected package.
    FixAvailable(bool),
    /// The advisory is a malicious-package record (an OSV `MAL-` id or alias).
    Malicious,
    /// The component's license is, or can only be satisfied by, licenses of these groups.
    LicenseGroup(Vec<ThreatGroup>),
    /// The component's license cannot be satisfied by these licenses alone.
    LicenseNotIn(Vec<String>),
    /// The component declares no license.
    NoLicense,
    /// The component's declared license is not a valid SPDX expression.
    InvalidLicense,
    /// The component matches one of these patterns (ban lists).
    Purl(Vec<PurlPattern>),
    /// The component has no purl or no version.
    Unknown,
}

impl Condition {
    /// Whether this condition is tested per advisory (rather than per component).
    pub fn is_security(&self) -> bool {
        matches!(
            self,
            Condition::Cvss(_)
                | Condition::Rating(_)
                | Condition::Unscored
                | Condition::Kev
                | Condition::EpssAtLeast(_)
                | Condition::FixAvailable(_)
                | Condition::Malicious
        )
    }
}

/// A CVSS score range. `at_least` is inclusive and `below` exclusive, so the reference
/// policies' ranges (≥ 9, 7 to 9, 4 to 7, below 4) tile 0–10 without gap or overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ScoreBound {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

/// A component pattern: a purl without version (every version), or with one (that version),
/// optionally bounded: `pkg:maven/org.apache.logging.log4j/log4j-core` below `2.17.1`.
/// Versions compare in the package's ecosystem order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PurlPattern {
    pub purl: String,
    /// Matches versions strictly below this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<String>,
    /// Matches versions at or above this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<String>,
}

/// License threat groups, from the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ThreatGroup {
    Banned,
    Copyleft,
    WeakCopyleft,
    Liberal,
    Unknown,
}

impl ThreatGroup {
    pub const ALL: [ThreatGroup; 5] = [
        ThreatGroup::Banned,
        ThreatGroup::Copyleft,
        ThreatGroup::WeakCopyleft,
        ThreatGroup::Liberal,
        ThreatGroup::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ThreatGroup::Banned => "banned",
            ThreatGroup::Copyleft => "copyleft",
            ThreatGroup::WeakCopyleft => "weak-copyleft",
            ThreatGroup::Liberal => "liberal",
            ThreatGroup::Unknown => "unknown",
        }
    }
}

/// Which group each license belongs to, keyed by SPDX license id (exact case as SPDX lists
/// it). A license not listed falls back by its name (`AGPL-…` banned, `GPL-…` copyleft,
/// `LGPL-…` weak copyleft, …; see `group_of`), else `Unknown`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LicenseGroups {
    pub licenses: BTreeMap<String, ThreatGroup>,
}

/// Everything `vigil policy export` writes and `import` reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PolicySet {
    /// The format's version; 1.
    pub version: u32,
    pub policies: Vec<Policy>,
    /// Left out of a file, the stored groups are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_groups: Option<LicenseGroups>,
}
