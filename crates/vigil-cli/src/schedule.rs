//! `vigil schedule [show|set|pause|resume]`: the daily monitoring run.

use std::{io::Write, process::ExitCode};

use anyhow::Result;
use clap::{Args, Subcommand};
use vigil_engine::{api::ScheduleStatus, Engine};

#[derive(Args)]
pub struct ScheduleArgs {
    #[command(subcommand)]
    command: Option<ScheduleCommand>,
    /// Print the schedule as JSON.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum ScheduleCommand {
    /// The daily time, its zone, whether it is paused, the next and the last run.
    Show,
    /// Run every day at a local time.
    Set {
        /// `HH:MM`, 24-hour.
        #[arg(long, value_name = "HH:MM")]
        at: String,
        /// An IANA time zone (default: the one set before, else the system's).
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
    },
    /// Stop the daily run until `vigil schedule resume`.
    Pause,
    /// Start the daily run again; a time passed while paused is not caught up.
    Resume,
}

pub fn run(engine: &Engine, args: ScheduleArgs, out: &mut impl Write) -> Result<ExitCode> {
    let now = chrono::Utc::now();
    let status = match args.command {
        None | Some(ScheduleCommand::Show) => engine.schedule_status(now)?,
        Some(ScheduleCommand::Set { at, tz }) => engine.set_schedule(&at, tz.as_deref(), now)?,
        Some(ScheduleCommand::Pause) => engine.pause_schedule(true, now)?,
        Some(ScheduleCommand::Resume) => engine.pause_schedule(false, now)?,
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&status)?)?;
    } else {
        show(out, &status)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn show(out: &mut impl Write, status: &ScheduleStatus) -> std::io::Result<()> {
    writeln!(
        out,
        "every day at {} ({}){}",
        status.at,
        status.timezone,
        if status.paused { ", paused" } else { "" }
    )?;
    writeln!(
        out,
        "next run: {}",
        status.next_run.as_deref().unwrap_or("none while paused")
    )?;
    match &status.last_run {
        Some(run) => writeln!(
            out,
            "last run: {} ({}): {} applications, {} new, {} changed, {} resolved",
            run.started_at, run.trigger, run.applications, run.new, run.changed, run.resolved
        ),
        None => writeln!(out, "last run: never"),
    }
}
