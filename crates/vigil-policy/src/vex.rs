//! VEX documents in and out. (Being written: the types and signatures are the interface.)

use crate::Waiver;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexFormat {
    OpenVex,
    CycloneDx,
}

impl VexFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            VexFormat::OpenVex => "openvex",
            VexFormat::CycloneDx => "cyclonedx",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexStatus {
    NotAffected,
    FalsePositive,
    Affected,
    Fixed,
    UnderInvestigation,
    /// Any other CycloneDX analysis state (`resolved`, `exploitable`, `in_triage`…).
    Other,
}

/// One statement about one vulnerability in some products.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexStatement {
    /// The vulnerability id as the document names it (`CVE-…`, `GHSA-…`).
    pub vulnerability: String,
    /// Other ids the document gives for it.
    pub aliases: Vec<String>,
    pub status: VexStatus,
    /// The products (components) the statement is about, as purls; entries that carry no purl
    /// are in `unnamed`.
    pub products: Vec<String>,
    /// Product references that could not be resolved to a purl (shown as skipped).
    pub unnamed: Vec<String>,
    /// OpenVEX `justification` / CycloneDX `analysis.justification`.
    pub justification: Option<String>,
    /// OpenVEX `impact_statement` or `status_notes` / CycloneDX `analysis.detail`.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexDocument {
    pub format: VexFormat,
    pub statements: Vec<VexStatement>,
}

/// Reads an OpenVEX (0.2.0) or CycloneDX (1.4–1.6, JSON) VEX document.
pub fn parse(_bytes: &[u8]) -> Result<VexDocument, String> {
    todo!("vex parse")
}

/// Waivers as an OpenVEX 0.2.0 document: one `not_affected` statement per waiver that names an
/// advisory (a waiver of a whole policy has no vulnerability to state and is left out).
pub fn to_openvex(_waivers: &[Waiver], _author: &str, _timestamp: &str) -> String {
    todo!("openvex export")
}
