//! The two feeds that say how likely a vulnerability is to be exploited, keyed by CVE:
//! CISA's Known Exploited Vulnerabilities catalog (JSON,
//! https://www.cisa.gov/known-exploited-vulnerabilities-catalog) and FIRST's EPSS scores (CSV,
//! https://www.first.org/epss/data_stats: a `#model_version:…,score_date:…` comment line, then
//! `cve,epss,percentile`). Advisories are flagged through their CVE aliases.

use std::io::BufRead;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq)]
pub struct KevCatalog {
    pub version: String,
    pub entries: Vec<KevEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KevEntry {
    #[serde(rename = "cveID")]
    pub cve: String,
    #[serde(rename = "dateAdded", default)]
    pub date_added: String,
    #[serde(rename = "dueDate", default)]
    pub due_date: Option<String>,
    #[serde(rename = "vulnerabilityName", default)]
    pub name: String,
    /// `Known` or `Unknown`.
    #[serde(rename = "knownRansomwareCampaignUse", default)]
    pub ransomware: Option<String>,
}

/// Whether a JSON document's first bytes look like the KEV catalog.
pub fn looks_like_kev(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    head.trim_start().starts_with('{') && head.contains("\"catalogVersion\"")
}

/// Whether a file's first bytes look like an EPSS CSV.
pub fn looks_like_epss(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&head[..head.len().min(256)]);
    head.starts_with("#model_version") || head.starts_with("cve,epss")
}

pub fn parse_kev(bytes: &[u8]) -> Result<KevCatalog, String> {
    #[derive(Deserialize)]
    struct Document {
        #[serde(rename = "catalogVersion")]
        version: String,
        vulnerabilities: Vec<KevEntry>,
    }
    let document: Document =
        serde_json::from_slice(bytes).map_err(|e| format!("not a KEV catalog: {e}"))?;
    if let Some(bad) = document.vulnerabilities.iter().find(|e| !is_cve(&e.cve)) {
        return Err(format!("not a KEV catalog: {:?} is not a CVE id", bad.cve));
    }
    Ok(KevCatalog {
        version: document.version,
        entries: document.vulnerabilities,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct EpssScores {
    /// `score_date` from the header comment, or `unknown`.
    pub version: String,
    pub scores: Vec<EpssScore>,
    /// Lines that could not be read, with their numbers; the rest is kept.
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EpssScore {
    pub cve: String,
    /// Probability of exploitation in the next 30 days, 0–1.
    pub epss: f64,
    pub percentile: f64,
}

pub fn parse_epss(reader: impl BufRead) -> Result<EpssScores, String> {
    let mut version = "unknown".to_string();
    let mut scores = Vec::new();
    let mut skipped = Vec::new();
    let mut saw_header = false;
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| format!("line {}: {e}", index + 1))?;
        let line = line.trim();
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(date) = comment
                .split(',')
                .find_map(|part| part.trim().strip_prefix("score_date:"))
            {
                version = date.to_string();
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if !saw_header {
            if !line.starts_with("cve,epss") {
                return Err(format!(
                    "line {}: expected the header cve,epss,percentile",
                    index + 1
                ));
            }
            saw_header = true;
            continue;
        }
        let mut fields = line.split(',');
        let parsed = match (
            fields.next(),
            fields.next().map(str::parse::<f64>),
            fields.next().map(str::parse::<f64>),
        ) {
            (Some(cve), Some(Ok(epss)), Some(Ok(percentile)))
                if is_cve(cve) && (0.0..=1.0).contains(&epss) =>
            {
                Some(EpssScore {
                    cve: cve.to_string(),
                    epss,
                    percentile,
                })
            }
            _ => None,
        };
        match parsed {
            Some(score) => scores.push(score),
            None => skipped.push(format!("line {}: {line:?}", index + 1)),
        }
    }
    if !saw_header {
        return Err("no cve,epss,percentile header".into());
    }
    Ok(EpssScores {
        version,
        scores,
        skipped,
    })
}

fn is_cve(id: &str) -> bool {
    let mut parts = id.splitn(3, '-');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some("CVE"), Some(year), Some(number))
            if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
                && number.len() >= 4 && number.bytes().all(|b| b.is_ascii_digit())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kev_catalogs_parse_and_bad_ids_are_refused() {
        let catalog = parse_kev(
            br#"{"catalogVersion":"2025.08.25","count":1,"vulnerabilities":[{"cveID":"CVE-2021-44228","dateAdded":"2021-12-10","dueDate":"2021-12-24","vulnerabilityName":"Log4Shell","knownRansomwareCampaignUse":"Known"}]}"#,
        )
        .unwrap();
        assert_eq!(catalog.version, "2025.08.25");
        assert_eq!(catalog.entries[0].cve, "CVE-2021-44228");
        assert!(looks_like_kev(
            br#"{ "title": "x", "catalogVersion": "1" }"#
        ));
        let err = parse_kev(br#"{"catalogVersion":"1","vulnerabilities":[{"cveID":"GHSA-x"}]}"#)
            .unwrap_err();
        assert!(err.contains("GHSA-x"), "{err}");
        assert!(parse_kev(b"[]").is_err());
    }

    #[test]
    fn epss_csv_parses_with_its_date_and_keeps_going_past_bad_lines() {
        let csv = "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99962\nnot,a,line\nCVE-2020-0001,0.00043,0.1\n";
        let scores = parse_epss(csv.as_bytes()).unwrap();
        assert_eq!(scores.version, "2025-08-25T00:00:00+0000");
        assert_eq!(scores.scores.len(), 2);
        assert_eq!(scores.scores[0].epss, 0.94358);
        assert_eq!(scores.skipped, ["line 4: \"not,a,line\""]);
        assert!(looks_like_epss(csv.as_bytes()));
        assert!(parse_epss("hello\n".as_bytes()).is_err());
    }
}
