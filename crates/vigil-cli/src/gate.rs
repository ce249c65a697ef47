//! `vigil evaluate`: the CI gate.
//!
//! Exit codes: 0 when no violation has a `fail` action at the stage (warnings pass unless
//! `--fail-on-warn`); 1 when one does; 2 for usage or system errors (through `main`),
//! including artifacts of which nothing could be read.

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::Result;
use clap::{Args, ValueEnum};
use vigil_engine::{
    api::{Action, EvaluationReport, GateOutcome},
    Engine, ScanTarget, Stage,
};

use crate::{output, parse_stage, write_file};

#[derive(Args)]
pub struct EvaluateArgs {
    /// The application the scan is stored under (created if new).
    #[arg(long, value_name = "NAME")]
    app: String,
    /// The stage whose policy actions decide the outcome.
    #[arg(long, value_parser = parse_stage)]
    stage: Stage,
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = GateFormat::Table)]
    format: GateFormat,
    /// Write the result in --format to FILE (atomically); standard output then gets the table.
    #[arg(long, value_name = "FILE")]
    result_file: Option<PathBuf>,
    /// Exit 1 on violations whose action is `warn` too.
    #[arg(long)]
    fail_on_warn: bool,
    /// The application's version or build label stored with the scan.
    #[arg(long = "version", value_name = "LABEL")]
    version_label: Option<String>,
    /// Set the application's organization (policy and waiver scopes use it).
    #[arg(long, value_name = "NAME")]
    org: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GateFormat {
    Table,
    Json,
    Sarif,
}

pub fn run(engine: &Engine, args: EvaluateArgs, out: &mut impl Write) -> Result<ExitCode> {
    let mut bar = crate::progress::ScanBar::default();
    let report = engine.evaluate(
        &args.paths,
        ScanTarget {
            application: args.app,
            stage: args.stage,
            version_label: args.version_label,
            organization: args.org,
        },
        &mut bar,
    )?;
    bar.finish();
    let mut rendered = Vec::new();
    match args.format {
        GateFormat::Table => table(&mut rendered, &report)?,
        GateFormat::Json => writeln!(rendered, "{}", serde_json::to_string_pretty(&report)?)?,
        GateFormat::Sarif => {
            let uris: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
            let sarif = crate::sarif::sarif(&report, env!("CARGO_PKG_VERSION"), &uris);
            writeln!(rendered, "{}", serde_json::to_string_pretty(&sarif)?)?
        }
    }
    match &args.result_file {
        Some(file) => {
            write_file(file, &rendered)?;
            table(out, &report)?;
        }
        None => out.write_all(&rendered)?,
    }
    for warning in &report.warnings {
        eprintln!("warning: {}: {}", warning.path, warning.message);
    }
    for line in output::data_lines(&report.advisory_data) {
        eprintln!("{line}");
    }
    Ok(match report.outcome {
        GateOutcome::Fail => ExitCode::from(1),
        GateOutcome::Warn if args.fail_on_warn => ExitCode::from(1),
        GateOutcome::Warn | GateOutcome::Pass => ExitCode::SUCCESS,
    })
}

/// The human report: one line per violation, worst first, then the verdict.
pub fn table(out: &mut impl Write, report: &EvaluationReport) -> std::io::Result<()> {
    let status = |v: &vigil_engine::api::ViolationDto| match (&v.waiver, v.action) {
        (Some(_), _) => "waived",
        (None, Some(Action::Fail)) => "FAIL",
        (None, Some(Action::Warn)) => "warn",
        (None, _) => "-",
    };
    if !report.violations.is_empty() {
        let policy_width = report
            .violations
            .iter()
            .map(|v| v.policy.len())
            .max()
            .unwrap_or(6)
            .max(6);
        let purl_width = report
            .violations
            .iter()
            .map(|v| v.purl.len())
            .max()
            .unwrap_or(9)
            .clamp(9, 70);
        writeln!(
            out,
            "{:<6}  {:>6}  {:<policy_width$}  {:<purl_width$}  DETAILS",
            "ACTION", "THREAT", "POLICY", "COMPONENT"
        )?;
        for v in &report.violations {
            let mut details = Vec::new();
            for a in &v.advisories {
                let mut text = a.id.clone();
                let mut marks = Vec::new();
                if let Some(score) = a.severity.as_ref().and_then(|s| s.score) {
                    marks.push(format!("{score:.1}"));
                }
                if a.kev {
                    marks.push("KEV".into());
                }
                if let Some(fix) = a.fixed.first() {
                    marks.push(format!("fixed in {fix}"));
                }
                if !marks.is_empty() {
                    text.push_str(&format!(" ({})", marks.join(", ")));
                }
                details.push(text);
            }
            if let Some(license) = &v.license {
                details.push(format!("license {license}"));
            }
            if details.is_empty() {
                details.push(v.summary.clone());
            }
            if let Some(waiver) = &v.waiver {
                details.push(format!(
                    "waived until {}: {}",
                    waiver.expires, waiver.reason
                ));
            }
            writeln!(
                out,
                "{:<6}  {:>6}  {:<policy_width$}  {:<purl_width$}  {}",
                status(v),
                v.threat_level,
                v.policy,
                v.purl,
                details.join("; ")
            )?;
        }
    }
    let c = &report.counts;
    writeln!(
        out,
        "{}: {} at {}: {} fail, {} warn, {} without action, {} waived ({} components, scan {})",
        match report.outcome {
            GateOutcome::Fail => "FAIL",
            GateOutcome::Warn => "WARN",
            GateOutcome::Pass => "PASS",
        },
        report.application,
        report.stage,
        c.fail,
        c.warn,
        c.none,
        c.waived,
        report.components,
        report.scan_id
    )
}
