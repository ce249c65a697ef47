//! How each command prints. Tables for people; JSON shapes that scripts rely on.

use std::io::{self, Write};

use serde::Serialize;
use vigil_engine::api::{
    AlertKind, DataFreshness, DbStatus, ImportReport, MonitorReport, QueryResult, ScanResult,
};

/// `vigil query --json`: exactly `{"purl", "advisories": [{"id", "aliases", "summary",
/// "severity": {"score", "rating"} | null}]}`, plus
/// `"error"` when the purl could not be (fully) queried. Field order is part of the contract.
pub fn query_json_line(result: &QueryResult) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        purl: &'a str,
        advisories: Vec<Advisory<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Advisory<'a> {
        id: &'a str,
        aliases: &'a [String],
        summary: &'a str,
        severity: Option<Severity<'a>>,
    }
    #[derive(Serialize)]
    struct Severity<'a> {
        score: Option<f64>,
        rating: &'a str,
    }
    let line = Line {
        purl: &result.purl,
        advisories: result
            .advisories
            .iter()
            .map(|a| Advisory {
                id: &a.id,
                aliases: &a.aliases,
                summary: &a.summary,
                severity: a.severity.as_ref().map(|s| Severity {
                    score: s.score,
                    rating: &s.rating,
                }),
            })
            .collect(),
        error: result.error.as_deref(),
    };
    serde_json::to_string(&line).expect("plain strings always serialise")
}

pub fn query_table(out: &mut impl Write, result: &QueryResult) -> io::Result<()> {
    match (&result.error, result.advisories.len()) {
        (Some(_), _) => writeln!(out, "{}: not queried", result.purl),
        (None, 0) => writeln!(out, "{}: no known advisories", result.purl),
        (None, n) => {
            writeln!(
                out,
                "{}: {n} advisor{}",
                result.purl,
                if n == 1 { "y" } else { "ies" }
            )?;
            for advisory in &result.advisories {
                let aliases = if advisory.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", advisory.aliases.join(", "))
                };
                let severity = match &advisory.severity {
                    Some(s) => match s.score {
                        Some(score) => format!("{score:.1} {}", s.rating),
                        None => s.rating.clone(),
                    },
                    None => "unscored".into(),
                };
                let kev = if advisory.kev { ", KEV" } else { "" };
                let epss = advisory
                    .epss
                    .map(|e| format!(", EPSS {:.1}%", e * 100.0))
                    .unwrap_or_default();
                let severity = format!("{severity}{kev}{epss}");
                writeln!(
                    out,
                    "  {}{aliases}  [{severity}]  {}",
                    advisory.id, advisory.summary
                )?;
            }
            Ok(())
        }
    }
}

pub fn import_report(out: &mut impl Write, report: &ImportReport) -> io::Result<()> {
    for source in &report.sources {
        writeln!(
            out,
            "{}: {} records read, {} new or updated",
            source.path, source.read, source.changed
        )?;
    }
    writeln!(
        out,
        "imported {} records: {} new or updated, {} unchanged, {} unreadable",
        report.read,
        report.changed,
        report.unchanged,
        report.warnings.len()
    )?;
    if let Some(run) = &report.monitoring {
        monitor_report(out, run)?;
    }
    Ok(())
}

