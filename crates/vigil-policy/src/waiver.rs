//! Waivers: accepted violations. A waived violation is still reported, marked, but neither
//! counts nor fails a gate; when the waiver expires it is active again.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverScope {
    Application(String),
    Organization(String),
    Everywhere,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub id: i64,
    pub scope: WaiverScope,
    /// A purl: with its version it waives that version; `all_versions` waives every version
    /// of the package (the version, if given, is then ignored).
    pub component: String,
    pub all_versions: bool,
    /// `None`: every policy.
    pub policy: Option<String>,
    /// Only violations that this advisory (by id or alias) takes part in.
    pub advisory: Option<String>,
    pub reason: String,
    /// The last day the waiver holds.
    pub expires: chrono::NaiveDate,
    pub created_at: String,
    pub created_by: String,
}
