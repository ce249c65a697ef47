//! `vigil agent`: the headless agent in the foreground, one log line per action, until
//! SIGTERM or SIGINT.

use std::{
    io::Write,
    process::ExitCode,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use clap::Args;
use vigil_engine::{holder_name, Agent, AgentOptions, Engine};

/// How often the agent looks at what is due.
const TICK: Duration = Duration::from_secs(1);
/// How quickly a stop request is noticed between ticks.
const NAP: Duration = Duration::from_millis(100);

#[derive(Args)]
pub struct AgentArgs {
    /// Sync advisories this often, for this process only (`10s`, `15m`, `1h`; `0s` = never).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    sync_every: Option<Duration>,
    /// The OSV bucket to sync from, for this process only.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    base_url: Option<String>,
}

pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s.trim())
        .map_err(|e| format!("{s:?} is not a duration such as 10s, 15m or 1h ({e})"))
}

fn parse_base_url(s: &str) -> Result<String, String> {
    if s.starts_with("http://") || s.starts_with("https://") {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?} is not an http(s) URL"))
    }
}

fn stamp(now: chrono::DateTime<chrono::Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn run(engine: &Engine, args: AgentArgs, out: &mut impl Write) -> Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        // A second signal while a step is still finishing ends the process at once; SQLite's
        // transactions leave nothing half-written either way.
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .context("cannot listen for SIGTERM/SIGINT")?;
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot listen for SIGTERM/SIGINT")?;
    }
    let holder = holder_name("agent");
    let options = AgentOptions {
        sync_every: args.sync_every,
        base_url: args.base_url,
    };
    let mut agent = Agent::new(engine.clone(), holder.clone(), options);
    writeln!(
        out,
        "{} agent: started as {holder} on {}",
        stamp(chrono::Utc::now()),
        engine.data_dir().display()
    )?;
    while !stop.load(Ordering::SeqCst) {
        let started = Instant::now();
        let now = chrono::Utc::now();
        for event in agent.tick(now) {
            writeln!(out, "{} {event}", stamp(now))?;
        }
        out.flush()?;
        while started.elapsed() < TICK && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(NAP);
        }
    }
    writeln!(out, "{} agent: stopped", stamp(chrono::Utc::now()))?;
    Ok(ExitCode::SUCCESS)
}
