//! The agent while the app runs (window open or tray only): the same `vigil_engine::Agent` as
//! `vigil agent`, ticked on a thread of its own. Its delivery step shows desktop deliveries
//! through this app's notifications (`desktop.rs`). Runs are announced like any other run;
//! deliveries tell the Channels screen to refresh; other changes tell the window to refresh.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};
use vigil_engine::{holder_name, Agent, AgentEvent, AgentOptions, Engine};

use crate::{deliveries, desktop, monitoring, tray};

/// The app event telling the window that stored data changed (a sync, a file taken in).
pub const DATA_CHANGED_EVENT: &str = "data-changed";

const TICK: Duration = Duration::from_secs(1);

pub fn start(app: AppHandle, engine: Engine) {
    let spawned = std::thread::Builder::new()
        .name("vigil-agent".into())
        .spawn(move || {
            let mut agent = Agent::new(engine, holder_name("desktop"), AgentOptions::default());
            let watches = app.clone();
            agent.set_run_watcher(Box::new(move |running| {
                let session = watches.state::<tray::Session>();
                if running {
                    session.run_started();
                } else {
                    session.run_finished();
                }
                tray::refresh(&watches);
            }));
            let shows = app.clone();
            agent.set_desktop_sink(Box::new(move |notice| {
                desktop::show(&shows, &desktop::message(notice))
            }));
            loop {
                let now = chrono::Utc::now();
                for event in agent.tick(now) {
                    eprintln!(
                        "vigil-desktop: {} {event}",
                        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    );
                    announce(&app, &event);
                }
                // Between ticks the agent has nothing in flight: the moment to hand over to a
                // tray agent alone if the window was closed (release.rs).
                crate::release::hand_over_if_due(&app);
                std::thread::sleep(TICK);
            }
        });
    if let Err(error) = spawned {
        eprintln!("vigil-desktop: the agent could not start: {error}");
    }
}

fn announce(app: &AppHandle, event: &AgentEvent) {
    // What the tray's state depends on: a scheduled run's failure (this process's own news),
    // syncs and deliveries (read back from the store).
    match event {
        AgentEvent::Ran { .. } => app.state::<tray::Session>().set_run_error(None),
        AgentEvent::Failed { step: "run", message } => {
            app.state::<tray::Session>()
                .set_run_error(Some(message.clone()));
            tray::refresh(app);
        }
        AgentEvent::Synced(_) | AgentEvent::SyncFailed { .. } | AgentEvent::Delivered(_) => {
            tray::refresh(app)
        }
        _ => {}
    }
    let told = if let AgentEvent::Ran { report, .. } = event {
        monitoring::announce(app, report);
        Ok(())
    } else if let AgentEvent::Delivered(_) = event {
        app.emit(deliveries::DELIVERIES_CHANGED_EVENT, ())
    } else if event.changed_data() {
        app.emit(DATA_CHANGED_EVENT, ())
    } else {
        Ok(())
    };
    if let Err(error) = told {
        eprintln!("vigil-desktop: could not tell the window: {error}");
    }
}
