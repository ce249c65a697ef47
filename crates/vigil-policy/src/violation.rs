//! What evaluation produces.

use serde::{Deserialize, Serialize};

use crate::AdvisoryFact;

/// One satisfied condition, as Lifecycle's reports show them: what the condition says and
/// why it holds for this component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConditionHit {
    /// "Security Vulnerability Severity >= 9"
    pub summary: String,
    /// "Found security vulnerability CVE-2021-44228 with severity 10.0"
    pub reason: String,
}

/// The part of a violation that says what matched; when it changes (a new advisory, a raised
/// score, a waiver that expired), the violation changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViolationDetails {
    /// The advisories that satisfied the constraint, sorted by id.
    #[serde(default)]
    pub advisories: Vec<AdvisoryFact>,
    /// The component's license expression (or raw text), when a license condition matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(default)]
    pub conditions: Vec<ConditionHit>,
    /// One line: why the policy matched.
    pub summary: String,
    /// Set when a waiver covers the violation: it is shown but neither counts nor fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverMark>,
}

/// Which waiver covers a violation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverMark {
    pub id: i64,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day it holds.
    pub expires: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Violation {
    pub policy: String,
    pub threat_level: u8,
    /// The component's identity (see `ComponentFacts::purl`).
    pub purl: String,
    /// The constraint's name: one violation per component, policy and holding constraint.
    pub condition_key: String,
    pub details: ViolationDetails,
}

impl Violation {
    /// The violation's identity within one application.
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.policy, &self.purl, &self.condition_key)
    }

    pub fn waived(&self) -> bool {
        self.details.waiver.is_some()
    }
}
