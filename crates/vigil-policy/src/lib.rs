//! Policies and their evaluation: inventory facts × policies → violations.
//!
//! Pure: no IO, no clock, no database. The caller gathers the facts (which advisories affect
//! which component) and stores what comes out.

use serde::{Deserialize, Serialize};

/// A policy as evaluation needs it. Only the built-in "any known vulnerability" exists yet;
/// configurable conditions, stage actions and targets come with the policy issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub name: String,
    /// 0–10, as in Lifecycle: how bad a violation of this policy is.
    pub threat_level: u8,
    /// Whether monitoring reports this policy's violations.
    pub monitored: bool,
}

/// The one policy Vigil starts with: a component is affected by any (non-withdrawn) advisory.
pub fn any_known_vulnerability() -> Policy {
    Policy {
        name: "Security-Any-Vulnerability".into(),
        threat_level: 7,
        monitored: true,
    }
}

/// The condition key of the vulnerability condition: one violation per component and policy,
/// whatever the number of advisories (those are the details).
pub const VULNERABILITY_CONDITION: &str = "security-vulnerability";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisoryFact {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    /// Highest CVSS base score of the advisory; `None` when it has none ("unscored").
    #[serde(default)]
    pub score: Option<f64>,
    /// `NONE`, `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`, from the score or the source's own words.
    #[serde(default)]
    pub rating: Option<String>,
    /// In CISA's Known Exploited Vulnerabilities catalog (through a CVE alias).
    #[serde(default)]
    pub kev: bool,
    /// FIRST EPSS probability of exploitation (0–1), the highest among its CVE ids.
    #[serde(default)]
    pub epss: Option<f64>,
}

/// What is known about one component of an inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentFacts {
    pub purl: String,
    /// Advisories affecting this exact version; withdrawn ones already left out.
    pub advisories: Vec<AdvisoryFact>,
}

/// The part of a violation that says what matched; when it changes (a new advisory, a raised
/// score), the violation changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViolationDetails {
    pub advisories: Vec<AdvisoryFact>,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub policy: String,
    pub threat_level: u8,
    pub purl: String,
    pub condition_key: String,
    pub details: ViolationDetails,
}

impl Violation {
    /// The violation's identity within one application.
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.policy, &self.purl, &self.condition_key)
    }
}

/// Evaluates components against policies. Output is sorted by identity.
pub fn evaluate(policies: &[Policy], components: &[ComponentFacts]) -> Vec<Violation> {
    let mut violations = Vec::new();
    for policy in policies {
        for component in components {
            if component.advisories.is_empty() {
                continue;
            }
            let mut advisories = component.advisories.clone();
            advisories.sort_by(|a, b| a.id.cmp(&b.id));
            advisories.dedup_by(|a, b| a.id == b.id);
            let ids: Vec<&str> = advisories.iter().map(|a| a.id.as_str()).collect();
            let summary = format!(
                "{} is affected by {} known vulnerabilit{}: {}",
                component.purl,
                ids.len(),
                if ids.len() == 1 { "y" } else { "ies" },
                ids.join(", ")
            );
            violations.push(Violation {
                policy: policy.name.clone(),
                threat_level: policy.threat_level,
                purl: component.purl.clone(),
                condition_key: VULNERABILITY_CONDITION.into(),
                details: ViolationDetails {
                    advisories,
                    summary,
                },
            });
        }
    }
    violations.sort_by(|a, b| a.key().cmp(&b.key()));
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisory(id: &str) -> AdvisoryFact {
        AdvisoryFact {
            id: id.into(),
            aliases: vec![],
            summary: format!("{id} summary"),
            score: None,
            rating: None,
            kev: false,
            epss: None,
        }
    }

    #[test]
    fn one_violation_per_affected_component_with_sorted_advisories() {
        let components = vec![
            ComponentFacts {
                purl: "pkg:pypi/django@2.2".into(),
                advisories: vec![advisory("PYSEC-2"), advisory("PYSEC-1")],
            },
            ComponentFacts {
                purl: "pkg:pypi/six@1.16.0".into(),
                advisories: vec![],
            },
            ComponentFacts {
                purl: "pkg:npm/lodash@4.17.20".into(),
                advisories: vec![advisory("GHSA-x")],
            },
        ];
        let violations = evaluate(&[any_known_vulnerability()], &components);
        let purls: Vec<&str> = violations.iter().map(|v| v.purl.as_str()).collect();
        assert_eq!(purls, ["pkg:npm/lodash@4.17.20", "pkg:pypi/django@2.2"]);
        let ids: Vec<&str> = violations[1]
            .details
            .advisories
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["PYSEC-1", "PYSEC-2"]);
        assert!(violations[1]
            .details
            .summary
            .contains("2 known vulnerabilities"));
    }
}
