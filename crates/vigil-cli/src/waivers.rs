//! `vigil waivers add|list|remove|import-vex|export-vex`.

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::Result;
use clap::{ArgGroup, Args, Subcommand};
use vigil_engine::{
    api::{NewWaiver, WaiverDto, WaiverScopeKind},
    current_user, Engine,
};

use crate::write_file;

#[derive(Subcommand)]
pub enum WaiversCommand {
    /// Accept a violation: it stays listed, marked waived, and neither counts nor fails.
    Add(AddArgs),
    /// Every waiver, the soonest to expire first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete a waiver; its violations are active again.
    Remove {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Create waivers from a VEX document's not_affected / false_positive statements
    /// (OpenVEX or CycloneDX VEX).
    ImportVex {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the waivers in force as an OpenVEX document.
    ExportVex {
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Args)]
#[command(group(ArgGroup::new("scope").required(true).args(["app", "org", "everywhere"])))]
pub struct AddArgs {
    /// Waive in this application only.
    #[arg(long, value_name = "NAME")]
    app: Option<String>,
    /// Waive in every application of this organization.
    #[arg(long, value_name = "NAME")]
    org: Option<String>,
    /// Waive in every application.
    #[arg(long)]
    everywhere: bool,
    /// The component, as a purl with its version (or without, with --all-versions).
    #[arg(long, value_name = "PURL")]
    component: String,
    /// Every version of the component's package, not only the one given.
    #[arg(long)]
    all_versions: bool,
    /// Only this policy's violations (default: every policy).
    #[arg(long, value_name = "NAME")]
    policy: Option<String>,
    /// Only violations this advisory (by id or alias) takes part in.
    #[arg(long, value_name = "ID")]
    advisory: Option<String>,
    /// Why the violation is accepted (required).
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// The last day the waiver holds (default: 90 days from today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    expires: Option<String>,
}

pub fn run(engine: &Engine, command: WaiversCommand, out: &mut impl Write) -> Result<ExitCode> {
    let now = crate::notify::now();
    match command {
        WaiversCommand::Add(args) => {
            let (scope, scope_name) = match (args.app, args.org) {
                (Some(app), _) => (WaiverScopeKind::Application, Some(app)),
                (None, Some(org)) => (WaiverScopeKind::Organization, Some(org)),
                (None, None) => (WaiverScopeKind::Everywhere, None),
            };
            let waiver = engine.add_waiver(
                NewWaiver {
                    scope,
                    scope_name,
                    component: args.component,
                    all_versions: args.all_versions,
                    policy: args.policy,
                    advisory: args.advisory,
                    reason: args.reason,
                    expires: args.expires,
                },
                now,
                &current_user(),
            )?;
            writeln!(
                out,
                "waiver {} added: {} in {}, expires {}",
                waiver.id,
                what(&waiver),
                scope_text(&waiver),
                waiver.expires
            )?;
        }
        WaiversCommand::List { json } => {
            let waivers = engine.waivers(now)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&waivers)?)?;
            } else {
                list(out, &waivers)?;
            }
        }
        WaiversCommand::Remove { id } => {
            engine.remove_waiver(id)?;
            writeln!(out, "waiver {id} removed")?;
        }
        WaiversCommand::ImportVex { file } => {
            let report = engine.import_vex(&file, now, &current_user())?;
            for skipped in &report.skipped {
                eprintln!("skipped: {}: {}", skipped.path, skipped.message);
            }
            writeln!(
                out,
                "{} ({}): {} statements, {} waivers created, {} skipped",
                report.file,
                report.format,
                report.statements,
                report.imported,
                report.skipped.len()
            )?;
        }
        WaiversCommand::ExportVex { output } => {
            let document = engine.export_vex(now)?;
            // OpenVEX requires at least one statement: with none, there is no document to write.
            let statements = serde_json::from_str::<serde_json::Value>(&document)
                .ok()
                .and_then(|d| d["statements"].as_array().map(Vec::len))
                .unwrap_or(0);
            if statements == 0 {
                eprintln!(
                    "vigil: no waiver in force names an advisory, so there is nothing to state in VEX"
                );
                return Ok(ExitCode::from(1));
            }
            match output {
                Some(file) => write_file(&file, document.as_bytes())?,
                None => writeln!(out, "{document}")?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn what(waiver: &WaiverDto) -> String {
    let mut text = waiver.component.clone();
    if waiver.all_versions {
        text.push_str(" (all versions)");
    }
    if let Some(policy) = &waiver.policy {
        text.push_str(&format!(", policy {policy}"));
    }
    if let Some(advisory) = &waiver.advisory {
        text.push_str(&format!(", advisory {advisory}"));
    }
    text
}

fn scope_text(waiver: &WaiverDto) -> String {
    match (waiver.scope, &waiver.scope_name) {
        (WaiverScopeKind::Application, Some(name)) => format!("application {name}"),
        (WaiverScopeKind::Organization, Some(name)) => format!("organization {name}"),
        _ => "every application".into(),
    }
}

fn list(out: &mut impl Write, waivers: &[WaiverDto]) -> std::io::Result<()> {
    if waivers.is_empty() {
        return writeln!(out, "no waivers");
    }
    writeln!(
        out,
        "{:>4}  {:<10}  {:<24}  WAIVES / REASON",
        "ID", "EXPIRES", "SCOPE"
    )?;
    for w in waivers {
        let expires = if w.days_left < 0 {
            format!("{} (expired)", w.expires)
        } else {
            w.expires.clone()
        };
        writeln!(
            out,
            "{:>4}  {:<10}  {:<24}  {} — {} ({} on {})",
            w.id,
            expires,
            scope_text(w),
            what(w),
            w.reason,
            w.created_by,
            w.created_at.get(..10).unwrap_or(&w.created_at)
        )?;
    }
    Ok(())
}
