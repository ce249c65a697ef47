//! `vigil settings [show|set KEY VALUE|unset KEY]`: the workspace settings the agent works by.
//! Each key is one line of [`KEYS`].

use std::{io::Write, process::ExitCode};

use anyhow::{bail, Result};
use clap::Subcommand;
use vigil_engine::{api::AgentSettings, settings as defaults, Engine};

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Every setting with its value.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Set KEY to VALUE (see `vigil settings show` for the keys).
    Set {
        #[arg(value_name = "KEY")]
        key: String,
        #[arg(value_name = "VALUE")]
        value: String,
    },
    /// Back to the default (for intake-folder: no folder).
    Unset {
        #[arg(value_name = "KEY")]
        key: String,
    },
}

struct Key {
    name: &'static str,
    show: fn(&AgentSettings) -> String,
    set: fn(&mut AgentSettings, &str) -> Result<(), String>,
    unset: fn(&mut AgentSettings),
}

const KEYS: &[Key] = &[
    Key {
        name: "sync-every",
        show: |s| {
            humantime::format_duration(std::time::Duration::from_secs(s.sync_every_seconds))
                .to_string()
        },
        set: |s, v| {
            s.sync_every_seconds = crate::agent::parse_duration(v)?.as_secs();
            Ok(())
        },
        unset: |s| s.sync_every_seconds = defaults::DEFAULT_SYNC_EVERY_SECONDS,
    },
    Key {
        name: "sync-base-url",
        show: |s| s.sync_base_url.clone(),
        set: |s, v| {
            s.sync_base_url = v.to_string();
            Ok(())
        },
        unset: |s| s.sync_base_url = vigil_engine::sync::DEFAULT_BASE_URL.to_string(),
    },
    Key {
        name: "intake-folder",
        show: |s| s.intake_folder.clone().unwrap_or_else(|| "(none)".into()),
        set: |s, v| {
            s.intake_folder = Some(intake_folder(v)?);
            Ok(())
        },
        unset: |s| s.intake_folder = None,
    },
    Key {
        name: "monitor-new-applications",
        show: |s| on_off(s.monitor_new_applications).into(),
        set: |s, v| {
            s.monitor_new_applications = parse_on_off(v)?;
            Ok(())
        },
        unset: |s| s.monitor_new_applications = true,
    },
    Key {
        name: "stale-after-days",
        show: |s| s.stale_after_days.to_string(),
        set: |s, v| {
            s.stale_after_days = v
                .parse()
                .map_err(|_| format!("{v:?} is not a whole number of days"))?;
            Ok(())
        },
        unset: |s| s.stale_after_days = defaults::DEFAULT_STALE_AFTER_DAYS,
    },
    Key {
        name: "advisory-data-max-age",
        show: |s| format!("{}h", s.advisory_data_max_age_hours),
        set: |s, v| {
            let hours = crate::agent::parse_duration(v)?.as_secs() / 3600;
            s.advisory_data_max_age_hours = u32::try_from(hours)
                .ok()
                .filter(|h| *h >= 1)
                .ok_or_else(|| format!("{v:?} is not between 1h and {}h", u32::MAX))?;
            Ok(())
        },
        unset: |s| {
            s.advisory_data_max_age_hours = defaults::DEFAULT_ADVISORY_DATA_MAX_AGE_HOURS;
        },
    },
];

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn parse_on_off(v: &str) -> Result<bool, String> {
    match v {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(format!("{v:?} is not on or off")),
    }
}

/// Stored absolute, so that an agent started elsewhere finds it.
fn intake_folder(v: &str) -> Result<String, String> {
    let path = std::path::absolute(v).map_err(|e| format!("{v:?}: {e}"))?;
    if !path.is_dir() {
        return Err(format!("{} is not a folder", path.display()));
    }
    Ok(path.display().to_string())
}

fn key(name: &str) -> Result<&'static Key> {
    match KEYS.iter().find(|k| k.name == name) {
        Some(key) => Ok(key),
        None => {
            let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
            bail!(
                "unknown setting {name:?}: expected one of {}",
                names.join(", ")
            )
        }
    }
}

pub fn run(engine: &Engine, command: SettingsCommand, out: &mut impl Write) -> Result<ExitCode> {
    let mut settings = engine.agent_settings()?;
    match command {
        SettingsCommand::Show { json: true } => {
            writeln!(out, "{}", serde_json::to_string_pretty(&settings)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        SettingsCommand::Show { json: false } => {}
        SettingsCommand::Set { key: name, value } => {
            let key = key(&name)?;
            (key.set)(&mut settings, &value).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            engine.set_agent_settings(&settings)?;
        }
        SettingsCommand::Unset { key: name } => {
            (key(&name)?.unset)(&mut settings);
            engine.set_agent_settings(&settings)?;
        }
    }
    for key in KEYS {
        writeln!(out, "{:<26}{}", key.name, (key.show)(&settings))?;
    }
    Ok(ExitCode::SUCCESS)
}