pub fn status(out: &mut impl Write, status: &DbStatus) -> io::Result<()> {
    writeln!(out, "data directory   {}", status.data_dir)?;
    writeln!(out, "database         {}", status.database)?;
    writeln!(out, "schema version   {}", status.schema_version)?;
    writeln!(out, "advisories       {}", status.advisories)?;
    for feed in &status.feeds {
        let name = match feed.name.as_str() {
            "kev" => "CISA KEV",
            "epss" => "FIRST EPSS",
            other => other,
        };
        writeln!(
            out,
            "{name:<16} {} ({} CVEs, imported {})",
            feed.version, feed.entries, feed.imported_at
        )?;
    }
    if status.ecosystems.is_empty() {
        writeln!(
            out,
            "\nno advisory data yet: import some with `vigil db import <Ecosystem>-all.zip`"
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "\n{:<14} {:>10} {:>10}  {:<22} {:<22} AGE",
        "ECOSYSTEM", "ADVISORIES", "WITHDRAWN", "IMPORTED", "LAST SYNC"
    )?;
    for eco in &status.ecosystems {
        let imported = eco.imported_at.as_deref().unwrap_or("-");
        let synced = eco.last_sync.as_deref().unwrap_or("-");
        let age = eco.age_seconds.map(age).unwrap_or_else(|| "-".into());
        let matched = if eco.matched {
            ""
        } else {
            "  (not matched yet)"
        };
        writeln!(
            out,
            "{:<14} {:>10} {:>10}  {imported:<22} {synced:<22} {age}{matched}",
            eco.ecosystem, eco.advisories, eco.withdrawn
        )?;
        if let Some(error) = &eco.last_error {
            writeln!(out, "{:<14} last sync failed: {error}", "")?;
        }
    }
    Ok(())
}

/// One line saying how old the advisory data behind an evaluation was, naming ecosystems
/// with none at all: offline is normal, but the reader must know.
/// What stderr says of the advisory data behind a scan, gate or run: a `warning:` line per
/// stale ecosystem (none at all, or past the age limit), then one note for the fresh ones.
pub fn data_lines(freshness: &DataFreshness) -> Vec<String> {
    let mut lines: Vec<String> = freshness
        .warnings()
        .into_iter()
        .map(|w| format!("warning: {w}"))
        .collect();
    let fresh: Vec<String> = freshness
        .ecosystems
        .iter()
        .filter(|e| !e.stale)
        .filter_map(|e| {
            let s = e.age_seconds?;
            Some(format!("{} updated {}", e.ecosystem, age(s)))
        })
        .collect();
    if !fresh.is_empty() {
        lines.push(format!("advisory data: {}", fresh.join("; ")));
    }
    lines
}

/// `3 days ago`, in the engine's units (its stale-data warnings say the same age).
fn age(seconds: u32) -> String {
    if seconds < 60 {
        "just now".into()
    } else {
        format!("{} ago", vigil_engine::freshness::human_age(seconds))
    }
}

pub fn scan_table(out: &mut impl Write, result: &ScanResult) -> io::Result<()> {
    if result.components.is_empty() && result.unidentified.is_empty() {
        return writeln!(out, "no components found");
    }
    let license = |l: &Option<vigil_engine::api::LicenseDto>| match l {
        Some(l) => l
            .expression
            .clone()
            .unwrap_or_else(|| format!("{:?}", l.raw)),
        None => "-".to_string(),
    };
    let width = result
        .components
        .iter()
        .map(|c| c.purl.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let license_width = result
        .components
        .iter()
        .map(|c| license(&c.license).len())
        .max()
        .unwrap_or(7)
        .clamp(7, 40);
    writeln!(
        out,
        "{:<width$}  {:<10}  {:<license_width$}  EVIDENCE",
        "PURL", "SCOPE", "LICENSE"
    )?;
    for c in &result.components {
        writeln!(
            out,
            "{:<width$}  {:<10}  {:<license_width$}  {}",
            c.purl,
            c.scope,
            license(&c.license),
            c.evidence.join(", ")
        )?;
    }
    writeln!(out, "{} components", result.components.len())?;
    if !result.unidentified.is_empty() {
        writeln!(
            out,
            "\nnot identified (no purl Vigil can match; never checked against advisories):"
        )?;
        for u in &result.unidentified {
            let name = match &u.version {
                Some(version) => format!("{} {version}", u.name),
                None => u.name.clone(),
            };
            let purl = u
                .purl
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            writeln!(out, "  {name}{purl}  {}", u.evidence.join(", "))?;
        }
    }
    Ok(())
}

pub fn monitor_report(out: &mut impl Write, report: &MonitorReport) -> io::Result<()> {
    let count = |kind: AlertKind| report.alerts.iter().filter(|a| a.kind == kind).count();
    for alert in &report.alerts {
        let kind = match alert.kind {
            AlertKind::New => "NEW",
            AlertKind::Changed => "CHANGED",
            AlertKind::Resolved => "RESOLVED",
        };
        let ids: Vec<&str> = alert
            .violation
            .advisories
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        let changed = if alert.changed.is_empty() {
            String::new()
        } else {
            format!("  ({})", alert.changed.join("; "))
        };
        writeln!(
            out,
            "{kind:<9} {}  {}  {}  {}{changed}",
            alert.application,
            alert.violation.policy,
            alert.violation.purl,
            ids.join(", ")
        )?;
    }
    if report.alerts.is_empty() {
        writeln!(out, "nothing new since the last run")?;
    }
    let baseline = if report.baseline > 0 {
        format!(
            "; {} violations recorded as baselines, not alerted",
            report.baseline
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "monitoring run {}: {} applications, {} new, {} changed, {} resolved ({} evaluated{baseline})",
        report.run_id,
        report.applications,
        count(AlertKind::New),
        count(AlertKind::Changed),
        count(AlertKind::Resolved),
        report.evaluated,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_or_missing_data_is_a_warning_and_fresh_data_a_note() {
        let ecosystem =
            |name: &str, age: Option<u32>, stale: bool| vigil_engine::api::EcosystemFreshness {
                ecosystem: name.into(),
                checked_at: age.map(|_| "2026-11-23T00:00:00Z".into()),
                age_seconds: age,
                stale,
            };
        let freshness = DataFreshness {
            ecosystems: vec![
                ecosystem("Go", Some(5 * 3600), false),
                ecosystem("PyPI", Some(3 * 86_400), true),
                ecosystem("npm", None, true),
            ],
            max_age_hours: 48,
        };
        assert_eq!(
            data_lines(&freshness),
            [
                "warning: advisory data for PyPI is 3 days old, past the 48-hour limit: run \
                 `vigil db sync --ecosystem PyPI` or import a newer dump",
                "warning: no advisory data for npm: its components were matched against \
                 nothing; run `vigil db sync --ecosystem npm` or `vigil db import`",
                "advisory data: Go updated 5 hours ago",
            ]
        );
    }
}
