//! The agent while the app runs (window open or tray only): the same `vigil_engine::Agent` as
//! `vigil agent`, ticked on a thread of its own, followed on every tick by the outbox's worker
//! (desktop deliveries become notifications here). Runs are announced like any other run;
//! other changes only tell the window to refresh.

use std::time::Duration;

use tauri::{AppHandle, Emitter};
use vigil_engine::{holder_name, Agent, AgentEvent, AgentOptions, Engine};

use crate::{deliveries, monitoring};

/// The app event telling the window that stored data changed (a sync, a file taken in).
pub const DATA_CHANGED_EVENT: &str = "data-changed";

const TICK: Duration = Duration::from_secs(1);

pub fn start(app: AppHandle, engine: Engine) {
    let spawned = std::thread::Builder::new()
        .name("vigil-agent".into())
        .spawn(move || {
            let mut agent = Agent::new(
                engine.clone(),
                holder_name("desktop"),
                AgentOptions::default(),
            );
            let mut last_error = String::new();
            loop {
                let now = chrono::Utc::now();
                for event in agent.tick(now) {
                    eprintln!(
                        "vigil-desktop: {} {event}",
                        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    );
                    announce(&app, &event);
                }
                // Said once, not every second, while the same problem lasts.
                match deliveries::send_due_now(&app, &engine) {
                    Ok(_) => last_error.clear(),
                    Err(error) => {
                        let error = error.to_string();
                        if error != last_error {
                            eprintln!("vigil-desktop: deliveries could not be sent: {error}");
                            last_error = error;
                        }
                    }
                }
                std::thread::sleep(TICK);
            }
        });
    if let Err(error) = spawned {
        eprintln!("vigil-desktop: the agent could not start: {error}");
    }
}

fn announce(app: &AppHandle, event: &AgentEvent) {
    if let AgentEvent::Ran { report, .. } = event {
        monitoring::announce(app, report);
    } else if event.changed_data() {
        if let Err(error) = app.emit(DATA_CHANGED_EVENT, ()) {
            eprintln!("vigil-desktop: could not tell the window: {error}");
        }
    }
}
