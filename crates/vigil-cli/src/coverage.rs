//! `vigil coverage [--json]` and `vigil coverage rules [list|add|remove|reset]`.

use std::{io::Write, process::ExitCode};

use anyhow::Result;
use clap::{ArgGroup, Args, Subcommand};
use vigil_engine::{
    api::{CoverageEffect, CoverageGapKind, CoverageRule, CoverageRuleView, RuleCombine},
    Engine,
};

use crate::table::table;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CoverageArgs {
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<CoverageCommand>,
}

#[derive(Subcommand)]
pub enum CoverageCommand {
    /// The coverage rules: which applications must be monitored, which leave monitoring.
    Rules {
        #[command(subcommand)]
        command: Option<RulesCommand>,
    },
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// The rules in force, numbered as `remove` takes them (the default without a command).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a rule, e.g. `--when exposure=external --when users>=1000 --must-monitor`.
    /// Conditions: exposure=, hosting=, tier=, status=, organization= (it and every one below
    /// it), category=, users>=N.
    #[command(group(ArgGroup::new("effect").required(true).args(["must_monitor", "leaves_monitoring"])))]
    Add {
        #[arg(long = "when", value_name = "CONDITION", required = true)]
        conditions: Vec<String>,
        /// Every condition must hold (default: any one of them).
        #[arg(long)]
        all: bool,
        /// The applications it matches must be monitored.
        #[arg(long)]
        must_monitor: bool,
        /// The applications it matches leave monitoring.
        #[arg(long)]
        leaves_monitoring: bool,
    },
    /// Remove rule N (as `list` numbers them).
    Remove {
        #[arg(value_name = "N")]
        n: usize,
    },
    /// Put the default rules back.
    Reset,
}

fn print_rules(out: &mut impl Write, rules: &[CoverageRuleView]) -> std::io::Result<()> {
    if rules.is_empty() {
        return writeln!(out, "no coverage rules");
    }
    for (i, rule) in rules.iter().enumerate() {
        writeln!(out, "{}. {}", i + 1, rule.sentence)?;
    }
    Ok(())
}

pub fn run(engine: &Engine, args: CoverageArgs, out: &mut impl Write) -> Result<ExitCode> {
    let Some(CoverageCommand::Rules { command }) = args.command else {
        let report = engine.coverage(chrono::Utc::now())?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        writeln!(
            out,
            "{} applications, {} monitored, {} must be monitored by a rule; a scan is stale after {} days",
            report.applications, report.monitored, report.must_be_monitored, report.stale_after_days
        )?;
        if report.gaps.is_empty() {
            writeln!(out, "no coverage gaps")?;
            return Ok(ExitCode::SUCCESS);
        }
        let rows: Vec<Vec<String>> = report
            .gaps
            .iter()
            .map(|g| {
                let kind = match g.gap {
                    CoverageGapKind::NotMonitored { .. } => "not monitored",
                    CoverageGapKind::NeverScanned { .. } => "never scanned",
                    CoverageGapKind::Stale { .. } => "stale",
                };
                vec![
                    g.application.clone(),
                    g.organization.clone(),
                    g.tier.clone(),
                    kind.to_string(),
                    g.message.clone(),
                ]
            })
            .collect();
        table(
            out,
            &["APPLICATION", "ORGANIZATION", "TIER", "GAP", "WHY"],
            &rows,
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    let current = engine.coverage_rules()?;
    let rules: Vec<CoverageRule> = current.iter().map(|r| r.rule.clone()).collect();
    match command.unwrap_or(RulesCommand::List { json: false }) {
        RulesCommand::List { json } => {
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&current)?)?;
            } else {
                print_rules(out, &current)?;
            }
        }
        RulesCommand::Add {
            conditions,
            all,
            must_monitor,
            leaves_monitoring: _,
        } => {
            let conditions = conditions
                .iter()
                .map(|c| Engine::parse_coverage_condition(c))
                .collect::<Result<Vec<_>, _>>()?;
            let mut rules = rules;
            rules.push(CoverageRule {
                combine: if all {
                    RuleCombine::All
                } else {
                    RuleCombine::Any
                },
                conditions,
                effect: if must_monitor {
                    CoverageEffect::MustMonitor
                } else {
                    CoverageEffect::LeavesMonitoring
                },
            });
            print_rules(out, &engine.set_coverage_rules(Some(&rules))?)?;
        }
        RulesCommand::Remove { n } => {
            if n == 0 || n > rules.len() {
                anyhow::bail!(
                    "no coverage rule {n}: there are {} (see vigil coverage rules list)",
                    rules.len()
                );
            }
            let mut rules = rules;
            rules.remove(n - 1);
            print_rules(out, &engine.set_coverage_rules(Some(&rules))?)?;
        }
        RulesCommand::Reset => print_rules(out, &engine.set_coverage_rules(None)?)?,
    }
    Ok(ExitCode::SUCCESS)
}
