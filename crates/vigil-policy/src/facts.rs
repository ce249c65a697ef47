//! What evaluation is told about an application and its components. The engine gathers
//! these from the store and the advisory matcher; evaluation itself reads nothing else.

use serde::{Deserialize, Serialize};

/// One advisory affecting a component's exact version (withdrawn ones left out, aliases of
/// one vulnerability merged into one fact).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// The CVSS vector that gave `score` (`CVSS:3.1/AV:N/…`), so a reader can see why it is
    /// that high; `None` for an unscored advisory or one rated only in words.
    #[serde(default)]
    pub vector: Option<String>,
    /// In CISA's Known Exploited Vulnerabilities catalog (through a CVE alias).
    #[serde(default)]
    pub kev: bool,
    /// FIRST EPSS probability of exploitation (0–1), the highest among its CVE ids.
    #[serde(default)]
    pub epss: Option<f64>,
    /// The versions that fix it for this package (OSV `fixed` events of the matching ranges),
    /// sorted; empty when no fix is known.
    #[serde(default)]
    pub fixed: Vec<String>,
}

impl AdvisoryFact {
    /// An OSV malicious-package record (`MAL-…`), by its id or an alias.
    pub fn is_malicious(&self) -> bool {
        std::iter::once(&self.id)
            .chain(&self.aliases)
            .any(|id| id.starts_with("MAL-"))
    }
}

/// A component's declared license, as stored with its scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseFact {
    /// The SPDX expression, when the declared text normalised to one.
    pub expression: Option<String>,
    /// The text as declared.
    pub raw: String,
}

/// What is known about one component of an inventory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComponentFacts {
    /// The component's identity in violations: its purl, or for an entry with none (an SBOM
    /// entry Vigil cannot place) `name@version` as declared.
    pub purl: String,
    /// Whether `purl` is a real purl (false for unidentified entries).
    pub has_purl: bool,
    pub version: Option<String>,
    pub license: Option<LicenseFact>,
    /// Set when the component was found only in formats that do not record licenses (most
    /// lockfiles): then a missing license is no finding.
    pub license_unrecorded: bool,
    /// Advisories affecting this exact version.
    pub advisories: Vec<AdvisoryFact>,
}

/// The application being evaluated, for policy and waiver scopes, and the day waivers are
/// judged against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationContext {
    pub application: String,
    pub organization: Option<String>,
    pub categories: Vec<String>,
    /// Today (UTC); a waiver expiring today still holds.
    pub today: chrono::NaiveDate,
}
