//! `vigil orgs list|add|set`: the organization tree.

use std::{io::Write, process::ExitCode};

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use vigil_engine::{api::OrganizationDto, Engine};

#[derive(Subcommand)]
pub enum OrgsCommand {
    /// The tree, each organization under its parent.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Create an organization (under the root unless --parent).
    Add {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "P")]
        parent: Option<String>,
        #[arg(long, value_enum, value_name = "on|inherit")]
        monitor: Option<OrgMonitor>,
    },
    /// Move an organization or change its monitoring: `on` turns monitoring on for every
    /// application below it, which none of them can then turn off.
    Set {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "P")]
        parent: Option<String>,
        #[arg(long, value_enum, value_name = "on|inherit")]
        monitor: Option<OrgMonitor>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrgMonitor {
    On,
    Inherit,
}

fn line(org: &OrganizationDto) -> String {
    format!(
        "{}: under {}, monitoring {}, {} applications",
        org.name,
        org.parent.as_deref().unwrap_or("(none)"),
        if org.monitoring_on { "on" } else { "inherit" },
        org.applications
    )
}

pub fn run(engine: &Engine, command: OrgsCommand, out: &mut impl Write) -> Result<ExitCode> {
    let exists = |name: &str| -> Result<bool> {
        Ok(engine
            .organizations()?
            .iter()
            .any(|o| o.name.eq_ignore_ascii_case(name.trim())))
    };
    match command {
        OrgsCommand::List { json } => {
            let orgs = engine.organizations()?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&orgs)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            // Parents come before their children: a depth per name indents the tree.
            let mut depth: std::collections::HashMap<String, usize> = Default::default();
            for org in &orgs {
                let d = org
                    .parent
                    .as_ref()
                    .and_then(|p| depth.get(&p.to_lowercase()))
                    .map_or(0, |d| d + 1);
                depth.insert(org.name.to_lowercase(), d);
                writeln!(
                    out,
                    "{}{}  (monitoring {}, {} applications)",
                    "  ".repeat(d),
                    org.name,
                    if org.monitoring_on { "on" } else { "inherit" },
                    org.applications
                )?;
            }
        }
        OrgsCommand::Add {
            name,
            parent,
            monitor,
        } => {
            if exists(&name)? {
                anyhow::bail!(
                    "an organization named {name:?} exists; change it with vigil orgs set"
                );
            }
            let org = engine.save_organization(
                &name,
                parent.as_deref(),
                monitor.map(|m| m == OrgMonitor::On),
            )?;
            writeln!(out, "{}", line(&org))?;
        }
        OrgsCommand::Set {
            name,
            parent,
            monitor,
        } => {
            if !exists(&name)? {
                anyhow::bail!("no organization named {name:?}; add it with vigil orgs add");
            }
            let org = engine.save_organization(
                &name,
                parent.as_deref(),
                monitor.map(|m| m == OrgMonitor::On),
            )?;
            writeln!(out, "{}", line(&org))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
