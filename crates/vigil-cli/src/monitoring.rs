//! `vigil monitor run`, `vigil alerts`, `vigil runs`, `vigil affected`: monitoring's results.

use std::{io::Write, process::ExitCode};

use anyhow::Result;
use clap::{Args, Subcommand};
use vigil_engine::{api, Engine, RunOutcome, RunRequest, Trigger};

#[derive(Subcommand)]
pub enum MonitorCommand {
    /// Re-evaluate every monitored application now; print what is new since the last run.
    Run {
        #[arg(long)]
        json: bool,
        /// Evaluate every watched scan afresh, even those whose inputs did not change.
        #[arg(long)]
        full: bool,
    },
}

#[derive(Args)]
pub struct AlertsArgs {
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
    /// Only this application's alerts.
    #[arg(long, value_name = "NAME")]
    app: Option<String>,
    /// Only alerts created at or after this time (RFC 3339, or a date).
    #[arg(long, value_name = "RFC3339")]
    since: Option<String>,
}

#[derive(Args)]
pub struct RunsArgs {
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
    /// How many runs, newest first.
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

#[derive(Args)]
pub struct AffectedArgs {
    /// An advisory id or alias (`CVE-2021-44228`, `GHSA-jfh8-c2jp-5v3q`, `PYSEC-2019-10`), or a
    /// purl (`pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1`; without a version, every
    /// version): where it is used, with the advisories of each version.
    #[arg(value_name = "ADVISORY-ID|PURL")]
    advisory: String,
    #[arg(long)]
    json: bool,
}

pub fn monitor(engine: &Engine, command: MonitorCommand, out: &mut impl Write) -> Result<ExitCode> {
    let MonitorCommand::Run { json, full } = command;
    let request = RunRequest {
        full,
        ..RunRequest::new(Trigger::Cli, crate::notify::now())
    };
    match engine.run_monitoring_as(&request)? {
        RunOutcome::Ran(report) => {
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            } else {
                crate::output::monitor_report(out, &report)?;
            }
            for line in crate::output::data_lines(&report.advisory_data) {
                eprintln!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        RunOutcome::Skipped { reason } => {
            if json {
                writeln!(out, "{}", serde_json::json!({ "skipped": reason }))?;
            } else {
                writeln!(out, "skipped: {reason}")?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn alerts(engine: &Engine, args: AlertsArgs, out: &mut impl Write) -> Result<ExitCode> {
    let alerts = engine.alerts(&api::AlertFilter {
        application: args.app,
        since: args.since,
        run: None,
        limit: None,
    })?;
    if args.json {
        for alert in &alerts {
            writeln!(out, "{}", serde_json::to_string(alert)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if alerts.is_empty() {
        writeln!(out, "no alerts recorded")?;
    }
    for a in &alerts {
        let changed = if a.changed.is_empty() {
            String::new()
        } else {
            format!("  ({})", a.changed.join("; "))
        };
        writeln!(
            out,
            "{:>6}  {}  {:<8}  {}  {}  {}  {}{changed}",
            a.id,
            a.created_at,
            a.kind,
            a.application,
            a.policy,
            a.component,
            a.advisories.join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn runs(engine: &Engine, args: RunsArgs, out: &mut impl Write) -> Result<ExitCode> {
    let runs = engine.runs(args.limit)?;
    if args.json {
        for run in &runs {
            writeln!(out, "{}", serde_json::to_string(run)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        writeln!(out, "no monitoring run yet")?;
    }
    for r in &runs {
        let due = r
            .due_at
            .as_deref()
            .map(|d| format!(" for {d}"))
            .unwrap_or_default();
        writeln!(
            out,
            "run {:>5}  {}  {:<8}{due}  {} applications ({} evaluated), {} new, {} changed, {} resolved, {} baseline",
            r.id, r.started_at, r.trigger, r.applications, r.evaluated, r.new, r.changed, r.resolved, r.baseline
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn affected(engine: &Engine, args: AffectedArgs, out: &mut impl Write) -> Result<ExitCode> {
    let by_purl = args.advisory.trim_start().starts_with("pkg:");
    let report = if by_purl {
        engine.where_used(&args.advisory)?
    } else {
        engine.affected(&args.advisory)?
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if by_purl {
        writeln!(
            out,
            "{}: in {} component(s), {} advisories",
            report.query,
            report.hits.len(),
            report.advisories.len()
        )?;
    } else {
        writeln!(
            out,
            "{} ({}): {} affected component(s)",
            report.query,
            report.advisories.join(", "),
            report.hits.len()
        )?;
    }
    for hit in &report.hits {
        let version = hit.version_label.as_deref().unwrap_or("-");
        let watched = if hit.watched { "  [monitored]" } else { "" };
        let fix = if hit.fixed.is_empty() {
            String::new()
        } else {
            format!("  fix: {}", hit.fixed.join(", "))
        };
        let advisories = if by_purl && !hit.advisories.is_empty() {
            format!("  {}", hit.advisories.join(", "))
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {}  {}  {version}  {}  {}{advisories}{fix}{watched}",
            hit.application,
            hit.stage,
            hit.component,
            hit.evidence.join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
