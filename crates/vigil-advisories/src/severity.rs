//! How bad an advisory is: CVSS v2, v3.0, v3.1 and v4.0 vectors scored with the `cvss` crate
//! (RustSec's implementation of the FIRST specifications), GHSA's
//! `database_specific.severity` as the fallback. Policies see the highest score.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::OsvRecord;

/// One entry of an OSV `severity` array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeverityEntry {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`.
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// Qualitative rating, as CVSS v3/v4 name the score bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "NONE",
            Rating::Low => "LOW",
            Rating::Medium => "MEDIUM",
            Rating::High => "HIGH",
            Rating::Critical => "CRITICAL",
        }
    }

    /// GHSA's words (`MODERATE` is GitHub's name for medium) and Ubuntu's priorities.
    fn from_text(text: &str) -> Option<Rating> {
        match text.trim().to_ascii_uppercase().as_str() {
            "CRITICAL" => Some(Rating::Critical),
            "HIGH" => Some(Rating::High),
            "MODERATE" | "MEDIUM" => Some(Rating::Medium),
            "LOW" | "NEGLIGIBLE" => Some(Rating::Low),
            "NONE" => Some(Rating::None),
            _ => None,
        }
    }

    fn from_cvss(severity: cvss::Severity) -> Rating {
        match severity {
            cvss::Severity::None => Rating::None,
            cvss::Severity::Low => Rating::Low,
            cvss::Severity::Medium => Rating::Medium,
            cvss::Severity::High => Rating::High,
            cvss::Severity::Critical => Rating::Critical,
        }
    }
}

/// The severity of an advisory as policies see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Severity {
    /// The highest CVSS base score among the record's vectors; `None` when no vector scored
    /// (many PYSEC and Go records carry none; they must stay visible as "unscored").
    pub score: Option<f64>,
    pub rating: Rating,
    /// The vector that gave the score, or the source of the rating.
    pub source: String,
}

/// Scores one vector; `None` when the `cvss` crate rejects it.
pub fn score_vector(vector: &str) -> Option<(f64, Rating)> {
    let parsed = cvss::Cvss::from_str(vector.trim()).ok()?;
    Some((parsed.score(), Rating::from_cvss(parsed.severity())))
}

/// The record's severity: its highest-scoring CVSS vector (record-level and per affected
/// package), else GHSA's `database_specific.severity`, else an Ubuntu priority; `None` when
/// the record says nothing about severity.
pub fn assess(record: &OsvRecord) -> Option<Severity> {
    let entries = record
        .severity
        .iter()
        .chain(record.affected.iter().flat_map(|a| a.severity.iter()));
    let mut best: Option<Severity> = None;
    let mut text_rating: Option<Severity> = None;
    for entry in entries {
        if entry.kind.starts_with("CVSS_") {
            if let Some((score, rating)) = score_vector(&entry.score) {
                if best
                    .as_ref()
                    .and_then(|b| b.score)
                    .is_none_or(|b| score > b)
                {
                    best = Some(Severity {
                        score: Some(score),
                        rating,
                        source: entry.score.clone(),
                    });
                }
            }
        } else if let Some(rating) = Rating::from_text(&entry.score) {
            text_rating.get_or_insert(Severity {
                score: None,
                rating,
                source: entry.kind.clone(),
            });
        }
    }
    best.or_else(|| {
        record
            .database_specific
            .as_ref()
            .and_then(|d| d.get("severity"))
            .and_then(|s| s.as_str())
            .and_then(Rating::from_text)
            .map(|rating| Severity {
                score: None,
                rating,
                source: "database_specific.severity".into(),
            })
    })
    .or(text_rating)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_score_as_first_publishes_them() {
        // (vector, base score): examples from the FIRST specification documents and NVD.
        let cases = [
            ("AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, Rating::High), // CVSS v2, e.g. CVE-2002-0392 class
            ("AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, Rating::Medium), // v2
            (
                "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                9.8,
                Rating::Critical,
            ), // v3.0
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
                10.0,
                Rating::Critical,
            ), // Log4Shell
            (
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
                6.1,
                Rating::Medium,
            ), // typical XSS
            (
                "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N",
                0.0,
                Rating::None,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
                Rating::Critical,
            ),
            (
                "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                8.5,
                Rating::High,
            ),
        ];
        for (vector, score, rating) in cases {
            let (got, got_rating) =
                score_vector(vector).unwrap_or_else(|| panic!("{vector} did not parse"));
            assert!((got - score).abs() < 1e-9, "{vector}: {got} != {score}");
            assert_eq!(got_rating, rating, "{vector}");
        }
        assert!(score_vector("CVSS:3.1/AV:X").is_none());
        assert!(score_vector("not a vector").is_none());
    }

    fn record(json: serde_json::Value) -> OsvRecord {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_highest_score_wins_and_ghsa_text_is_the_fallback() {
        let scored = record(serde_json::json!({
            "id": "X", "severity": [
                {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}
            ],
            "database_specific": {"severity": "LOW"}
        }));
        let severity = assess(&scored).unwrap();
        assert_eq!(severity.score, Some(10.0));
        assert_eq!(severity.rating, Rating::Critical);

        let per_package = record(serde_json::json!({
            "id": "Y", "affected": [{"package": {"ecosystem": "npm", "name": "x"},
              "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"}]}]
        }));
        assert_eq!(assess(&per_package).unwrap().score, Some(6.1));

        let ghsa =
            record(serde_json::json!({"id": "Z", "database_specific": {"severity": "MODERATE"}}));
        let severity = assess(&ghsa).unwrap();
        assert_eq!((severity.score, severity.rating), (None, Rating::Medium));

        let unscored = record(
            serde_json::json!({"id": "PYSEC-1", "severity": [{"type": "CVSS_V3", "score": "garbage"}]}),
        );
        assert_eq!(assess(&unscored), None);
    }
}
